use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use tracing::warn;

use crate::db;
use crate::error::FlagError;
use crate::eval::{self, CompiledFlag};
use crate::flags::{self, Flag, FlagInput, Rule, FLAG_COLUMNS};

pub fn router() -> Router {
    Router::new()
        .route("/flags", get(list_flags))
        .route("/flags/:key", get(show).put(update_flag).delete(delete_flag))
        .route("/flags/:key/copy/:new_key", post(copy_flag))
        .route("/evaluate/:key", post(evaluate))
}

fn actor(headers: &HeaderMap) -> String {
    headers.get("x-actor").and_then(|v| v.to_str().ok()).unwrap_or("unknown").to_owned()
}

#[derive(Deserialize)]
struct ListQuery { #[serde(default)] include_archived: bool }

async fn list_flags(Query(q): Query<ListQuery>) -> Result<Json<Vec<Flag>>, FlagError> {
    let flags = if q.include_archived {
        let mut conn = db::pool().acquire().await?;
        let sql = format!("SELECT {FLAG_COLUMNS} FROM flags ORDER BY archived, key");
        sqlx::query_as::<_, Flag>(&sql).fetch_all(&mut *conn).await?
    } else {
        flags::list().await?
    };
    Ok(Json(flags))
}

async fn show(Path(key): Path<String>) -> Result<Json<Flag>, FlagError> {
    flags::get(&key).await?.map(Json).ok_or(FlagError::NotFound(key))
}

#[derive(Deserialize)]
struct EvalRequest {
    subject: String,
    #[serde(default)]
    context: HashMap<String, String>,
}

async fn evaluate(Path(key): Path<String>, Json(req): Json<EvalRequest>) -> Result<Json<serde_json::Value>, FlagError> {
    let compiled: Arc<CompiledFlag> = match eval::lookup(&key) {
        Some(c) => c,
        None => {
            // Not cached yet (created on another instance): load it on one connection.
            let mut conn = db::pool().acquire().await?;
            let sql = format!("SELECT {FLAG_COLUMNS} FROM flags WHERE key = $1 AND NOT archived");
            let Some(flag) = sqlx::query_as::<_, Flag>(&sql).bind(&key).fetch_optional(&mut *conn).await? else {
                return Err(FlagError::NotFound(key));
            };
            let rules = flags::rules_for(&mut conn, flag.id).await?;
            Arc::new(CompiledFlag::new(flag, rules)?)
        }
    };
    let on = compiled.evaluate(&req.subject, &req.context);
    sqlx::query("UPDATE flag_stats SET evaluations = evaluations + 1 WHERE flag_id = $1")
        .bind(compiled.flag.id)
        .execute(db::pool())
        .await?;
    Ok(Json(json!({ "key": key, "on": on })))
}

async fn update_flag(headers: HeaderMap, Path(key): Path<String>, Json(input): Json<FlagInput>) -> Result<Json<Flag>, FlagError> {
    let mut tx = db::pool().begin().await?;
    let sql = format!("SELECT {FLAG_COLUMNS} FROM flags WHERE key = $1 FOR UPDATE");
    let before = sqlx::query_as::<_, Flag>(&sql).bind(&key).fetch_optional(&mut *tx).await?;
    let sql = format!(
        "INSERT INTO flags (key, enabled, rollout_pct) VALUES ($1, $2, $3) \
         ON CONFLICT (key) DO UPDATE SET enabled = $2, rollout_pct = $3 RETURNING {FLAG_COLUMNS}"
    );
    let after = sqlx::query_as::<_, Flag>(&sql).bind(&key).bind(input.enabled).bind(input.rollout_pct).fetch_one(&mut *tx).await?;
    {
        let mut sp = tx.begin().await?;
        flags::replace_rules(&mut sp, after.id, &input.rules).await?;
        sp.commit().await?;
    }
    // The audit database has its own pool: writing there while this transaction is open is fine.
    flags::record_audit(&actor(&headers), "update", &key, json!({ "before": before, "after": after })).await?; //~ guard_held_across_await
    // Subscribers are told on their own task; it must not hold up the commit.
    let notify_key = key.clone();
    tokio::spawn(async move {
        let res = sqlx::query("INSERT INTO notifications (subscriber_id, flag_key) SELECT id, $1 FROM subscribers")
            .bind(&notify_key)
            .execute(db::pool())
            .await;
        if let Err(e) = res { warn!(error = %e, key = %notify_key, "subscribers not notified"); }
    });
    tx.commit().await?;
    Ok(Json(after))
}

async fn copy_flag(headers: HeaderMap, Path((key, new_key)): Path<(String, String)>) -> Result<Json<Flag>, FlagError> {
    let mut conn = db::pool().acquire().await?;
    let sql = format!("SELECT {FLAG_COLUMNS} FROM flags WHERE key = $1");
    let Some(source) = sqlx::query_as::<_, Flag>(&sql).bind(&key).fetch_optional(&mut *conn).await? else {
        return Err(FlagError::NotFound(key));
    };
    let rules: Vec<Rule> = flags::rules_for(&mut conn, source.id).await?;
    drop(conn);

    if flags::get(&new_key).await?.is_some() {
        return Err(FlagError::Exists(new_key));
    }
    let input = FlagInput { enabled: false, rollout_pct: source.rollout_pct, rules };
    let Json(created) = update_flag(headers, Path(new_key), Json(input)).await?;
    Ok(Json(created))
}

async fn delete_flag(headers: HeaderMap, Path(key): Path<String>) -> Result<Json<Flag>, FlagError> {
    let mut tx = db::pool().begin().await?;
    let sql = format!("UPDATE flags SET archived = true WHERE key = $1 AND NOT archived RETURNING {FLAG_COLUMNS}");
    let Some(archived) = sqlx::query_as::<_, Flag>(&sql).bind(&key).fetch_optional(&mut *tx).await? else {
        return Err(FlagError::NotFound(key));
    };
    tx.commit().await?;

    eval::refresh().await?;
    flags::record_audit(&actor(&headers), "archive", &key, json!({ "flag": archived })).await?;
    Ok(Json(archived))
}
