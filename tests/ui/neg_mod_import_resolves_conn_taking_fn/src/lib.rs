// Negative: two functions named `find` exist; `db::pooled::find` checks out from a pool, but
// `catalog::rename_product` imports `db::in_tx::find`, which runs on the connection it is given
// (`&mut *tx`). Resolving the import, not the name, shows no second checkout.
pub mod catalog;
pub mod db;
