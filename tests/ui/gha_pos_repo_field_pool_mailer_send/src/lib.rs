use std::sync::Arc;

use async_trait::async_trait;
use sqlx::PgPool;
use uuid::Uuid;

pub struct OutgoingEmail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

#[async_trait]
pub trait Mailer: Send + Sync {
    async fn send(&self, email: OutgoingEmail) -> Result<(), InviteError>;
}

#[derive(Debug, thiserror::Error)]
pub enum InviteError {
    #[error("organization has no free seats")]
    NoSeats,
    #[error("mail delivery failed: {0}")]
    Mail(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

pub struct InvitationRepository {
    db: PgPool,
    mailer: Arc<dyn Mailer>,
    app_url: String,
}

impl InvitationRepository {
    pub async fn invite_member(&self, org_id: Uuid, invited_by: Uuid, email: &str) -> Result<Uuid, InviteError> {
        let mut tx = self.db.begin().await?;

        let free_seats: i64 = sqlx::query_scalar(
            "SELECT seat_limit - (SELECT count(*) FROM memberships WHERE org_id = $1) \
             FROM organizations WHERE id = $1 FOR UPDATE",
        )
        .bind(org_id)
        .fetch_one(&mut *tx)
        .await?;
        if free_seats <= 0 {
            return Err(InviteError::NoSeats);
        }

        let (invitation_id, token): (Uuid, String) = sqlx::query_as(
            "INSERT INTO invitations (org_id, invited_by, email) VALUES ($1, $2, $3) RETURNING id, token",
        )
        .bind(org_id)
        .bind(invited_by)
        .bind(email)
        .fetch_one(&mut *tx)
        .await?;

        self.mailer.send(OutgoingEmail { //~ guard_held_across_await
            to: email.to_owned(),
            subject: "You have been invited".into(),
            body: format!("Accept your invitation: {}/invitations/{}", self.app_url, token),
        })
        .await?;

        sqlx::query("UPDATE invitations SET sent_at = now() WHERE id = $1")
            .bind(invitation_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;

        Ok(invitation_id)
    }
}
