// A wrapper that returns a guard is a checkout: `conn(pool)` hands back a pooled diesel connection,
// and while `c` is held `user_plan(pool, ..)` (which calls `conn(pool)` again) takes a second one.
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool, PooledConnection};

use crate::schema::{projects, users};

pub type DbPool = Pool<ConnectionManager<PgConnection>>;
pub type DbConn = PooledConnection<ConnectionManager<PgConnection>>;

pub fn conn(pool: &DbPool) -> DbConn {
    pool.get().expect("database connection")
}

fn user_plan(pool: &DbPool, user_id: i32) -> QueryResult<String> {
    users::table
        .find(user_id)
        .select(users::plan)
        .first(&mut conn(pool))
}

pub fn can_create_project(pool: &DbPool, user_id: i32) -> QueryResult<bool> {
    let mut c = conn(pool);
    let owned: i64 = projects::table
        .filter(projects::owner_id.eq(user_id))
        .filter(projects::archived.eq(false))
        .count()
        .get_result(&mut c)?;
    let plan = user_plan(pool, user_id)?; //~ nested_checkout
    Ok(plan != "free" || owned < 3)
}
