//! Lowering syn's trees to the IR: spans as byte ranges, items with their signatures (this
//! file), function bodies (`body`), workspace macros expanded on the way.

mod body;

use crate::base::shelf::Shelf;
use crate::base::source::{FileId, Span};
use crate::config::known;
use crate::ir::*;
use crate::syntax::macro_rules::{Lexed, MacroTable};
use crate::syntax::parse::ParseError;
use proc_macro2::Span as PSpan;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use syn::parse::ParseStream;
use syn::punctuated::Punctuated;

/// Workspace macro calls expanded per file at most. Macros that call others several times, a
/// few levels deep, multiply: 200 calls of a macro that fans out 16-fold four levels down are
/// 13 million expansions (a minute and gigabytes). Real files stay far below this.
pub(crate) const MAX_EXPANSIONS: u32 = 20_000;

/// The `macro_rules!` a file can use: its package's, then those its workspace exports.
#[derive(Clone, Copy)]
pub(super) struct Macros<'t> {
    pub(super) own: Option<&'t MacroTable>,
    pub(super) exported: Option<&'t MacroTable>,
}

impl<'t> Macros<'t> {
    fn rules(&self, name: &str) -> Option<&'t [(String, String)]> {
        self.own
            .and_then(|t| t.rules.get(name))
            .or_else(|| self.exported.and_then(|t| t.rules.get(name)))
            .map(Vec::as_slice)
    }
}

pub(super) fn parse_one(
    file: FileId,
    text: &str,
    macros: Macros,
    bodies: &Shelf,
) -> Result<File, ParseError> {
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

/// A struct's or variant's fields, a tuple's named by position.
fn fields(fields: &syn::Fields) -> Vec<(String, Ty)> {
    fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            (
                f.ident.as_ref().map(ident).unwrap_or_else(|| i.to_string()),
                ty(&f.ty),
            )
        })
        .collect()
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

    // Long because it is one arm per kind of syn item: split up, the arms would only move.
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
                let fields = fields(&s.fields);
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
                generics: generics(&e.generics),
                variants: e
                    .variants
                    .iter()
                    .map(|v| (ident(&v.ident), fields(&v.fields)))
                    .collect(),
            }),
            syn::Item::Union(u) => out.push(Item::Enum {
                name: ident(&u.ident),
                generics: Generics::default(),
                variants: Vec::new(),
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

pub(crate) fn ty(t: &syn::Type) -> Ty {
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
