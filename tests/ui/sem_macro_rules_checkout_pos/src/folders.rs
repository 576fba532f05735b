use crate::{DbPool, StoreError};

pub struct FolderStore {
    pool: DbPool,
}

impl FolderStore {
    pub fn new(pool: DbPool) -> Self {
        Self { pool }
    }

    pub fn path_of(&self, folder_id: i64) -> Result<String, StoreError> {
        let path = with_conn!(self.pool, |c| c.query_one("SELECT path FROM folder_paths WHERE id = $1", &[&folder_id])?.get::<_, String>(0));
        Ok(path)
    }

    pub fn rename(&self, folder_id: i64, name: &str) -> Result<String, StoreError> {
        let mut conn = self.pool.get().map_err(StoreError::Pool)?;
        let mut tx = conn.transaction()?;
        tx.execute("UPDATE folders SET name = $2 WHERE id = $1", &[&folder_id, &name])?;
        let parent_path = with_conn!(self.pool, |c| c.query_one("SELECT p.path FROM folder_paths p JOIN folders f ON f.parent_id = p.id WHERE f.id = $1", &[&folder_id])?.get::<_, String>(0)); //~ nested_checkout
        let new_path = format!("{parent_path}/{name}");
        tx.execute("UPDATE folder_paths SET path = $2 WHERE id = $1", &[&folder_id, &new_path])?;
        tx.commit()?;
        Ok(new_path)
    }
}
