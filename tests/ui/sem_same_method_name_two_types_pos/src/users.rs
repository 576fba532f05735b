use crate::db::DB;

#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub disabled: bool,
}

pub struct UserStore;

impl UserStore {
    pub fn find(&self, id: i64) -> anyhow::Result<Option<User>> {
        let mut conn = DB.get()?;
        let row = conn.query_opt("SELECT id, email, disabled FROM users WHERE id = $1", &[&id])?;
        Ok(row.map(|r| User {
            id: r.get(0),
            email: r.get(1),
            disabled: r.get(2),
        }))
    }
}
