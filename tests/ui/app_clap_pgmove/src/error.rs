#[derive(Debug, thiserror::Error)]
pub enum MoveError {
    #[error("cannot connect to the {which} database: {source}")]
    Connect { which: &'static str, source: sqlx::Error },
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("unknown table {0:?} (known: {1})")]
    UnknownTable(String, String),
    #[error("table {0} does not exist in the target database")]
    MissingTarget(&'static str),
    #[error("{0} table(s) differ between source and target")]
    Mismatch(usize),
}
