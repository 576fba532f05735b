use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};
use deadpool_diesel::postgres::{InteractError, Pool, PoolError};
use diesel::prelude::*;
use serde::Serialize;

mod schema {
    diesel::table! {
        orgs (id) {
            id -> Int4,
            name -> Text,
            plan -> Text,
        }
    }
    diesel::table! {
        org_flags (org_id, flag) {
            org_id -> Int4,
            flag -> Text,
        }
    }
    diesel::table! {
        memberships (org_id, user_id) {
            org_id -> Int4,
            user_id -> Int4,
        }
    }
}

use schema::{memberships, org_flags, orgs};

pub enum ApiError {
    Pool(PoolError),
    Interact(InteractError),
    Query(diesel::result::Error),
}

impl From<PoolError> for ApiError {
    fn from(e: PoolError) -> Self { ApiError::Pool(e) }
}
impl From<InteractError> for ApiError {
    fn from(e: InteractError) -> Self { ApiError::Interact(e) }
}
impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self { ApiError::Query(e) }
}
impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::Query(diesel::result::Error::NotFound) => StatusCode::NOT_FOUND.into_response(),
            ApiError::Pool(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
            _ => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        }
    }
}

#[derive(Queryable, Serialize)]
pub struct Org {
    id: i32,
    name: String,
    plan: String,
}

#[derive(Serialize)]
pub struct OrgSettings {
    org: Org,
    flags: Vec<String>,
    members: i64,
}

async fn feature_flags(pool: &Pool, org_id: i32) -> Result<Vec<String>, ApiError> {
    let conn = pool.get().await?;
    let flags = conn
        .interact(move |c| org_flags::table.filter(org_flags::org_id.eq(org_id)).select(org_flags::flag).load::<String>(c))
        .await??;
    Ok(flags)
}

pub async fn org_settings(pool: &Pool, org_id: i32) -> Result<OrgSettings, ApiError> {
    let conn = pool.get().await?;
    let org: Org = conn.interact(move |c| orgs::table.find(org_id).first::<Org>(c)).await??;

    let flags = feature_flags(pool, org_id).await?; //~ nested_checkout

    let members = conn
        .interact(move |c| memberships::table.filter(memberships::org_id.eq(org_id)).count().get_result::<i64>(c))
        .await??;
    Ok(OrgSettings { org, flags, members })
}

pub async fn get_org_settings(
    State(pool): State<Pool>,
    Path(org_id): Path<i32>,
) -> Result<Json<OrgSettings>, ApiError> {
    Ok(Json(org_settings(&pool, org_id).await?))
}
