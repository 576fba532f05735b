// Both paths take the primary first and the audit pool second: one order, no inversion.
// (The primary's transaction is held across the audit write, which uses another pool.)
use r2d2::Pool;
use r2d2_postgres::{postgres::NoTls, PostgresConnectionManager};

type Db = Pool<PostgresConnectionManager<NoTls>>;

pub struct Repos {
    pub primary: Db,
    pub audit: Db,
}

impl Repos {
    fn audit(&self, what: &str) -> anyhow::Result<()> {
        let mut c = self.audit.get()?;
        c.execute("INSERT INTO audit_log (what) VALUES ($1)", &[&what])?;
        Ok(())
    }

    pub fn delete_user(&self, id: i64) -> anyhow::Result<()> {
        let mut conn = self.primary.get()?;
        let mut tx = conn.transaction()?;
        tx.execute("DELETE FROM users WHERE id = $1", &[&id])?;
        self.audit("user deleted")?;
        tx.commit()?;
        Ok(())
    }

    pub fn rename_user(&self, id: i64, name: &str) -> anyhow::Result<()> {
        let mut conn = self.primary.get()?;
        conn.execute("UPDATE users SET name = $1 WHERE id = $2", &[&name, &id])?;
        self.audit("user renamed")?;
        Ok(())
    }

    pub fn purge_audit(&self) -> anyhow::Result<u64> {
        let mut c = self.audit.get()?;
        Ok(c.execute("DELETE FROM audit_log WHERE at < now() - interval '90 days'", &[])?)
    }
}
