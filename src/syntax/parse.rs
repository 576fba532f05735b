//! Parsing: every file in parallel, each parsed with syn (full) and lowered on the same thread
//! into the plain `ir` the rest of the pipeline reads (`lower`), its allow comments found and
//! its text released. Never fails: a file syn rejects becomes a diagnostic.

use crate::base::internal::{InternalError, Lost};
use crate::base::shelf::{Shelf, Shelved};
use crate::base::source::{FileId, Scope, SourceFile, SourceMap, Span};
use crate::ir::*;
use crate::syntax::allows::Allow;
use crate::syntax::lower::{parse_one, Macros};
use crate::syntax::macro_rules::MacroTable;

pub(crate) use crate::syntax::lower::MAX_EXPANSIONS;
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use std::collections::HashMap;

/// A file syn could not parse: where and why.
#[derive(Debug, Clone)]
pub(crate) struct ParseError {
    pub(crate) span: Span,
    pub(crate) message: String,
}

pub(crate) struct Parsed {
    /// One entry per file of the source map, `None` where it did not parse.
    pub(crate) files: Vec<Option<Slot<File>>>,
    /// Where the files are packed.
    pub(crate) shelf: Shelved,
    /// Where the functions' bodies are packed (see `ir::Body`).
    pub(crate) bodies: Shelved,
    pub(crate) errors: Vec<ParseError>,
    /// Files whose parse met a bug of ours: not analysed.
    pub(crate) internal: Vec<InternalError>,
    /// Per file: whether it declares a module in another file (`mod db;`, a `#[path]`).
    pub(crate) declares_mods: Vec<bool>,
    /// Files over the size limit, not parsed.
    pub(crate) too_big: Vec<FileId>,
    /// Files that used up their budget of macro expansions.
    pub(crate) capped: Vec<FileId>,
    /// Each file's allow comments, found while its text was at hand.
    pub(crate) allows: Vec<Vec<Allow>>,
    /// Every name a `mod name;` declares, with the package of the file declaring it, and every
    /// file name a `#[path]` gives (these may point out of the package): a file none of them
    /// names is no module of anything (see `index::ParsedFiles`).
    pub(crate) module_names: FxHashSet<(u32, String)>,
    pub(crate) path_names: FxHashSet<String>,
}

/// Parses every file in parallel (on the caller's thread pool, whose threads have stacks big
/// enough for deeply nested code: see `analyse`), then releases its text (see `SourceFile`).
pub(crate) fn parse_all(sources: &mut SourceMap, max_bytes: usize) -> Parsed {
    let mut internal = Vec::new();
    let (own, exported) = workspace_macros(sources, &mut internal);
    // Each file leaves its worker packed on a shelf (see `Shelf`), and is unpacked by the index
    // when the module tree reaches it.
    let shelf = Shelf::default();
    let body_shelf = Shelf::default();
    let results: Vec<FileResult> = sources
        .files
        .par_iter_mut()
        .enumerate()
        .map(|(i, f)| {
            let macros = Macros {
                own: own.get(&f.scope.package),
                exported: exported.get(&f.scope.workspace),
            };
            parse_file(i as FileId, f, macros, max_bytes, &shelf, &body_shelf)
        })
        .collect();
    let mut parsed = gather(results, internal, sources);
    parsed.shelf = shelf.into_shelved();
    parsed.bodies = body_shelf.into_shelved();
    parsed
}

/// The workspace's `macro_rules!`, from the few files that define any: each package's for its
/// own files (by package), the exported ones for its whole workspace (by workspace).
fn workspace_macros(
    sources: &SourceMap,
    internal: &mut Vec<InternalError>,
) -> (HashMap<u32, MacroTable>, HashMap<u32, MacroTable>) {
    let collected: Vec<(FileId, Scope, Result<MacroTable, String>)> = sources
        .files
        .par_iter()
        .enumerate()
        .filter(|(_, f)| f.text().contains("macro_rules!"))
        .map(|(i, f)| {
            let t = crate::base::internal::contain(|| {
                let mut t = MacroTable::default();
                crate::syntax::macro_rules::collect(f.text(), &mut t);
                t
            });
            proc_macro2::extra::invalidate_current_thread_spans();
            (i as FileId, f.scope, t)
        })
        .collect();
    let mut tables: Vec<(Scope, MacroTable)> = Vec::with_capacity(collected.len());
    for (id, scope, t) in collected {
        match t {
            Ok(t) => tables.push((scope, t)),
            // Its macros stay unexpanded; the file itself is still parsed.
            Err(detail) => internal.push(InternalError {
                lost: Lost::Part,
                what: format!("the macros of file `{}`", sources.get(id).name),
                at: Some(Span::new(id, 0, 0)),
                detail,
            }),
        }
    }
    let mut own: HashMap<u32, MacroTable> = HashMap::new();
    let mut exported: HashMap<u32, MacroTable> = HashMap::new();
    for (scope, t) in tables {
        let ex = exported.entry(scope.workspace).or_default();
        for name in &t.exported {
            if let Some(rules) = t.rules.get(name) {
                ex.rules
                    .entry(name.clone())
                    .or_insert_with(|| rules.clone());
            }
        }
        let table = own.entry(scope.package).or_default();
        for (k, v) in t.rules {
            table.rules.entry(k).or_insert(v);
        }
    }
    (own, exported)
}

/// What parsing one file gave, for `gather`.
enum Outcome {
    Parsed(Slot<File>, bool),
    Failed(ParseError),
    TooBig,
    // A bug of ours: the parse panicked, or its plain data could not be packed.
    Internal(String),
}

type FileResult = (Outcome, Result<Vec<Allow>, String>, ModuleNames);

/// One file: parsed and lowered (unless over `max_bytes`), packed onto `shelf` (its bodies
/// onto `body_shelf`), its allow comments found, its text released.
fn parse_file(
    id: FileId,
    f: &mut SourceFile,
    macros: Macros,
    max_bytes: usize,
    shelf: &Shelf,
    body_shelf: &Shelf,
) -> FileResult {
    let parsed = (f.len() <= max_bytes).then(|| {
        let text = f.text();
        let p = crate::base::internal::contain(|| parse_one(id, text, macros, body_shelf));
        // A panic leaves the thread's span table behind it; the next file starts afresh.
        proc_macro2::extra::invalidate_current_thread_spans();
        p
    });
    let items = match &parsed {
        Some(Ok(Ok(p))) => p.item_spans.as_slice(),
        _ => &[],
    };
    // A bug reading allow comments leaves the file without them, and says so.
    let allows =
        crate::base::internal::contain(|| crate::syntax::allows::find_allows(f, id, items));
    f.release();
    let mut names = ModuleNames {
        package: f.scope.package,
        ..ModuleNames::default()
    };
    if let Some(Ok(Ok(p))) = &parsed {
        module_names(&p.items, &mut names);
    }
    let outcome = match parsed {
        None => Outcome::TooBig,
        Some(Err(detail)) => Outcome::Internal(detail),
        Some(Ok(Err(e))) => Outcome::Failed(e),
        Some(Ok(Ok(mut p))) => {
            // Only the allow comments needed them.
            p.item_spans = Vec::new();
            match shelf.put(&p) {
                Some(packed) => Outcome::Parsed(packed, p.expansions_capped),
                None => Outcome::Internal("its parsed items could not be packed".into()),
            }
        }
    };
    (outcome, allows, names)
}

/// The files' results, in file order, as one `Parsed`.
fn gather(results: Vec<FileResult>, internal: Vec<InternalError>, sources: &SourceMap) -> Parsed {
    let mut parsed = Parsed {
        files: Vec::with_capacity(results.len()),
        errors: Vec::new(),
        internal,
        declares_mods: Vec::with_capacity(results.len()),
        too_big: Vec::new(),
        capped: Vec::new(),
        allows: Vec::with_capacity(results.len()),
        shelf: Shelved::default(),
        bodies: Shelved::default(),
        module_names: FxHashSet::default(),
        path_names: FxHashSet::default(),
    };
    for (i, (outcome, allows, names)) in results.into_iter().enumerate() {
        let package = names.package;
        parsed
            .declares_mods
            .push(!names.mods.is_empty() || !names.paths.is_empty());
        parsed
            .module_names
            .extend(names.mods.into_iter().map(|n| (package, n)));
        parsed.path_names.extend(names.paths);
        let id = i as FileId;
        parsed.allows.push(match allows {
            Ok(a) => a,
            Err(detail) => {
                parsed.internal.push(InternalError {
                    lost: Lost::Part,
                    what: format!("the allow comments of file `{}`", sources.get(id).name),
                    at: Some(Span::new(id, 0, 0)),
                    detail,
                });
                Vec::new()
            }
        });
        parsed.files.push(match outcome {
            Outcome::Parsed(f, capped) => {
                if capped {
                    parsed.capped.push(id);
                }
                Some(f)
            }
            Outcome::Failed(e) => {
                parsed.errors.push(e);
                None
            }
            Outcome::TooBig => {
                parsed.too_big.push(id);
                None
            }
            Outcome::Internal(detail) => {
                parsed.internal.push(InternalError {
                    lost: Lost::File,
                    what: format!("file `{}`", sources.get(id).name),
                    at: Some(Span::new(id, 0, 0)),
                    detail,
                });
                None
            }
        });
    }
    parsed
}

/// What the `mod` items of one file could name as files.
#[derive(Default)]
struct ModuleNames {
    package: u32,
    mods: Vec<String>,
    paths: Vec<String>,
}

/// The names of a file's `mod name;` items and the file names of its `#[path]`s, inline
/// modules included.
fn module_names(items: &[Item], out: &mut ModuleNames) {
    for item in items {
        if let Item::Mod {
            name,
            body,
            path_attr,
            ..
        } = item
        {
            match body {
                Some(inner) => module_names(inner, out),
                None => out.mods.push(name.clone()),
            }
            out.paths.extend(path_attr.iter().map(|p| {
                let file = p.rsplit(['/', '\\']).next().unwrap_or(p);
                file.to_string()
            }));
        }
    }
}
