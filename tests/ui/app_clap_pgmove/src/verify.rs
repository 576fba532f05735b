use sqlx::PgPool;

use crate::error::MoveError;
use crate::pools::{count_rows, Pools};
use crate::tables::TableSpec;

const SAMPLE: i64 = 200;

pub struct TableReport {
    pub table: &'static str,
    pub source_rows: i64,
    pub target_rows: i64,
    pub mismatched: Vec<i64>,
}

impl TableReport {
    pub fn ok(&self) -> bool {
        self.source_rows == self.target_rows && self.mismatched.is_empty()
    }
}

pub async fn verify(pools: &Pools, specs: &[&'static TableSpec]) -> Result<Vec<TableReport>, MoveError> {
    let mut reports = Vec::with_capacity(specs.len());
    for spec in specs {
        let (source_rows, target_rows) =
            tokio::try_join!(count_rows(&pools.source, spec.name), count_rows(&pools.target, spec.name))?;
        let mismatched = if source_rows == target_rows {
            sample_diff(&pools.source, &pools.target, spec).await?
        } else {
            Vec::new()
        };
        reports.push(TableReport { table: spec.name, source_rows, target_rows, mismatched });
    }
    Ok(reports)
}

/// Keys of sampled source rows whose target row differs or is missing.
async fn sample_diff(source: &PgPool, target: &PgPool, spec: &TableSpec) -> Result<Vec<i64>, MoveError> {
    let mut src = source.acquire().await?;
    let sql = format!(
        "SELECT {key}::bigint, row_to_json(t)::text FROM {name} t TABLESAMPLE SYSTEM (1) LIMIT $1",
        key = spec.key,
        name = spec.name
    );
    let sample: Vec<(i64, String)> = sqlx::query_as(&sql).bind(SAMPLE).fetch_all(&mut *src).await?;
    let mut differing = Vec::new();
    for (key, doc) in sample {
        let theirs: Option<String> = sqlx::query_scalar(&spec.by_key_sql()).bind(key).fetch_optional(target).await?; //~ guard_held_across_await
        if theirs.as_deref() != Some(doc.as_str()) {
            differing.push(key);
        }
    }
    Ok(differing)
}
