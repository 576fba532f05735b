mod report;

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use r2d2_sqlite::SqliteConnectionManager;

pub type DbPool = r2d2::Pool<SqliteConnectionManager>;

pub enum AppError {
    NotFound,
    Internal(String),
}

impl<E: std::fmt::Display> From<E> for AppError {
    fn from(e: E) -> Self {
        AppError::Internal(e.to_string())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND.into_response(),
            AppError::Internal(msg) => (StatusCode::INTERNAL_SERVER_ERROR, msg).into_response(),
        }
    }
}

async fn download_statement(State(pool): State<DbPool>, Path(id): Path<i64>) -> Result<Response, AppError> {
    let conn = pool.get()?;
    let status: Option<String> = conn
        .query_row("SELECT status FROM statements WHERE id = ?1", [id], |r| r.get(0))
        .ok();
    let Some(status) = status else {
        return Err(AppError::NotFound);
    };
    if status != "closed" {
        return Err(AppError::Internal(format!("statement {id} is still {status}")));
    }

    let pool2 = pool.clone();
    let csv = tokio::task::spawn_blocking(move || report::render_csv(&pool2, id)).await??; //~ nested_checkout

    conn.execute("UPDATE statements SET downloads = downloads + 1 WHERE id = ?1", [id])?;
    Ok(([(header::CONTENT_TYPE, "text/csv")], csv).into_response())
}

#[tokio::main]
async fn main() {
    let pool = r2d2::Pool::new(SqliteConnectionManager::file("statements.db")).expect("sqlite pool");
    let app = Router::new()
        .route("/statements/{id}.csv", get(download_statement))
        .with_state(pool);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await.expect("bind");
    axum::serve(listener, app).await.expect("server");
}
