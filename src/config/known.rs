//! Every library, runtime and language name the analysis relies on that is not a pool's (those
//! are in `lints/pools.toml`): named lists, so what poolcheck believes about `Arc`, `tokio::spawn`
//! or `Result::unwrap` is read here, in one place. Nothing outside `config` writes such a name.

/// Methods that hand back their receiver (or what it wraps) unchanged, guard and all.
pub(crate) const PASS_THROUGH: &[&str] = &[
    "unwrap",
    "expect",
    "unwrap_or_default",
    "unwrap_or",
    "unwrap_or_else",
    "ok",
    "map_err",
    "context",
    "with_context",
    "wrap_err",
    "wrap_err_with",
    "into_future",
    "boxed",
    "instrument",
    "in_current_span",
    "unwrap_unchecked",
    "ok_or",
    "ok_or_else",
    "err_into",
    "or_else",
    "inspect_err",
];

/// Methods that give a reference or a clone: the same location, not the guard itself.
pub(crate) const SAME_PLACE: &[&str] = &[
    "clone",
    // A pool behind a lock (`Mutex<Pool>`, `RwLock<Pool>`): the lock's guard is the pool.
    "lock",
    "read",
    "write",
    "blocking_lock",
    "blocking_read",
    "blocking_write",
    "as_ref",
    "as_deref",
    "borrow",
    "get_ref",
    "to_owned",
    "as_mut",
    "as_deref_mut",
    "deref",
    "deref_mut",
    "borrow_mut",
    "inner",
    "by_ref",
    "into_inner",
    "get_inner",
];

/// Method names too common to guess a workspace callee from when the receiver is unknown.
pub(crate) const COMMON_METHODS: &[&str] = &[
    "new",
    "get",
    "set",
    "insert",
    "remove",
    "len",
    "is_empty",
    "iter",
    "iter_mut",
    "into_iter",
    "map",
    "and_then",
    "next",
    "push",
    "pop",
    "from",
    "into",
    "default",
    "fmt",
    "eq",
    "cmp",
    "hash",
    "build",
    "run",
    "call",
    "send",
    "recv",
    "read",
    "write",
    "lock",
    "find",
    "filter",
    "collect",
    "contains",
    "extend",
    "take",
    "parse",
    "to_string",
    "as_str",
    "with",
    "execute",
    "fetch",
    "query",
    "close",
    "flush",
    "start",
    "stop",
    "handle",
    "process",
    "apply",
    "poll",
    "try_from",
    "load",
    "save",
    "update",
    "delete",
    "create",
    "list",
    "open",
    "connect",
    "validate",
    "check",
    "init",
    "clear",
    "add",
    "sub",
    "join",
    "split",
    "first",
    "last",
    "wait",
    "ready",
    "spawn",
    "drop",
    "merge",
    "finish",
    "commit",
    "rollback",
    "begin",
    "acquire",
    "count",
    "exists",
    "sum",
    "key",
    "value",
    "name",
    "id",
    "data",
    "body",
    "status",
];

/// Methods whose awaited result keeps using the receiver's connection: a transaction or
/// savepoint opened on it, a connection acquired from a transaction, a tokio-postgres row
/// stream or COPY sink.
pub(crate) const OPENS_BORROW: &[&str] = &[
    "begin",
    "transaction",
    "build_transaction",
    "start",
    "savepoint",
    "acquire",
    "query_raw",
    "query_portal_raw",
    "simple_query_raw",
    "copy_out",
    "copy_in",
];

/// Functions that start a task or thread (`tokio::spawn`, `std::thread::spawn`, ...).
pub(crate) const SPAWN_FUNCTIONS: &[&str] = &["spawn", "spawn_local", "spawn_blocking", "spawn_on"];

/// Methods that start a task on a runtime or set given an async block (`rt.spawn(async ..)`,
/// `set.spawn_local(async ..)`).
pub(crate) const SPAWN_METHODS: &[&str] = &["spawn", "spawn_local", "spawn_on"];

/// A path segment that makes a `spawn` function a runtime's (not the workspace's own).
pub(crate) const RUNTIME_SEGMENTS: &[&str] = &[
    "tokio",
    "task",
    "thread",
    "std",
    "actix_rt",
    "actix_web",
    "rt",
    "async_std",
    "smol",
    "rayon",
    "tokio_rayon",
    "runtime",
];

/// The method of a task's or thread's handle that waits for it (`handle.join()`).
pub(crate) const JOIN: &str = "join";

/// Macros whose arguments are futures run together here, even without other tokens that act.
pub(crate) const JOINING_MACROS: &[&str] = &["join", "try_join", "select", "join_all"];

/// The macro whose branches' futures are awaited at once, then one handler runs.
pub(crate) const SELECT: &str = "select";

/// Macros that declare statics (`lazy_static! { static ref POOL: Pool = .. }`).
pub(crate) const STATIC_MACROS: &[&str] = &["lazy_static", "thread_local"];

/// Macros that never return.
pub(crate) const DIVERGING_MACROS: &[&str] =
    &["panic", "unreachable", "bail", "todo", "unimplemented"];

/// Functions whose arguments are bounded by a deadline (`tokio::time::timeout(d, pool.get())`).
pub(crate) const TIMEOUT_FUNCTIONS: &[&str] = &["timeout", "timeout_at"];

/// A future's method that bounds it (tokio-util's and async-std's `FutureExt::timeout`).
pub(crate) const TIMEOUT_METHOD: &str = "timeout";

/// Checkout methods that fail at once on an empty pool instead of waiting start so.
pub(crate) const NON_WAITING_PREFIX: &str = "try_";

/// Types whose `new(x)` is `x` itself, shared or boxed (`Arc::new(pool)`).
pub(crate) const WRAPPER_CONSTRUCTORS: &[&str] =
    &["Arc", "Box", "Rc", "Data", "Mutex", "RwLock", "ThinData"];

/// The associated function that starts a pool's or a config's builder (`Pool::builder(mgr)`).
pub(crate) const BUILDER: &str = "builder";

/// `take`: by itself a workspace function; with a path (`mem::take(x)`), it ends `x`'s guard.
pub(crate) const TAKE: &str = "take";

/// The constructor of those.
pub(crate) const NEW: &str = "new";

/// Shared pointers whose `T::clone(&x)` is `x` again.
pub(crate) const SHARED_POINTERS: &[&str] = &["Arc", "Rc"];

/// The method every clone is made by.
pub(crate) const CLONE: &str = "clone";

/// Variants that wrap one value (`Ok(conn)`, `Some(pool)`).
pub(crate) const WRAPPING_VARIANTS: &[&str] = &["Ok", "Some"];

/// Framework extractors built around one value (`State(pool)`, `Data(pool)`).
pub(crate) const EXTRACTORS: &[&str] = &["State", "Extension", "Data"];

/// The error variant: `Err(e)` holds the error, never the guard.
pub(crate) const ERR: &str = "Err";

/// `None`.
pub(crate) const NONE: &str = "None";

/// `Some`.
pub(crate) const SOME: &str = "Some";

/// The associated constant of a value meant never to run out (`Duration::MAX`, `u64::MAX`).
pub(crate) const MAX: &str = "MAX";

/// Methods that put a value into a collection (a guard pushed lives as long as the collection).
pub(crate) const COLLECTION_INSERTS: &[&str] = &[
    "push",
    "push_back",
    "push_front",
    "insert",
    "extend",
    "append",
];

/// Methods that look a value up in a collection by key.
pub(crate) const KEYED_LOOKUPS: &[&str] = &["get", "get_mut"];

/// Methods that iterate over a collection's elements.
pub(crate) const COLLECTION_ITERS: &[&str] =
    &["iter", "iter_mut", "into_iter", "drain", "as_slice"];

/// Map types: a map of pools holds pools as its values (its second type argument).
pub(crate) const MAPS: &[&str] = &[
    "HashMap",
    "BTreeMap",
    "IndexMap",
    "DashMap",
    "AHashMap",
    "FxHashMap",
];

/// Sequence types: a collection of pools holds pools as its elements.
pub(crate) const SEQUENCES: &[&str] = &[
    "Vec",
    "VecDeque",
    "SmallVec",
    "LinkedList",
    "BinaryHeap",
    "HashSet",
    "BTreeSet",
];

/// The trait whose impl makes a workspace type a wrapper of its target.
pub(crate) const DEREF: &str = "Deref";

/// The associated type naming the target of `Deref`.
pub(crate) const DEREF_TARGET: &str = "Target";

/// Derives that make a one-field struct a wrapper of its field's pool (rocket_db_pools'
/// `#[derive(Database)] struct Db(PgPool)`).
pub(crate) const POOL_WRAPPING_DERIVES: &[&str] = &["Database"];

/// A function that runs on its own: where threads and tasks start.
pub(crate) const MAIN: &str = "main";

/// Durations as written in a pool's settings, and the unit each counts in.
pub(crate) const DURATIONS: &[(&str, &str)] = &[
    ("Duration::from_secs(", "s"),
    ("Duration::from_millis(", "ms"),
    ("std::time::Duration::from_secs(", "s"),
    ("std::time::Duration::from_millis(", "ms"),
];

/// Checkout methods that open a transaction (for the advice to commit before the call).
pub(crate) const TRANSACTION_OPENING: &str = "begin";

/// Checkouts whose guard is lent to a query as `&mut *guard` (a transaction, an acquired
/// sqlx connection) rather than `&mut guard`.
pub(crate) const LENT_BY_DEREF: &[&str] = &["acquire"];

/// How a pool whose wait timeout is opt-in (`wait = "opt-in"` in `pools.toml`: deadpool) is
/// configured: a config struct with pool settings, or a builder chain, and a runtime to run
/// the timeout.
pub(crate) mod opt_in_wait {
    /// The config type (`deadpool_postgres::Config`) and its constructors, which set no wait.
    pub(crate) const CONFIG: &str = "Config";
    pub(crate) const CONFIG_CONSTRUCTORS: &[&str] =
        &["new", "default", "from_url", "from_connection_info"];
    /// The method that makes a pool from a config (`cfg.create_pool(runtime, tls)`).
    pub(crate) const CREATE_POOL: &str = "create_pool";
    /// The config's field holding the pool settings, theirs holding the timeouts, and theirs
    /// holding the wait timeout.
    pub(crate) const POOL_FIELD: &str = "pool";
    pub(crate) const TIMEOUTS_FIELD: &str = "timeouts";
    pub(crate) const WAIT_FIELD: &str = "wait";
    /// Constructors of settings that set a wait (`Timeouts::wait_millis(..)`) and that set none.
    pub(crate) const WAIT_SETTING_CONSTRUCTORS: &[&str] = &["wait_millis"];
    pub(crate) const UNSET_CONSTRUCTORS: &[&str] = &["new", "default"];
    /// Builder methods that set the wait timeout, all the timeouts, or all the settings.
    pub(crate) const WAIT_SETTER: &str = "wait_timeout";
    pub(crate) const SETTINGS_SETTERS: &[&str] = &["timeouts", "config"];
    /// The builder method that gives the runtime a timeout needs.
    pub(crate) const RUNTIME_SETTER: &str = "runtime";
}
