use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

pub struct SignupRepo<'a> {
    conn: &'a mut PgConnection,
}

impl<'a> SignupRepo<'a> {
    pub fn new(conn: &'a mut PgConnection) -> Self {
        Self { conn }
    }

    pub async fn create_user(&mut self, email: &str) -> sqlx::Result<i64> {
        sqlx::query_scalar("INSERT INTO users (email) VALUES ($1) RETURNING id")
            .bind(email)
            .fetch_one(&mut *self.conn)
            .await
    }

    pub async fn create_verification(&mut self, user_id: i64, token: &str) -> sqlx::Result<()> {
        sqlx::query("INSERT INTO email_verifications (user_id, token) VALUES ($1, $2)")
            .bind(user_id)
            .bind(token)
            .execute(&mut *self.conn)
            .await?;
        Ok(())
    }
}

pub struct Mailer {
    pub http: reqwest::Client,
    pub api_url: String,
}

impl Mailer {
    pub async fn send_verification(&self, to: &str, token: &str) -> anyhow::Result<()> {
        let body = serde_json::json!({ "to": to, "template": "verify", "token": token });
        self.http
            .post(&self.api_url)
            .json(&body)
            .send()
            .await?
            .error_for_status()?;
        Ok(())
    }
}

pub async fn sign_up(db: &PgPool, mailer: &Mailer, email: &str) -> anyhow::Result<i64> {
    let mut tx = db.begin().await?;
    let mut repo = SignupRepo::new(&mut tx);
    let user_id = repo.create_user(email).await?;
    let token = Uuid::new_v4().simple().to_string();
    repo.create_verification(user_id, &token).await?;
    tx.commit().await?;

    mailer.send_verification(email, &token).await?;
    Ok(user_id)
}
