use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Extension;
use serde_json::json;

use crate::{notifications, AppError, AppState, CurrentUser};

pub async fn accept_invite(
    State(state): State<Arc<AppState>>,
    Extension(user): Extension<CurrentUser>,
    Path(code): Path<String>,
) -> Result<StatusCode, AppError> {
    let mut tx = state.pg.begin().await?;

    let invite = sqlx::query!(
        "SELECT id, team_id, inviter_id FROM invites WHERE code = $1 AND accepted_at IS NULL FOR UPDATE",
        code
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;

    sqlx::query!(
        "INSERT INTO team_members (team_id, user_id, role) VALUES ($1, $2, 'member')",
        invite.team_id,
        user.id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!("UPDATE invites SET accepted_at = now() WHERE id = $1", invite.id)
        .execute(&mut *tx)
        .await?;

    let payload = json!({ "team_id": invite.team_id, "member_id": user.id, "url": state.public_url });
    notifications::enqueue(&state, invite.inviter_id, "invite_accepted", payload).await?; //~ nested_checkout

    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
