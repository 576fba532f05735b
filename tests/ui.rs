//! The marked cases under `tests/ui/`: each a `.rs` file or a small crate (a folder with a
//! `Cargo.toml`). A line ending in `//~ <lint>` must lie in the primary span of a finding of
//! that lint, and every finding must cover such a line (two-way). The human output of each
//! case is kept beside it as `<case>.stdout`; `BLESS=1 cargo test --test ui` rewrites them.
//! Each case is a test of its own: `cargo test --test ui -- sqlx_tx_then_pool` runs one.

use poolcheck::emit::{self, Format};
use poolcheck::Request;
use poolcheck::{analyse, Options};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk the case");
        let rel = entry.path().strip_prefix(from).expect("inside the case");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).expect("make a folder");
        } else {
            fs::copy(entry.path(), &dest).expect("copy a file");
        }
    }
}

/// (file relative to the case root, line) of every marker.
/// `(lint, file, line)` of every line ending in `//~ <lint>`.
fn markers(root: &Path) -> BTreeSet<(String, String, usize)> {
    let mut out = BTreeSet::new();
    for entry in walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.path().extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(entry.path()).unwrap_or_default();
            let rel = entry
                .path()
                .strip_prefix(root)
                .unwrap_or(entry.path())
                .display()
                .to_string();
            for (i, line) in text.lines().enumerate() {
                let Some((_, lint)) = line.trim_end().rsplit_once("//~ ") else {
                    continue;
                };
                if !lint.is_empty() && lint.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                    out.insert((lint.to_string(), rel.clone(), i + 1));
                }
            }
        }
    }
    out
}

pub struct CaseResult {
    pub name: String,
    pub problems: Vec<String>,
    pub found: usize,
    pub wrong: usize,
    pub missed: usize,
    pub rendered: String,
}

pub fn run_case(case: &Path) -> CaseResult {
    let name = case
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string();
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let root = tmp.path().join(name.trim_end_matches(".rs"));
    let target: PathBuf = if case.is_dir() {
        copy_dir(case, &root);
        root.clone()
    } else {
        fs::create_dir_all(&root).expect("a case folder");
        let dest = root.join(&name);
        fs::copy(case, &dest).expect("copy the case");
        dest
    };
    let want = markers(&root);
    let opts = Options {
        request: Request {
            paths: vec![target],
            ..Request::default()
        },
        ..Options::default()
    };
    let mut problems = Vec::new();
    let report = match analyse(&opts) {
        Ok(r) => r,
        Err(e) => {
            return CaseResult {
                name,
                problems: vec![format!("the run failed: {e}")],
                found: 0,
                wrong: 0,
                missed: want.len(),
                rendered: String::new(),
            }
        }
    };
    let mut covered = BTreeSet::new();
    let (mut found, mut wrong) = (0, 0);
    for d in &report.diagnostics {
        let Some(p) = &d.primary else {
            problems.push(format!("unexpected diagnostic: {}", d.message));
            continue;
        };
        let f = report.sources.get(p.span.file);
        let (l0, _) = f.line_col(p.span.lo);
        let (l1, _) = f.line_col(p.span.hi);
        let rel = f
            .path
            .strip_prefix(&root)
            .unwrap_or(&f.path)
            .display()
            .to_string();
        let Some(code) = d.code else {
            problems.push(format!("{rel}:{l0}: unexpected diagnostic: {}", d.message));
            continue;
        };
        let hits: Vec<_> = want
            .iter()
            .filter(|(wc, wf, wl)| wc == code && *wf == rel && (l0..=l1).contains(wl))
            .cloned()
            .collect();
        if hits.is_empty() {
            wrong += 1;
            problems.push(format!("{rel}:{l0}: false finding [{code}]: {}", d.message));
        } else {
            found += 1;
            covered.extend(hits);
        }
    }
    let missed: Vec<_> = want.difference(&covered).collect();
    for (c, f, l) in &missed {
        problems.push(format!("{f}:{l}: marked {c} not found"));
    }
    let mut buf = Vec::new();
    emit::render(&report, Format::Human, false, false, &mut buf).expect("render to memory");
    let rendered = String::from_utf8_lossy(&buf).into_owned();
    CaseResult {
        name,
        problems,
        found,
        wrong,
        missed: missed.len(),
        rendered,
    }
}

/// One test per case (`cargo test --test ui -- <case>` runs one), each comparing its markers
/// and its snapshot; the totals over the cases that ran are printed at the end.
fn main() -> std::process::ExitCode {
    let args = libtest_mimic::Arguments::from_args();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui");
    let bless = std::env::var_os("BLESS").is_some();
    let mut cases: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("tests/ui exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir() || p.extension().is_some_and(|e| e == "rs"))
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 40,
        "expected at least 40 ui cases, found {}",
        cases.len()
    );
    let totals = std::sync::Arc::new(std::sync::Mutex::new((0usize, 0usize, 0usize, 0usize)));
    let trials = cases
        .into_iter()
        .map(|case| {
            let name = case
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_string();
            let (dir, totals) = (dir.clone(), totals.clone());
            libtest_mimic::Trial::test(name, move || {
                check_case(&dir, &case, bless, &totals).map_err(Into::into)
            })
        })
        .collect();
    let conclusion = libtest_mimic::run(&args, trials);
    let (cases, found, wrong, missed) = *totals.lock().unwrap_or_else(|e| e.into_inner());
    let ratio = |a: usize, b: usize| {
        if a + b == 0 {
            1.0
        } else {
            a as f64 / (a + b) as f64
        }
    };
    if cases > 0 {
        eprintln!(
            "ui: {cases} cases, {found} findings right, {wrong} wrong, {missed} missed: precision {:.3}, recall {:.3}",
            ratio(found, wrong),
            ratio(found, missed)
        );
    }
    conclusion.exit_code()
}

type Totals = std::sync::Mutex<(usize, usize, usize, usize)>;

/// One case: its markers against its findings, its output against its snapshot.
fn check_case(dir: &Path, case: &Path, bless: bool, totals: &Totals) -> Result<(), String> {
    let r = run_case(case);
    if let Ok(mut t) = totals.lock() {
        t.0 += 1;
        t.1 += r.found;
        t.2 += r.wrong;
        t.3 += r.missed;
    }
    let mut failures = Vec::new();
    let snap = dir.join(format!("{}.stdout", r.name.trim_end_matches(".rs")));
    if bless {
        fs::write(&snap, &r.rendered).expect("write the snapshot");
    } else {
        match fs::read_to_string(&snap) {
            Ok(old) if old == r.rendered => {}
            Ok(old) => failures.push(format!(
                "output differs from {}:\n--- expected\n{old}\n--- actual\n{}",
                snap.display(),
                r.rendered
            )),
            Err(_) => failures.push(format!("no snapshot {} (run with BLESS=1)", snap.display())),
        }
    }
    failures.extend(r.problems);
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}
