use sqlx::PgPool;

use crate::buffers::BufferPool;
use crate::config::ConfigHandle;
use crate::ledger::Ledger;
use crate::ratelimit::TokenBucket;

pub struct Gateway {
    pub db: PgPool,
    pub config: ConfigHandle,
    pub limiter: TokenBucket,
    pub buffers: BufferPool,
    pub ledger: Ledger,
}

pub enum Outcome {
    Accepted(u64),
    RateLimited,
    UnknownSource,
}

impl Gateway {
    pub async fn ingest(&self, source: &str, events: &[wire::Event]) -> anyhow::Result<Outcome> {
        let mut tx = self.db.begin().await?;
        let known: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM sources WHERE name = $1)")
            .bind(source)
            .fetch_one(&mut *tx)
            .await?;

        let cfg = self.config.get();
        if !known && cfg.reject_unknown_sources {
            return Ok(Outcome::UnknownSource);
        }
        let Some(_token) = self.limiter.acquire() else {
            return Ok(Outcome::RateLimited);
        };

        let mut buf = self.buffers.get();
        let mut accepted = 0u64;
        for event in events.iter().take(cfg.max_batch) {
            buf.clear();
            event.encode_into(&mut buf);
            sqlx::query("INSERT INTO raw_events (source, body) VALUES ($1, $2)")
                .bind(source)
                .bind(&buf[..])
                .execute(&mut *tx)
                .await?;
            accepted += 1;
        }
        self.buffers.put(buf);

        let mut batch = self.ledger.begin();
        batch.add(source, accepted);
        drop(batch);

        tx.commit().await?;
        Ok(Outcome::Accepted(accepted))
    }
}

pub mod wire {
    pub struct Event {
        pub kind: String,
        pub payload: Vec<u8>,
    }

    impl Event {
        pub fn encode_into(&self, out: &mut Vec<u8>) {
            out.extend_from_slice(self.kind.as_bytes());
            out.push(0);
            out.extend_from_slice(&self.payload);
        }
    }
}
