use r2d2_sqlite::rusqlite;

use crate::DbPool;

#[derive(Debug)]
pub enum ReportError {
    Pool(r2d2::Error),
    Sqlite(rusqlite::Error),
}

impl std::fmt::Display for ReportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReportError::Pool(e) => write!(f, "pool: {e}"),
            ReportError::Sqlite(e) => write!(f, "sqlite: {e}"),
        }
    }
}

/// Renders the statement's transactions as CSV (blocking: runs on the blocking pool).
pub fn render_csv(pool: &DbPool, statement_id: i64) -> Result<String, ReportError> {
    let conn = pool.get().map_err(ReportError::Pool)?;
    let mut stmt = conn
        .prepare("SELECT booked_on, description, amount_cents FROM transactions WHERE statement_id = ?1 ORDER BY booked_on")
        .map_err(ReportError::Sqlite)?;
    let mut out = String::from("date,description,amount\n");
    let rows = stmt
        .query_map([statement_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?))
        })
        .map_err(ReportError::Sqlite)?;
    for row in rows {
        let (date, desc, cents) = row.map_err(ReportError::Sqlite)?;
        out.push_str(&format!("{date},\"{}\",{:.2}\n", desc.replace('"', "\"\""), cents as f64 / 100.0));
    }
    Ok(out)
}
