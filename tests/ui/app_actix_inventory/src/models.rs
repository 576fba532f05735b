use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::schema::{audit_log, items, suppliers};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Serialize)]
#[diesel(table_name = items)]
pub struct Item {
    pub id: i32,
    pub sku: String,
    pub name: String,
    pub quantity: i32,
    pub supplier_id: i32,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = suppliers)]
pub struct Supplier { pub id: i32, pub name: String, pub email: String, pub lead_time_days: i32 }

#[derive(Debug, Queryable, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub actor: String,
    pub action: String,
    pub item_id: i32,
    pub detail: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = audit_log)]
pub struct NewAuditEntry<'a> { pub actor: &'a str, pub action: &'a str, pub item_id: i32, pub detail: Option<String> }

#[derive(Debug, Deserialize)]
pub struct StockAdjustment { pub delta: i32, pub reason: Option<String> }

#[derive(Debug, Deserialize)]
pub struct Transfer { pub to_sku: String, pub quantity: i32 }

#[derive(Debug, Serialize)]
pub struct RestockLine {
    pub sku: String,
    pub on_hand: i32,
    pub supplier: String,
    pub supplier_email: String,
    pub lead_time_days: i32,
}
