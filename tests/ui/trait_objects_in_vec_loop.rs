// Plugins kept as `Vec<Box<dyn Exporter>>` are called in a `for` loop while the export job
// holds a connection: the loop variable is a `dyn Exporter`, so the call reaches every workspace
// impl, and `AuditExporter` takes its own connection from the same pool.
use r2d2::Pool;
use r2d2_postgres::{postgres::NoTls, PostgresConnectionManager};

pub type PgPool = Pool<PostgresConnectionManager<NoTls>>;

pub trait Exporter: Send + Sync {
    fn export(&self, pool: &PgPool, rows: &[String]) -> anyhow::Result<()>;
}

pub struct CsvExporter;

impl Exporter for CsvExporter {
    fn export(&self, _pool: &PgPool, rows: &[String]) -> anyhow::Result<()> {
        std::fs::write("export.csv", rows.join("\n"))?;
        Ok(())
    }
}

pub struct AuditExporter;

impl Exporter for AuditExporter {
    fn export(&self, pool: &PgPool, rows: &[String]) -> anyhow::Result<()> {
        let mut conn = pool.get()?;
        conn.execute("INSERT INTO export_audit (row_count) VALUES ($1)", &[&(rows.len() as i64)])?;
        Ok(())
    }
}

pub struct ExportJob {
    pool: PgPool,
    exporters: Vec<Box<dyn Exporter>>,
}

impl ExportJob {
    pub fn run(&self) -> anyhow::Result<usize> {
        let mut conn = self.pool.get()?;
        let rows: Vec<String> = conn
            .query("SELECT payload FROM outbox ORDER BY id", &[])?
            .iter()
            .map(|r| r.get(0))
            .collect();
        for exporter in &self.exporters {
            exporter.export(&self.pool, &rows)?; //~ nested_checkout
        }
        conn.execute("DELETE FROM outbox", &[])?;
        Ok(rows.len())
    }
}
