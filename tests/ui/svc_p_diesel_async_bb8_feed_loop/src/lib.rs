use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::pooled_connection::bb8::{Pool, RunError};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;

mod schema {
    diesel::table! {
        posts (id) {
            id -> Int4,
            author_id -> Int4,
            body -> Text,
            created_at -> Timestamp,
        }
    }
    diesel::table! {
        follows (follower_id, followee_id) {
            follower_id -> Int4,
            followee_id -> Int4,
        }
    }
    diesel::table! {
        users (id) {
            id -> Int4,
            display_name -> Text,
        }
    }
    diesel::joinable!(posts -> users (author_id));
    diesel::allow_tables_to_appear_in_same_query!(posts, follows, users);
}

use schema::{follows, posts, users};

#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error("pool: {0}")]
    Pool(#[from] RunError),
    #[error("query: {0}")]
    Query(#[from] diesel::result::Error),
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = posts)]
struct Post {
    id: i32,
    author_id: i32,
    body: String,
    created_at: NaiveDateTime,
}

#[derive(Serialize)]
pub struct FeedItem {
    pub post_id: i32,
    pub author: String,
    pub body: String,
    pub created_at: NaiveDateTime,
}

pub struct FeedService {
    pool: Pool<AsyncPgConnection>,
}

impl FeedService {
    async fn author_name(&self, author_id: i32) -> Result<String, FeedError> {
        let mut conn = self.pool.get().await?;
        let name = users::table
            .find(author_id)
            .select(users::display_name)
            .first::<String>(&mut conn)
            .await?;
        Ok(name)
    }

    pub async fn home_feed(&self, user_id: i32, limit: i64) -> Result<Vec<FeedItem>, FeedError> {
        let mut conn = self.pool.get().await?;
        let rows: Vec<Post> = posts::table
            .inner_join(follows::table.on(follows::followee_id.eq(posts::author_id)))
            .filter(follows::follower_id.eq(user_id))
            .select(Post::as_select())
            .order(posts::created_at.desc())
            .limit(limit)
            .load(&mut conn)
            .await?;

        let mut items = Vec::with_capacity(rows.len());
        for post in rows {
            let author = self.author_name(post.author_id).await?; //~ nested_checkout
            items.push(FeedItem {
                post_id: post.id,
                author,
                body: post.body,
                created_at: post.created_at,
            });
        }
        Ok(items)
    }
}
