// Negative: Services.pg and Services.cache (sync r2d2 pools). `profile_page` holds a pg connection but only calls
// cache.try_get() (non-blocking; skips caching when the pool is exhausted), so it never waits on the cache pool;
// only `profile_card` blocks in the other order (cache -> pg). No inversion.
use std::{sync::Arc, thread};

use anyhow::anyhow;
use postgres::NoTls;
use r2d2_postgres::PostgresConnectionManager;
use redis::Commands;
use tiny_http::{Header, Response, Server};

struct Services {
    pg: r2d2::Pool<PostgresConnectionManager<NoTls>>,
    cache: r2d2::Pool<redis::Client>,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn profile_page(svc: &Services, user_id: i64) -> anyhow::Result<String> {
    let mut pg = svc.pg.get()?;
    let profile = pg
        .query_opt(
            "SELECT display_name, bio FROM profiles WHERE user_id = $1",
            &[&user_id],
        )?
        .ok_or_else(|| anyhow!("profile {user_id} not found"))?;
    let posts = pg.query(
        "SELECT title FROM posts WHERE author_id = $1 ORDER BY created_at DESC LIMIT 5",
        &[&user_id],
    )?;

    let display_name: String = profile.get(0);
    let bio: Option<String> = profile.get(1);
    let mut html = format!(
        "<h1>{}</h1><p>{}</p><ul>",
        escape(&display_name),
        escape(bio.as_deref().unwrap_or(""))
    );
    for post in &posts {
        let title: String = post.get(0);
        html.push_str(&format!("<li>{}</li>", escape(&title)));
    }
    html.push_str("</ul>");

    // Best effort: never block a page render waiting for a cache connection.
    if let Some(mut cache) = svc.cache.try_get() {
        let _: redis::RedisResult<()> = cache.set_ex(format!("profile_html:{user_id}"), &html, 120);
    }
    Ok(html)
}

fn profile_card(svc: &Services, user_id: i64) -> anyhow::Result<String> {
    let mut cache = svc.cache.get()?;
    let key = format!("profile_card:{user_id}");
    if let Some(card) = cache.get::<_, Option<String>>(&key)? {
        return Ok(card);
    }

    let mut pg = svc.pg.get()?;
    let row = pg
        .query_opt(
            "SELECT display_name, avatar_url FROM profiles WHERE user_id = $1",
            &[&user_id],
        )?
        .ok_or_else(|| anyhow!("profile {user_id} not found"))?;
    let display_name: String = row.get(0);
    let avatar_url: Option<String> = row.get(1);
    let card = serde_json::json!({ "id": user_id, "name": display_name, "avatar": avatar_url }).to_string();

    let _: () = cache.set_ex(&key, &card, 300)?;
    Ok(card)
}

fn route(svc: &Services, url: &str) -> (u16, &'static str, String) {
    let parts: Vec<&str> = url.trim_matches('/').split('/').collect();
    let result = match parts.as_slice() {
        ["users", id] => id
            .parse()
            .map_err(|_| anyhow!("bad id"))
            .and_then(|id| profile_page(svc, id))
            .map(|body| ("text/html; charset=utf-8", body)),
        ["users", id, "card"] => id
            .parse()
            .map_err(|_| anyhow!("bad id"))
            .and_then(|id| profile_card(svc, id))
            .map(|body| ("application/json", body)),
        _ => return (404, "text/plain", "not found".into()),
    };
    match result {
        Ok((content_type, body)) => (200, content_type, body),
        Err(err) => {
            eprintln!("{url}: {err:#}");
            (500, "text/plain", "internal error".into())
        }
    }
}

fn main() -> anyhow::Result<()> {
    let pg_manager = PostgresConnectionManager::new(std::env::var("DATABASE_URL")?.parse()?, NoTls);
    let svc = Arc::new(Services {
        pg: r2d2::Pool::builder().max_size(10).build(pg_manager)?,
        cache: r2d2::Pool::builder()
            .max_size(4)
            .build(redis::Client::open(std::env::var("REDIS_URL")?)?)?,
    });

    let server = Arc::new(Server::http("0.0.0.0:8080").map_err(|e| anyhow!("{e}"))?);
    let workers: Vec<_> = (0..16)
        .map(|_| {
            let server = Arc::clone(&server);
            let svc = Arc::clone(&svc);
            thread::spawn(move || {
                for request in server.incoming_requests() {
                    let (status, content_type, body) = route(&svc, request.url());
                    let header = Header::from_bytes("Content-Type", content_type).expect("valid header");
                    let response = Response::from_string(body).with_status_code(status).with_header(header);
                    if let Err(err) = request.respond(response) {
                        eprintln!("failed to send response: {err}");
                    }
                }
            })
        })
        .collect();

    for worker in workers {
        worker.join().expect("worker thread panicked");
    }
    Ok(())
}
