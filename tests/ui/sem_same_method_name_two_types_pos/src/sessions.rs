use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Session {
    pub user_id: i64,
    pub issued: Instant,
}

/// In-process session cache, filled by the login endpoint.
#[derive(Default)]
pub struct SessionCache {
    entries: RwLock<HashMap<String, Session>>,
}

impl SessionCache {
    pub fn insert(&self, token: String, session: Session) {
        self.entries.write().unwrap().insert(token, session);
    }

    pub fn find(&self, token: &str) -> Option<Session> {
        let entries = self.entries.read().unwrap();
        entries
            .get(token)
            .filter(|s| s.issued.elapsed() < Duration::from_secs(3600))
            .cloned()
    }
}
