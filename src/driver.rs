//! The pipeline as one function: load, parse, index, summarize, run the lints, report.

use crate::base::diag::{Diagnostic, Label};
use crate::base::internal::{contain, InternalError, Lost};
use crate::base::lint::{self, Level};
use crate::base::source;
use crate::load::{self, Fatal, Request};
use crate::report::{baseline, graph, suppress, Report};
use crate::syntax::{allows, parse};
use crate::{analysis, config, index, lints};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// What a run is asked to do.
#[derive(Debug, Default, Clone)]
pub struct Options {
    pub request: Request,
    /// Lint levels from the command line, in the order given (`warnings` for `-D warnings`).
    pub levels: Vec<(String, Level)>,
    pub threads: Option<usize>,
    /// `--baseline FILE`: findings recorded there are not reported.
    pub baseline: Option<std::path::PathBuf>,
}

/// The levels in force: defaults, then the command line in order.
pub(crate) fn levels(
    config: &config::Config,
    opts: &Options,
) -> Result<HashMap<&'static str, Level>, Fatal> {
    levels_for(config, &[], opts)
}

/// The levels in force in one package: defaults, the workspace's file, the package's own
/// table, then the command line.
pub(crate) fn levels_for(
    config: &config::Config,
    package: &[(String, Level)],
    opts: &Options,
) -> Result<HashMap<&'static str, Level>, Fatal> {
    let mut map: HashMap<&'static str, Level> =
        lint::LINTS.iter().map(|l| (l.name, l.default)).collect();
    let mut warnings_deny = false;
    for (name, level) in config.levels.iter().chain(package).chain(&opts.levels) {
        if name == "warnings" {
            warnings_deny = *level == Level::Deny;
            continue;
        }
        let Some(l) = lint::find(name) else {
            let known: Vec<&str> = lint::LINTS.iter().map(|l| l.name).collect();
            return Err(Fatal(format!(
                "unknown lint `{name}` (known lints: {})",
                known.join(", ")
            )));
        };
        map.insert(l.name, *level);
    }
    if warnings_deny {
        for v in map.values_mut() {
            if *v == Level::Warn {
                *v = Level::Deny;
            }
        }
    }
    Ok(map)
}

/// syn and the walks over the IR recurse on nesting: every stage runs on threads whose stack
/// holds a 10 000-deep nesting of blocks, parentheses or closures.
const STACK: usize = 512 * 1024 * 1024;

/// Runs `work` on worker threads with stacks deep enough for any nesting.
fn on_workers<T: Send>(
    opts: &Options,
    work: impl FnOnce() -> Result<T, Fatal> + Send,
) -> Result<T, Fatal> {
    let mut builder = rayon::ThreadPoolBuilder::new().stack_size(STACK);
    if let Some(n) = opts.threads {
        builder = builder.num_threads(n.max(1));
    }
    match builder.build() {
        Ok(pool) => pool.install(work),
        Err(e) => Err(Fatal(format!("cannot start worker threads: {e}"))),
    }
}

/// The whole pipeline.
pub fn analyse(opts: &Options) -> Result<Report, Fatal> {
    on_workers(opts, || whole_run(|| pipeline(opts)))
}

/// The checkout call graph (`poolcheck graph`).
pub(crate) fn checkout_graph(opts: &Options) -> Result<graph::CheckoutGraph, Fatal> {
    on_workers(opts, || {
        whole_run(|| {
            let p = program(opts, &mut Vec::new())?;
            let (findings, _) = lints::nested_checkout::check(&p.ix, &p.analysis);
            Ok(graph::build(&p.ix, &p.analysis, &findings, &p.ws.sources))
        })
    })
}

/// A bug of ours outside any one function or file (loading, the index, the report) leaves
/// nothing to report: a clear error, and exit status 2, never a crash.
fn whole_run<T>(run: impl FnOnce() -> Result<T, Fatal>) -> Result<T, Fatal> {
    contain(run).unwrap_or_else(|detail| {
        Err(Fatal(format!(
            "internal error: {detail}; nothing could be analysed. This is a bug in poolcheck: \
             please report it to its issue tracker with this message"
        )))
    })
}

/// The program as every command starts from it: loaded, parsed, indexed and summarized.
struct Program {
    ws: load::Workspace,
    parse_errors: Vec<parse::ParseError>,
    too_big: Vec<source::FileId>,
    capped: Vec<source::FileId>,
    allows: Vec<Vec<allows::Allow>>,
    /// Files whose parse or indexing met a bug of ours.
    internal: Vec<InternalError>,
    ix: index::Index,
    analysis: analysis::Analysis,
}

static STAGE_HOOK: std::sync::OnceLock<fn(&'static str)> = std::sync::OnceLock::new();

/// Registers a function called after each stage of the pipeline with the stage's name (the
/// binary tunes its allocator to what the next stages do).
pub fn set_stage_hook(hook: fn(&'static str)) {
    let _ = STAGE_HOOK.set(hook);
}

fn lap(timings: &mut Vec<(&'static str, Duration)>, name: &'static str, t: &mut Instant) {
    if let Some(hook) = STAGE_HOOK.get() {
        hook(name);
    }
    timings.push((name, t.elapsed()));
    *t = Instant::now();
}

fn program(opts: &Options, timings: &mut Vec<(&'static str, Duration)>) -> Result<Program, Fatal> {
    let mut t = Instant::now();
    let mut ws = load::load(&opts.request)?;
    lap(timings, "load", &mut t);
    let mut parsed = parse::parse_all(&mut ws.sources, ws.config.max_file_bytes());
    lap(timings, "parse", &mut t);
    let mut files = index::ParsedFiles::take_from(&mut parsed);
    let mut ix = index::build(&ws, &mut files);
    if let Some(e) = ix.config_errors.first() {
        return Err(Fatal(e.clone()));
    }
    let mut internal = parsed.internal;
    files.undecodable.sort_unstable();
    files.undecodable.dedup();
    for &f in &files.undecodable {
        internal.push(InternalError {
            lost: Lost::File,
            what: format!("file `{}`", ws.sources.get(f).name),
            at: Some(source::Span::new(f, 0, 0)),
            detail: "its packed items could not be decoded".into(),
        });
    }
    drop(files);
    lap(timings, "index", &mut t);
    // Each body is unpacked once, by the walk of its function.
    let bodies = ix.take_bodies();
    let analysis = analysis::summarize(&ix, bodies, parsed.bodies);
    lap(timings, "summarize", &mut t);
    Ok(Program {
        ws,
        parse_errors: parsed.errors,
        too_big: parsed.too_big,
        capped: parsed.capped,
        allows: parsed.allows,
        internal,
        ix,
        analysis,
    })
}

fn pipeline(opts: &Options) -> Result<Report, Fatal> {
    let mut timings = Vec::new();
    let program = program(opts, &mut timings)?;
    let mut t = Instant::now();
    let levels = Levels::of(&program, opts)?;
    let (mut diagnostics, mut internal) = run_lints(&program, &levels);
    lap(&mut timings, "check", &mut t);
    internal.extend(program.internal.iter().cloned());
    internal.extend(program.analysis.internal.iter().cloned());
    internal.sort_by(|a, b| (a.at, &a.what, &a.detail).cmp(&(b.at, &b.what, &b.detail)));
    internal.dedup();
    nothing_analysed(&program, &internal)?;
    diagnostics.extend(internal.iter().map(Diagnostic::internal_error));
    diagnostics.extend(input_warnings(&program));
    let Program {
        ws,
        allows,
        ix,
        analysis,
        ..
    } = program;

    let mut file_crate: HashMap<u32, usize> = HashMap::new();
    for m in &ix.mods {
        file_crate
            .entry(m.file)
            .or_insert(ix.crates[m.krate as usize].spec);
    }
    let enabled = |lint: &str| levels.all.get(lint).is_some_and(|l| *l != Level::Allow);
    let mut diagnostics = suppress::apply(allows, diagnostics, &enabled, &|f| {
        file_crate.get(&f).copied()
    });
    let mut crates = ws.crates.clone();
    crates.extend(ix.loose_specs.iter().cloned());
    // Only what was asked about is reported: the files named, the packages selected.
    diagnostics.retain(|d| {
        let Some(p) = &d.primary else { return true };
        if ws.config.excludes(&ws.sources.get(p.span.file).name) {
            return false;
        }
        if let Some(only) = &ws.report_only {
            if !only.contains(&p.span.file) {
                return false;
            }
        }
        match d.krate.and_then(|k| crates.get(k)) {
            Some(c) => c.package.selected,
            None => true,
        }
    });
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup_by(|a, b| a.sort_key() == b.sort_key() && a.primary == b.primary);
    let mut baselined = 0;
    if let Some(path) = &opts.baseline {
        let text = load::read_baseline(path)?;
        let base = baseline::Baseline::parse(&path.display().to_string(), &text).map_err(Fatal)?;
        baselined = base.apply(&mut diagnostics, &ws.sources);
    }
    lap(&mut timings, "report", &mut t);
    // Freeing the index and the summaries is millions of small frees (a few percent of a
    // run): done beside the output rather than before it; the process often ends first.
    std::thread::spawn(move || drop((ix, analysis)));

    Ok(Report {
        root: ws.root,
        diagnostics,
        files_analysed: ws.sources.files.len(),
        baselined,
        sources: ws.sources,
        crates,
        timings,
    })
}

/// The levels in force: the workspace's, and each package's (its own table refines the
/// workspace's), by the crate's index among the workspace's crates and then the loose ones.
struct Levels {
    all: HashMap<&'static str, Level>,
    packages: Vec<HashMap<&'static str, Level>>,
}

impl Levels {
    fn of(p: &Program, opts: &Options) -> Result<Levels, Fatal> {
        let all = levels(&p.ws.config, opts)?;
        let mut packages = Vec::new();
        for spec in p.ws.crates.iter().chain(p.ix.loose_specs.iter()) {
            packages.push(levels_for(&p.ws.config, &spec.package.levels, opts)?);
        }
        Ok(Levels { all, packages })
    }

    /// A finding's level: its crate's package's.
    fn of_finding(&self, krate: Option<usize>, lint: &str) -> Level {
        let l = krate
            .and_then(|k| self.packages.get(k))
            .unwrap_or(&self.all);
        l.get(lint).copied().unwrap_or(Level::Allow)
    }

    /// A lint runs when some package has it on.
    fn on(&self, lint: &str) -> bool {
        std::iter::once(&self.all)
            .chain(self.packages.iter())
            .any(|l| l.get(lint).is_some_and(|x| *x != Level::Allow))
    }
}

/// Every pass that some package has on, in the registry's order; each finding at its own
/// package's level. A finding at code already reported as part of a deadlock is left out
/// for a lint that yields to deadlocks. A pass or a rendering that meets a bug of ours
/// becomes an internal error, and the rest goes on.
fn run_lints(p: &Program, levels: &Levels) -> (Vec<Diagnostic>, Vec<InternalError>) {
    let mut diagnostics = Vec::new();
    let mut internal = Vec::new();
    let cx = lints::LintCx {
        ix: &p.ix,
        an: &p.analysis,
        sources: &p.ws.sources,
        config: &p.ws.config,
    };
    let mut deadlocks: Vec<source::Span> = Vec::new();
    for pass in lints::PASSES {
        let lint = pass.lint();
        if !levels.on(lint.name) {
            continue;
        }
        let checked = match contain(|| pass.check(&cx)) {
            Ok(c) => c,
            Err(detail) => {
                internal.push(InternalError {
                    lost: Lost::Part,
                    what: format!("the lint `{}`", lint.name),
                    at: None,
                    detail,
                });
                continue;
            }
        };
        internal.extend(checked.internal);
        for f in checked.findings {
            let at = f.at();
            if lint.yields_to_deadlocks
                && deadlocks
                    .iter()
                    .any(|s| s.file == at.file && s.lo >= at.lo && s.hi <= at.hi)
            {
                continue;
            }
            deadlocks.extend(f.deadlock_sites());
            match contain(|| f.to_diagnostic(&cx)) {
                Ok(d) => {
                    if let Some(severity) = levels.of_finding(d.krate, lint.name).severity() {
                        diagnostics.push(Diagnostic { severity, ..d });
                    }
                }
                Err(detail) => internal.push(InternalError {
                    lost: Lost::Part,
                    what: format!("a finding of `{}`", lint.name),
                    at: Some(at),
                    detail,
                }),
            }
        }
    }
    (diagnostics, internal)
}

/// Every function (or, with none, every file) met a bug of ours: there is no result to give,
/// only the bug.
fn nothing_analysed(p: &Program, internal: &[InternalError]) -> Result<(), Fatal> {
    let failed_fns: std::collections::HashSet<_> = p
        .analysis
        .internal
        .iter()
        .map(|e| (e.at, &e.what))
        .collect();
    let failed_files = internal.iter().filter(|e| e.lost == Lost::File).count();
    let nothing = if p.ix.fns.is_empty() {
        failed_files > 0 && failed_files == p.ws.sources.files.len()
    } else {
        failed_fns.len() >= p.ix.fns.len()
    };
    match (nothing, internal.first()) {
        (true, Some(first)) => Err(Fatal(format!(
            "internal error while analysing {}: {}; nothing could be analysed. This is a bug \
             in poolcheck: please report it to its issue tracker with this message",
            first.what, first.detail
        ))),
        _ => Ok(()),
    }
}

/// What the input itself makes worth saying: files that do not parse (in a module tree), are
/// too large or expand too many macros, and the loader's and the index's warnings.
fn input_warnings(p: &Program) -> Vec<Diagnostic> {
    let (ws, ix) = (&p.ws, &p.ix);
    let mut diagnostics = Vec::new();
    // A file outside every module tree (a script beside the crate, a fixture) is not part of
    // the program: its syntax is not ours to report.
    for e in p
        .parse_errors
        .iter()
        .filter(|e| ix.reached.contains(&e.span.file))
    {
        let name = ws.sources.get(e.span.file).name.clone();
        let mut d = Diagnostic::input_warning(
            format!("`{name}` could not be parsed: {}", e.message),
            Some(Label {
                span: e.span,
                text: e.message.clone(),
            }),
            None,
        );
        d.notes
            .push("this file is not analysed; the rest of the workspace is".into());
        diagnostics.push(d);
    }
    for &f in &p.too_big {
        let file = ws.sources.get(f);
        let mut d = Diagnostic::input_warning(
            format!(
                "is {:.1} MB, over the {} MB limit for a source file: not analysed",
                file.len() as f64 / (1 << 20) as f64,
                ws.config.max_file_bytes() >> 20
            ),
            None,
            Some(file.name.clone()),
        );
        d.notes.push(
            "a file this large is generated code; to analyse it anyway, raise \
             `max_file_size_mb` in poolcheck.toml"
                .into(),
        );
        diagnostics.push(d);
    }
    for &f in &p.capped {
        diagnostics.push(Diagnostic::input_warning(
            format!(
                "expands more than {} workspace macro calls: the rest stay unexpanded, and a checkout inside them is not seen",
                parse::MAX_EXPANSIONS
            ),
            None,
            Some(ws.sources.get(f).name.clone()),
        ));
    }
    for w in ws.warnings.iter().chain(ix.warnings.iter()) {
        diagnostics.push(Diagnostic::input_warning(
            w.message.clone(),
            w.span.map(|s| Label {
                span: s,
                text: String::new(),
            }),
            Some(w.path.clone()),
        ));
    }
    diagnostics
}
