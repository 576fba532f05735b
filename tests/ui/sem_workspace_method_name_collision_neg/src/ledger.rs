use std::sync::{Mutex, MutexGuard};

#[derive(Debug, Clone)]
pub struct Entry {
    pub source: String,
    pub events: u64,
}

/// In-memory tally flushed to the database by a background task.
#[derive(Default)]
pub struct Ledger {
    entries: Mutex<Vec<Entry>>,
}

pub struct LedgerBatch<'a> {
    entries: MutexGuard<'a, Vec<Entry>>,
}

impl Ledger {
    pub fn begin(&self) -> LedgerBatch<'_> {
        LedgerBatch {
            entries: self.entries.lock().unwrap(),
        }
    }
}

impl LedgerBatch<'_> {
    pub fn add(&mut self, source: &str, events: u64) {
        self.entries.push(Entry {
            source: source.to_string(),
            events,
        });
    }
}
