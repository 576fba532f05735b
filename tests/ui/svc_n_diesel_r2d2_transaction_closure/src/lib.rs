use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool, PoolError};

pub type DbPool = Pool<ConnectionManager<PgConnection>>;

mod schema {
    diesel::table! {
        repositories (id) {
            id -> Int4,
            org_id -> Int4,
            owner_id -> Int4,
            name -> Text,
        }
    }
    diesel::table! {
        org_members (org_id, user_id) {
            org_id -> Int4,
            user_id -> Int4,
        }
    }
    diesel::table! {
        ownership_transfers (id) {
            id -> Int4,
            repository_id -> Int4,
            from_user -> Int4,
            to_user -> Int4,
        }
    }
}

use schema::{org_members, ownership_transfers, repositories};

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error(transparent)]
    Pool(#[from] PoolError),
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
    #[error("user {0} is not a member of the organisation")]
    NotAMember(i32),
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = repositories)]
struct Repository {
    id: i32,
    org_id: i32,
    owner_id: i32,
}

fn ensure_member(c: &mut PgConnection, org_id: i32, user_id: i32) -> Result<(), ServiceError> {
    let member = diesel::select(diesel::dsl::exists(
        org_members::table.filter(org_members::org_id.eq(org_id)).filter(org_members::user_id.eq(user_id)),
    ))
    .get_result::<bool>(c)?;
    if member { Ok(()) } else { Err(ServiceError::NotAMember(user_id)) }
}

fn record_transfer(c: &mut PgConnection, repo_id: i32, from: i32, to: i32) -> QueryResult<usize> {
    diesel::insert_into(ownership_transfers::table)
        .values((
            ownership_transfers::repository_id.eq(repo_id),
            ownership_transfers::from_user.eq(from),
            ownership_transfers::to_user.eq(to),
        ))
        .execute(c)
}

pub fn transfer_ownership(pool: &DbPool, repo_id: i32, new_owner: i32) -> Result<(), ServiceError> {
    let mut conn = pool.get()?;
    conn.transaction::<_, ServiceError, _>(|c| {
        let repo: Repository = repositories::table
            .find(repo_id)
            .select(Repository::as_select())
            .for_update()
            .first(c)?;
        ensure_member(c, repo.org_id, new_owner)?;
        diesel::update(repositories::table.find(repo.id))
            .set(repositories::owner_id.eq(new_owner))
            .execute(c)?;
        record_transfer(c, repo.id, repo.owner_id, new_owner)?;
        Ok(())
    })
}
