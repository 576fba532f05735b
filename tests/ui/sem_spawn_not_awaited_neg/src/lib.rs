use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
}

#[derive(Deserialize)]
pub struct Signup {
    pub email: String,
    pub display_name: String,
    pub referral_code: Option<String>,
}

#[derive(Serialize)]
pub struct SignedUp {
    pub user_id: Uuid,
}

fn internal(e: sqlx::Error) -> StatusCode {
    tracing::error!("signup failed: {e}");
    StatusCode::INTERNAL_SERVER_ERROR
}

pub async fn signup(State(state): State<AppState>, Json(form): Json<Signup>) -> Result<Json<SignedUp>, StatusCode> {
    let mut tx = state.db.begin().await.map_err(internal)?;
    let user_id = Uuid::new_v4();
    sqlx::query("INSERT INTO users (id, email, display_name) VALUES ($1, $2, $3)")
        .bind(user_id)
        .bind(&form.email)
        .bind(&form.display_name)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;

    let db = state.db.clone();
    tokio::spawn(async move {
        if let Err(e) = queue_welcome_email(&db, user_id).await {
            tracing::warn!("welcome email for {user_id} not queued: {e}");
        }
    });

    if let Some(code) = form.referral_code.clone() {
        let _credit_task = tokio::spawn(credit_referrer(state.db.clone(), code, user_id));
    }

    tx.commit().await.map_err(internal)?;
    Ok(Json(SignedUp { user_id }))
}

async fn queue_welcome_email(db: &PgPool, user_id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO email_queue (user_id, template) VALUES ($1, 'welcome')")
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(())
}

async fn credit_referrer(db: PgPool, code: String, new_user: Uuid) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE users SET referral_credits = referral_credits + 1 WHERE referral_code = $1")
        .bind(&code)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO referrals (code, new_user_id) VALUES ($1, $2)")
        .bind(&code)
        .bind(new_user)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}
