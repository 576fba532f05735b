use crate::db::DB;
use crate::sessions::SessionCache;
use crate::users::{User, UserStore};

pub struct AuthService {
    sessions: SessionCache,
    users: UserStore,
}

impl AuthService {
    pub fn new() -> Self {
        Self {
            sessions: SessionCache::default(),
            users: UserStore,
        }
    }

    pub fn authenticate(&self, token: &str, ip: &str) -> anyhow::Result<Option<User>> {
        let token_prefix = &token[..token.len().min(8)];
        let mut conn = DB.get()?;
        conn.execute(
            "INSERT INTO auth_attempts (token_prefix, ip) VALUES ($1, $2)",
            &[&token_prefix, &ip],
        )?;

        let Some(session) = self.sessions.find(token) else {
            return Ok(None);
        };
        let user = self.users.find(session.user_id)?; //~ nested_checkout
        Ok(user.filter(|u| !u.disabled))
    }
}
