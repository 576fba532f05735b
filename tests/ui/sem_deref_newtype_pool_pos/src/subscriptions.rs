use uuid::Uuid;

use crate::database::Database;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    Starter,
    Team,
    Enterprise,
}

impl Plan {
    fn as_str(self) -> &'static str {
        match self {
            Plan::Starter => "starter",
            Plan::Team => "team",
            Plan::Enterprise => "enterprise",
        }
    }
}

#[derive(Debug, sqlx::FromRow)]
pub struct PlanLimits {
    pub seats: i32,
    pub projects: i32,
}

#[derive(Debug, thiserror::Error)]
pub enum SubscriptionError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("account uses {used} seats, plan allows {allowed}")]
    TooManySeats { used: i64, allowed: i32 },
}

pub struct SubscriptionRepo {
    database: Database,
}

impl SubscriptionRepo {
    pub fn new(database: Database) -> Self {
        Self { database }
    }

    pub async fn change_plan(&self, account_id: Uuid, plan: Plan) -> Result<(), SubscriptionError> {
        let mut tx = self.database.begin().await?;
        let seats_used: i64 = sqlx::query_scalar("SELECT count(*) FROM memberships WHERE account_id = $1")
            .bind(account_id)
            .fetch_one(&mut *tx)
            .await?;

        let limits = self.plan_limits(plan).await?; //~ nested_checkout
        if seats_used > i64::from(limits.seats) {
            return Err(SubscriptionError::TooManySeats {
                used: seats_used,
                allowed: limits.seats,
            });
        }

        sqlx::query("UPDATE subscriptions SET plan = $2, changed_at = now() WHERE account_id = $1")
            .bind(account_id)
            .bind(plan.as_str())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn plan_limits(&self, plan: Plan) -> Result<PlanLimits, sqlx::Error> {
        sqlx::query_as::<_, PlanLimits>("SELECT seats, projects FROM plan_limits WHERE plan = $1")
            .bind(plan.as_str())
            .fetch_one(&*self.database)
            .await
    }
}
