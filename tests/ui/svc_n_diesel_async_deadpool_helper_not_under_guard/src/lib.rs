use diesel::prelude::*;
use diesel_async::pooled_connection::deadpool::{Pool, PoolError};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

mod schema {
    diesel::table! {
        comments (id) {
            id -> Int4,
            post_id -> Int4,
            author_id -> Int4,
            body -> Text,
        }
    }
}

use schema::comments;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Pool(#[from] PoolError),
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = comments)]
pub struct Comment {
    pub id: i32,
    pub post_id: i32,
    pub author_id: i32,
    pub body: String,
}

pub struct CommentView {
    pub comment: Comment,
    pub total_on_post: i64,
}

pub struct CommentService {
    pool: Pool<AsyncPgConnection>,
}

impl CommentService {
    pub async fn comment_count(&self, post_id: i32) -> Result<i64, Error> {
        let mut conn = self.pool.get().await?;
        let n = comments::table
            .filter(comments::post_id.eq(post_id))
            .count()
            .get_result(&mut conn)
            .await?;
        Ok(n)
    }

    pub async fn add_comment(&self, post_id: i32, author_id: i32, body: &str) -> Result<CommentView, Error> {
        let comment = {
            let mut conn = self.pool.get().await?;
            let inserted: Comment = diesel::insert_into(comments::table)
                .values((
                    comments::post_id.eq(post_id),
                    comments::author_id.eq(author_id),
                    comments::body.eq(body),
                ))
                .returning(Comment::as_returning())
                .get_result(&mut conn)
                .await?;
            inserted
        };
        let total_on_post = self.comment_count(post_id).await?;
        Ok(CommentView { comment, total_on_post })
    }

    pub async fn delete_comment(&self, id: i32, author_id: i32) -> Result<bool, Error> {
        let mut conn = self.pool.get().await?;
        let n = diesel::delete(
            comments::table.filter(comments::id.eq(id)).filter(comments::author_id.eq(author_id)),
        )
        .execute(&mut conn)
        .await?;
        Ok(n == 1)
    }
}
