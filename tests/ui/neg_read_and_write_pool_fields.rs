// Negative: two fields of one struct are two pools. `publish` holds a connection from `write_pool`
// and calls `self.slug_taken(..)`, which checks out from `read_pool` (the replica): no nesting.
use r2d2::Pool;
use r2d2_postgres::{postgres::NoTls, PostgresConnectionManager};

pub type DbPool = Pool<PostgresConnectionManager<NoTls>>;

pub struct ArticleStore {
    read_pool: DbPool,
    write_pool: DbPool,
}

impl ArticleStore {
    pub fn new(read_pool: DbPool, write_pool: DbPool) -> Self {
        Self { read_pool, write_pool }
    }

    fn slug_taken(&self, slug: &str) -> anyhow::Result<bool> {
        let mut conn = self.read_pool.get()?;
        let row = conn.query_one("SELECT exists(SELECT 1 FROM articles WHERE slug = $1)", &[&slug])?;
        Ok(row.get(0))
    }

    pub fn publish(&self, draft_id: i64, slug: &str) -> anyhow::Result<bool> {
        let mut conn = self.write_pool.get()?;
        let mut tx = conn.transaction()?;
        tx.execute("SELECT 1 FROM drafts WHERE id = $1 FOR UPDATE", &[&draft_id])?;
        if self.slug_taken(slug)? {
            return Ok(false);
        }
        tx.execute(
            "INSERT INTO articles (slug, title, body) SELECT $2, title, body FROM drafts WHERE id = $1",
            &[&draft_id, &slug],
        )?;
        tx.execute("DELETE FROM drafts WHERE id = $1", &[&draft_id])?;
        tx.commit()?;
        Ok(true)
    }
}
