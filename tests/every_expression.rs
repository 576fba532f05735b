//! Half-typed code in every shape: every expression kind of the IR and every pattern kind,
//! around calls, path calls, method calls and macro calls of every name the analysis knows
//! (every identifier in a string literal of `src/` or in `lints/pools.toml`), each with zero
//! to three arguments, through the whole pipeline. Nothing may panic (a contained panic is an
//! internal-error diagnostic) and every generated file must parse, so the table really runs.
//! `Arc::new()` with no argument crashed whole runs: this is that class of bug, all of it.

use poolcheck::Request;
use poolcheck::Severity;
use poolcheck::{analyse, Options};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// Words that cannot be a name in a path or a call.
const KEYWORDS: &[&str] = &[
    "as",
    "async",
    "await",
    "break",
    "const",
    "continue",
    "crate",
    "dyn",
    "else",
    "enum",
    "extern",
    "false",
    "fn",
    "for",
    "if",
    "impl",
    "in",
    "let",
    "loop",
    "match",
    "mod",
    "move",
    "mut",
    "pub",
    "ref",
    "return",
    "self",
    "Self",
    "static",
    "struct",
    "super",
    "trait",
    "true",
    "type",
    "unsafe",
    "use",
    "where",
    "while",
    "abstract",
    "become",
    "box",
    "do",
    "final",
    "macro",
    "override",
    "priv",
    "typeof",
    "unsized",
    "virtual",
    "yield",
    "try",
    "gen",
    "union",
    "macro_rules",
    "_",
];

fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !KEYWORDS.contains(&s)
}

/// Every identifier the analysis could treat specially: those in its string literals and in
/// the pool catalogue.
fn known_names() -> Vec<String> {
    let mut names = BTreeSet::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts = Vec::new();
    for entry in walkdir::WalkDir::new(root.join("src"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
    {
        texts.push(fs::read_to_string(entry.path()).expect("read a source file"));
    }
    texts.push(fs::read_to_string(root.join("lints/pools.toml")).expect("the catalogue"));
    for text in &texts {
        for (i, part) in text.split('"').enumerate() {
            // Odd parts are inside quotes; a path literal gives each of its segments.
            if i % 2 == 1 {
                for seg in part.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
                    if is_ident(seg) && seg.len() < 40 {
                        names.insert(seg.to_string());
                    }
                }
            }
        }
    }
    names.into_iter().collect()
}

const PREFIXES: &[&str] = &[
    "Arc",
    "Box",
    "Rc",
    "Data",
    "Mutex",
    "RwLock",
    "Self",
    "Config",
    "PgPool",
    "Pool",
    "State",
    "tokio",
    "std::mem",
    "thread",
    "Repo",
    "sqlx",
    "deadpool_postgres::Config",
];
const RECEIVERS: &[&str] = &[
    "pool",
    "self.pool",
    "tx",
    "conn",
    "sem",
    "builder",
    "cfg",
    "self",
];
const ARGS: &[&str] = &[
    "pool",
    "&pool",
    "tx",
    "&mut *conn",
    "|c| c.execute(&self.pool)",
    "async move { pool.get().await }",
    "1",
    "Some(pool)",
];

/// A call of `name` in one of its forms, with `k` arguments.
fn call(name: &str, form: usize, k: usize, seed: usize) -> String {
    let args: Vec<&str> = (0..k).map(|j| ARGS[(seed + j * 3) % ARGS.len()]).collect();
    let args = args.join(", ");
    let n_prefix = PREFIXES.len();
    let n_recv = RECEIVERS.len();
    if form == 0 {
        format!("{name}({args})")
    } else if form <= n_prefix {
        format!("{}::{name}({args})", PREFIXES[form - 1])
    } else if form <= n_prefix + n_recv {
        format!("{}.{name}({args})", RECEIVERS[form - 1 - n_prefix])
    } else if form == n_prefix + n_recv + 1 {
        format!("{name}!({args})")
    } else {
        format!("{}.{name}({args}).await?", RECEIVERS[seed % n_recv])
    }
}

const FORMS: usize = 1 + PREFIXES.len() + RECEIVERS.len() + 2;

/// The expression `e` in the position of one kind of expression, statement or pattern.
fn wrap(e: &str, kind: usize) -> String {
    match kind % 34 {
        0 => format!("let _v = {e};"),
        1 => format!("{e};"),
        2 => format!("if let Some(_x) = {e} {{}}"),
        3 => format!("match {e} {{ Ok(a) | Err(a) => drop(a), _ => {{}} }}"),
        4 => format!("while let Some(_) = {e} {{ break; }}"),
        5 => format!("for _i in {e} {{}}"),
        6 => format!("let _c = || {e};"),
        7 => format!("let _f = async move {{ {e} }};"),
        8 => format!("let (a, b, c) = {e};"),
        9 => format!("let Repo {{ pool, .. }} = {e};"),
        10 => format!("let Some(_y) = {e} else {{ return Ok(()); }};"),
        11 => format!("let &_r = &{e};"),
        12 => format!("let _ = {e}?;"),
        13 => format!("let _ = *{e};"),
        14 => format!("let _ = ({e}).field;"),
        15 => format!("let _ = [{e}, {e}];"),
        16 => format!("let _ = {e} + 1;"),
        17 => format!("loop {{ break {e}; }}"),
        18 => format!("let _ = {e} as u32;"),
        19 => format!("let _ = Repo {{ pool: {e}, ..Repo::default() }};"),
        20 => format!("let mut _m = 0; _m = {e};"),
        21 => format!("if {e} {{ drop(tx); }} else {{ let _ = pool.get(); }}"),
        22 => format!("{{ let _inner = {e}; }}"),
        23 => format!("let _ = ({e}, {e});"),
        24 => format!("let _ = {e}.await;"),
        25 => format!("let _ = &mut {e};"),
        26 => format!("let _ = -{e};"),
        27 => format!("let _ = {e}[0];"),
        28 => format!("let _ = {e}..;"),
        29 => format!("let (Ok(x) | Err(x)) = {e};"),
        30 => format!("let [first, .., last] = {e};"),
        31 => format!("let Data() = {e};"),
        32 => format!("let Some() = {e};"),
        _ => format!("if true {{ return {e}; }}"),
    }
}

/// Patterns of every kind with zero to three parts, in every place a pattern goes.
fn patterns() -> Vec<String> {
    let mut out = Vec::new();
    for k in 0..=3 {
        let parts: Vec<String> = (0..k).map(|i| format!("p{i}")).collect();
        let list = parts.join(", ");
        let fields: Vec<String> = parts.iter().map(|p| format!("{p}: {p}")).collect();
        let pats = [
            format!("({list})"),
            format!("Some({list})"),
            format!("Data({list})"),
            format!("Repo {{ {} }}", fields.join(", ")),
            format!(
                "Repo {{ {}{} .. }}",
                fields.join(", "),
                if k > 0 { "," } else { "" }
            ),
            format!("[{list}]"),
            format!("&({list})"),
            if k == 0 {
                "_".to_string()
            } else {
                format!("({})", parts.join(" | "))
            },
        ];
        for p in pats {
            out.push(format!("let {p} = pool.get();"));
            out.push(format!("if let {p} = pool.begin().await {{}}"));
            out.push(format!("match pool.get() {{ {p} => {{}}, _ => {{}} }}"));
            out.push(format!("let _c = |{p}| pool.get();"));
            out.push(format!("for {p} in pool.get() {{}}"));
            out.push(format!("while let {p} = tx.next() {{ break; }}"));
            out.push(format!("let {p} = pool.get() else {{ return Ok(()); }};"));
        }
    }
    out
}

fn function(out: &mut String, name: &str, body: &[String]) {
    let _ = writeln!(
        out,
        "    pub async fn {name}(&self, pool: &PgPool, tx: Transaction<'_, Postgres>, mut conn: PoolConnection<Postgres>, sem: Semaphore, builder: Builder, cfg: Config) -> Result<(), Error> {{"
    );
    for s in body {
        let _ = writeln!(out, "        {s}");
    }
    let _ = writeln!(out, "        Ok(())\n    }}");
}

fn file(functions: &[Vec<String>], first: usize) -> String {
    let mut out = String::from(
        "use sqlx::{PgPool, Postgres, Transaction, pool::PoolConnection};\nuse std::sync::Arc;\nuse tokio::sync::Semaphore;\nuse actix_web::web::Data;\n\n#[derive(Default)]\npub struct Repo { pool: PgPool }\n\nimpl Repo {\n",
    );
    for (i, body) in functions.iter().enumerate() {
        function(&mut out, &format!("case_{}", first + i), body);
    }
    out.push_str("}\n");
    out
}

fn analyse_folder(dir: &Path) -> poolcheck::Report {
    let opts = Options {
        request: Request {
            paths: vec![dir.to_path_buf()],
            ..Request::default()
        },
        ..Options::default()
    };
    analyse(&opts).expect("the run")
}

#[test]
fn no_expression_or_pattern_makes_it_panic() {
    let names = known_names();
    assert!(names.len() > 100, "only {} names found", names.len());
    let mut statements = Vec::new();
    let mut seed = 0usize;
    for name in &names {
        for form in 0..FORMS {
            for k in 0..=3 {
                seed += 1;
                statements.push(wrap(&call(name, form, k, seed), seed));
            }
        }
    }
    statements.extend(patterns());
    // Every wrapper kind with every arity of a constructor the walker unwraps.
    for kind in 0..34 {
        for k in 0..=3 {
            for name in [
                "Arc::new",
                "Box::new",
                "Ok",
                "Some",
                "Data::new",
                "State",
                "drop",
            ] {
                let args: Vec<&str> = (0..k).map(|j| ARGS[j]).collect();
                statements.push(wrap(&format!("{name}({})", args.join(", ")), kind));
            }
        }
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let per_fn = 25;
    let per_file = 40;
    let bodies: Vec<Vec<String>> = statements.chunks(per_fn).map(<[String]>::to_vec).collect();
    for (i, chunk) in bodies.chunks(per_file).enumerate() {
        fs::write(
            dir.path().join(format!("shapes_{i:04}.rs")),
            file(chunk, i * per_file),
        )
        .expect("write");
    }
    let report = analyse_folder(dir.path());
    let problems: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.code.is_none())
        .map(|d| {
            let at = d
                .primary
                .as_ref()
                .map(|p| report.sources.location(p.span))
                .unwrap_or_default();
            let line = d.primary.as_ref().map(|p| {
                let f = report.sources.get(p.span.file);
                f.line_text(f.line_col(p.span.lo).0).trim().to_string()
            });
            format!("{at}: {}\n    {}", d.message, line.unwrap_or_default())
        })
        .collect();
    assert!(
        problems.is_empty(),
        "{} of {} statements: {}",
        problems.len(),
        statements.len(),
        problems.join("\n")
    );
    assert!(report.files_analysed > 10);
    // The run reached the lints: the generated code holds guards across checkouts.
    assert!(report
        .diagnostics
        .iter()
        .any(|d| d.code.is_some() && d.severity == Severity::Error));
}

/// Cut, flipped and spliced `macro_rules!` and allow comments (their scanners index the text
/// by hand): each mutation is analysed beside a real finding, and none may panic.
#[test]
fn no_mutation_of_macros_or_allow_comments_makes_it_panic() {
    const TEMPLATE: &str = r##"use sqlx::PgPool;
#[macro_export]
macro_rules! with_conn {
    ($pool:expr, |$c:ident| $body:expr) => {{ let mut $c = $pool.acquire().await?; $body }};
    ($pool:expr $(, $rest:tt)*) => { $pool.acquire() $(.and($rest))* };
}
macro_rules! audit { ($p:expr, $($msg:literal),+ $(,)?) => { sqlx::query(concat!($($msg),+)).execute($p) }; }
/// Café « naïve » — 日本語 comments and strings: "}" '}' r#"]"# /* } */
async fn record(pool: &PgPool) -> sqlx::Result<()> {
    audit!(pool, "INSERT INTO audit ", "DEFAULT VALUES").await?; // poolcheck: allow(nested_checkout) -- ok
    Ok(())
}
pub async fn handler(pool: &PgPool) -> sqlx::Result<()> {
    let tx = pool.begin().await?;
    // poolcheck: allow(nested_checkout, guard_held_across_await) -- measured: the pool is 2x
    record(pool).await?;
    with_conn!(pool, |c| sqlx::query("SELECT 1").execute(&mut *c).await?);
    tx.commit().await
}
"##;
    const SPLICES: &[&str] = &[
        "$",
        "$(",
        ")*",
        "{",
        "}",
        "(",
        ")",
        "\"",
        "'",
        "//",
        "/*",
        "*/",
        "#",
        "!",
        "é",
        "日",
        "macro_rules!",
        "poolcheck: allow(",
        "--",
        ",",
        "=>",
        ";",
        "\\",
        "r#\"",
        "\n",
    ];
    let chars: Vec<char> = TEMPLATE.chars().collect();
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n.max(1) as u64) as usize
    };
    let dir = tempfile::tempdir().expect("tempdir");
    for i in 0..400 {
        let mut text = chars.clone();
        for _ in 0..1 + next(4) {
            let at = next(text.len());
            match next(3) {
                0 => {
                    let to = (at + next(40)).min(text.len());
                    text.drain(at..to);
                }
                1 => {
                    let s = SPLICES[next(SPLICES.len())];
                    for (k, c) in s.chars().enumerate() {
                        text.insert((at + k).min(text.len()), c);
                    }
                }
                _ => text.truncate(at),
            }
        }
        let text: String = text.into_iter().collect();
        fs::write(dir.path().join(format!("mutant_{i:03}.rs")), text).expect("write");
    }
    fs::write(dir.path().join("intact.rs"), TEMPLATE).expect("write");
    let report = analyse_folder(dir.path());
    let internal: Vec<&str> = report
        .diagnostics
        .iter()
        .filter(|d| d.message.starts_with("internal error"))
        .map(|d| d.message.as_str())
        .collect();
    assert!(internal.is_empty(), "{}", internal.join("\n"));
    assert!(report.files_analysed > 400);
    // The intact copy still has its finding: the macros expanded and the allows were read.
    assert!(report.diagnostics.iter().any(|d| {
        d.code == Some("nested_checkout")
            && d.primary
                .as_ref()
                .is_some_and(|p| report.sources.get(p.span.file).name.ends_with("intact.rs"))
    }));
}
