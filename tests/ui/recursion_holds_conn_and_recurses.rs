// A recursive function that holds a connection while it recurses: every level of the category tree
// keeps its connection and `load_tree(pool, child_id)` checks out another, so a tree deeper than
// the pool's size deadlocks even with a single caller.
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool};

use crate::schema::categories;

pub type DbPool = Pool<ConnectionManager<PgConnection>>;

#[derive(Queryable, Debug)]
pub struct Category {
    pub id: i32,
    pub parent_id: Option<i32>,
    pub name: String,
}

#[derive(Debug)]
pub struct CategoryNode {
    pub category: Category,
    pub children: Vec<CategoryNode>,
}

pub fn load_tree(pool: &DbPool, id: i32) -> anyhow::Result<CategoryNode> {
    let mut conn = pool.get()?;
    let category: Category = categories::table.find(id).first(&mut conn)?;
    let child_ids: Vec<i32> = categories::table
        .filter(categories::parent_id.eq(id))
        .select(categories::id)
        .order(categories::name)
        .load(&mut conn)?;
    let mut children = Vec::with_capacity(child_ids.len());
    for child_id in child_ids {
        children.push(load_tree(pool, child_id)?); //~ nested_checkout
    }
    Ok(CategoryNode { category, children })
}
