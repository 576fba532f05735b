mod tokens;

pub use self::tokens::revoke_all;
