// `std::thread::scope` joins its threads before it returns, so they run while `conn` is held: each
// spawned `record_thumbnail(pool, ..)` checks out again from the same r2d2 pool.
use r2d2::Pool;
use r2d2_postgres::{postgres::NoTls, PostgresConnectionManager};

pub type DbPool = Pool<PostgresConnectionManager<NoTls>>;

pub struct Upload {
    pub id: i64,
    pub path: std::path::PathBuf,
}

fn record_thumbnail(pool: &DbPool, upload: &Upload) -> anyhow::Result<()> {
    let img = image::open(&upload.path)?;
    let thumb_path = upload.path.with_extension("thumb.jpg");
    img.thumbnail(256, 256).save(&thumb_path)?;
    let mut conn = pool.get()?;
    conn.execute(
        "UPDATE uploads SET thumbnail_path = $2 WHERE id = $1",
        &[&upload.id, &thumb_path.to_string_lossy().as_ref()],
    )?;
    Ok(())
}

pub fn process_batch(pool: &DbPool, batch_id: i64, uploads: &[Upload]) -> anyhow::Result<()> {
    let mut conn = pool.get()?;
    conn.execute("UPDATE upload_batches SET state = 'processing' WHERE id = $1", &[&batch_id])?;
    std::thread::scope(|s| {
        for upload in uploads {
            s.spawn(move || record_thumbnail(pool, upload)); //~ nested_checkout
        }
    });
    conn.execute("UPDATE upload_batches SET state = 'done' WHERE id = $1", &[&batch_id])?;
    Ok(())
}
