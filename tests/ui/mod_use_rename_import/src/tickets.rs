// `find_user` is `crate::db::users::find` under a rename; it checks out from `pool` while `tx` is open.
use sqlx::PgPool;

use crate::db::users::find as find_user;

pub async fn assign(pool: &PgPool, ticket_id: i64, agent_id: i64) -> anyhow::Result<()> {
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT 1 FROM tickets WHERE id = $1 FOR UPDATE")
        .bind(ticket_id)
        .execute(&mut *tx)
        .await?;
    let agent = find_user(pool, agent_id).await?; //~ nested_checkout
    match agent {
        Some(user) if user.is_agent => {
            sqlx::query("UPDATE tickets SET assignee_id = $2, state = 'assigned' WHERE id = $1")
                .bind(ticket_id)
                .bind(user.id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        }
        _ => anyhow::bail!("user {agent_id} is not an agent"),
    }
}
