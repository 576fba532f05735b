//! Parsing: each file with syn (full), in parallel, lowered on the same thread into the plain
//! `ir` the rest of the pipeline reads. Never fails: a file syn rejects becomes a diagnostic.

use crate::base::internal::{InternalError, Lost};
use crate::base::shelf::{Shelf, Shelved};
use crate::base::source::{FileId, Scope, SourceMap, Span};
use crate::config::known;
use crate::ir::*;
use crate::syntax::allows::Allow;
use crate::syntax::macro_rules::{Lexed, MacroTable};
use proc_macro2::Span as PSpan;
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use syn::parse::ParseStream;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;

/// A file syn could not parse: where and why.
#[derive(Debug, Clone)]
pub struct ParseError {
    pub span: Span,
    pub message: String,
}

pub struct Parsed {
    /// One entry per file of the source map, `None` where it did not parse.
    pub files: Vec<Option<Slot<File>>>,
    /// Where the files are packed.
    pub shelf: Shelved,
    /// Where the functions' bodies are packed (see `ir::Body`).
    pub bodies: Shelved,
    pub errors: Vec<ParseError>,
    /// Files whose parse met a bug of ours: not analysed.
    pub internal: Vec<InternalError>,
    /// Per file: whether it declares a module in another file (`mod db;`, a `#[path]`).
    pub declares_mods: Vec<bool>,
    /// Files over the size limit, not parsed.
    pub too_big: Vec<FileId>,
    /// Files that used up their budget of macro expansions.
    pub capped: Vec<FileId>,
    /// Each file's allow comments, found while its text was at hand.
    pub allows: Vec<Vec<Allow>>,
    /// Every name a `mod name;` declares, with the package of the file declaring it, and every
    /// file name a `#[path]` gives (these may point out of the package): a file none of them
    /// names is no module of anything (see `index::ParsedFiles`).
    pub module_names: FxHashSet<(u32, String)>,
    pub path_names: FxHashSet<String>,
}

/// Parses every file in parallel (on the caller's thread pool, whose threads have stacks big
/// enough for deeply nested code: see `analyse`), then releases its text (see `SourceFile`).
pub fn parse_all(sources: &mut SourceMap, max_bytes: usize) -> Parsed {
    // The workspace's `macro_rules!`, from the few files that define any: each package's for
    // its own files, the exported ones for its whole workspace.
    let mut internal = Vec::new();
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
    // Each file leaves its worker packed on a shelf (see `Shelf`), and is unpacked by the index
    // when the module tree reaches it.
    let shelf = Shelf::default();
    let body_shelf = Shelf::default();
    enum Outcome {
        Parsed(Slot<File>, bool),
        Failed(ParseError),
        TooBig,
        // A bug of ours: the parse panicked, or its plain data could not be packed.
        Internal(String),
    }
    let results: Vec<(Outcome, Result<Vec<Allow>, String>, ModuleNames)> = sources
        .files
        .par_iter_mut()
        .enumerate()
        .map(|(i, f)| {
            let id = i as FileId;
            let parsed = (f.len() <= max_bytes).then(|| {
                let macros = Macros {
                    own: own.get(&f.scope.package),
                    exported: exported.get(&f.scope.workspace),
                };
                let text = f.text();
                let p = crate::base::internal::contain(|| parse_one(id, text, macros, &body_shelf));
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
        })
        .collect();
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
    parsed.shelf = shelf.into_shelved();
    parsed.bodies = body_shelf.into_shelved();
    parsed
}

/// Workspace macro calls expanded per file at most. Macros that call others several times, a
/// few levels deep, multiply: 200 calls of a macro that fans out 16-fold four levels down are
/// 13 million expansions (a minute and gigabytes). Real files stay far below this.
pub const MAX_EXPANSIONS: u32 = 20_000;

/// The `macro_rules!` a file can use: its package's, then those its workspace exports.
#[derive(Clone, Copy)]
struct Macros<'t> {
    own: Option<&'t MacroTable>,
    exported: Option<&'t MacroTable>,
}

impl<'t> Macros<'t> {
    fn rules(&self, name: &str) -> Option<&'t [(String, String)]> {
        self.own
            .and_then(|t| t.rules.get(name))
            .or_else(|| self.exported.and_then(|t| t.rules.get(name)))
            .map(Vec::as_slice)
    }
}

fn parse_one(file: FileId, text: &str, macros: Macros, bodies: &Shelf) -> Result<File, ParseError> {
    // A leading BOM is not Rust syntax; rustc skips it, so do we. Offsets stay those of `text`.
    let (body, shift) = match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, 3),
        None => (text, 0),
    };
    let mut cx = Lower {
        bodies,
        text: body,
        lines: Lines::new(body),
        file,
        shift,
        nested: Vec::new(),
        item_spans: Vec::new(),
        macros,
        lexed: HashMap::new(),
        expansion_depth: 0,
        expansions_left: MAX_EXPANSIONS,
    };
    // Item by item, each lowered and freed before the next is parsed: the syntax tree of a
    // whole file is some forty times its bytes, and two at once (one per worker) were the peak
    // of the parse stage on a crate with a few 300 kB files.
    let parse_items = |input: ParseStream| -> syn::Result<Vec<Item>> {
        input.call(syn::Attribute::parse_inner)?;
        let mut items = Vec::new();
        while !input.is_empty() {
            let item: syn::Item = input.parse()?;
            cx.item(&item, &mut items);
        }
        Ok(items)
    };
    let content = without_shebang(body);
    let cut = shift + body.len() - content.len();
    let result = match syn::parse::Parser::parse_str(parse_items, content) {
        Ok(mut items) => {
            items.append(&mut cx.nested);
            Ok(File {
                items,
                item_spans: cx.item_spans,
                expansions_capped: cx.expansions_left == 0,
            })
        }
        Err(e) => {
            let r = e.span().byte_range();
            Err(ParseError {
                span: Span::new(file, r.start + cut, r.end + cut),
                message: e.to_string(),
            })
        }
    };
    // The spans of this file are plain data now; free proc-macro2's per-thread copy of it.
    proc_macro2::extra::invalidate_current_thread_spans();
    result
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

/// The file from the end of its first line on, if that line is a shebang (`#!/usr/bin/env ..`,
/// not an inner attribute `#![..]`), as `syn::parse_file` does: lines and columns stay those
/// of the whole file.
fn without_shebang(text: &str) -> &str {
    match text.strip_prefix("#!") {
        Some(rest) if !rest.trim_start().starts_with('[') => {
            text.find('\n').map(|i| &text[i..]).unwrap_or("")
        }
        _ => text,
    }
}

/// Where each line starts, and whether it is plain ASCII (then a column is a byte count).
struct Lines {
    starts: Vec<usize>,
    ascii: Vec<bool>,
    /// For lines that are not ASCII, once asked: the byte offset of each character. Counting
    /// characters from the line's start at every span would be quadratic on a long line.
    wide: RefCell<HashMap<usize, Vec<u32>>>,
}

impl Lines {
    fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        let mut ascii = Vec::new();
        let mut plain = true;
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                starts.push(i + 1);
                ascii.push(plain);
                plain = true;
            } else if b >= 0x80 {
                plain = false;
            }
        }
        ascii.push(plain);
        Lines {
            starts,
            ascii,
            wide: RefCell::new(HashMap::new()),
        }
    }
}

struct Lower<'t> {
    /// Where function bodies are packed.
    bodies: &'t Shelf,
    text: &'t str,
    lines: Lines,
    macros: Macros<'t>,
    /// The rules of the macros used so far in this file, lexed.
    lexed: HashMap<String, Rc<Lexed>>,
    /// How many workspace macros deep the code being lowered is.
    expansion_depth: u32,
    /// How many more workspace macro calls this file may expand (see `MAX_EXPANSIONS`).
    expansions_left: u32,
    file: FileId,
    shift: usize,
    /// Items declared inside function bodies: indexed as if in the enclosing module.
    nested: Vec<Item>,
    item_spans: Vec<Span>,
}

fn ident(i: &syn::Ident) -> String {
    let s = i.to_string();
    s.strip_prefix("r#").map(str::to_string).unwrap_or(s)
}

fn segs(p: &syn::Path) -> Segs {
    let mut v: Segs = p.segments.iter().map(|s| ident(&s.ident)).collect();
    if p.leading_colon.is_some() {
        v.insert(0, "::".into());
    }
    v
}

impl Lower<'_> {
    /// A proc-macro2 span as byte offsets. Line and column (cheap binary searches) are turned
    /// into bytes with the file's own line table; `byte_range` would cache every offset asked.
    fn sp(&self, s: PSpan) -> Span {
        let lo = self.byte(s.start());
        let hi = self.byte(s.end());
        Span::new(self.file, lo + self.shift, hi.max(lo) + self.shift)
    }

    fn byte(&self, lc: proc_macro2::LineColumn) -> usize {
        let Some(&start) = self.lines.starts.get(lc.line.wrapping_sub(1)) else {
            return self.text.len();
        };
        if self.lines.ascii.get(lc.line - 1).copied().unwrap_or(false) {
            return start + lc.column;
        }
        let end = self
            .lines
            .starts
            .get(lc.line)
            .copied()
            .unwrap_or(self.text.len());
        let mut wide = self.lines.wide.borrow_mut();
        let chars = wide.entry(lc.line - 1).or_insert_with(|| {
            self.text[start..end]
                .char_indices()
                .map(|(i, _)| i as u32)
                .collect()
        });
        chars
            .get(lc.column)
            .map(|&i| start + i as usize)
            .unwrap_or(end)
    }
    fn sp2(&self, a: PSpan, b: PSpan) -> Span {
        self.sp(a).to(self.sp(b))
    }

    fn items(&mut self, items: &[syn::Item]) -> Vec<Item> {
        let mut out = Vec::new();
        for it in items {
            self.item(it, &mut out);
        }
        out
    }

    fn item(&mut self, it: &syn::Item, out: &mut Vec<Item>) {
        match it {
            syn::Item::Mod(m) => {
                let end = match &m.content {
                    Some((b, _)) => b.span.close(),
                    None => m.semi.map(|s| s.span).unwrap_or(m.ident.span()),
                };
                let span = self.sp2(m.mod_token.span, end);
                self.item_spans.push(span);
                let str_value = |e: &syn::Expr| match e {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) => Some(s.value()),
                    _ => None,
                };
                let mut path_attr = Vec::new();
                for a in &m.attrs {
                    if a.path().is_ident("path") {
                        if let syn::Meta::NameValue(nv) = &a.meta {
                            path_attr.extend(str_value(&nv.value));
                        }
                    } else if a.path().is_ident("cfg_attr") {
                        // `#[cfg_attr(unix, path = "sys/unix.rs")]`: a candidate, whatever the cfg.
                        let metas = a.parse_args_with(
                            Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
                        );
                        for meta in metas.iter().flatten().skip(1) {
                            if let syn::Meta::NameValue(nv) = meta {
                                if nv.path.is_ident("path") {
                                    path_attr.extend(str_value(&nv.value));
                                }
                            }
                        }
                    }
                }
                let body = m.content.as_ref().map(|(_, items)| self.items(items));
                out.push(Item::Mod {
                    name: ident(&m.ident),
                    body,
                    path_attr,
                    span: self.sp(m.ident.span()),
                });
            }
            syn::Item::Use(u) => {
                let mut entries = Vec::new();
                flatten_use(&u.tree, &mut Vec::new(), &mut entries);
                out.push(Item::Use(entries));
            }
            syn::Item::Fn(f) => {
                let def = self.fn_def(&f.sig, Some(&f.block));
                out.push(Item::Fn(Box::new(def)));
            }
            syn::Item::Struct(s) => {
                let fields = s
                    .fields
                    .iter()
                    .enumerate()
                    .map(|(i, f)| {
                        (
                            f.ident.as_ref().map(ident).unwrap_or_else(|| i.to_string()),
                            ty(&f.ty),
                        )
                    })
                    .collect();
                let mut derives = Vec::new();
                for a in &s.attrs {
                    if a.path().is_ident("derive") {
                        let _ = a.parse_nested_meta(|m| {
                            if let Some(last) = m.path.segments.last() {
                                derives.push(ident(&last.ident));
                            }
                            Ok(())
                        });
                    }
                }
                out.push(Item::Struct {
                    name: ident(&s.ident),
                    generics: generics(&s.generics),
                    fields,
                    derives,
                    span: self.sp(s.ident.span()),
                });
            }
            syn::Item::Enum(e) => out.push(Item::Enum {
                name: ident(&e.ident),
            }),
            syn::Item::Union(u) => out.push(Item::Enum {
                name: ident(&u.ident),
            }),
            syn::Item::Impl(i) => {
                let span = self.sp2(i.impl_token.span, i.brace_token.span.close());
                self.item_spans.push(span);
                let mut fns = Vec::new();
                let mut deref_target = None;
                for ii in &i.items {
                    match ii {
                        syn::ImplItem::Fn(f) => fns.push(self.fn_def(&f.sig, Some(&f.block))),
                        syn::ImplItem::Type(t) if t.ident == known::DEREF_TARGET => {
                            deref_target = Some(ty(&t.ty))
                        }
                        _ => {}
                    }
                }
                let trait_ = i.trait_.as_ref().map(|(_, p, _)| segs(p));
                let mut generics = generics(&i.generics);
                if trait_
                    .as_ref()
                    .is_none_or(|t| t.last().is_none_or(|l| l != known::DEREF))
                {
                    deref_target = None;
                }
                generics.params.shrink_to_fit();
                out.push(Item::Impl(Box::new(ImplDef {
                    generics,
                    self_ty: ty(&i.self_ty),
                    trait_,
                    fns,
                    deref_target,
                })));
            }
            syn::Item::Trait(t) => {
                let span = self.sp2(t.trait_token.span, t.brace_token.span.close());
                self.item_spans.push(span);
                let fns = t
                    .items
                    .iter()
                    .filter_map(|ti| match ti {
                        syn::TraitItem::Fn(f) => Some(self.fn_def(&f.sig, f.default.as_ref())),
                        _ => None,
                    })
                    .collect();
                out.push(Item::Trait {
                    name: ident(&t.ident),
                    generics: generics(&t.generics),
                    fns,
                });
            }
            syn::Item::Type(t) => out.push(Item::Alias {
                name: ident(&t.ident),
                ty: ty(&t.ty),
            }),
            syn::Item::Static(s) => out.push(Item::Static {
                name: ident(&s.ident),
                ty: ty(&s.ty),
                init: Some(self.expr(&s.expr)),
                span: self.sp(s.ident.span()),
            }),
            syn::Item::Const(c) => out.push(Item::Static {
                name: ident(&c.ident),
                ty: ty(&c.ty),
                init: Some(self.expr(&c.expr)),
                span: self.sp(c.ident.span()),
            }),
            syn::Item::ExternCrate(e) => out.push(Item::ExternCrate {
                name: ident(&e.ident),
                alias: e.rename.as_ref().map(|(_, i)| ident(i)),
            }),
            syn::Item::Macro(m) => {
                let name = m
                    .mac
                    .path
                    .segments
                    .last()
                    .map(|s| ident(&s.ident))
                    .unwrap_or_default();
                if known::STATIC_MACROS.contains(&name.as_str()) {
                    if let Ok(statics) = m.mac.parse_body_with(parse_lazy_statics) {
                        for (name, t, init) in statics {
                            let span = self.sp(name.span());
                            out.push(Item::Static {
                                name: ident(&name),
                                ty: ty(&t),
                                init: Some(self.expr(&init)),
                                span,
                            });
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn fn_def(&mut self, sig: &syn::Signature, body: Option<&syn::Block>) -> FnDef {
        if let Some(b) = body {
            let span = self.sp2(sig.fn_token.span, b.brace_token.span.close());
            self.item_spans.push(span);
        }
        let mut self_param = None;
        let mut params = Vec::new();
        for input in &sig.inputs {
            match input {
                syn::FnArg::Receiver(r) => {
                    // `self: Arc<Self>` and friends take self by value too.
                    self_param = Some(
                        r.reference.is_none() && r.colon_token.is_none()
                            || matches!(&*r.ty, syn::Type::Path(_)) && r.reference.is_none(),
                    );
                }
                syn::FnArg::Typed(pt) => params.push((self.pat(&pt.pat), ty(&pt.ty))),
            }
        }
        let ret = match &sig.output {
            syn::ReturnType::Default => Ty::Tuple(Vec::new()),
            syn::ReturnType::Type(_, t) => ty(t),
        };
        FnDef {
            name: ident(&sig.ident),
            span: self.sp(sig.ident.span()),
            generics: generics(&sig.generics),
            self_param,
            params,
            ret,
            is_async: sig.asyncness.is_some(),
            body: body.and_then(|b| self.bodies.put(&self.block(b))),
        }
    }

    fn block(&mut self, b: &syn::Block) -> Block {
        let stmts = b.stmts.iter().filter_map(|s| self.stmt(s)).collect();
        Block {
            stmts,
            span: self.sp2(b.brace_token.span.open(), b.brace_token.span.close()),
        }
    }

    fn stmt(&mut self, s: &syn::Stmt) -> Option<Stmt> {
        match s {
            syn::Stmt::Local(l) => {
                let (pat, ty_) = match &l.pat {
                    syn::Pat::Type(pt) => (self.pat(&pt.pat), Some(ty(&pt.ty))),
                    p => (self.pat(p), None),
                };
                let (init, els) = match &l.init {
                    Some(i) => (
                        Some(self.expr(&i.expr)),
                        i.diverge.as_ref().map(|(_, e)| self.expr_as_block(e)),
                    ),
                    None => (None, None),
                };
                Some(Stmt::Let {
                    pat,
                    ty: ty_,
                    init,
                    els,
                    span: self.sp2(l.let_token.span, l.semi_token.span),
                })
            }
            syn::Stmt::Expr(e, semi) => Some(Stmt::Expr {
                expr: self.expr(e),
                semi: semi.is_some(),
            }),
            syn::Stmt::Item(it) => {
                let mut out = Vec::new();
                self.item(it, &mut out);
                self.nested.extend(out);
                None
            }
            syn::Stmt::Macro(m) => {
                let span = self.sp2(m.mac.path.span(), m.mac.delimiter.span().close());
                Some(Stmt::Expr {
                    expr: self.mac(&m.mac, span),
                    semi: m.semi_token.is_some(),
                })
            }
        }
    }

    fn expr_as_block(&mut self, e: &syn::Expr) -> Block {
        match e {
            syn::Expr::Block(b) => self.block(&b.block),
            other => {
                let ex = self.expr(other);
                let span = ex.span;
                Block {
                    stmts: vec![Stmt::Expr {
                        expr: ex,
                        semi: false,
                    }],
                    span,
                }
            }
        }
    }

    fn pat(&mut self, p: &syn::Pat) -> Pat {
        match p {
            syn::Pat::Ident(i) => match &i.subpat {
                Some((_, sub)) => self.pat(sub),
                None => Pat::Ident {
                    name: ident(&i.ident),
                    span: self.sp(i.ident.span()),
                },
            },
            syn::Pat::Wild(_) => Pat::Wild,
            syn::Pat::Tuple(t) => Pat::Tuple(t.elems.iter().map(|p| self.pat(p)).collect()),
            syn::Pat::TupleStruct(t) => Pat::TupleStruct {
                path: segs(&t.path),
                elems: t.elems.iter().map(|p| self.pat(p)).collect(),
            },
            syn::Pat::Struct(s) => Pat::Struct {
                path: segs(&s.path),
                fields: s
                    .fields
                    .iter()
                    .map(|f| {
                        let name = match &f.member {
                            syn::Member::Named(i) => ident(i),
                            syn::Member::Unnamed(i) => i.index.to_string(),
                        };
                        (name, self.pat(&f.pat))
                    })
                    .collect(),
            },
            syn::Pat::Reference(r) => Pat::Ref(Box::new(self.pat(&r.pat))),
            syn::Pat::Or(o) => Pat::Or(o.cases.iter().map(|p| self.pat(p)).collect()),
            syn::Pat::Type(t) => self.pat(&t.pat),
            syn::Pat::Paren(p) => self.pat(&p.pat),
            _ => Pat::Other,
        }
    }

    fn exprs<'a>(&mut self, es: impl IntoIterator<Item = &'a syn::Expr>) -> Vec<Expr> {
        es.into_iter().map(|e| self.expr(e)).collect()
    }

    fn boxed(&mut self, e: &syn::Expr) -> Box<Expr> {
        Box::new(self.expr(e))
    }

    fn expr(&mut self, e: &syn::Expr) -> Expr {
        use syn::Expr as E;
        let (kind, span) = match e {
            E::Path(p) => {
                let s = segs(&p.path);
                let span = match (p.path.segments.first(), p.path.segments.last()) {
                    (Some(a), Some(b)) => self.sp2(a.ident.span(), b.ident.span()),
                    _ => self.sp(p.span()),
                };
                if p.qself.is_some() {
                    // `<T as Trait>::f`: keep the trait path, which is what resolution needs.
                    (ExprKind::Path(s), span)
                } else {
                    (ExprKind::Path(s), span)
                }
            }
            E::Call(c) => {
                let func = self.boxed(&c.func);
                let args = self.exprs(&c.args);
                let span = func.span.to(self.sp(c.paren_token.span.close()));
                (ExprKind::Call { func, args }, span)
            }
            E::MethodCall(m) => {
                let recv = self.boxed(&m.receiver);
                let args = self.exprs(&m.args);
                let span = recv.span.to(self.sp(m.paren_token.span.close()));
                (
                    ExprKind::MethodCall {
                        recv,
                        method: ident(&m.method),
                        args,
                    },
                    span,
                )
            }
            E::Field(f) => {
                let base = self.boxed(&f.base);
                let (member, mspan) = match &f.member {
                    syn::Member::Named(i) => (ident(i), i.span()),
                    syn::Member::Unnamed(i) => (i.index.to_string(), i.span),
                };
                let span = base.span.to(self.sp(mspan));
                (ExprKind::Field { base, member }, span)
            }
            E::Reference(r) => {
                let inner = self.boxed(&r.expr);
                let span = self.sp(r.and_token.span).to(inner.span);
                (ExprKind::Ref(inner), span)
            }
            E::Unary(u) => {
                let inner = self.boxed(&u.expr);
                let span = self.sp(u.op.span()).to(inner.span);
                match u.op {
                    syn::UnOp::Deref(_) => (ExprKind::Deref(inner), span),
                    _ => (ExprKind::Seq(vec![*inner]), span),
                }
            }
            E::Try(t) => {
                let inner = self.boxed(&t.expr);
                let span = inner.span.to(self.sp(t.question_token.span));
                (ExprKind::Try(inner), span)
            }
            E::Await(a) => {
                let inner = self.boxed(&a.base);
                let span = inner.span.to(self.sp(a.await_token.span));
                (ExprKind::Await(inner), span)
            }
            E::Block(syn::ExprBlock { block, .. })
            | E::Unsafe(syn::ExprUnsafe { block, .. })
            | E::Const(syn::ExprConst { block, .. })
            | E::TryBlock(syn::ExprTryBlock { block, .. }) => {
                let blk = self.block(block);
                let span = blk.span;
                (ExprKind::Block(blk), span)
            }
            E::Async(a) => {
                let body = self.block(&a.block);
                let span = self.sp(a.async_token.span).to(body.span);
                (
                    ExprKind::Async {
                        body,
                        is_move: a.capture.is_some(),
                    },
                    span,
                )
            }
            E::Closure(c) => {
                let params = c.inputs.iter().map(|p| self.pat(p)).collect();
                let body = self.boxed(&c.body);
                let span = self.sp(c.or1_token.span).to(body.span);
                (
                    ExprKind::Closure {
                        params,
                        body,
                        is_move: c.capture.is_some(),
                    },
                    span,
                )
            }
            E::If(i) => {
                let cond = self.boxed(&i.cond);
                let then = self.block(&i.then_branch);
                let els = i.else_branch.as_ref().map(|(_, e)| self.boxed(e));
                let mut span = self.sp(i.if_token.span).to(then.span);
                if let Some(e) = &els {
                    span = span.to(e.span);
                }
                (ExprKind::If { cond, then, els }, span)
            }
            E::Let(l) => {
                let pat = self.pat(&l.pat);
                let inner = self.boxed(&l.expr);
                let span = self.sp(l.let_token.span).to(inner.span);
                (ExprKind::Let { pat, expr: inner }, span)
            }
            E::Match(m) => {
                let scrut = self.boxed(&m.expr);
                let arms = m
                    .arms
                    .iter()
                    .map(|a| Arm {
                        pat: self.pat(&a.pat),
                        guard: a.guard.as_ref().map(|(_, g)| self.expr(g)),
                        body: self.expr(&a.body),
                    })
                    .collect();
                let span = self.sp2(m.match_token.span, m.brace_token.span.close());
                (ExprKind::Match { scrut, arms }, span)
            }
            E::While(w) => {
                let cond = self.boxed(&w.cond);
                let body = self.block(&w.body);
                let span = self.sp(w.while_token.span).to(body.span);
                (ExprKind::While { cond, body }, span)
            }
            E::Loop(l) => {
                let body = self.block(&l.body);
                let span = self.sp(l.loop_token.span).to(body.span);
                (ExprKind::Loop(body), span)
            }
            E::ForLoop(f) => {
                let pat = self.pat(&f.pat);
                let iter = self.boxed(&f.expr);
                let body = self.block(&f.body);
                let span = self.sp(f.for_token.span).to(body.span);
                (ExprKind::For { pat, iter, body }, span)
            }
            E::Return(r) => {
                let inner = r.expr.as_ref().map(|e| self.boxed(e));
                let mut span = self.sp(r.return_token.span);
                if let Some(i) = &inner {
                    span = span.to(i.span);
                }
                (ExprKind::Return(inner), span)
            }
            E::Assign(a) => {
                let lhs = self.boxed(&a.left);
                let rhs = self.boxed(&a.right);
                let span = lhs.span.to(rhs.span);
                (ExprKind::Assign { lhs, rhs }, span)
            }
            E::Struct(s) => {
                let fields = s
                    .fields
                    .iter()
                    .map(|f| {
                        let name = match &f.member {
                            syn::Member::Named(i) => ident(i),
                            syn::Member::Unnamed(i) => i.index.to_string(),
                        };
                        (name, self.expr(&f.expr))
                    })
                    .collect();
                let rest = s.rest.as_ref().map(|r| self.boxed(r));
                let span = self.sp2(s.path.span(), s.brace_token.span.close());
                (
                    ExprKind::Struct {
                        path: segs(&s.path),
                        fields,
                        rest,
                    },
                    span,
                )
            }
            E::Macro(m) => {
                let span = self.sp2(m.mac.path.span(), m.mac.delimiter.span().close());
                return self.mac(&m.mac, span);
            }
            E::Paren(p) => return self.expr(&p.expr),
            E::Group(g) => return self.expr(&g.expr),
            E::Lit(l) => (ExprKind::Lit, self.sp(l.lit.span())),
            E::Binary(b) => {
                let l = self.expr(&b.left);
                let r = self.expr(&b.right);
                let span = l.span.to(r.span);
                (ExprKind::Seq(vec![l, r]), span)
            }
            E::Cast(c) => {
                let inner = self.expr(&c.expr);
                let span = inner.span;
                (ExprKind::Seq(vec![inner]), span)
            }
            E::Index(i) => {
                let a = self.expr(&i.expr);
                let b = self.expr(&i.index);
                let span = a.span.to(self.sp(i.bracket_token.span.close()));
                (ExprKind::Seq(vec![a, b]), span)
            }
            E::Tuple(t) => {
                let v = self.exprs(&t.elems);
                (
                    ExprKind::Seq(v),
                    self.sp2(t.paren_token.span.open(), t.paren_token.span.close()),
                )
            }
            E::Array(a) => {
                let v = self.exprs(&a.elems);
                (
                    ExprKind::Seq(v),
                    self.sp2(a.bracket_token.span.open(), a.bracket_token.span.close()),
                )
            }
            E::Repeat(r) => {
                let v = vec![self.expr(&r.expr)];
                (
                    ExprKind::Seq(v),
                    self.sp2(r.bracket_token.span.open(), r.bracket_token.span.close()),
                )
            }
            E::Range(r) => {
                let mut v = Vec::new();
                if let Some(s) = &r.start {
                    v.push(self.expr(s));
                }
                if let Some(s) = &r.end {
                    v.push(self.expr(s));
                }
                let span = v
                    .iter()
                    .map(|e| e.span)
                    .reduce(|a, b| a.to(b))
                    .unwrap_or_else(|| self.sp(r.limits.span()));
                (ExprKind::Seq(v), span)
            }
            E::Break(b) => {
                let v: Vec<Expr> = b.expr.iter().map(|e| self.expr(e)).collect();
                (ExprKind::Jump(v), self.sp(b.break_token.span))
            }
            E::Yield(y) => {
                let v: Vec<Expr> = y.expr.iter().map(|e| self.expr(e)).collect();
                (ExprKind::Seq(v), self.sp(y.yield_token.span))
            }
            E::Continue(c) => (ExprKind::Jump(Vec::new()), self.sp(c.continue_token.span)),
            other => (ExprKind::Lit, self.sp(other.span())),
        };
        Expr { kind, span }
    }

    /// A macro call: its arguments when they parse as expressions (`join!`, `vec!`, `query!`,
    /// `format!`, ...), the branches of `select!`, else nothing (opaque).
    /// A workspace `macro_rules!` invocation, expanded and lowered like written code.
    fn expanded(&mut self, m: &syn::Macro, name: &str, span: Span) -> Option<Expr> {
        if self.expansion_depth >= 4 || self.expansions_left == 0 {
            return None;
        }
        let rules = self.macros.rules(name)?;
        self.expansions_left -= 1;
        let lexed = self
            .lexed
            .entry(name.to_string())
            .or_insert_with(|| Rc::new(crate::syntax::macro_rules::lex(rules)))
            .clone();
        let at = m
            .path
            .segments
            .last()
            .map(|s| s.ident.span())
            .unwrap_or_else(proc_macro2::Span::call_site);
        let ts = crate::syntax::macro_rules::expand(&lexed, m.tokens.clone(), at)?;
        self.expansion_depth += 1;
        let out = if let Ok(e) = syn::parse2::<syn::Expr>(ts.clone()) {
            Some(self.expr(&e))
        } else if let Ok(stmts) = syn::parse::Parser::parse2(syn::Block::parse_within, ts) {
            let stmts = stmts.iter().filter_map(|s| self.stmt(s)).collect();
            Some(Expr {
                kind: ExprKind::Block(Block { stmts, span }),
                span,
            })
        } else {
            None
        };
        self.expansion_depth -= 1;
        out
    }

    fn mac(&mut self, m: &syn::Macro, span: Span) -> Expr {
        let path = segs(&m.path);
        let name = path.last().map(String::as_str).unwrap_or("");
        if let Some(e) = self.expanded(m, name, span) {
            return e;
        }
        // Most macro calls are `info!("..", x)` or `assert_eq!(a, b)`: without a call, block,
        // closure or await among their tokens they cannot check out, run or move anything the
        // analysis sees, and parsing them again is a tenth of the parse stage. Futures joined
        // by name (`join!(a, b)`) are the exception.
        if !known::JOINING_MACROS.contains(&name) && !may_act(m.tokens.clone()) {
            return Expr {
                kind: ExprKind::Macro {
                    path,
                    args: Vec::new(),
                },
                span,
            };
        }
        if name == known::SELECT {
            // One wait on every branch's future at once (a guard one of them uses is in use
            // for the whole wait), then the handlers.
            let mut futures = Vec::new();
            let mut args = Vec::new();
            for (e, is_future) in m.parse_body_with(parse_select).unwrap_or_default() {
                let x = self.expr(&e);
                if is_future {
                    futures.push(x);
                } else {
                    args.push(x);
                }
            }
            if !futures.is_empty() {
                let all = Expr {
                    kind: ExprKind::Seq(futures),
                    span,
                };
                args.insert(
                    0,
                    Expr {
                        kind: ExprKind::Await(Box::new(all)),
                        span,
                    },
                );
            }
            return Expr {
                kind: ExprKind::Macro { path, args },
                span,
            };
        }
        let parsed: Option<Vec<syn::Expr>> = m
            .parse_body_with(Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated)
            .ok()
            .map(|p| p.into_iter().collect())
            .or_else(|| {
                // Statement-bodied macros (`tokio::task_local!` aside): blocks of statements.
                m.parse_body_with(syn::Block::parse_within)
                    .ok()
                    .map(|stmts| {
                        vec![syn::Expr::Block(syn::ExprBlock {
                            attrs: Vec::new(),
                            label: None,
                            block: syn::Block {
                                brace_token: Default::default(),
                                stmts,
                            },
                        })]
                    })
            });
        let args = parsed
            .map(|v| v.iter().map(|e| self.expr(e)).collect())
            .unwrap_or_default();
        Expr {
            kind: ExprKind::Macro { path, args },
            span,
        }
    }
}

/// Whether macro tokens hold something that can act when evaluated: a parenthesised or
/// braced group (a call, a block, a struct literal), a closure, or an `.await`.
fn may_act(tokens: proc_macro2::TokenStream) -> bool {
    use proc_macro2::{Delimiter, TokenTree};
    tokens.into_iter().any(|t| match t {
        TokenTree::Group(g) => match g.delimiter() {
            Delimiter::Parenthesis | Delimiter::Brace => true,
            Delimiter::Bracket | Delimiter::None => may_act(g.stream()),
        },
        TokenTree::Punct(p) => p.as_char() == '|',
        TokenTree::Ident(i) => i == "await",
        TokenTree::Literal(_) => false,
    })
}

fn flatten_use(tree: &syn::UseTree, prefix: &mut Segs, out: &mut Vec<UseEntry>) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(ident(&p.ident));
            flatten_use(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            let name = ident(&n.ident);
            if name == "self" {
                if let Some(last) = prefix.last().cloned() {
                    out.push(UseEntry {
                        path: prefix.clone(),
                        name: Some(last),
                    });
                }
            } else {
                let mut path = prefix.clone();
                path.push(name.clone());
                out.push(UseEntry {
                    path,
                    name: Some(name),
                });
            }
        }
        syn::UseTree::Rename(r) => {
            let mut path = prefix.clone();
            let name = ident(&r.ident);
            if name != "self" {
                path.push(name);
            }
            let alias = ident(&r.rename);
            if alias != "_" {
                out.push(UseEntry {
                    path,
                    name: Some(alias),
                });
            }
        }
        syn::UseTree::Glob(_) => out.push(UseEntry {
            path: prefix.clone(),
            name: None,
        }),
        syn::UseTree::Group(g) => {
            for t in &g.items {
                flatten_use(t, prefix, out);
            }
        }
    }
}

pub fn ty(t: &syn::Type) -> Ty {
    match t {
        syn::Type::Path(p) if p.qself.is_none() => {
            let args = p
                .path
                .segments
                .last()
                .map(|s| match &s.arguments {
                    syn::PathArguments::AngleBracketed(a) => a
                        .args
                        .iter()
                        .filter_map(|g| match g {
                            syn::GenericArgument::Type(t) => Some(ty(t)),
                            _ => None,
                        })
                        .collect(),
                    _ => Vec::new(),
                })
                .unwrap_or_default();
            Ty::Path {
                segs: segs(&p.path),
                args,
            }
        }
        syn::Type::Reference(r) => Ty::Ref(Box::new(ty(&r.elem))),
        syn::Type::Paren(p) => ty(&p.elem),
        syn::Type::Group(g) => ty(&g.elem),
        syn::Type::Tuple(t) => Ty::Tuple(t.elems.iter().map(ty).collect()),
        syn::Type::Slice(s) => Ty::Slice(Box::new(ty(&s.elem))),
        syn::Type::Array(a) => Ty::Slice(Box::new(ty(&a.elem))),
        syn::Type::ImplTrait(i) => Ty::Impl(bounds(&i.bounds)),
        syn::Type::TraitObject(d) => Ty::Dyn(bounds(&d.bounds)),
        _ => Ty::Unknown,
    }
}

fn bounds(b: &Punctuated<syn::TypeParamBound, syn::Token![+]>) -> Vec<Segs> {
    b.iter()
        .filter_map(|b| match b {
            syn::TypeParamBound::Trait(t) => Some(segs(&t.path)),
            _ => None,
        })
        .collect()
}

fn generics(g: &syn::Generics) -> Generics {
    let mut params: Vec<(String, Vec<Segs>)> = g
        .type_params()
        .map(|tp| (ident(&tp.ident), bounds(&tp.bounds)))
        .collect();
    if let Some(w) = &g.where_clause {
        for pred in &w.predicates {
            if let syn::WherePredicate::Type(pt) = pred {
                if let syn::Type::Path(p) = &pt.bounded_ty {
                    if let Some(id) = p.path.get_ident() {
                        let name = ident(id);
                        let b = bounds(&pt.bounds);
                        match params.iter_mut().find(|(n, _)| *n == name) {
                            Some((_, v)) => v.extend(b),
                            None => params.push((name, b)),
                        }
                    }
                }
            }
        }
    }
    Generics { params }
}

type LazyStatic = (syn::Ident, syn::Type, syn::Expr);

/// `lazy_static! { [pub] static ref NAME: TYPE = EXPR; ... }` (and `thread_local!`'s form).
fn parse_lazy_statics(input: ParseStream) -> syn::Result<Vec<LazyStatic>> {
    let mut out = Vec::new();
    while !input.is_empty() {
        input.call(syn::Attribute::parse_outer)?;
        let _: syn::Visibility = input.parse()?;
        let _: syn::Token![static] = input.parse()?;
        if input.peek(syn::Token![ref]) {
            let _: syn::Token![ref] = input.parse()?;
        }
        let name: syn::Ident = input.parse()?;
        let _: syn::Token![:] = input.parse()?;
        let t: syn::Type = input.parse()?;
        let _: syn::Token![=] = input.parse()?;
        let e: syn::Expr = input.parse()?;
        if input.peek(syn::Token![;]) {
            let _: syn::Token![;] = input.parse()?;
        }
        out.push((name, t, e));
    }
    Ok(out)
}

/// `select! { [biased;] PAT = FUTURE [, if COND] => HANDLER [,] ... [else => HANDLER] }`:
/// the futures and handlers, in order.
/// `select! { pat = future => handler, .. }`: each branch's future (true: the select awaits
/// it), its `if` precondition and its handler, in order.
fn parse_select(input: ParseStream) -> syn::Result<Vec<(syn::Expr, bool)>> {
    let mut out = Vec::new();
    if input.peek(syn::Ident) && input.peek2(syn::Token![;]) {
        let _: syn::Ident = input.parse()?;
        let _: syn::Token![;] = input.parse()?;
    }
    while !input.is_empty() {
        if input.peek(syn::Token![else]) {
            let _: syn::Token![else] = input.parse()?;
        } else {
            let _ = syn::Pat::parse_multi(input)?;
            let _: syn::Token![=] = input.parse()?;
            out.push((input.parse()?, true));
            if input.peek(syn::Token![,]) && input.peek2(syn::Token![if]) {
                let _: syn::Token![,] = input.parse()?;
            }
            if input.peek(syn::Token![if]) {
                let _: syn::Token![if] = input.parse()?;
                out.push((syn::Expr::parse_without_eager_brace(input)?, false));
            }
        }
        let _: syn::Token![=>] = input.parse()?;
        out.push((input.parse()?, false));
        if input.peek(syn::Token![,]) {
            let _: syn::Token![,] = input.parse()?;
        }
    }
    Ok(out)
}
