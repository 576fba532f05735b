//! On any tree poolcheck finishes, says what it could not read, runs nothing and loses
//! nothing: pinned and planted toolchains, missing and broken workspace members, FIFOs and
//! devices, links out of the project, a cycle of hundreds of pools, minified lines, repeated
//! warnings, half-typed code and a bug of its own in one function. (`tests/no_process.rs`
//! checks under strace that it starts no process.)

use assert_cmd::Command;
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn poolcheck(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let out = Command::cargo_bin("poolcheck")
        .expect("the binary")
        .current_dir(dir)
        .envs(env.iter().copied())
        .args(args)
        .timeout(Duration::from_secs(120))
        .output()
        .expect("run poolcheck");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        !stderr.contains("panicked"),
        "poolcheck panicked:\n{stderr}"
    );
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr,
    }
}

fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).expect("mkdir");
    }
    fs::write(path, text).expect("write");
}

/// A handler that holds a transaction and calls code that checks out from the same pool.
const HANDLER: &str = r#"use sqlx::PgPool;

async fn record_audit(pool: &PgPool) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO audit DEFAULT VALUES").execute(pool).await?;
    Ok(())
}

pub async fn close_account(pool: &PgPool) -> sqlx::Result<()> {
    let tx = pool.begin().await?;
    record_audit(pool).await?;
    tx.commit().await
}
"#;

fn package(dir: &Path, name: &str, extra: &str) {
    write(
        &dir.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n{extra}\n[dependencies]\nsqlx = \"0.8\"\n"
        ),
    );
    write(&dir.join("src/lib.rs"), HANDLER);
}

/// A workspace at `root` with these `members` (as written, globs too), each of `packages` a
/// member package whose library holds `HANDLER`.
fn workspace(root: &Path, members: &[&str], packages: &[&str]) {
    let list: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
    write(
        &root.join("Cargo.toml"),
        &format!("[workspace]\nmembers = [{}]\n", list.join(", ")),
    );
    for p in packages {
        package(&root.join(p), p, "");
    }
}

/// A single package, its own workspace, whose library holds `HANDLER`.
fn accounts() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    package(dir.path(), "accounts", "[workspace]\n");
    dir
}

#[cfg(unix)]
fn mkfifo(path: &Path) -> bool {
    std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn a_pinned_toolchain_that_is_not_installed_does_not_stop_it() {
    let dir = accounts();
    write(
        &dir.path().join("rust-toolchain.toml"),
        "[toolchain]\nchannel = \"1.31.0-not-installed\"\n",
    );
    write(
        &dir.path().join("rust-toolchain"),
        "nightly-2019-01-01-not-installed\n",
    );
    let r = poolcheck(dir.path(), &["--message-format", "short"], &[]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("src/lib.rs:10:5: error[nested_checkout]"),
        "{}",
        r.stdout
    );
}

/// A toolchain `path` makes rustup run that folder's `bin/cargo` for any cargo command run
/// inside the project; so would a `cargo` or `rustup` found first on `PATH`. None may run.
#[cfg(unix)]
#[test]
fn a_toolchain_the_project_ships_is_never_run() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let project = dir.path().join("project");
    package(&project, "accounts", "[workspace]\n");
    let marker = dir.path().join("ran");
    let fake = dir.path().join("fake-toolchain/bin");
    fs::create_dir_all(&fake).expect("mkdir");
    for tool in ["cargo", "rustc", "rustup"] {
        let script = fake.join(tool);
        fs::write(
            &script,
            format!("#!/bin/sh\necho {tool} >> '{}'\nexit 3\n", marker.display()),
        )
        .expect("write");
        fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    write(
        &project.join("rust-toolchain.toml"),
        &format!(
            "[toolchain]\npath = \"{}\"\n",
            fake.parent()
                .map(|p| p.display().to_string())
                .unwrap_or_default()
        ),
    );
    write(
        &project.join(".cargo/config.toml"),
        "[build]\nrustc = \"./evil\"\n",
    );
    let path = format!(
        "{}:{}",
        fake.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let r = poolcheck(
        &project,
        &["--message-format", "short"],
        &[("PATH", path.as_str())],
    );
    assert!(
        !marker.exists(),
        "poolcheck ran a program the project ships"
    );
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("error[nested_checkout]"), "{}", r.stdout);
}

#[test]
fn missing_empty_and_broken_members_are_warnings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    workspace(
        root,
        &["api", "vendor/sdk", "gone", "broken", "plugins/*"],
        &["api"],
    );
    // A git submodule that is not checked out: an empty folder.
    fs::create_dir_all(root.join("vendor/sdk")).expect("mkdir");
    write(&root.join("broken/Cargo.toml"), "[package\nname = ");
    write(&root.join("broken/src/lib.rs"), HANDLER);
    fs::create_dir_all(root.join("plugins")).expect("mkdir");
    let r = poolcheck(root, &["--message-format", "short"], &[]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let out = &r.stdout;
    assert!(
        out.contains("api/src/lib.rs:10:5: error[nested_checkout]"),
        "{out}"
    );
    assert!(
        out.contains("vendor/sdk: warning: the workspace member is empty (a git submodule that is not checked out?)"),
        "{out}"
    );
    assert!(
        out.contains("gone: warning: the workspace member does not exist"),
        "{out}"
    );
    assert!(
        out.contains("broken/Cargo.toml: warning: is not a valid manifest"),
        "{out}"
    );
    assert!(
        out.contains(
            "Cargo.toml: warning: the workspace member glob `plugins/*` matches no folder"
        ),
        "{out}"
    );
    // Asked for from inside a member, the same.
    let r = poolcheck(&root.join("api"), &["--message-format", "short"], &[]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
}

#[test]
fn the_root_manifest_unreadable_is_fatal() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(&dir.path().join("Cargo.toml"), "[workspace\n");
    let r = poolcheck(dir.path(), &[], &[]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("is not a valid manifest"), "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn fifos_devices_and_links_out_of_the_project_never_block_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    workspace(root, &["api", "pipe"], &["api"]);
    // A member whose manifest is a FIFO, a source file that is one, and cargo's own files.
    fs::create_dir_all(root.join("pipe")).expect("mkdir");
    if !mkfifo(&root.join("pipe/Cargo.toml")) {
        eprintln!("mkfifo is not available: FIFOs not tested");
        return;
    }
    assert!(mkfifo(&root.join("api/src/stream.rs")));
    fs::create_dir_all(root.join(".cargo")).expect("mkdir");
    assert!(mkfifo(&root.join(".cargo/config.toml")));
    assert!(mkfifo(&root.join("rust-toolchain.toml")));
    // Links to folders outside the project: one that never ends, one that is huge.
    std::os::unix::fs::symlink("/sys", root.join("api/src/sys")).expect("link");
    std::os::unix::fs::symlink("/usr", root.join("api/src/usr")).expect("link");
    std::os::unix::fs::symlink("/dev/zero", root.join("api/src/zero.rs")).expect("link");
    let t = Instant::now();
    let r = poolcheck(root, &["--message-format", "short"], &[]);
    assert!(
        t.elapsed() < Duration::from_secs(60),
        "took {:?}",
        t.elapsed()
    );
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let out = &r.stdout;
    assert!(
        out.contains("api/src/lib.rs:10:5: error[nested_checkout]"),
        "{out}"
    );
    assert!(
        out.contains(
            "pipe: warning: the workspace member has a `Cargo.toml` that is not a regular file"
        ),
        "{out}"
    );
    assert!(
        out.contains("api/src/stream.rs: warning: is not a regular file"),
        "{out}"
    );
    assert!(
        out.contains("api/src/zero.rs: warning: is not a regular file"),
        "{out}"
    );
    assert!(
        out.contains("api/src/sys: warning: a link to `/sys`, outside the project: not followed"),
        "{out}"
    );
    assert!(
        out.contains("api/src/usr: warning: a link to `/usr`, outside the project: not followed"),
        "{out}"
    );
}

#[cfg(unix)]
#[test]
fn paths_that_are_not_files_are_a_clear_error() {
    let dir = accounts();
    let r = poolcheck(dir.path(), &["/dev/zero"], &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("is not a regular file"), "{}", r.stderr);
    let r = poolcheck(dir.path(), &["--baseline", "/dev/zero", "."], &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("is not a regular file"), "{}", r.stderr);
    let fifo = dir.path().join("baseline.json");
    if mkfifo(&fifo) {
        let r = poolcheck(dir.path(), &["--baseline", "baseline.json", "."], &[]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(r.stderr.contains("is not a regular file"), "{}", r.stderr);
        fs::remove_file(&fifo).expect("rm");
        assert!(mkfifo(&dir.path().join("poolcheck.toml")));
        let r = poolcheck(dir.path(), &["."], &[]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(r.stderr.contains("is not a regular file"), "{}", r.stderr);
    }
}

/// Each function checks out its own static pool and calls the next: one cycle through all
/// of them. The summaries took time of the fourth power (300 functions: 17 s, 600: minutes).
#[test]
fn a_cycle_of_six_hundred_pools_is_fast() {
    let dir = tempfile::tempdir().expect("tempdir");
    let n = 600;
    let mut text = String::from(
        "use once_cell::sync::Lazy;\nuse r2d2::Pool;\nuse r2d2_postgres::{postgres::NoTls, PostgresConnectionManager};\ntype Db = Pool<PostgresConnectionManager<NoTls>>;\n",
    );
    for i in 0..n {
        text.push_str(&format!(
            "static SHARD_{i}: Lazy<Db> = Lazy::new(|| connect({i}));\n"
        ));
    }
    for i in 0..n {
        text.push_str(&format!(
            "pub fn rebalance_{i}(hops: u32) {{ let _conn = SHARD_{i}.get().expect(\"shard\"); if hops > 0 {{ rebalance_{}(hops - 1); }} }}\n",
            (i + 1) % n
        ));
    }
    write(&dir.path().join("shards.rs"), &text);
    let t = Instant::now();
    let r = poolcheck(
        dir.path(),
        &[
            "--message-format",
            "short",
            "-A",
            "checkout_order_inversion",
            "shards.rs",
        ],
        &[],
    );
    let took = t.elapsed();
    assert_eq!(r.code, 1, "{}", r.stderr);
    // Every function holds its shard while the cycle comes back round to it.
    assert_eq!(
        r.stdout.matches("error[nested_checkout]").count(),
        n,
        "{}",
        r.stdout
    );
    assert!(took < Duration::from_secs(30), "took {took:?}");
}

/// 2 000 findings on one minified line: each quotes the part of the line it is about.
#[test]
fn findings_on_a_minified_line_stay_proportionate() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut line = String::from(
        "use sqlx::PgPool; async fn audit(pool: &PgPool) { sqlx::query(\"SELECT 1\").execute(pool).await.ok(); }",
    );
    for i in 0..2000 {
        line.push_str(&format!(
            " pub async fn h{i}(pool: &PgPool) {{ let tx = pool.begin().await.ok(); audit(pool).await; drop(tx); }}"
        ));
    }
    write(&dir.path().join("bundle.rs"), &line);
    for format in ["human", "json"] {
        let r = poolcheck(dir.path(), &["--message-format", format, "bundle.rs"], &[]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        // About a kilobyte a finding (the line is 200 kB: quoting it whole was 600 kB each).
        assert!(
            r.stdout.len() < 2000 * 4096,
            "{format}: {} bytes",
            r.stdout.len()
        );
    }
    let r = poolcheck(dir.path(), &["bundle.rs"], &[]);
    assert!(r.stdout.contains("error[nested_checkout]"), "{}", r.stdout);
    assert!(
        r.stdout.contains("...b async fn h0(pool: &PgPool)"),
        "{}",
        &r.stdout[..2000.min(r.stdout.len())]
    );
    assert!(
        r.stdout.contains("--> bundle.rs:1:170"),
        "{}",
        &r.stdout[..2000.min(r.stdout.len())]
    );
}

#[cfg(unix)]
#[test]
fn every_unreadable_file_has_its_own_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(&root.join("handler.rs"), HANDLER);
    fs::write(root.join("latin1_a.rs"), b"// caf\xe9\n").expect("write");
    fs::write(root.join("latin1_b.rs"), b"// na\xefve\n").expect("write");
    std::os::unix::fs::symlink(root.join("nowhere_a.rs"), root.join("dangling_a.rs"))
        .expect("link");
    std::os::unix::fs::symlink(root.join("nowhere_b.rs"), root.join("dangling_b.rs"))
        .expect("link");
    write(&root.join("poolcheck.toml"), "max_file_size_mb = 1\n");
    let big = "// generated\n".repeat(90_000);
    write(&root.join("tables_a.rs"), &big);
    write(&root.join("tables_b.rs"), &big);
    let r = poolcheck(root, &["--message-format", "short"], &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    for f in ["latin1_a.rs", "latin1_b.rs"] {
        assert!(
            r.stdout.contains(&format!("{f}: warning: not valid UTF-8")),
            "{}",
            r.stdout
        );
    }
    for f in ["dangling_a.rs", "dangling_b.rs"] {
        assert!(
            r.stdout
                .contains(&format!("{f}: warning: a symbolic link to nothing")),
            "{}",
            r.stdout
        );
    }
    for f in ["tables_a.rs", "tables_b.rs"] {
        assert!(
            r.stdout
                .contains(&format!("{f}: warning: is 1.1 MB, over the 1 MB limit")),
            "{}",
            r.stdout
        );
    }
}

/// A module file that is not UTF-8 is reported as such, once: not as a module not found.
#[test]
fn a_module_file_that_is_not_utf8_says_so() {
    let dir = accounts();
    let lib = format!("mod legacy;\n{HANDLER}");
    write(&dir.path().join("src/lib.rs"), &lib);
    fs::write(dir.path().join("src/legacy.rs"), b"// \xff\xfe\n").expect("write");
    let r = poolcheck(dir.path(), &["--message-format", "short"], &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stdout.contains("src/legacy.rs: warning: not valid UTF-8"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("was not found"), "{}", r.stdout);
}

/// Half-typed code: constructors and wrappers with no argument, beside a real finding.
#[test]
fn calls_with_no_arguments_do_not_crash_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let half_typed = r#"use std::sync::Arc;
use actix_web::web::Data;
pub struct Settings;
impl Settings { pub fn new() -> Self { Settings } }
pub fn wire_up() {
    let shared = Arc::new();
    let boxed = Box::new();
    let ok = Ok();
    let some = Some();
    let data = Data::new();
    let settings = Settings::new();
    let state = axum::extract::State();
}
"#;
    write(&dir.path().join("wiring.rs"), half_typed);
    write(&dir.path().join("handler.rs"), HANDLER);
    let r = poolcheck(dir.path(), &["--message-format", "short"], &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!r.stdout.contains("internal error"), "{}", r.stdout);
    assert!(
        r.stdout.contains("handler.rs:10:5: error[nested_checkout]"),
        "{}",
        r.stdout
    );
}

/// A bug of poolcheck's in one function (planted): that function is reported as an internal
/// error, and the rest of the workspace still is analysed and reported.
#[test]
fn a_bug_in_one_function_leaves_the_rest_of_the_run() {
    let dir = accounts();
    let two = format!(
        "{HANDLER}\npub async fn reopen_account(pool: &PgPool) -> sqlx::Result<()> {{\n    let tx = pool.begin().await?;\n    record_audit(pool).await?;\n    tx.commit().await\n}}\n"
    );
    write(&dir.path().join("src/lib.rs"), &two);
    let planted = [("POOLCHECK_PANIC_IN_FUNCTION", "reopen_account")];
    let r = poolcheck(dir.path(), &["--message-format", "short"], &planted);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("src/lib.rs:10:5: error[nested_checkout]"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(
            "src/lib.rs:14:14: error: internal error while analysing function `reopen_account`"
        ),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("src/lib.rs:16:5"), "{}", r.stdout);
    assert!(
        r.stderr.is_empty() || !r.stderr.contains("panicked"),
        "{}",
        r.stderr
    );
    // Beside code without findings, the internal error still fails a CI gate.
    write(
        &dir.path().join("src/lib.rs"),
        "pub fn reopen_account() { let x = 1; }\npub fn ping() -> u8 { 1 }\n",
    );
    let r = poolcheck(dir.path(), &["--message-format", "json"], &planted);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("\"level\":\"error\""), "{}", r.stdout);
    // When it was the only function, nothing could be analysed: exit status 2.
    write(
        &dir.path().join("src/lib.rs"),
        "pub fn reopen_account() { let x = 1; }\n",
    );
    let r = poolcheck(dir.path(), &["--message-format", "json"], &planted);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("nothing could be analysed"),
        "{}",
        r.stderr
    );
}

/// Two members of one workspace named on the command line: both are reported.
#[test]
fn two_members_named_are_both_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    workspace(root, &["billing", "ledger"], &["billing", "ledger"]);
    let r = poolcheck(
        root,
        &["--message-format", "short", "billing", "ledger"],
        &[],
    );
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("billing/src/lib.rs:10:5: error"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("ledger/src/lib.rs:10:5: error"),
        "{}",
        r.stdout
    );
    let r = poolcheck(root, &["--message-format", "short", "ledger"], &[]);
    assert!(!r.stdout.contains("billing/"), "{}", r.stdout);
}

/// A package that inherits from a workspace it is not in (cargo refuses it; a member cut out
/// of its workspace, a package copied elsewhere): a warning, and it is analysed.
#[test]
fn inheriting_without_a_workspace_is_a_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        &dir.path().join("Cargo.toml"),
        "[package]\nname = \"orphan\"\nversion.workspace = true\nedition.workspace = true\ndescription.workspace = true\n\n[lints]\nworkspace = true\n\n[dependencies]\nsqlx.workspace = true\n",
    );
    write(&dir.path().join("src/lib.rs"), HANDLER);
    let r = poolcheck(dir.path(), &["--message-format", "short"], &[]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("src/lib.rs:10:5: error[nested_checkout]"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(
            "Cargo.toml: warning: inherits from a workspace, but no workspace takes it in"
        ),
        "{}",
        r.stdout
    );
}
