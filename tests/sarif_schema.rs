//! The SARIF log against the official SARIF 2.1.0 schema (with the `jsonschema` crate) and
//! against Microsoft's SARIF Multitool (`validate`: the schema plus the spec's own rules).
//!
//! Both come from the npm package `@microsoft/sarif-multitool`, which ships the schema file; it
//! is fetched by `.ci/run` (fetched material is not committed), which points these variables at
//! it: `POOLCHECK_SARIF_SCHEMA` (the `sarif-2.1.0.json` file) and `POOLCHECK_SARIF_MULTITOOL`
//! (the `sarif-multitool` command). Without them the test says so and checks nothing.

use assert_cmd::Command;
use libtest_mimic::{Arguments, Completion, Trial};
use std::fs;
use std::path::{Path, PathBuf};

fn sarif_of(path: &Path) -> String {
    let out = Command::cargo_bin("poolcheck")
        .expect("the binary")
        .args(["--message-format", "sarif"])
        .arg(path)
        .output()
        .expect("run poolcheck");
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// Logs with findings, a multi-step call chain, related locations, and a notification (a
/// file that does not parse).
fn logs() -> Vec<(String, String)> {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(
        dir.path().join("orders.rs"),
        r#"use sqlx::PgPool;
async fn audit(pool: &PgPool, id: i64) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO audit (order_id) VALUES ($1)").bind(id).execute(pool).await?;
    Ok(())
}
async fn record(pool: &PgPool, id: i64) -> sqlx::Result<()> {
    audit(pool, id).await
}
pub async fn cancel(pool: &PgPool, id: i64) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    sqlx::query("UPDATE orders SET state = 'cancelled' WHERE id = $1").bind(id).execute(&mut *tx).await?;
    record(pool, id).await?;
    tx.commit().await
}
"#,
    )
    .expect("write");
    fs::write(dir.path().join("broken.rs"), "pub fn half(").expect("write");
    let incident = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/incident");
    vec![
        ("incident".into(), sarif_of(&incident)),
        ("orders".into(), sarif_of(dir.path())),
    ]
}

fn var(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

fn sarif_logs_validate_against_the_official_schema() -> Completion {
    let Some(schema_path) = var("POOLCHECK_SARIF_SCHEMA") else {
        return Completion::ignored_with("POOLCHECK_SARIF_SCHEMA is not set: the SARIF schema check did not run (.ci/run sets it)");
    };
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&schema_path).expect("the SARIF schema file"))
            .expect("the schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("a usable schema");
    for (name, log) in logs() {
        let value: serde_json::Value = serde_json::from_str(&log).expect("the log is JSON");
        assert!(
            value["runs"][0]["results"]
                .as_array()
                .is_some_and(|r| !r.is_empty()),
            "{name}: no results to check"
        );
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{name}: {}", errors.join("\n"));
    }
    Completion::Completed
}

fn sarif_logs_pass_the_sarif_multitool() -> Completion {
    let Some(tool) = var("POOLCHECK_SARIF_MULTITOOL") else {
        return Completion::ignored_with("POOLCHECK_SARIF_MULTITOOL is not set: the SARIF Multitool check did not run (.ci/run sets it)");
    };
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, log) in logs() {
        let input = dir.path().join(format!("{name}.sarif"));
        let output = dir.path().join(format!("{name}.validation.sarif"));
        fs::write(&input, log).expect("write");
        let run = std::process::Command::new(&tool)
            .arg("validate")
            .arg(&input)
            .arg("--output")
            .arg(&output)
            .output()
            .expect("run the SARIF Multitool");
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        );
        assert!(run.status.success(), "{name}: {said}");
        // The validator's own findings are a SARIF log: any result is a problem of ours.
        let report: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(&output).expect("its report"))
                .expect("its report is JSON");
        let results = report["runs"][0]["results"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(results.is_empty(), "{name}: {said}\n{results:#?}");
    }
    Completion::Completed
}

/// Each check runs when `.ci/run` has installed its tool, and is reported as ignored, with the
/// reason, when it has not.
fn main() -> std::process::ExitCode {
    let args = Arguments::from_args();
    let trials = vec![
        Trial::ignorable_test("sarif_logs_validate_against_the_official_schema", || {
            Ok(sarif_logs_validate_against_the_official_schema())
        }),
        Trial::ignorable_test("sarif_logs_pass_the_sarif_multitool", || {
            Ok(sarif_logs_pass_the_sarif_multitool())
        }),
    ];
    libtest_mimic::run(&args, trials).exit_code()
}
