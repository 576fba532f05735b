use std::net::IpAddr;

use deadpool_postgres::Pool;

use crate::AuthError;

pub async fn record_login_location(pool: &Pool, user_id: i64, ip: IpAddr) -> Result<(), AuthError> {
    let client = pool.get().await?;
    let country: Option<String> = client
        .query_opt("SELECT country_code FROM geoip_ranges WHERE range >>= $1 LIMIT 1", &[&ip])
        .await?
        .map(|row| row.get(0));
    client
        .execute(
            "UPDATE login_events SET country = $2 WHERE user_id = $1 AND country IS NULL",
            &[&user_id, &country],
        )
        .await?;
    Ok(())
}
