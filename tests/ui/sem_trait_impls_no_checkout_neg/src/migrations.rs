use crate::DbPool;

pub trait Migration {
    fn id(&self) -> &'static str;
    fn apply(&self, pool: &DbPool) -> anyhow::Result<()>;
}

pub struct AddCartTotals;

impl Migration for AddCartTotals {
    fn id(&self) -> &'static str {
        "2024_03_add_cart_totals"
    }

    fn apply(&self, pool: &DbPool) -> anyhow::Result<()> {
        let mut conn = pool.get()?;
        conn.batch_execute(
            "ALTER TABLE carts ADD COLUMN IF NOT EXISTS total_cents BIGINT; \
             ALTER TABLE carts ADD COLUMN IF NOT EXISTS priced_at TIMESTAMPTZ;",
        )?;
        Ok(())
    }
}

pub fn run_all(pool: &DbPool, migrations: &[Box<dyn Migration>]) -> anyhow::Result<()> {
    for m in migrations {
        m.apply(pool)?;
        eprintln!("applied {}", m.id());
    }
    Ok(())
}
