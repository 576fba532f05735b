use std::collections::HashMap;
use std::sync::OnceLock;

use crate::error::MoveError;

/// A table pgmove knows how to copy: its name and an integer key to page and compare by.
#[derive(Debug)]
pub struct TableSpec {
    pub name: &'static str,
    pub key: &'static str,
}

impl TableSpec {
    /// Every row as one JSON document, in key order, after `$1` (NULL for the first page).
    pub fn page_sql(&self) -> String {
        format!(
            "SELECT {key}::bigint, row_to_json(t)::text FROM {name} t \
             WHERE $1::bigint IS NULL OR {key} > $1 ORDER BY {key} LIMIT $2",
            key = self.key,
            name = self.name
        )
    }

    pub fn all_sql(&self) -> String {
        format!("SELECT row_to_json(t)::text FROM {} t ORDER BY {}", self.name, self.key)
    }

    /// Inserts a JSON array of rows.
    pub fn insert_sql(&self) -> String {
        format!("INSERT INTO {0} SELECT * FROM json_populate_recordset(NULL::{0}, $1::json)", self.name)
    }

    pub fn by_key_sql(&self) -> String {
        format!("SELECT row_to_json(t)::text FROM {} t WHERE {} = $1", self.name, self.key)
    }
}

static KNOWN: &[TableSpec] = &[
    TableSpec { name: "customers", key: "id" },
    TableSpec { name: "addresses", key: "id" },
    TableSpec { name: "orders", key: "id" },
    TableSpec { name: "order_items", key: "id" },
];

static BY_NAME: OnceLock<HashMap<&'static str, &'static TableSpec>> = OnceLock::new();

fn by_name() -> &'static HashMap<&'static str, &'static TableSpec> {
    BY_NAME.get_or_init(|| KNOWN.iter().map(|t| (t.name, t)).collect())
}

/// The named tables in the order given, or every known table (in dependency order).
pub fn resolve(names: &[String]) -> Result<Vec<&'static TableSpec>, MoveError> {
    if names.is_empty() {
        return Ok(KNOWN.iter().collect());
    }
    names
        .iter()
        .map(|n| {
            by_name().get(n.as_str()).copied().ok_or_else(|| {
                let known = KNOWN.iter().map(|t| t.name).collect::<Vec<_>>().join(", ");
                MoveError::UnknownTable(n.clone(), known)
            })
        })
        .collect()
}
