mod ledger;

use actix_web::{post, web, App, HttpResponse, HttpServer, Responder};
use ledger::{LedgerManager, LedgerPool};
use serde::Deserialize;

struct AppState {
    ledger: LedgerPool,
    service_name: String,
}

impl AppState {
    fn from_env() -> anyhow::Result<Self> {
        let addr = std::env::var("LEDGER_ADDR").unwrap_or_else(|_| "127.0.0.1:7400".into());
        Ok(AppState {
            ledger: LedgerPool::builder(LedgerManager { addr }) //~ unbounded_checkout_wait
                .max_size(16)
                .build()?,
            service_name: "billing-gateway".to_owned(),
        })
    }
}

#[derive(Deserialize)]
struct Charge {
    account: String,
    cents: i64,
}

#[post("/charges")]
async fn create_charge(state: web::Data<AppState>, body: web::Json<Charge>) -> impl Responder {
    let mut conn = match state.ledger.get().await {
        Ok(conn) => conn,
        Err(e) => return HttpResponse::ServiceUnavailable().body(e.to_string()),
    };
    match conn.post_entry(&body.account, body.cents).await {
        Ok(receipt) => HttpResponse::Created().body(receipt),
        Err(e) => HttpResponse::BadGateway().body(format!("{}: {e}", state.service_name)),
    }
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let state = web::Data::new(AppState::from_env()?);
    HttpServer::new(move || App::new().app_data(state.clone()).service(create_charge))
        .bind(("0.0.0.0", 8081))?
        .run()
        .await?;
    Ok(())
}
