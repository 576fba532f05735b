// A trait method called on `&dyn NoteRepo` stands for every impl: `PgNoteRepo::find` checks out from
// the static `DB` pool, and `share_note` calls it while holding a connection from `DB`.
use std::sync::LazyLock;

use r2d2::Pool;
use r2d2_postgres::{postgres::NoTls, PostgresConnectionManager};

static DB: LazyLock<Pool<PostgresConnectionManager<NoTls>>> = LazyLock::new(|| {
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    let manager = PostgresConnectionManager::new(url.parse().expect("database url"), NoTls);
    Pool::builder().max_size(10).build(manager).expect("postgres pool")
});

pub struct Note {
    pub id: i64,
    pub owner_id: i64,
    pub body: String,
}

pub trait NoteRepo: Send + Sync {
    fn find(&self, id: i64) -> anyhow::Result<Option<Note>>;
}

pub struct PgNoteRepo;

impl NoteRepo for PgNoteRepo {
    fn find(&self, id: i64) -> anyhow::Result<Option<Note>> {
        let mut conn = DB.get()?;
        let row = conn.query_opt("SELECT id, owner_id, body FROM notes WHERE id = $1", &[&id])?;
        Ok(row.map(|r| Note { id: r.get(0), owner_id: r.get(1), body: r.get(2) }))
    }
}

pub fn share_note(repo: &dyn NoteRepo, note_id: i64, with_user: i64) -> anyhow::Result<()> {
    let mut conn = DB.get()?;
    let mut tx = conn.transaction()?;
    let note = repo.find(note_id)?.ok_or_else(|| anyhow::anyhow!("note {note_id} not found"))?; //~ nested_checkout
    tx.execute(
        "INSERT INTO note_shares (note_id, owner_id, user_id) VALUES ($1, $2, $3)",
        &[&note.id, &note.owner_id, &with_user],
    )?;
    tx.commit()?;
    Ok(())
}
