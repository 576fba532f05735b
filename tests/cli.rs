//! The binaries end to end: exit statuses, `cargo poolcheck`, cargo's JSON fields, bad input.

use assert_cmd::Command;
use std::fs;
use std::path::Path;

fn poolcheck() -> Command {
    let mut c = Command::cargo_bin("poolcheck").expect("the poolcheck binary");
    c.env_remove("NO_COLOR");
    c
}

/// The exit status, stdout and stderr of `poolcheck ARGS`.
fn run(args: &[&dyn AsRef<std::ffi::OsStr>]) -> (Option<i32>, String, String) {
    let out = poolcheck()
        .args(args.iter().map(|a| a.as_ref()))
        .output()
        .expect("run poolcheck");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The exit status of `poolcheck ARGS`.
fn status(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Option<i32> {
    run(args).0
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().expect("a parent")).expect("mkdir");
    fs::write(p, text).expect("write");
}

const BUGGY: &str = r#"
use sqlx::PgPool;

async fn count_orders(pool: &PgPool, customer: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT count(*) FROM orders WHERE customer_id = $1")
        .bind(customer)
        .fetch_one(pool)
        .await
}

pub async fn close_account(pool: &PgPool, customer: i64) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    let open = count_orders(pool, customer).await?;
    if open == 0 {
        sqlx::query("DELETE FROM customers WHERE id = $1").bind(customer).execute(&mut *tx).await?;
    }
    tx.commit().await
}
"#;

const CLEAN: &str = r#"
use sqlx::{PgConnection, PgPool};

async fn count_orders(conn: &mut PgConnection, customer: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT count(*) FROM orders WHERE customer_id = $1")
        .bind(customer)
        .fetch_one(conn)
        .await
}

pub async fn close_account(pool: &PgPool, customer: i64) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    let open = count_orders(&mut *tx, customer).await?;
    if open == 0 {
        sqlx::query("DELETE FROM customers WHERE id = $1").bind(customer).execute(&mut *tx).await?;
    }
    tx.commit().await
}
"#;

/// A workspace of two members: `billing` (buggy) and `accounts` (clean).
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "Cargo.toml",
        "[workspace]\nmembers = [\"billing\", \"accounts\"]\nresolver = \"2\"\n",
    );
    write(root, "billing/Cargo.toml", "[package]\nname = \"billing\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nsqlx = \"0.8\"\n");
    write(root, "billing/src/lib.rs", BUGGY);
    write(root, "accounts/Cargo.toml", "[package]\nname = \"accounts\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nsqlx = \"0.8\"\n");
    write(root, "accounts/src/lib.rs", CLEAN);
    dir
}

#[test]
fn exit_1_on_a_finding_and_0_when_clean() {
    let ws = workspace();
    let root = ws.path();
    assert_eq!(status(&[&root]), Some(1));
    assert_eq!(status(&[&root.join("accounts")]), Some(0));
    assert_eq!(status(&[&"-A", &"nested_checkout", &root]), Some(0));
    // A lint lowered to warn does not fail; `-D warnings` makes it fail again.
    assert_eq!(status(&[&"-W", &"nested_checkout", &root]), Some(0));
    assert_eq!(
        status(&[&"-W", &"nested_checkout", &"-D", &"warnings", &root]),
        Some(1)
    );
    // Later flags win, as with rustc.
    assert_eq!(
        status(&[&"-A", &"nested_checkout", &"-D", &"nested_checkout", &root]),
        Some(1)
    );
}

#[test]
fn exit_2_when_the_tool_cannot_run() {
    let out = poolcheck()
        .arg("/no/such/path")
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("/no/such/path") && err.lines().count() == 1,
        "{err}"
    );
    assert_eq!(status(&[&"-D", &"no_such_lint", &"."]), Some(2));
    assert_eq!(status(&[&"--message-format", &"xml"]), Some(2));
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "Cargo.toml", "[package\nname = ");
    assert_eq!(
        status(&[&"--manifest-path", &dir.path().join("Cargo.toml")]),
        Some(2)
    );
    assert_eq!(
        status(&[&"--manifest-path", &dir.path().join("missing/Cargo.toml")]),
        Some(2)
    );
}

#[test]
fn manifest_path_and_package_select_the_report() {
    let ws = workspace();
    let m = ws.path().join("Cargo.toml");
    assert_eq!(status(&[&"--manifest-path", &m]), Some(1));
    assert_eq!(
        status(&[&"--manifest-path", &m, &"-p", &"accounts"]),
        Some(0)
    );
    assert_eq!(
        status(&[&"--manifest-path", &m, &"-p", &"billing"]),
        Some(1)
    );
    assert_eq!(
        status(&[
            &"--manifest-path",
            &m,
            &"--workspace",
            &"--exclude",
            &"billing"
        ]),
        Some(0)
    );
    assert_eq!(
        status(&[&"--manifest-path", &m, &"-p", &"nonexistent"]),
        Some(2)
    );
    // A member's own manifest reports on that member.
    assert_eq!(
        status(&[&"--manifest-path", &ws.path().join("accounts/Cargo.toml")]),
        Some(0)
    );
}

#[test]
fn cargo_subcommand_accepts_its_name() {
    let ws = workspace();
    let mut c = Command::cargo_bin("cargo-poolcheck").expect("the cargo-poolcheck binary");
    c.arg("poolcheck")
        .arg("--manifest-path")
        .arg(ws.path().join("Cargo.toml"))
        .assert()
        .code(1);
    let mut c = Command::cargo_bin("cargo-poolcheck").expect("the cargo-poolcheck binary");
    c.args(["poolcheck", "lints"])
        .assert()
        .code(0)
        .stdout(predicates::str::contains("nested_checkout"));
}

#[test]
fn json_lines_are_cargo_messages() {
    let ws = workspace();
    let out = poolcheck()
        .args(["--message-format", "json"])
        .arg(ws.path())
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{stdout}");
    for line in &lines {
        let msg: cargo_metadata::Message =
            serde_json::from_str(line).expect("a cargo_metadata::Message");
        let cargo_metadata::Message::CompilerMessage(m) = msg else {
            panic!("not a compiler-message: {line}")
        };
        assert_eq!(
            m.message.code.as_ref().map(|c| c.code.as_str()),
            Some("nested_checkout")
        );
        assert_eq!(m.target.name, "billing");
        let primary = m
            .message
            .spans
            .iter()
            .find(|s| s.is_primary)
            .expect("a primary span");
        assert_eq!(primary.file_name, "billing/src/lib.rs");
        assert_eq!((primary.line_start, primary.column_start), (13, 16));
        assert!(m
            .message
            .rendered
            .as_deref()
            .is_some_and(|r| r.contains("error[nested_checkout]")));
        let v: serde_json::Value = serde_json::from_str(line).expect("json");
        assert_eq!(v["reason"], "compiler-message");
        assert!(v["manifest_path"]
            .as_str()
            .is_some_and(|p| p.ends_with("billing/Cargo.toml")));
        assert!(v["package_id"].is_string());
        assert!(v["message"]["spans"][0]["byte_start"].is_u64());
    }
}

#[test]
fn an_unparsable_file_is_reported_and_the_rest_analysed() {
    let ws = workspace();
    write(
        ws.path(),
        "billing/src/lib.rs",
        &format!("mod broken;\n{BUGGY}"),
    );
    write(ws.path(), "billing/src/broken.rs", "pub fn oops( {\n");
    let out = poolcheck()
        .args(["--message-format", "short", "--color", "never"])
        .arg(ws.path())
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("billing/src/broken.rs:1:"), "{stdout}");
    assert!(stdout.contains("warning"), "{stdout}");
    assert!(stdout.contains("error[nested_checkout]"), "{stdout}");
    // Not UTF-8: a warning, not a failure.
    fs::write(
        ws.path().join("billing/src/broken.rs"),
        b"pub fn f() {}\n\xff\xfe",
    )
    .expect("write");
    let out = poolcheck()
        .args(["--message-format", "short"])
        .arg(ws.path())
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert!(String::from_utf8_lossy(&out.stdout).contains("not valid UTF-8"));
}

#[test]
fn a_file_limits_the_report_to_it() {
    let ws = workspace();
    write(ws.path(), "billing/src/lib.rs", "mod close;\nmod other;\n");
    write(ws.path(), "billing/src/close.rs", BUGGY);
    write(ws.path(), "billing/src/other.rs", "pub fn nothing() {}\n");
    poolcheck()
        .arg(ws.path().join("billing/src/other.rs"))
        .assert()
        .code(0);
    poolcheck()
        .arg(ws.path().join("billing/src/close.rs"))
        .assert()
        .code(1);
}

#[test]
fn human_output_and_summary() {
    let ws = workspace();
    let out = poolcheck()
        .args(["--color", "never"])
        .arg(ws.path())
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("error[nested_checkout]: `count_orders` checks out a second connection from `pool` while `tx` is held\n"), "{stdout}");
    assert!(
        stdout.contains("\n  --> billing/src/lib.rs:13:16\n   |\n"),
        "{stdout}"
    );
    assert!(stdout.contains("`tx` checked out here"), "{stdout}");
    assert!(
        stdout.contains("= help: pass `&mut *tx` to `count_orders`"),
        "{stdout}"
    );
    assert!(
        stdout.trim_end().ends_with("poolcheck: 1 error in 1 file"),
        "{stdout}"
    );
    let colored = poolcheck()
        .args(["--color", "always"])
        .arg(ws.path())
        .assert()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8_lossy(&colored).contains("\u{1b}["));
    let auto = poolcheck()
        .env("NO_COLOR", "1")
        .arg(ws.path())
        .assert()
        .get_output()
        .stdout
        .clone();
    assert!(!String::from_utf8_lossy(&auto).contains("\u{1b}["));
    let short = poolcheck()
        .args(["--message-format", "short"])
        .arg(ws.path())
        .assert()
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        String::from_utf8_lossy(&short).lines().next(),
        Some("billing/src/lib.rs:13:16: error[nested_checkout]: `count_orders` checks out a second connection from `pool` while `tx` is held")
    );
}

#[test]
fn explain_and_lints() {
    poolcheck()
        .args(["explain", "nested_checkout"])
        .assert()
        .code(0)
        .stdout(predicates::str::contains("## Why is this bad"));
    poolcheck()
        .args(["explain", "no_such_lint"])
        .assert()
        .code(2);
    poolcheck()
        .arg("lints")
        .assert()
        .code(0)
        .stdout(predicates::str::contains("nested_checkout"));
}

#[test]
fn the_incident_example_has_exactly_two_findings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = poolcheck()
        .args(["--color", "never"])
        .arg(root.join("examples/incident"))
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout.matches("error[nested_checkout]").count(),
        2,
        "{stdout}"
    );
    assert!(stdout.contains(
        "`message_shop_get` checks out a second connection from `REDIS_POOL` while `c` is held"
    ));
    assert!(stdout.contains(
        "`message_shop_del` checks out a second connection from `REDIS_POOL` while `c` is held"
    ));
    assert!(stdout.contains("r2d2 gives up after its connection timeout (10 s here)"));
    poolcheck()
        .arg(root.join("examples/incident-fixed"))
        .assert()
        .code(0);
}

/// Every lint page's Example triggers its lint and its "Use instead" does not.
#[test]
fn lint_pages_example_triggers_and_fix_does_not() {
    for lint in poolcheck::LINTS {
        for heading in [
            "## What it does",
            "## Why is this bad",
            "## Example",
            "## Use instead",
            "## Configuration",
        ] {
            assert!(
                lint.page.contains(heading),
                "{}: page lacks {heading}",
                lint.name
            );
        }
        let block_after = |heading: &str| -> String {
            let rest = &lint.page[lint.page.find(heading).expect("heading")..];
            let start = rest.find("```rust\n").expect("a rust block") + "```rust\n".len();
            let end = rest[start..].find("```").expect("the block's end");
            rest[start..start + end].to_string()
        };
        for (heading, want) in [("## Example", true), ("## Use instead", false)] {
            let dir = tempfile::tempdir().expect("tempdir");
            let file = dir.path().join("page.rs");
            fs::write(&file, block_after(heading)).expect("write");
            let out = poolcheck()
                .args(["--message-format", "short"])
                .arg(&file)
                .assert()
                .get_output()
                .clone();
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert_eq!(
                stdout.contains(&format!("[{}]", lint.name)),
                want,
                "{}: {heading}:\n{stdout}",
                lint.name
            );
        }
    }
}

#[test]
fn poolcheck_toml_sets_levels_and_its_mistakes_are_located() {
    let ws = workspace();
    write(
        ws.path(),
        "poolcheck.toml",
        "[lints]\nnested_checkout = \"warn\"\n",
    );
    poolcheck().arg(ws.path()).assert().code(0);
    // The command line overrides the file.
    poolcheck()
        .args(["-D", "nested_checkout"])
        .arg(ws.path())
        .assert()
        .code(1);
    write(
        ws.path(),
        "poolcheck.toml",
        "[lints]\nnested_checkout = \"loud\"\n",
    );
    let out = poolcheck()
        .arg(ws.path())
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("poolcheck.toml:2:19:") && err.contains("\"allow\", \"warn\" or \"deny\""),
        "{err}"
    );
    write(
        ws.path(),
        "poolcheck.toml",
        "[lints]\nnested_chekout = \"deny\"\n",
    );
    let out = poolcheck()
        .arg(ws.path())
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("poolcheck.toml:2:1: unknown lint `nested_chekout`"));
}

#[test]
fn allow_comments_need_a_reason_and_must_silence_something() {
    let ws = workspace();
    let silenced = BUGGY.replace(
        "    let open = count_orders(pool, customer).await?;",
        "    // poolcheck: allow(nested_checkout) -- reports pool has 2 reserved connections\n    let open = count_orders(pool, customer).await?;",
    );
    write(ws.path(), "billing/src/lib.rs", &silenced);
    poolcheck().arg(ws.path()).assert().code(0);
    let no_reason = BUGGY.replace(
        "    let open = count_orders(pool, customer).await?;",
        "    let open = count_orders(pool, customer).await?; // poolcheck: allow(nested_checkout)",
    );
    write(ws.path(), "billing/src/lib.rs", &no_reason);
    let out = poolcheck()
        .args(["--message-format", "short"])
        .arg(ws.path())
        .assert()
        .code(0)
        .get_output()
        .clone();
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("billing/src/lib.rs:13:53: warning: this allow comment gives no reason"));
    let stale = format!(
        "{CLEAN}\n// poolcheck: allow(nested_checkout) -- fixed long ago\npub fn noop() {{}}\n"
    );
    write(ws.path(), "accounts/src/lib.rs", &stale);
    let out = poolcheck()
        .args(["--message-format", "short"])
        .arg(ws.path().join("accounts"))
        .assert()
        .code(0)
        .get_output()
        .clone();
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("warning: this allow comment silences nothing"));
}

#[test]
fn github_annotations() {
    let ws = workspace();
    let out = poolcheck()
        .args(["--message-format", "github"])
        .arg(ws.path())
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout.lines().next().expect("one annotation");
    assert!(
        line.starts_with("::error file=billing/src/lib.rs,line=13,col=16,endLine=13,endColumn=44,title=poolcheck%3A nested_checkout::`count_orders` checks out"),
        "{line}"
    );
    assert!(line.contains("%0Ahelp: pass `&mut *tx`"), "{line}");
}

#[test]
fn sarif_log_and_stable_fingerprints() {
    let ws = workspace();
    let sarif = |ws: &tempfile::TempDir| -> serde_json::Value {
        let out = poolcheck()
            .args(["--message-format", "sarif"])
            .arg(ws.path())
            .assert()
            .code(1)
            .get_output()
            .clone();
        serde_json::from_slice(&out.stdout).expect("one JSON document")
    };
    let log = sarif(&ws);
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run["tool"]["driver"]["name"], "poolcheck");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert!(rules
        .iter()
        .any(|r| r["id"] == "nested_checkout" && r["defaultConfiguration"]["level"] == "error"));
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 1);
    let r = &results[0];
    assert_eq!(r["ruleId"], "nested_checkout");
    let loc = &r["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "billing/src/lib.rs");
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(loc["region"]["startLine"], 13);
    assert_eq!(loc["region"]["startColumn"], 16);
    assert_eq!(r["relatedLocations"].as_array().map(Vec::len), Some(2));
    let steps = r["codeFlows"][0]["threadFlows"][0]["locations"]
        .as_array()
        .expect("a code flow");
    assert_eq!(steps.len(), 2, "{steps:?}");
    let before = r["partialFingerprints"].clone();
    // Lines added above the finding move it, but it is the same finding.
    write(
        ws.path(),
        "billing/src/lib.rs",
        &format!("// Billing.\n\n// Accounts are closed here.\n{BUGGY}"),
    );
    let moved = sarif(&ws);
    let r2 = &moved["runs"][0]["results"][0];
    assert_eq!(
        r2["locations"][0]["physicalLocation"]["region"]["startLine"],
        16
    );
    assert_eq!(r2["partialFingerprints"], before);
}

#[test]
fn poolcheck_toml_exclude() {
    let ws = workspace();
    write(ws.path(), "poolcheck.toml", "exclude = [\"billing/**\"]\n");
    poolcheck().arg(ws.path()).assert().code(0);
    write(ws.path(), "poolcheck.toml", "exclude = [\"accounts/**\"]\n");
    poolcheck().arg(ws.path()).assert().code(1);
}

#[test]
fn workspace_metadata_sets_levels_and_is_located() {
    let ws = workspace();
    let root = "[workspace]\nmembers = [\"billing\", \"accounts\"]\nresolver = \"2\"\n\n[workspace.metadata.poolcheck]\nlints = { nested_checkout = \"warn\" }\n";
    write(ws.path(), "Cargo.toml", root);
    poolcheck().arg(ws.path()).assert().code(0);
    // poolcheck.toml, when present, is the configuration.
    write(
        ws.path(),
        "poolcheck.toml",
        "[lints]\nnested_checkout = \"deny\"\n",
    );
    poolcheck().arg(ws.path()).assert().code(1);
    fs::remove_file(ws.path().join("poolcheck.toml")).expect("remove");
    write(
        ws.path(),
        "Cargo.toml",
        &root.replace("lints = {", "lint = {"),
    );
    let out = poolcheck()
        .arg(ws.path())
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(String::from_utf8_lossy(&out.stderr).contains("Cargo.toml:6:1:"));
}

#[test]
fn the_teams_own_pool_types() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "Cargo.toml",
        "[package]\nname = \"orders\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    );
    write(
        root,
        "poolcheck.toml",
        "[[pools]]\ntype = \"crate::db::DbPool\"\ncheckout = [\"conn\"]\n",
    );
    write(
        root,
        "src/lib.rs",
        r#"pub mod db {
    /// The service's own pool of raw connections.
    pub struct DbPool { slots: std::sync::Mutex<Vec<postgres::Client>> }
    pub struct Conn(postgres::Client);
    impl DbPool {
        pub fn conn(&self) -> Conn { Conn(self.slots.lock().unwrap().pop().unwrap()) }
        pub fn idle(&self) -> usize { self.slots.lock().unwrap().len() }
    }
}
use db::DbPool;

fn order_count(pool: &DbPool) -> u64 {
    let _conn = pool.conn();
    0
}

pub fn nightly_report(pool: &DbPool) -> u64 {
    let conn = pool.conn();
    let orders = order_count(pool);
    let idle = pool.idle() as u64;
    drop(conn);
    orders + idle
}
"#,
    );
    let out = poolcheck()
        .args(["--message-format", "short"])
        .arg(root)
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("src/lib.rs:19:18: error[nested_checkout]: `order_count` checks out a second connection from `pool` while `conn` is held"), "{stdout}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    write(
        root,
        "poolcheck.toml",
        "[[pools]]\ntype = \"crate::db::Pool\"\ncheckout = [\"conn\"]\n",
    );
    let out = poolcheck().arg(root).assert().code(2).get_output().clone();
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("poolcheck.toml:2:8: `crate::db::Pool` names no type in the workspace"));
}

#[test]
fn a_members_own_table_refines_the_workspace() {
    let ws = workspace();
    write(
        ws.path(),
        "billing/Cargo.toml",
        "[package]\nname = \"billing\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[package.metadata.poolcheck]\nlints = { nested_checkout = \"warn\" }\n",
    );
    let out = poolcheck()
        .args(["--message-format", "short"])
        .arg(ws.path())
        .assert()
        .code(0)
        .get_output()
        .clone();
    assert!(String::from_utf8_lossy(&out.stdout).contains("warning[nested_checkout]"));
    // The command line still has the last word.
    poolcheck()
        .args(["-D", "nested_checkout"])
        .arg(ws.path())
        .assert()
        .code(1);
    write(ws.path(), "billing/Cargo.toml", "[package]\nname = \"billing\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[package.metadata.poolcheck]\nlints = { nested_checkout = \"sometimes\" }\n");
    let out = poolcheck()
        .arg(ws.path())
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("billing/Cargo.toml:7:29: `sometimes` is not a level"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `--write-baseline` records today's findings; `--baseline` keeps CI green until a new one
/// appears, even after lines above the old one move; a fixed finding drops out when the
/// baseline is written again.
#[test]
fn a_baseline_hides_old_findings_and_only_those() {
    let dir = workspace();
    let root = dir.path();
    let base = root.join("poolcheck-baseline.json");
    let (code, _, stderr) = run(&[&root, &"--write-baseline", &base]);
    assert_eq!(code, Some(0));
    assert!(stderr.contains("recorded 1 finding in"), "{stderr}");
    let text = fs::read_to_string(&base).expect("the baseline was written");
    assert!(text.contains("\"close_account\""), "{text}");
    assert!(text.contains("billing/src/lib.rs"), "{text}");
    assert_eq!(status(&[&root, &"--baseline", &base]), Some(0));

    // Lines move above the old finding: still the same finding.
    let moved = format!("// Billing.\n//\n// Closing accounts.\n{BUGGY}");
    write(root, "billing/src/lib.rs", &moved);
    let (code, stdout, _) = run(&[&root, &"--baseline", &base]);
    assert_eq!(code, Some(0));
    assert!(
        stdout.contains("no problems found") && stdout.contains("1 finding in the baseline"),
        "{stdout}"
    );

    // A new nested checkout in another function is reported.
    let new = format!(
        "{moved}\npub async fn reopen_account(pool: &PgPool, customer: i64) -> sqlx::Result<()> {{\n    let tx = pool.begin().await?;\n    let _ = count_orders(pool, customer).await?;\n    tx.commit().await\n}}\n"
    );
    write(root, "billing/src/lib.rs", &new);
    let (code, stdout, _) = run(&[&root, &"--baseline", &base, &"--message-format", &"short"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        stdout.matches("error[nested_checkout]").count(),
        1,
        "{stdout}"
    );
    assert!(stdout.contains("billing/src/lib.rs:25:13:"), "{stdout}");

    // Both fixed: writing the baseline again leaves it empty.
    write(root, "billing/src/lib.rs", CLEAN);
    assert_eq!(status(&[&root, &"--write-baseline", &base]), Some(0));
    let text = fs::read_to_string(&base).expect("the baseline was written");
    assert!(!text.contains("close_account"), "{text}");

    // A file that is not a baseline, or no file at all: the tool cannot do its job.
    write(
        root,
        "bad.json",
        "{\"version\": 1, \"findings\": [{\"lint\": 3}]}",
    );
    let (code, _, stderr) = run(&[&root, &"--baseline", &root.join("bad.json")]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("bad.json:1:") && stderr.contains("not a poolcheck baseline"),
        "{stderr}"
    );
    assert_eq!(
        status(&[&root, &"--baseline", &root.join("missing.json")]),
        Some(2)
    );
}

/// `poolcheck graph`: the incident's pool as a box around its three functions, both nested
/// calls red and labelled with the guard, in DOT and in Mermaid.
#[test]
fn graph_draws_the_nested_paths_in_red() {
    let incident = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/incident");
    let (code, dot, _) = run(&[&"graph", &incident]);
    assert_eq!(code, Some(0));
    assert!(dot.starts_with("digraph poolcheck {"), "{dot}");
    assert!(dot.contains("label=\"REDIS_POOL\""), "{dot}");
    let red: Vec<&str> = dot
        .lines()
        .filter(|l| l.contains("->") && l.contains("color=red"))
        .collect();
    assert_eq!(red.len(), 2, "{dot}");
    assert!(red.iter().all(|l| l.contains("while `c` is held")), "{dot}");
    assert!(
        dot.contains("message_shop_del\\nsrc/tool/redis.rs:43"),
        "{dot}"
    );
    assert_eq!(dot.matches("-> ").count(), 3, "{dot}");

    let (_, mermaid, _) = run(&[&"graph", &incident, &"--format", &"mermaid"]);
    assert!(mermaid.starts_with("flowchart LR\n"), "{mermaid}");
    assert!(
        mermaid.contains("subgraph pool0[\"REDIS_POOL\"]"),
        "{mermaid}"
    );
    assert_eq!(
        mermaid.matches("-->|\"while c is held\"|").count(),
        2,
        "{mermaid}"
    );
    assert!(mermaid.contains("linkStyle 0,1 stroke:red"), "{mermaid}");

    // The fixed example: the same pool and calls, nothing red.
    let fixed = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/incident-fixed");
    let (_, dot, _) = run(&[&"graph", &fixed]);
    assert!(!dot.contains("color=red"), "{dot}");
    assert_eq!(status(&[&"graph", &"/no/such/folder"]), Some(2));
}

/// The two warn-level lints: reported without failing the run, failing it under `-D`,
/// silenced by an allow comment with a reason, and `allowed` calls read from `poolcheck.toml`.
#[test]
fn warn_lints_levels_allow_comments_and_allowed_calls() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "Cargo.toml",
        "[package]\nname = \"health\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    );
    let src = r#"use deadpool_redis::{Config, Runtime};

pub fn pool(url: &str) -> deadpool_redis::Pool {
    Config::from_url(url).create_pool(Some(Runtime::Tokio1)).expect("redis")
}

pub async fn ping(pool: &deadpool_redis::Pool, http: &reqwest::Client) -> anyhow::Result<()> {
    let conn = pool.get().await?;
    http.get("http://localhost/health").send().await?;
    drop(conn);
    Ok(())
}
"#;
    write(root, "src/lib.rs", src);
    let (code, out, _) = run(&[&"--message-format", &"short", &root]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("src/lib.rs:4:5: warning[unbounded_checkout_wait]"),
        "{out}"
    );
    assert!(
        out.contains("src/lib.rs:9:5: warning[guard_held_across_await]"),
        "{out}"
    );
    assert_eq!(status(&[&"-D", &"guard_held_across_await", &root]), Some(1));
    assert_eq!(status(&[&"-D", &"unbounded_checkout_wait", &root]), Some(1));

    write(
        root,
        "poolcheck.toml",
        "[guard_held_across_await]\nallowed = [\"send\"]\n",
    );
    let (_, out, _) = run(&[&"--message-format", &"short", &root]);
    assert!(!out.contains("guard_held_across_await"), "{out}");
    fs::remove_file(root.join("poolcheck.toml")).expect("rm");

    let silenced = src
        .replace(
            "    Config::from_url",
            "    // poolcheck: allow(unbounded_checkout_wait) -- checkouts are bounded by the caller\n    Config::from_url",
        )
        .replace(
            "    http.get",
            "    // poolcheck: allow(guard_held_across_await) -- a local health check\n    http.get",
        );
    write(root, "src/lib.rs", &silenced);
    let (code, out, _) = run(&[&"-D", &"warnings", &"--message-format", &"short", &root]);
    assert_eq!(code, Some(0), "{out}");
    assert!(!out.contains("warning["), "{out}");
}

/// Cargo's own JSON fields, as `cargo metadata` states them for the same workspace: every
/// target kind, a folder name with a space, a renamed library, crate types, inherited editions,
/// a `[lib] path` outside the package. (The test runs cargo; poolcheck never does.)
#[test]
fn package_ids_and_targets_are_cargos_own() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("shop floor");
    write(
        &root,
        "Cargo.toml",
        "[workspace]\nmembers = [\"crates/*\"]\nresolver = \"2\"\n\n[workspace.package]\nversion = \"2.1.0\"\nedition = \"2024\"\n",
    );
    write(
        &root,
        "crates/orders/Cargo.toml",
        "[package]\nname = \"orders-api\"\nversion.workspace = true\nedition.workspace = true\nautobenches = false\n\n[[bench]]\nname = \"throughput\"\n\n[lib]\nname = \"orders\"\ncrate-type = [\"cdylib\", \"rlib\"]\n\n[[bin]]\nname = \"orders-admin\"\npath = \"tools/admin.rs\"\n\n[[example]]\nname = \"replay\"\nedition = \"2021\"\n",
    );
    for rel in [
        "crates/orders/src/lib.rs",
        "crates/orders/src/main.rs",
        "crates/orders/src/bin/reindex.rs",
        "crates/orders/src/bin/migrate/main.rs",
        "crates/orders/tools/admin.rs",
        "crates/orders/examples/replay.rs",
        "crates/orders/tests/checkout.rs",
        "crates/orders/benches/throughput.rs",
    ] {
        write(&root, rel, BUGGY);
    }
    write(
        &root,
        "crates/ledger/Cargo.toml",
        "[package]\nname = \"ledger\"\nedition = \"2018\"\n\n[lib]\npath = \"../../shared/ledger.rs\"\n",
    );
    write(&root, "shared/ledger.rs", BUGGY);

    matches_cargo_metadata(&root);

    // A root package whose path dependency is a member, though no `members` names it.
    let triage = dir.path().join("triage");
    write(
        &triage,
        "Cargo.toml",
        "[package]\nname = \"triage\"\nversion = \"0.4.0\"\nedition = \"2021\"\n\n[workspace]\n\n[dependencies]\nparser = { path = \"parser\" }\n",
    );
    write(&triage, "src/main.rs", BUGGY);
    write(
        &triage,
        "parser/Cargo.toml",
        "[package]\nname = \"parser\"\nversion = \"0.1.0\"\nedition = \"2024\"\n",
    );
    write(&triage, "parser/src/lib.rs", BUGGY);
    matches_cargo_metadata(&triage);
}

/// Every target of the workspace at `root` has a finding (its root is `BUGGY`), and each
/// finding's package id, manifest path and target are what `cargo metadata` says.
fn matches_cargo_metadata(root: &Path) {
    let meta =
        std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args([
                "metadata",
                "--no-deps",
                "--offline",
                "--format-version",
                "1",
            ])
            .current_dir(root)
            .output()
            .expect("run cargo metadata");
    assert!(
        meta.status.success(),
        "{}",
        String::from_utf8_lossy(&meta.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&meta.stdout).expect("cargo's JSON");
    let mut expected = Vec::new();
    for p in meta["packages"].as_array().expect("packages") {
        for t in p["targets"].as_array().expect("targets") {
            expected.push((p["id"].clone(), p["manifest_path"].clone(), t.clone()));
        }
    }

    let (code, stdout, stderr) = run(&[&"--message-format", &"json", &root]);
    assert_eq!(code, Some(1), "{stderr}");
    let mut seen = std::collections::BTreeSet::new();
    for line in stdout.lines() {
        let msg: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        let src = msg["target"]["src_path"].clone();
        let Some((id, manifest, target)) = expected.iter().find(|(_, _, t)| t["src_path"] == src)
        else {
            panic!("no cargo target has src_path {src}: {line}");
        };
        assert_eq!(&msg["package_id"], id, "{line}");
        assert_eq!(&msg["manifest_path"], manifest, "{line}");
        // cargo_metadata's type writes an empty `required-features`; cargo leaves it out.
        let mut ours = msg["target"].clone();
        if ours["required-features"] == serde_json::json!([]) {
            ours.as_object_mut().map(|o| o.remove("required-features"));
        }
        assert_eq!(&ours, target, "{line}");
        seen.insert(src.to_string());
    }
    // One finding in every target's root but the build script's (there is none).
    assert_eq!(seen.len(), expected.len(), "{stdout}");
}
