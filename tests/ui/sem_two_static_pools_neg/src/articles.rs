use crate::db::{PRIMARY, REPLICA};

pub struct Related {
    pub id: i64,
    pub title: String,
}

pub fn record_view(article_id: i64, reader_id: Option<i64>) -> anyhow::Result<Vec<Related>> {
    let mut conn = PRIMARY.get()?;
    let mut tx = conn.transaction()?;
    tx.execute("UPDATE articles SET views = views + 1 WHERE id = $1", &[&article_id])?;
    if let Some(reader) = reader_id {
        tx.execute(
            "INSERT INTO reading_history (reader_id, article_id) VALUES ($1, $2)",
            &[&reader, &article_id],
        )?;
    }
    let related = related_articles(article_id)?;
    tx.commit()?;
    Ok(related)
}

fn related_articles(article_id: i64) -> anyhow::Result<Vec<Related>> {
    let mut conn = REPLICA.get()?;
    let rows = conn.query(
        "SELECT r.id, r.title FROM article_tags t JOIN article_tags o ON o.tag = t.tag AND o.article_id <> t.article_id \
         JOIN articles r ON r.id = o.article_id WHERE t.article_id = $1 GROUP BY r.id, r.title ORDER BY count(*) DESC LIMIT 5",
        &[&article_id],
    )?;
    Ok(rows
        .iter()
        .map(|r| Related {
            id: r.get(0),
            title: r.get(1),
        })
        .collect())
}
