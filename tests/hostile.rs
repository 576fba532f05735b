//! Hostile input: poolcheck must report what it cannot read and analyse the rest, never panic
//! or hang, and print the same bytes whatever the thread count.

use assert_cmd::Command;
use std::fs;
use std::path::Path;

fn run(args: &[&str], path: &Path) -> (i32, String, String) {
    run_env(args, path, &[])
}

fn run_env(args: &[&str], path: &Path, env: &[(&str, &str)]) -> (i32, String, String) {
    let out = Command::cargo_bin("poolcheck")
        .expect("the binary")
        .envs(env.iter().copied())
        .args(args)
        .arg(path)
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .expect("run poolcheck");
    let code = out.status.code().unwrap_or(-1);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        !stderr.contains("panicked"),
        "poolcheck panicked:\n{stderr}"
    );
    (
        code,
        String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr,
    )
}

const BUGGY: &str = r#"use sqlx::PgPool;
async fn audit(pool: &PgPool) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO audit DEFAULT VALUES").execute(pool).await?;
    Ok(())
}
pub async fn handler(pool: &PgPool) -> sqlx::Result<()> {
    let tx = pool.begin().await?;
    audit(pool).await?;
    tx.commit().await
}
"#;

/// A tiny deterministic generator, so failures reproduce.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

#[test]
fn broken_files_beside_a_buggy_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    fs::write(root.join("buggy.rs"), BUGGY).expect("write");
    let mut rng = Lcg(7);
    for i in 0..40 {
        let cut = rng.next(BUGGY.len());
        fs::write(root.join(format!("cut_{i}.rs")), &BUGGY.as_bytes()[..cut]).expect("write");
        let mut flipped = BUGGY.as_bytes().to_vec();
        for _ in 0..3 {
            let at = rng.next(flipped.len());
            flipped[at] ^= 1 << rng.next(8);
        }
        fs::write(root.join(format!("flip_{i}.rs")), flipped).expect("write");
    }
    fs::write(
        root.join("invalid_utf8.rs"),
        b"fn f() { let s = \"\xff\xfe\"; }",
    )
    .expect("write");
    fs::write(root.join("bom.rs"), format!("\u{feff}{BUGGY}")).expect("write");
    fs::write(root.join("crlf.rs"), BUGGY.replace('\n', "\r\n")).expect("write");
    fs::write(root.join("empty.rs"), "").expect("write");
    let n = 10_000;
    fs::write(
        root.join("deep_blocks.rs"),
        format!("fn f() {{{}{}}}", "{".repeat(n), "}".repeat(n)),
    )
    .expect("write");
    fs::write(
        root.join("deep_parens.rs"),
        format!("fn f() {{ let x = {}1{}; }}", "(".repeat(n), ")".repeat(n)),
    )
    .expect("write");
    fs::write(
        root.join("deep_closures.rs"),
        format!("fn f() {{ let x = {}1; }}", "|| ".repeat(n)),
    )
    .expect("write");
    fs::write(
        root.join("deep_calls.rs"),
        format!("fn f() {{ g({}1{}); }}", "h(".repeat(n), ")".repeat(n)),
    )
    .expect("write");
    // A module tree that loops through `#[path]`, and one that names a missing file.
    fs::write(root.join("cycle_a.rs"), "#[path = \"cycle_b.rs\"] mod b;\n").expect("write");
    fs::write(root.join("cycle_b.rs"), "#[path = \"cycle_a.rs\"] mod a;\n").expect("write");
    fs::write(
        root.join("missing_mod.rs"),
        "mod not_there;\npub fn ok() {}\n",
    )
    .expect("write");
    // A symbolic link loop.
    #[cfg(unix)]
    std::os::unix::fs::symlink(root, root.join("loop")).expect("symlink");
    // A nested "package" whose manifest is not TOML.
    fs::create_dir_all(root.join("pkg/src")).expect("mkdir");
    fs::write(root.join("pkg/Cargo.toml"), "[package\nname = ").expect("write");
    fs::write(root.join("pkg/src/lib.rs"), BUGGY).expect("write");
    // Generated code: 50 MB of it.
    let mut generated = String::with_capacity(50 << 20);
    let mut i = 0;
    while generated.len() < 50 << 20 {
        generated.push_str(&format!("pub const T{i}: [u32; 4] = [{i}, 1, 2, 3];\n"));
        i += 1;
    }
    fs::write(root.join("tables.rs"), generated).expect("write");
    // Files that cannot be read: a link to nothing, and (unless this runs as root, which
    // reads anything) a file without read permission.
    #[cfg(unix)]
    std::os::unix::fs::symlink(root.join("gone.rs"), root.join("dangling.rs")).expect("symlink");
    fs::write(root.join("secret.rs"), BUGGY).expect("write");
    #[cfg(unix)]
    let unreadable = {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(root.join("secret.rs"), fs::Permissions::from_mode(0o000))
            .expect("chmod");
        fs::read(root.join("secret.rs")).is_err()
    };

    let (code, stdout, _) = run(&["--message-format", "short"], root);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("buggy.rs:8:5: error[nested_checkout]"),
        "{stdout}"
    );
    assert!(
        stdout.contains("bom.rs:8:5: error[nested_checkout]"),
        "{stdout}"
    );
    assert!(
        stdout.contains("crlf.rs:8:5: error[nested_checkout]"),
        "{stdout}"
    );
    assert!(
        stdout.contains("invalid_utf8.rs: warning: not valid UTF-8"),
        "{stdout}"
    );
    assert!(
        stdout.contains("module `not_there` was not found"),
        "{stdout}"
    );
    assert!(
        stdout.contains("pkg/Cargo.toml: warning: is not a valid manifest"),
        "{stdout}"
    );
    assert!(
        stdout.contains("warning") && stdout.contains("could not be parsed"),
        "{stdout}"
    );
    assert!(
        stdout.contains("tables.rs: warning: is 50.0 MB, over the 10 MB limit"),
        "{stdout}"
    );
    #[cfg(unix)]
    {
        assert!(
            stdout.contains("dangling.rs: warning: a symbolic link to nothing: skipped"),
            "{stdout}"
        );
        if unreadable {
            assert!(
                stdout.contains("secret.rs: warning: cannot be read: permission denied"),
                "{stdout}"
            );
        }
    }

    // Byte-identical output across runs and thread counts.
    let json = ["--message-format", "json"];
    let (_, one, _) = run_env(&json, root, &[("RAYON_NUM_THREADS", "1")]);
    let (_, two, _) = run_env(&json, root, &[("RAYON_NUM_THREADS", "2")]);
    let (_, again, _) = run(&["--message-format", "json", "--threads", "2"], root);
    assert_eq!(one, two);
    assert_eq!(two, again);
}

#[test]
fn the_size_limit_comes_from_the_configuration() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut big = String::from(BUGGY);
    let mut i = 0;
    while big.len() < 2 << 20 {
        big.push_str(&format!("pub fn filler_{i}() -> u64 {{ {i} }}\n"));
        i += 1;
    }
    fs::write(dir.path().join("big.rs"), &big).expect("write");
    fs::write(dir.path().join("small.rs"), BUGGY).expect("write");
    let (code, stdout, _) = run(&["--message-format", "short"], dir.path());
    assert_eq!(code, 1, "{stdout}");
    assert_eq!(
        stdout.matches("error[nested_checkout]").count(),
        2,
        "{stdout}"
    );
    fs::write(dir.path().join("poolcheck.toml"), "max_file_size_mb = 1\n").expect("write");
    let (code, stdout, _) = run(&["--message-format", "short"], dir.path());
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("small.rs:8:5: error[nested_checkout]"),
        "{stdout}"
    );
    assert!(
        stdout.contains("big.rs: warning: is 2.0 MB, over the 1 MB limit"),
        "{stdout}"
    );
}

#[test]
fn a_large_file_is_analysed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut big = String::from(BUGGY);
    let mut i = 0;
    while big.len() < 5_000_000 {
        big.push_str(&format!(
            "pub fn filler_{i}(x: u64) -> u64 {{ let y = x.wrapping_mul({i}); y ^ (y >> 7) }}\n"
        ));
        i += 1;
    }
    fs::write(dir.path().join("big.rs"), big).expect("write");
    let (code, stdout, _) = run(&["--message-format", "short"], &dir.path().join("big.rs"));
    assert_eq!(code, 1, "{stdout}");
    assert_eq!(
        stdout.matches("error[nested_checkout]").count(),
        1,
        "{stdout}"
    );
}

/// A macro bomb: workspace macros that call each other 16 times, five levels deep. Expansion
/// stops at a per-file budget with a warning; the finding beside it is still reported.
#[test]
fn a_macro_bomb_is_cut_short() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut bomb = String::new();
    for i in 0..5 {
        let body = if i < 4 {
            format!("m{}!();", i + 1).repeat(16)
        } else {
            "let _ = 1;".to_string()
        };
        bomb.push_str(&format!("macro_rules! m{i} {{ () => {{ {body} }} }}\n"));
    }
    bomb.push_str(&format!(
        "pub fn expand_me() {{ {} }}\n",
        "m0!();".repeat(8)
    ));
    fs::write(dir.path().join("bomb.rs"), bomb).expect("write");
    fs::write(dir.path().join("buggy.rs"), BUGGY).expect("write");
    let (code, stdout, _) = run(&["--message-format", "short"], dir.path());
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("bomb.rs: warning: expands more than 20000 workspace macro calls"),
        "{stdout}"
    );
    assert!(
        stdout.contains("buggy.rs:8:5: error[nested_checkout]"),
        "{stdout}"
    );
}

/// Minified or generated code: one function of 60 000 statements on one line that is not
/// ASCII. Lookups and columns must not be quadratic in it (it took minutes; the parse floor
/// takes under a second).
#[test]
fn a_long_non_ascii_line_and_many_bindings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let line = format!(
        "pub fn generated() {{ let s = \"é\"; {}}}\n",
        "let x = a.b(c); ".repeat(60_000)
    );
    fs::write(dir.path().join("generated.rs"), format!("// é\n{line}")).expect("write");
    fs::write(dir.path().join("buggy.rs"), BUGGY).expect("write");
    let (code, stdout, _) = run(&["--message-format", "short"], dir.path());
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("buggy.rs:8:5: error[nested_checkout]"),
        "{stdout}"
    );
}

/// Thousands of connections taken one after another in one function: every one after the first
/// is a finding, and finding them must not be cubic.
#[test]
fn thousands_of_guards_in_one_function() {
    let dir = tempfile::tempdir().expect("tempdir");
    let gets: String = (0..3000)
        .map(|i| format!("    let c{i} = POOL.get().expect(\"db\");\n"))
        .collect();
    fs::write(
        dir.path().join("warm.rs"),
        format!("static POOL: once_cell::sync::Lazy<r2d2::Pool<Manager>> = once_cell::sync::Lazy::new(connect);\npub fn warm_up() {{\n{gets}}}\n"),
    )
    .expect("write");
    let (code, stdout, _) = run(&["--message-format", "short"], dir.path());
    assert_eq!(code, 1);
    assert_eq!(stdout.matches("error[nested_checkout]").count(), 2999);
}

/// A module file reached through a link of another name is analysed; a file no `mod` names (a
/// test fixture) is not part of the program, whatever it contains.
#[test]
fn modules_through_links_and_files_no_module_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    fs::create_dir_all(root.join("src")).expect("mkdir");
    fs::create_dir_all(root.join("shared")).expect("mkdir");
    fs::create_dir_all(root.join("tests/fixtures")).expect("mkdir");
    fs::write(
        root.join("Cargo.toml"),
        "[package]\nname = \"billing\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    )
    .expect("write");
    fs::write(
        root.join("src/lib.rs"),
        "pub mod handlers;\npub mod billing;\n",
    )
    .expect("write");
    // A module folder that is a link to a folder of another name.
    fs::create_dir_all(root.join("common")).expect("mkdir");
    fs::write(root.join("common/mod.rs"), BUGGY).expect("write");
    std::os::unix::fs::symlink(root.join("common"), root.join("src/billing")).expect("symlink");
    fs::write(root.join("shared/audit_handlers.rs"), BUGGY).expect("write");
    std::os::unix::fs::symlink(
        root.join("shared/audit_handlers.rs"),
        root.join("src/handlers.rs"),
    )
    .expect("symlink");
    fs::write(root.join("tests/fixtures/unused_handler.rs"), BUGGY).expect("write");
    let (code, stdout, _) = run(&["--message-format", "short"], root);
    assert_eq!(code, 1, "{stdout}");
    assert_eq!(
        stdout.matches("error[nested_checkout]").count(),
        2,
        "{stdout}"
    );
    assert!(stdout.contains("audit_handlers.rs:8:5"), "{stdout}");
    assert!(stdout.contains("mod.rs:8:5"), "{stdout}");
}
