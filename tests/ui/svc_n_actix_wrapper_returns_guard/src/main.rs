use actix_web::{get, post, web, App, HttpResponse, HttpServer, ResponseError};
use deadpool_postgres::{Client, Config, Pool, PoolError, Runtime};
use serde::{Deserialize, Serialize};
use tokio_postgres::{NoTls, Row};

#[derive(Debug, thiserror::Error)]
enum ApiError {
    #[error("database unavailable")]
    Pool(#[from] PoolError),
    #[error("query failed")]
    Pg(#[from] tokio_postgres::Error),
    #[error("not found")]
    NotFound,
}

impl ResponseError for ApiError {
    fn error_response(&self) -> HttpResponse {
        match self {
            ApiError::NotFound => HttpResponse::NotFound().finish(),
            ApiError::Pool(_) => HttpResponse::ServiceUnavailable().finish(),
            ApiError::Pg(_) => HttpResponse::InternalServerError().finish(),
        }
    }
}

#[derive(Deserialize)]
struct NewBookmark {
    url: String,
    title: String,
}

#[derive(Serialize)]
struct Bookmark {
    id: i64,
    url: String,
    title: String,
}

impl From<Row> for Bookmark {
    fn from(r: Row) -> Self {
        Bookmark { id: r.get("id"), url: r.get("url"), title: r.get("title") }
    }
}

struct Db {
    pool: Pool,
}

impl Db {
    async fn client(&self) -> Result<Client, ApiError> {
        let client = self.pool.get().await?;
        Ok(client)
    }

    async fn find_bookmark(&self, id: i64) -> Result<Option<Bookmark>, ApiError> {
        let client = self.client().await?;
        let row = client.query_opt("SELECT id, url, title FROM bookmarks WHERE id = $1", &[&id]).await?;
        Ok(row.map(Bookmark::from))
    }

    async fn insert_bookmark(&self, new: &NewBookmark) -> Result<i64, ApiError> {
        let client = self.client().await?;
        let row = client
            .query_one("INSERT INTO bookmarks (url, title) VALUES ($1, $2) RETURNING id", &[&new.url, &new.title])
            .await?;
        Ok(row.get(0))
    }
}

#[post("/bookmarks")]
async fn create(db: web::Data<Db>, body: web::Json<NewBookmark>) -> Result<HttpResponse, ApiError> {
    let id = db.insert_bookmark(&body).await?;
    let created = db.find_bookmark(id).await?.ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Created().json(created))
}

#[get("/bookmarks/{id}")]
async fn show(db: web::Data<Db>, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    let bookmark = db.find_bookmark(id.into_inner()).await?.ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(bookmark))
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let mut cfg = Config::new();
    cfg.url = std::env::var("DATABASE_URL").ok();
    let pool = cfg.create_pool(Some(Runtime::Tokio1), NoTls).expect("postgres pool"); //~ unbounded_checkout_wait
    let db = web::Data::new(Db { pool });
    HttpServer::new(move || App::new().app_data(db.clone()).service(create).service(show))
        .bind(("0.0.0.0", 8080))?
        .run()
        .await
}
