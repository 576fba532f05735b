use actix_web::{error, web, HttpResponse};
use deadpool_postgres::Pool;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
}

fn verify_password(hash: &str, password: &str) -> bool {
    argon2::verify_encoded(hash, password.as_bytes()).unwrap_or(false)
}

pub async fn login(
    pool: web::Data<Pool>,
    form: web::Json<LoginForm>,
) -> actix_web::Result<HttpResponse> {
    let form = form.into_inner();
    let client = pool.get().await.map_err(error::ErrorServiceUnavailable)?;
    let stmt = client
        .prepare_cached("SELECT id, password_hash FROM users WHERE email = $1")
        .await
        .map_err(error::ErrorInternalServerError)?;
    let row = match client
        .query_opt(&stmt, &[&form.email])
        .await
        .map_err(error::ErrorInternalServerError)?
    {
        Some(row) => row,
        None => return Ok(HttpResponse::Unauthorized().finish()),
    };
    let user_id: i64 = row.get("id");
    let hash: String = row.get("password_hash");

    let password = form.password;
    let valid = web::block(move || verify_password(&hash, &password)) //~ guard_held_across_await
        .await
        .map_err(error::ErrorInternalServerError)?;
    if !valid {
        return Ok(HttpResponse::Unauthorized().finish());
    }

    client
        .execute(
            "UPDATE users SET last_login_at = now() WHERE id = $1",
            &[&user_id],
        )
        .await
        .map_err(error::ErrorInternalServerError)?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "user_id": user_id })))
}
