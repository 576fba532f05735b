use std::sync::OnceLock;

use regex::Regex;
use sqlx::PgPool;

use crate::error::ApiError;
use crate::models;

static NON_ALNUM: OnceLock<Regex> = OnceLock::new();

fn non_alnum() -> &'static Regex {
    if let Some(re) = NON_ALNUM.get() {
        return re;
    }
    NON_ALNUM.get_or_init(|| Regex::new("[^a-z0-9]+").expect("valid regex"))
}

pub fn slugify(title: &str) -> String {
    let lower = title.to_lowercase();
    let slug = non_alnum().replace_all(&lower, "-");
    slug.trim_matches('-').chars().take(80).collect()
}

/// The title's slug, with `-2`, `-3`, … appended until no published post uses it.
pub async fn unique_slug(pool: &PgPool, title: &str) -> Result<String, ApiError> {
    let base = slugify(title);
    if base.is_empty() {
        return Err(ApiError::Conflict("a title needs letters or digits".into()));
    }
    let mut candidate = base.clone();
    for n in 2..50 {
        if !models::slug_taken(pool, &candidate).await? {
            return Ok(candidate);
        }
        candidate = format!("{base}-{n}");
    }
    Err(ApiError::Conflict(format!("no free slug for {base:?}")))
}
