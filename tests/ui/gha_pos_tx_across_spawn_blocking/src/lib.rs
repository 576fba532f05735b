use argon2::{
    password_hash::{rand_core::OsRng, PasswordHasher, SaltString},
    Argon2,
};
use serde::Deserialize;
use sqlx::PgPool;
use uuid::Uuid;

#[derive(Debug, Deserialize)]
pub struct RegistrationForm {
    pub email: String,
    pub display_name: String,
    pub password: String,
}

#[derive(Debug, thiserror::Error)]
pub enum RegistrationError {
    #[error("an account with this email already exists")]
    EmailTaken,
    #[error("password hashing failed")]
    Hashing,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

pub async fn register_user(pool: &PgPool, form: RegistrationForm) -> Result<Uuid, RegistrationError> {
    let mut tx = pool.begin().await?;

    let taken: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM users WHERE lower(email) = lower($1))",
    )
    .bind(&form.email)
    .fetch_one(&mut *tx)
    .await?;
    if taken {
        return Err(RegistrationError::EmailTaken);
    }

    let password = form.password.clone();
    let password_hash = tokio::task::spawn_blocking(move || { //~ guard_held_across_await
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
    })
    .await
    .map_err(|_| RegistrationError::Hashing)?
    .map_err(|_| RegistrationError::Hashing)?;

    let user_id: Uuid = sqlx::query_scalar(
        "INSERT INTO users (email, display_name, password_hash) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(&form.email)
    .bind(&form.display_name)
    .bind(&password_hash)
    .fetch_one(&mut *tx)
    .await?;

    sqlx::query("INSERT INTO user_settings (user_id) VALUES ($1)")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;

    tx.commit().await?;
    Ok(user_id)
}
