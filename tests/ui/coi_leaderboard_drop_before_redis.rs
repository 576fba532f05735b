// Negative: Services.pg and Services.redis (sync r2d2 pools). `publish_leaderboard` calls drop(pg) before checking
// out redis, so it never holds a pg connection while waiting on redis; only `record_score` nests (redis -> pg).
use std::{net::UdpSocket, sync::Arc, thread, time::Duration};

use anyhow::Context;
use postgres::NoTls;
use r2d2_postgres::PostgresConnectionManager;
use redis::Commands;

struct Services {
    pg: r2d2::Pool<PostgresConnectionManager<NoTls>>,
    redis: r2d2::Pool<redis::Client>,
}

fn publish_leaderboard(svc: &Services, season: i32) -> anyhow::Result<usize> {
    let mut pg = svc.pg.get().context("postgres pool")?;
    let rows = pg.query(
        "SELECT player_id, SUM(points)::BIGINT FROM scores WHERE season = $1 \
         GROUP BY player_id ORDER BY 2 DESC LIMIT 100",
        &[&season],
    )?;
    drop(pg);

    let mut redis = svc.redis.get().context("redis pool")?;
    let key = format!("leaderboard:{season}");
    let mut pipe = redis::pipe();
    pipe.atomic().del(&key).ignore();
    for row in &rows {
        let player_id: i64 = row.get(0);
        let points: i64 = row.get(1);
        pipe.zadd(&key, player_id, points).ignore();
    }
    pipe.query::<()>(&mut *redis)?;
    Ok(rows.len())
}

fn record_score(svc: &Services, season: i32, player_id: i64, points: i64) -> anyhow::Result<()> {
    let mut redis = svc.redis.get().context("redis pool")?;
    let _: f64 = redis.zincr(format!("leaderboard:{season}:live"), player_id, points)?;

    let mut pg = svc.pg.get().context("postgres pool")?;
    pg.execute(
        "INSERT INTO scores (season, player_id, points, recorded_at) VALUES ($1, $2, $3, now())",
        &[&season, &player_id, &points],
    )?;

    let _: () = redis.expire(format!("leaderboard:{season}:live"), 7 * 24 * 3600)?;
    Ok(())
}

/// Score events arrive as UDP datagrams: "season,player_id,points".
fn parse_event(datagram: &[u8]) -> Option<(i32, i64, i64)> {
    let text = std::str::from_utf8(datagram).ok()?;
    let mut parts = text.trim().split(',');
    let season = parts.next()?.parse().ok()?;
    let player_id = parts.next()?.parse().ok()?;
    let points = parts.next()?.parse().ok()?;
    Some((season, player_id, points))
}

fn current_season() -> i32 {
    std::env::var("SEASON").ok().and_then(|s| s.parse().ok()).unwrap_or(1)
}

fn main() -> anyhow::Result<()> {
    let pg_manager = PostgresConnectionManager::new(std::env::var("DATABASE_URL")?.parse()?, NoTls);
    let svc = Arc::new(Services {
        pg: r2d2::Pool::builder().max_size(8).build(pg_manager)?,
        redis: r2d2::Pool::builder()
            .max_size(8)
            .build(redis::Client::open(std::env::var("REDIS_URL")?)?)?,
    });

    let socket = UdpSocket::bind("0.0.0.0:7400")?;
    let mut handles = Vec::new();
    for _ in 0..4 {
        let socket = socket.try_clone()?;
        let svc = Arc::clone(&svc);
        handles.push(thread::spawn(move || {
            let mut buf = [0u8; 512];
            loop {
                let Ok((len, _peer)) = socket.recv_from(&mut buf) else { continue };
                if let Some((season, player_id, points)) = parse_event(&buf[..len]) {
                    if let Err(err) = record_score(&svc, season, player_id, points) {
                        eprintln!("recording score for {player_id} failed: {err:#}");
                    }
                }
            }
        }));
    }

    let publisher = Arc::clone(&svc);
    handles.push(thread::spawn(move || loop {
        match publish_leaderboard(&publisher, current_season()) {
            Ok(n) => println!("published leaderboard with {n} players"),
            Err(err) => eprintln!("publishing leaderboard failed: {err:#}"),
        }
        thread::sleep(Duration::from_secs(60));
    }));

    for handle in handles {
        handle.join().expect("worker thread panicked");
    }
    Ok(())
}
