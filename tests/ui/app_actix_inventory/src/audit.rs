//! The audit trail. `record` takes its own connection; `record_on` writes on the caller's
//! connection (and therefore inside the caller's transaction).

use diesel::pg::PgConnection;
use diesel::prelude::*;

use crate::db::{self, DbPool};
use crate::models::{AuditEntry, NewAuditEntry};
use crate::schema::audit_log;
use crate::ServiceError;

pub fn record(pool: &DbPool, actor: &str, action: &str, item_id: i32, detail: Option<String>) -> Result<(), ServiceError> {
    db::with_conn(pool, |c| record_on(c, actor, action, item_id, detail))
}

pub fn record_on(conn: &mut PgConnection, actor: &str, action: &str, item_id: i32, detail: Option<String>) -> Result<(), ServiceError> {
    diesel::insert_into(audit_log::table)
        .values(&NewAuditEntry { actor, action, item_id, detail })
        .execute(conn)?;
    tracing::debug!(actor, action, item_id, "audit entry written");
    Ok(())
}

pub fn recent(conn: &mut PgConnection, item_id: i32, limit: i64) -> Result<Vec<AuditEntry>, ServiceError> {
    Ok(audit_log::table
        .filter(audit_log::item_id.eq(item_id))
        .order(audit_log::created_at.desc())
        .limit(limit)
        .load::<AuditEntry>(conn)?)
}
