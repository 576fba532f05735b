use diesel::prelude::*;
use diesel_async::pooled_connection::mobc::Pool;
use diesel_async::pooled_connection::PoolError;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use scoped_futures::ScopedFutureExt;

mod schema {
    diesel::table! {
        polls (id) {
            id -> Int4,
            closed -> Bool,
        }
    }
    diesel::table! {
        votes (id) {
            id -> Int4,
            poll_id -> Int4,
            option_id -> Int4,
        }
    }
    diesel::table! {
        poll_results (poll_id, option_id) {
            poll_id -> Int4,
            option_id -> Int4,
            votes -> Int8,
        }
    }
}

use schema::{poll_results, polls, votes};

#[derive(Debug, thiserror::Error)]
pub enum PollError {
    #[error(transparent)]
    Pool(#[from] mobc::Error<PoolError>),
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

async fn tally_votes(c: &mut AsyncPgConnection, poll_id: i32) -> QueryResult<Vec<(i32, i64)>> {
    votes::table
        .filter(votes::poll_id.eq(poll_id))
        .group_by(votes::option_id)
        .select((votes::option_id, diesel::dsl::count_star()))
        .load(c)
        .await
}

/// Closes a poll and freezes its results, atomically.
pub async fn close_poll(pool: &Pool<AsyncPgConnection>, poll_id: i32) -> Result<Vec<(i32, i64)>, PollError> {
    let mut conn = pool.get().await?;
    let tally = conn
        .transaction::<_, diesel::result::Error, _>(|c| {
            async move {
                diesel::update(polls::table.find(poll_id))
                    .set(polls::closed.eq(true))
                    .execute(c)
                    .await?;
                let tally = tally_votes(c, poll_id).await?;
                let rows: Vec<_> = tally
                    .iter()
                    .map(|(option, n)| {
                        (poll_results::poll_id.eq(poll_id), poll_results::option_id.eq(*option), poll_results::votes.eq(*n))
                    })
                    .collect();
                diesel::insert_into(poll_results::table).values(rows).execute(c).await?;
                Ok(tally)
            }
            .scope_boxed()
        })
        .await?;
    Ok(tally)
}
