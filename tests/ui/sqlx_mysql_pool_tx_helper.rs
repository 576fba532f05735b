// `MySqlPool` is `Pool<MySql>`: `CouponService::redeem` holds `self.pool.begin()` and awaits
// `self.usage_count(..)`, which runs `fetch_one(&self.pool)`: a second connection, same pool.
use sqlx::MySqlPool;

pub struct CouponService {
    pool: MySqlPool,
}

impl CouponService {
    pub fn new(pool: MySqlPool) -> Self {
        Self { pool }
    }

    async fn usage_count(&self, code: &str) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar("SELECT COUNT(*) FROM coupon_redemptions WHERE code = ?")
            .bind(code)
            .fetch_one(&self.pool)
            .await
    }

    pub async fn redeem(&self, code: &str, order_id: u64) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let max_uses: Option<i64> = sqlx::query_scalar("SELECT max_uses FROM coupons WHERE code = ? FOR UPDATE")
            .bind(code)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(max_uses) = max_uses else {
            return Ok(false);
        };
        if self.usage_count(code).await? >= max_uses { //~ nested_checkout
            return Ok(false);
        }
        sqlx::query("INSERT INTO coupon_redemptions (code, order_id) VALUES (?, ?)")
            .bind(code)
            .bind(order_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }
}
