// Negative: sqlx implicit checkouts in sequence. `fetch_one(&pool)` borrows a connection and returns
// it before the next statement; `execute(&pool)` then borrows one again. Never two at once.
use sqlx::PgPool;

pub async fn close_poll(pool: PgPool, poll_id: i64) -> Result<i64, sqlx::Error> {
    let votes: i64 = sqlx::query_scalar("SELECT count(*) FROM votes WHERE poll_id = $1")
        .bind(poll_id)
        .fetch_one(&pool)
        .await?;
    let winner: Option<i64> = sqlx::query_scalar(
        "SELECT option_id FROM votes WHERE poll_id = $1 GROUP BY option_id ORDER BY count(*) DESC LIMIT 1",
    )
    .bind(poll_id)
    .fetch_optional(&pool)
    .await?;
    sqlx::query("UPDATE polls SET closed_at = now(), total_votes = $2, winner_option_id = $3 WHERE id = $1")
        .bind(poll_id)
        .bind(votes)
        .bind(winner)
        .execute(&pool)
        .await?;
    Ok(votes)
}
