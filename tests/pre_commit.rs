//! The pre-commit hook end to end, with the real `pre-commit` tool: a throwaway repository
//! whose `.pre-commit-config.yaml` is the README's recipe pointed at this repository. A commit
//! with a staged nested checkout must fail with the finding; the fixed one must go through.
//!
//! `POOLCHECK_PRE_COMMIT` names the `pre-commit` command (`.ci/run` installs it from PyPI and
//! sets it). Without it, or when this project is not a git checkout, the test says so and
//! checks nothing. pre-commit builds poolcheck from this repository's HEAD with cargo.

use libtest_mimic::{Arguments, Completion, Trial};
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn sh(cmd: &mut Command) -> Output {
    cmd.output().expect("run a command")
}

fn git(repo: &Path, args: &[&str]) -> Output {
    sh(Command::new("git")
        .current_dir(repo)
        .args(["-c", "user.name=ci", "-c", "user.email=ci@example.com"])
        .args(args))
}

const BUGGY: &str = r#"use sqlx::PgPool;

async fn stock(pool: &PgPool, sku: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT qty FROM stock WHERE sku = $1").bind(sku).fetch_one(pool).await
}

pub async fn reserve(pool: &PgPool, sku: &str) -> sqlx::Result<bool> {
    let mut tx = pool.begin().await?;
    let qty = stock(pool, sku).await?;
    if qty > 0 {
        sqlx::query("UPDATE stock SET qty = qty - 1 WHERE sku = $1").bind(sku).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(qty > 0)
}
"#;

fn the_hook_fails_a_commit_with_a_nested_checkout_and_passes_the_fix() -> Completion {
    let Some(pre_commit) = std::env::var_os("POOLCHECK_PRE_COMMIT").filter(|v| !v.is_empty())
    else {
        return Completion::ignored_with(
            "POOLCHECK_PRE_COMMIT is not set: the pre-commit test did not run (.ci/run sets it)",
        );
    };
    let project = Path::new(env!("CARGO_MANIFEST_DIR"));
    let head = git(project, &["rev-parse", "HEAD"]);
    if !head.status.success() {
        return Completion::ignored_with("not a git checkout: the pre-commit test did not run");
    }
    let rev = String::from_utf8_lossy(&head.stdout).trim().to_string();

    let dir = tempfile::tempdir().expect("tempdir");
    let repo = dir.path().join("shop");
    fs::create_dir_all(repo.join("src")).expect("mkdir");
    assert!(git(&repo, &["init", "-q"]).status.success());
    fs::write(
        repo.join("Cargo.toml"),
        "[package]\nname = \"shop\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nsqlx = \"0.8\"\n",
    )
    .expect("write");
    fs::write(
        repo.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: poolcheck\n",
            project.display()
        ),
    )
    .expect("write");
    fs::write(repo.join("src/lib.rs"), BUGGY).expect("write");
    let home = dir.path().join("pre-commit-home");
    let pc = |args: &[&str]| {
        sh(Command::new(&pre_commit)
            .current_dir(&repo)
            .env("PRE_COMMIT_HOME", &home)
            .args(args))
    };
    let installed = pc(&["install"]);
    assert!(installed.status.success(), "{installed:?}");
    assert!(git(&repo, &["add", "."]).status.success());

    let commit = git(&repo, &["commit", "-q", "-m", "reserve stock"]);
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&commit.stdout),
        String::from_utf8_lossy(&commit.stderr)
    );
    assert!(!commit.status.success(), "the commit went through:\n{said}");
    assert!(
        said.contains("src/lib.rs:9:15: error[nested_checkout]"),
        "{said}"
    );

    let fixed = BUGGY
        .replace("stock(pool: &PgPool", "stock(conn: &mut sqlx::PgConnection")
        .replace("fetch_one(pool)", "fetch_one(conn)")
        .replace("stock(pool, sku)", "stock(&mut *tx, sku)");
    fs::write(repo.join("src/lib.rs"), fixed).expect("write");
    assert!(git(&repo, &["add", "."]).status.success());
    let commit = git(
        &repo,
        &["commit", "-q", "-m", "reserve stock on the transaction"],
    );
    assert!(
        commit.status.success(),
        "{}{}",
        String::from_utf8_lossy(&commit.stdout),
        String::from_utf8_lossy(&commit.stderr)
    );
    Completion::Completed
}

/// Runs when `.ci/run` has installed pre-commit, and is reported as ignored, with the reason,
/// when it has not.
fn main() -> std::process::ExitCode {
    let args = Arguments::from_args();
    let trials = vec![Trial::ignorable_test(
        "the_hook_fails_a_commit_with_a_nested_checkout_and_passes_the_fix",
        || Ok(the_hook_fails_a_commit_with_a_nested_checkout_and_passes_the_fix()),
    )];
    libtest_mimic::run(&args, trials).exit_code()
}
