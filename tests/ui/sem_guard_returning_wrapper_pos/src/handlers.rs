use actix_web::{get, web, HttpRequest, HttpResponse};
use deadpool_postgres::Pool;
use serde::Serialize;

use crate::db::{self, DbError};
use crate::acl;

#[derive(Serialize)]
pub struct DocumentSummary {
    pub id: i64,
    pub title: String,
}

fn user_id(req: &HttpRequest) -> i64 {
    req.headers()
        .get("x-user-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

#[get("/t/{tenant}/folders/{folder_id}/documents")]
pub async fn list_documents(
    req: HttpRequest,
    pool: web::Data<Pool>,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, DbError> {
    let (tenant, folder_id) = path.into_inner();
    let client = db::tenant_client(&pool, &tenant).await?;
    let rows = client
        .query("SELECT id, title FROM documents WHERE folder_id = $1 ORDER BY title", &[&folder_id])
        .await?;

    if !acl::can_read(&pool, user_id(&req), folder_id).await? { //~ nested_checkout
        return Err(DbError::Forbidden);
    }

    let docs: Vec<DocumentSummary> = rows
        .iter()
        .map(|r| DocumentSummary {
            id: r.get(0),
            title: r.get(1),
        })
        .collect();
    Ok(HttpResponse::Ok().json(docs))
}
