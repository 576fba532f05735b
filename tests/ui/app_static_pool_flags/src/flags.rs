use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use sqlx::{FromRow, PgConnection};

use crate::db;
use crate::error::FlagError;
use crate::eval::CompiledFlag;

#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Flag {
    pub id: i64,
    pub key: String,
    pub enabled: bool,
    pub rollout_pct: i16,
    pub archived: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, FromRow)]
pub struct Rule { pub attribute: String, pub op: String, pub value: String }

#[derive(Debug, Deserialize)]
pub struct FlagInput { pub enabled: bool, pub rollout_pct: i16, pub rules: Vec<Rule> }

pub const FLAG_COLUMNS: &str = "id, key, enabled, rollout_pct, archived";

pub async fn list() -> Result<Vec<Flag>, FlagError> {
    let sql = format!("SELECT {FLAG_COLUMNS} FROM flags WHERE NOT archived ORDER BY key");
    Ok(sqlx::query_as::<_, Flag>(&sql).fetch_all(db::pool()).await?)
}

/// One flag by key (a query on the pool; not a map lookup).
pub async fn get(key: &str) -> Result<Option<Flag>, FlagError> {
    let sql = format!("SELECT {FLAG_COLUMNS} FROM flags WHERE key = $1");
    Ok(sqlx::query_as::<_, Flag>(&sql).bind(key).fetch_optional(db::pool()).await?)
}

pub async fn rules_for(conn: &mut PgConnection, flag_id: i64) -> Result<Vec<Rule>, FlagError> {
    Ok(sqlx::query_as::<_, Rule>("SELECT attribute, op, value FROM rules WHERE flag_id = $1 ORDER BY position")
        .bind(flag_id)
        .fetch_all(conn)
        .await?)
}

pub async fn replace_rules(conn: &mut PgConnection, flag_id: i64, rules: &[Rule]) -> Result<(), FlagError> {
    sqlx::query("DELETE FROM rules WHERE flag_id = $1").bind(flag_id).execute(&mut *conn).await?;
    for (position, r) in rules.iter().enumerate() {
        sqlx::query("INSERT INTO rules (flag_id, position, attribute, op, value) VALUES ($1, $2, $3, $4, $5)")
            .bind(flag_id).bind(position as i32).bind(&r.attribute).bind(&r.op).bind(&r.value)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Writes an audit row to the audit database.
pub async fn record_audit(actor: &str, action: &str, key: &str, detail: serde_json::Value) -> Result<(), FlagError> {
    sqlx::query("INSERT INTO audit_events (actor, action, flag_key, detail) VALUES ($1, $2, $3, $4)")
        .bind(actor).bind(action).bind(key).bind(detail)
        .execute(db::audit_pool())
        .await?;
    Ok(())
}

/// Every live flag with its rules, compiled, on one connection.
pub async fn load_all() -> Result<HashMap<String, CompiledFlag>, FlagError> {
    let mut conn = db::pool().acquire().await?;
    let sql = format!("SELECT {FLAG_COLUMNS} FROM flags WHERE NOT archived");
    let flags = sqlx::query_as::<_, Flag>(&sql).fetch_all(&mut *conn).await?;
    let mut compiled = HashMap::with_capacity(flags.len());
    for flag in flags {
        let rules = rules_for(&mut conn, flag.id).await?;
        compiled.insert(flag.key.clone(), CompiledFlag::new(flag, rules)?);
    }
    Ok(compiled)
}
