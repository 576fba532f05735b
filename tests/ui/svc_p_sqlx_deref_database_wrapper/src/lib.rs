use std::ops::Deref;
use std::sync::Arc;

use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;
use uuid::Uuid;

/// The application's database handle.
pub struct Database(PgPool);

impl Database {
    pub async fn connect(url: &str) -> Result<Self, sqlx::Error> {
        Ok(Self(PgPoolOptions::new().max_connections(12).connect(url).await?))
    }
}

impl Deref for Database {
    type Target = PgPool;

    fn deref(&self) -> &PgPool {
        &self.0
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TeamError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("slug {0} is already taken")]
    SlugTaken(String),
}

#[derive(Debug, sqlx::FromRow)]
pub struct Team {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub seats: i32,
}

pub struct TeamRepo {
    database: Arc<Database>,
}

impl TeamRepo {
    pub fn new(database: Arc<Database>) -> Self {
        Self { database }
    }

    pub async fn find_by_slug(&self, slug: &str) -> Result<Option<Team>, sqlx::Error> {
        sqlx::query_as::<_, Team>("SELECT id, slug, name, seats FROM teams WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&**self.database)
            .await
    }

    pub async fn create(&self, slug: &str, name: &str, owner: Uuid) -> Result<Team, TeamError> {
        let mut tx = self.database.begin().await?;

        if self.find_by_slug(slug).await?.is_some() { //~ nested_checkout
            return Err(TeamError::SlugTaken(slug.to_owned()));
        }

        let team = sqlx::query_as::<_, Team>(
            "INSERT INTO teams (slug, name, seats) VALUES ($1, $2, 5) RETURNING id, slug, name, seats",
        )
        .bind(slug)
        .bind(name)
        .fetch_one(&mut *tx)
        .await?;

        sqlx::query("INSERT INTO team_members (team_id, user_id, role) VALUES ($1, $2, 'owner')")
            .bind(team.id)
            .bind(owner)
            .execute(&mut *tx)
            .await?;

        tx.commit().await?;
        Ok(team)
    }
}
