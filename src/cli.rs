//! The command line: cargo's flags and rustc's levels, parsed with clap, run, rendered.
//! Returns an `Outcome`; `main` turns it into an exit status.

use crate::base::lint::{self, Level};
use crate::driver::Options;
use crate::emit::graph::GraphFormat;
use crate::emit::{self, Format};
use crate::load::Request;
use clap::{ArgMatches, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// Finds nested pool checkouts: a pool guard held while code checks out the same pool again.
#[derive(Parser, Debug)]
#[command(name = "poolcheck", version, args_conflicts_with_subcommands = true)]
pub(crate) struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Folders (their Cargo workspace or package, or every .rs below), Cargo.toml files, or
    /// .rs files (the report is limited to them; their whole crate is analysed)
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Path to Cargo.toml
    #[arg(long, value_name = "PATH")]
    manifest_path: Option<PathBuf>,
    /// Package(s) to report on
    #[arg(short = 'p', long = "package", value_name = "SPEC")]
    package: Vec<String>,
    /// Report on every package of the workspace
    #[arg(long)]
    workspace: bool,
    /// Exclude packages from the report (with --workspace)
    #[arg(long, value_name = "SPEC")]
    exclude: Vec<String>,
    /// Coloring
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    color: ColorWhen,
    /// Output format
    #[arg(long, value_enum, default_value = "human", value_name = "FMT")]
    message_format: Format,
    /// Set a lint to allow
    #[arg(short = 'A', long = "allow", value_name = "LINT")]
    allow: Vec<String>,
    /// Set a lint to warn
    #[arg(short = 'W', long = "warn", value_name = "LINT")]
    warn: Vec<String>,
    /// Set a lint to deny (`-D warnings` makes every warning an error)
    #[arg(short = 'D', long = "deny", value_name = "LINT")]
    deny: Vec<String>,
    /// No summary line
    #[arg(short, long)]
    quiet: bool,
    /// Stage timings on stderr
    #[arg(short, long, action = clap::ArgAction::Count)]
    verbose: u8,
    /// Report only findings not recorded in this baseline file
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    baseline: Option<PathBuf>,
    /// Record today's findings in this file (and exit 0): later runs with `--baseline FILE`
    /// report only new ones
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Worker threads for parsing and analysis (default: one per core)
    #[arg(long, value_name = "N", hide = true)]
    threads: Option<usize>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Print a lint's page
    Explain { lint: String },
    /// List the lints and their default levels
    Lints,
    /// Draw the checkout call graph: functions that check out each pool, the calls that reach
    /// them, and every nested checkout's path in red
    Graph {
        /// What to analyse, as for a normal run
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Path to Cargo.toml
        #[arg(long, value_name = "PATH")]
        manifest_path: Option<PathBuf>,
        /// Graphviz DOT, or a Mermaid flowchart (renders in GitHub markdown)
        #[arg(long, value_enum, default_value = "dot", value_name = "FMT")]
        format: GraphFormat,
    },
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing at error level.
    Clean,
    /// At least one error-level finding.
    Findings,
    /// The tool could not do its job.
    Failed,
}

fn ordered_levels(m: &ArgMatches) -> Vec<(String, Level)> {
    let mut v: Vec<(usize, String, Level)> = Vec::new();
    for (id, level) in [
        ("allow", Level::Allow),
        ("warn", Level::Warn),
        ("deny", Level::Deny),
    ] {
        if let (Some(idx), Some(vals)) = (m.indices_of(id), m.get_many::<String>(id)) {
            for (i, name) in idx.zip(vals) {
                v.push((i, name.clone(), level));
            }
        }
    }
    v.sort_by_key(|(i, _, _)| *i);
    v.into_iter().map(|(_, n, l)| (n, l)).collect()
}

/// Runs the command line `args` (the program's name first), writing the report to `out` and
/// problems to `err`.
pub fn run(mut args: Vec<OsString>, out: &mut dyn Write, err: &mut dyn Write) -> Outcome {
    // `cargo poolcheck ...` runs `cargo-poolcheck poolcheck ...`.
    let bin_name = if args.get(1).is_some_and(|a| a == "poolcheck") {
        args.remove(1);
        "cargo poolcheck"
    } else {
        "poolcheck"
    };
    let matches = match Cli::command()
        .bin_name(bin_name)
        .try_get_matches_from(&args)
    {
        Ok(m) => m,
        Err(e) => {
            // `--help` and `--version` are answers, on stdout; usage mistakes go to stderr.
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp
                | clap::error::ErrorKind::DisplayVersion
                | clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                    let _ = write!(out, "{}", e.render());
                    Outcome::Clean
                }
                _ => {
                    let _ = write!(err, "{}", e.render());
                    Outcome::Failed
                }
            };
        }
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => {
            let _ = write!(err, "{}", e.render());
            return Outcome::Failed;
        }
    };
    match &cli.command {
        Some(command) => subcommand(command, &cli, out, err),
        None => check(&cli, &matches, out, err),
    }
}

/// `poolcheck lints`, `explain` and `graph`.
fn subcommand(command: &Command, cli: &Cli, out: &mut dyn Write, err: &mut dyn Write) -> Outcome {
    match command {
        Command::Lints => {
            for l in lint::LINTS {
                let _ = writeln!(
                    out,
                    "{:<28} {:<6} {}",
                    l.name,
                    l.default.as_str(),
                    l.summary
                );
            }
            Outcome::Clean
        }
        Command::Explain { lint } => match lint::find(lint) {
            Some(l) => {
                let _ = write!(out, "{}", l.page);
                Outcome::Clean
            }
            None => {
                let _ = writeln!(
                    err,
                    "error: unknown lint `{lint}`; `poolcheck lints` lists them"
                );
                Outcome::Failed
            }
        },
        Command::Graph {
            paths,
            manifest_path,
            format,
        } => {
            let opts = Options {
                request: Request {
                    paths: paths.clone(),
                    manifest_path: manifest_path.clone(),
                    ..Request::default()
                },
                threads: cli.threads,
                ..Options::default()
            };
            match crate::driver::checkout_graph(&opts) {
                Ok(g) => match emit::graph::render(&g, *format, out) {
                    Ok(()) => Outcome::Clean,
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Outcome::Clean,
                    Err(e) => {
                        let _ = writeln!(err, "error: cannot write the graph: {e}");
                        Outcome::Failed
                    }
                },
                Err(e) => {
                    let _ = writeln!(err, "error: {e}");
                    Outcome::Failed
                }
            }
        }
    }
}

/// The check itself: analyse, report, and write the baseline when asked.
fn check(
    cli: &Cli,
    matches: &clap::ArgMatches,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Outcome {
    let opts = Options {
        request: Request {
            paths: cli.paths.clone(),
            manifest_path: cli.manifest_path.clone(),
            packages: cli.package.clone(),
            workspace: cli.workspace,
            exclude: cli.exclude.clone(),
        },
        levels: ordered_levels(matches),
        threads: cli.threads,
        baseline: cli.baseline.clone(),
    };
    let report = match crate::driver::analyse(&opts) {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return Outcome::Failed;
        }
    };
    if cli.verbose > 0 {
        let total: f64 = report.timings.iter().map(|(_, d)| d.as_secs_f64()).sum();
        for (stage, d) in &report.timings {
            let _ = writeln!(
                err,
                "poolcheck: {stage:<10} {:>9.3} ms",
                d.as_secs_f64() * 1000.0
            );
        }
        let _ = writeln!(
            err,
            "poolcheck: {:<10} {:>9.3} ms ({} files)",
            "total",
            total * 1000.0,
            report.files_analysed
        );
    }
    let color = match cli.color {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    };
    if let Err(e) = emit::render(&report, cli.message_format, color, cli.quiet, out) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            let _ = writeln!(err, "error: cannot write the report: {e}");
            return Outcome::Failed;
        }
    }
    if let Some(path) = &cli.write_baseline {
        let text = crate::report::baseline::render(&report.diagnostics, &report.sources);
        if let Err(e) = crate::load::write_file(path, &text) {
            let _ = writeln!(
                err,
                "error: cannot write the baseline `{}`: {e}",
                path.display()
            );
            return Outcome::Failed;
        }
        if !cli.quiet {
            let _ = writeln!(
                err,
                "poolcheck: recorded {} in `{}`",
                plural(
                    crate::report::baseline::count(&report.diagnostics),
                    "finding"
                ),
                path.display()
            );
        }
        return Outcome::Clean;
    }
    if report.errors() > 0 {
        Outcome::Findings
    } else {
        Outcome::Clean
    }
}

fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}
