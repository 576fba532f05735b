// Calls through a `pub use` re-export: `auth::revoke_all` is `auth::tokens::revoke_all` (a private
// module) re-exported by `auth/mod.rs`; `AccountService::change_password` holds a transaction from
// `self.db` and calls it with `&self.db`, so it checks out from the same pool.
pub mod account;
pub mod auth;
