//! Listens for session revocations published by other services.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use tokio::task::JoinHandle;
use tracing::{info, warn};

use crate::error::StoreError;
use crate::store::{RedisPool, SessionId, SessionStore};

pub fn spawn_revocation_listener(store: Arc<SessionStore>, pool: RedisPool, channel: String) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match listen(&store, &pool, &channel).await {
                Ok(()) => info!(%channel, "revocation stream ended; resubscribing"),
                Err(e) => warn!(error = %e, %channel, "revocation listener failed; retrying"),
            }
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
    })
}

async fn listen(store: &SessionStore, pool: &RedisPool, channel: &str) -> Result<(), StoreError> {
    // A subscribed connection can never go back to the pool: take it out for good.
    // `into_inner` releases the pool slot and leaves a plain redis connection.
    let raw = pool.get().await?.into_inner();
    let mut pubsub = raw.into_pubsub();
    pubsub.subscribe(channel).await?;
    let mut messages = pubsub.on_message();
    while let Some(msg) = messages.next().await {
        let payload: String = match msg.get_payload() {
            Ok(p) => p,
            Err(e) => {
                warn!(error = %e, "unreadable revocation message");
                continue;
            }
        };
        let id = SessionId(payload);
        if store.destroy(&id).await? {
            info!(session = %id.0, "session revoked");
        }
    }
    Ok(())
}
