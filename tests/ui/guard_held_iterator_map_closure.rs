// A closure passed to an iterator adapter runs inline, under the caller's guard: while `conn` is
// held, `.map(|id| load_member(pool, *id))` checks out a connection per id from the same pool.
use r2d2::Pool;
use r2d2_postgres::{postgres::NoTls, PostgresConnectionManager};

pub type DbPool = Pool<PostgresConnectionManager<NoTls>>;

pub struct Member {
    pub id: i64,
    pub name: String,
    pub role: String,
}

fn load_member(pool: &DbPool, user_id: i64) -> anyhow::Result<Member> {
    let mut conn = pool.get()?;
    let row = conn.query_one(
        "SELECT u.id, u.name, m.role FROM users u JOIN memberships m ON m.user_id = u.id WHERE u.id = $1",
        &[&user_id],
    )?;
    Ok(Member { id: row.get(0), name: row.get(1), role: row.get(2) })
}

pub fn team_roster(pool: &DbPool, team_id: i64) -> anyhow::Result<Vec<Member>> {
    let mut conn = pool.get()?;
    let ids: Vec<i64> = conn
        .query("SELECT user_id FROM memberships WHERE team_id = $1 ORDER BY joined_at", &[&team_id])?
        .iter()
        .map(|row| row.get(0))
        .collect();
    let members = ids.iter().map(|id| load_member(pool, *id)).collect::<anyhow::Result<Vec<_>>>()?; //~ nested_checkout
    conn.execute("UPDATE teams SET roster_viewed_at = now() WHERE id = $1", &[&team_id])?;
    Ok(members)
}
