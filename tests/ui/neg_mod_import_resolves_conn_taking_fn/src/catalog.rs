use sqlx::PgPool;

use crate::db::in_tx::find;

pub async fn rename_product(pool: &PgPool, id: i64, name: &str) -> Result<bool, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let Some(product) = find(&mut *tx, id).await? else {
        return Ok(false);
    };
    let slug = name.to_lowercase().replace(' ', "-");
    sqlx::query("INSERT INTO product_redirects (old_slug, product_id) VALUES ($1, $2)")
        .bind(&product.slug)
        .bind(product.id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE products SET name = $2, slug = $3 WHERE id = $1")
        .bind(id)
        .bind(name)
        .bind(&slug)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}
