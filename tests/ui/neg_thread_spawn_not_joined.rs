// Negative: `std::thread::spawn` without `join` does not run under this function's guard: the
// thumbnail thread checks out on its own, and `upload_photo` never waits for it.
use r2d2::Pool;
use r2d2_postgres::{postgres::NoTls, PostgresConnectionManager};

pub type DbPool = Pool<PostgresConnectionManager<NoTls>>;

fn render_thumbnail(pool: &DbPool, photo_id: i64, path: &std::path::Path) -> anyhow::Result<()> {
    let thumb = path.with_extension("thumb.jpg");
    image::open(path)?.thumbnail(320, 320).save(&thumb)?;
    let mut conn = pool.get()?;
    conn.execute(
        "UPDATE photos SET thumbnail = $2 WHERE id = $1",
        &[&photo_id, &thumb.to_string_lossy().as_ref()],
    )?;
    Ok(())
}

pub fn upload_photo(pool: &DbPool, album_id: i64, path: std::path::PathBuf) -> anyhow::Result<i64> {
    let mut conn = pool.get()?;
    let photo_id: i64 = conn
        .query_one(
            "INSERT INTO photos (album_id, path) VALUES ($1, $2) RETURNING id",
            &[&album_id, &path.to_string_lossy().as_ref()],
        )?
        .get(0);
    let background = pool.clone();
    std::thread::spawn(move || {
        if let Err(err) = render_thumbnail(&background, photo_id, &path) {
            log::warn!("thumbnail for photo {photo_id} failed: {err}");
        }
    });
    conn.execute("UPDATE albums SET photo_count = photo_count + 1 WHERE id = $1", &[&album_id])?;
    Ok(photo_id)
}
