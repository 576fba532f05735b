use std::sync::Arc;

use axum::extract::State;
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::error::StoreError;
use crate::store::{SessionId, SessionStore};

type Store = Arc<SessionStore>;

const COOKIE_NAME: &str = "sid";

pub fn router(store: Store) -> Router {
    Router::new()
        .route("/login", post(login))
        .route("/logout", post(logout))
        .route("/logout/everywhere", post(logout_everywhere))
        .route("/me", get(me))
        .route("/health", get(health))
        .with_state(store)
}

fn session_id(headers: &HeaderMap) -> Option<SessionId> {
    let cookies = headers.get(COOKIE)?.to_str().ok()?;
    cookies
        .split(';')
        .filter_map(|c| c.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| SessionId(value.to_owned()))
}

fn set_cookie(id: &SessionId) -> HeaderValue {
    HeaderValue::from_str(&format!("{COOKIE_NAME}={}; HttpOnly; Secure; SameSite=Lax; Path=/", id.0))
        .expect("session ids are ascii")
}

#[derive(Deserialize)]
struct Login {
    user_id: i64,
}

async fn login(State(store): State<Store>, Json(body): Json<Login>) -> Result<Response, StoreError> {
    let session = store.create(body.user_id).await?;
    Ok(([(SET_COOKIE, set_cookie(&session.id))], Json(json!({ "user_id": session.user_id }))).into_response())
}

async fn me(State(store): State<Store>, headers: HeaderMap) -> Result<Json<serde_json::Value>, StoreError> {
    let id = session_id(&headers).ok_or(StoreError::Unauthenticated)?;
    let session = store.load_and_touch(&id).await?.ok_or(StoreError::NotFound)?;
    Ok(Json(json!({ "user_id": session.user_id, "since": session.created_at, "data": session.data })))
}

async fn logout(State(store): State<Store>, headers: HeaderMap) -> Result<&'static str, StoreError> {
    let Some(id) = session_id(&headers) else {
        return Ok("not signed in");
    };
    store.destroy(&id).await?;
    Ok("signed out")
}

async fn logout_everywhere(State(store): State<Store>, headers: HeaderMap) -> Result<Json<serde_json::Value>, StoreError> {
    let id = session_id(&headers).ok_or(StoreError::Unauthenticated)?;
    let session = store.load(&id).await?.ok_or(StoreError::NotFound)?;
    let n = store.destroy_all_for_user(session.user_id).await?;
    let pruned = store.prune_index(session.user_id).await?;
    Ok(Json(json!({ "destroyed": n, "pruned": pruned })))
}

async fn health(State(store): State<Store>) -> Json<serde_json::Value> {
    let s = store.pool_state().await;
    Json(json!({ "open": s.connections, "in_use": s.in_use, "idle": s.idle }))
}
