/// Runs `$body` with a connection checked out from `$pool` bound to `$conn`.
macro_rules! with_conn {
    ($pool:expr, |$conn:ident| $body:expr) => {{
        let mut $conn = $pool.get().map_err($crate::StoreError::Pool)?;
        $body
    }};
}
