//! Under strace, poolcheck makes one `execve`, its own, and forks nothing: no `cargo metadata`,
//! no rustup, nothing the project ships. Reported as ignored, with the reason, on a machine
//! without strace (`tests/any_tree.rs` checks the same with fake tools on `PATH` everywhere).

use libtest_mimic::{Arguments, Completion, Trial};
use std::fs;
use std::path::PathBuf;

fn which(tool: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join(tool))
            .find(|c| c.is_file())
    })
}

fn no_process_is_spawned() -> Completion {
    let Some(strace) = which("strace") else {
        return Completion::ignored_with("strace is not installed");
    };
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(
        dir.path().join("Cargo.toml"),
        "[package]\nname = \"accounts\"\nversion = \"0.1.0\"\nedition = \"2021\"\n[workspace]\n",
    )
    .expect("write");
    fs::create_dir_all(dir.path().join("src")).expect("mkdir");
    fs::write(
        dir.path().join("src/lib.rs"),
        "use sqlx::PgPool;\nasync fn audit(pool: &PgPool) { sqlx::query(\"SELECT 1\").execute(pool).await.ok(); }\npub async fn close(pool: &PgPool) -> sqlx::Result<()> {\n    let tx = pool.begin().await?;\n    audit(pool).await;\n    tx.commit().await\n}\n",
    )
    .expect("write");
    let log = dir.path().join("trace");
    let bin = assert_cmd::cargo::cargo_bin("poolcheck");
    let status = std::process::Command::new(strace)
        .args(["-f", "-qq", "-e", "trace=execve,execveat,fork,vfork", "-o"])
        .arg(&log)
        .arg(&bin)
        .arg(dir.path())
        .stdout(std::process::Stdio::null())
        .status()
        .expect("run strace");
    // The finding was reported: the run went all the way.
    assert_eq!(status.code(), Some(1));
    let trace = fs::read_to_string(&log).expect("the trace");
    let execs: Vec<&str> = trace.lines().filter(|l| l.contains("execve")).collect();
    assert_eq!(execs.len(), 1, "{trace}");
    assert!(!trace.contains("fork("), "{trace}");
    Completion::Completed
}

fn main() -> std::process::ExitCode {
    let args = Arguments::from_args();
    let trials = vec![Trial::ignorable_test("no_process_is_spawned", || {
        Ok(no_process_is_spawned())
    })];
    libtest_mimic::run(&args, trials).exit_code()
}
