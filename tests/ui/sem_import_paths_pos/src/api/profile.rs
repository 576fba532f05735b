use std::collections::HashMap;
use std::sync::RwLock;

use crate::db::users::{load_user as fetch_user, User};
use crate::db::Pool;

pub struct ProfileView {
    pub handle: String,
    pub avatar_url: String,
}

pub struct ProfileApi {
    pool: Pool,
    recent: RwLock<HashMap<i64, User>>,
}

mod cache {
    use std::collections::HashMap;
    use std::sync::RwLock;

    use crate::db::users::User;

    pub fn load_user(recent: &RwLock<HashMap<i64, User>>, id: i64) -> Option<User> {
        recent.read().ok()?.get(&id).cloned()
    }
}

impl ProfileApi {
    pub fn update_handle(&self, user_id: i64, handle: &str) -> anyhow::Result<ProfileView> {
        let mut conn = self.pool.get()?;
        conn.execute("UPDATE users SET handle = $2 WHERE id = $1", &[&user_id, &handle])?;

        let previous = cache::load_user(&self.recent, user_id);
        let user = fetch_user(&self.pool, user_id)?; //~ nested_checkout
        if previous.map(|p| p.handle) != Some(user.handle.clone()) {
            crate::db::record_event(&self.pool, user_id, "profile.handle_changed")?; //~ nested_checkout
        }
        let avatar_url = super::util::resolve_avatar_url(&self.pool, user_id)?; //~ nested_checkout

        if let Ok(mut recent) = self.recent.write() {
            recent.insert(user_id, user.clone());
        }
        Ok(ProfileView {
            handle: user.handle,
            avatar_url,
        })
    }
}
