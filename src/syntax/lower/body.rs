//! Lowering function bodies: statements, patterns and expressions, macro calls whose
//! arguments are expressions (and workspace macros, expanded), `select!` branches.

use super::{ident, segs, ty, Lower};
use crate::base::source::Span;
use crate::config::known;
use crate::ir::*;
use std::rc::Rc;
use syn::parse::ParseStream;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;

impl Lower<'_> {
    pub(super) fn block(&mut self, b: &syn::Block) -> Block {
        let stmts = b.stmts.iter().filter_map(|s| self.stmt(s)).collect();
        Block {
            stmts,
            span: self.sp2(b.brace_token.span.open(), b.brace_token.span.close()),
        }
    }

    pub(super) fn stmt(&mut self, s: &syn::Stmt) -> Option<Stmt> {
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

    pub(super) fn expr_as_block(&mut self, e: &syn::Expr) -> Block {
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

    pub(super) fn pat(&mut self, p: &syn::Pat) -> Pat {
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

    pub(super) fn exprs<'a>(&mut self, es: impl IntoIterator<Item = &'a syn::Expr>) -> Vec<Expr> {
        es.into_iter().map(|e| self.expr(e)).collect()
    }

    pub(super) fn boxed(&mut self, e: &syn::Expr) -> Box<Expr> {
        Box::new(self.expr(e))
    }

    // Long because it is one arm per kind of syn expression, most a few lines: split up, the
    // arms would only move.
    pub(super) fn expr(&mut self, e: &syn::Expr) -> Expr {
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
    pub(super) fn expanded(&mut self, m: &syn::Macro, name: &str, span: Span) -> Option<Expr> {
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

    pub(super) fn mac(&mut self, m: &syn::Macro, span: Span) -> Expr {
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
