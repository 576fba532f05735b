//! One generic walk over the IR: an expression's direct children in evaluation order, and
//! every expression below one. Code that needs all of an expression's parts uses these
//! instead of matching every kind itself, so a new kind of expression is walked everywhere.

use super::{Block, Expr, ExprKind, Stmt};

/// Calls `f` with each direct child expression of `e`, in evaluation order; the statements of
/// a block inside `e` (its `let` initializers, `else` blocks and expressions) count as children.
pub(crate) fn for_each_child<'e>(e: &'e Expr, f: &mut impl FnMut(&'e Expr)) {
    match &e.kind {
        ExprKind::Path(_) | ExprKind::Lit => {}
        ExprKind::Call { func, args } => {
            f(func);
            args.iter().for_each(&mut *f);
        }
        ExprKind::MethodCall { recv, args, .. } => {
            f(recv);
            args.iter().for_each(&mut *f);
        }
        ExprKind::Field { base: x, .. }
        | ExprKind::Ref(x)
        | ExprKind::Deref(x)
        | ExprKind::Try(x)
        | ExprKind::Await(x)
        | ExprKind::Let { expr: x, .. } => f(x),
        ExprKind::Block(b) | ExprKind::Loop(b) | ExprKind::Async { body: b, .. } => block(b, f),
        ExprKind::Closure { body, .. } => f(body),
        ExprKind::If { cond, then, els } => {
            f(cond);
            block(then, f);
            if let Some(x) = els {
                f(x);
            }
        }
        ExprKind::Match { scrut, arms } => {
            f(scrut);
            for a in arms {
                if let Some(g) = &a.guard {
                    f(g);
                }
                f(&a.body);
            }
        }
        ExprKind::While { cond, body } => {
            f(cond);
            block(body, f);
        }
        ExprKind::For { iter, body, .. } => {
            f(iter);
            block(body, f);
        }
        ExprKind::Return(x) => {
            if let Some(x) = x {
                f(x);
            }
        }
        ExprKind::Assign { lhs, rhs } => {
            f(rhs);
            f(lhs);
        }
        ExprKind::Struct { fields, rest, .. } => {
            fields.iter().for_each(|(_, x)| f(x));
            if let Some(r) = rest {
                f(r);
            }
        }
        ExprKind::Macro { args, .. } | ExprKind::Seq(args) | ExprKind::Jump(args) => {
            args.iter().for_each(&mut *f)
        }
    }
}

fn block<'e>(b: &'e Block, f: &mut impl FnMut(&'e Expr)) {
    for s in &b.stmts {
        match s {
            Stmt::Let { init, els, .. } => {
                if let Some(i) = init {
                    f(i);
                }
                if let Some(b) = els {
                    block(b, f);
                }
            }
            Stmt::Expr { expr, .. } => f(expr),
        }
    }
}

/// `e` and every expression below it, each before its children and children in evaluation
/// order. Iterative: a 10 000-deep nesting costs a stack of pointers, not of frames.
pub(crate) fn descendants(e: &Expr) -> Descendants<'_> {
    Descendants {
        stack: vec![e],
        children: Vec::new(),
    }
}

pub(crate) struct Descendants<'e> {
    stack: Vec<&'e Expr>,
    children: Vec<&'e Expr>,
}

impl<'e> Iterator for Descendants<'e> {
    type Item = &'e Expr;

    fn next(&mut self) -> Option<&'e Expr> {
        let e = self.stack.pop()?;
        let children = &mut self.children;
        for_each_child(e, &mut |c| children.push(c));
        self.stack.extend(self.children.drain(..).rev());
        Some(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::source::Span;

    fn ex(kind: ExprKind) -> Expr {
        Expr {
            kind,
            span: Span::default(),
        }
    }

    fn path(name: &str) -> Expr {
        ex(ExprKind::Path(vec![name.into()]))
    }

    fn names(e: &Expr) -> Vec<String> {
        descendants(e)
            .filter_map(|x| match &x.kind {
                ExprKind::Path(s) => s.first().cloned(),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn every_part_in_evaluation_order() {
        // `a.m(b, { let c = d; e })` and `x = y` (the right side runs first)
        let call = ex(ExprKind::MethodCall {
            recv: Box::new(path("a")),
            method: "m".into(),
            args: vec![
                path("b"),
                ex(ExprKind::Block(Block {
                    stmts: vec![
                        Stmt::Let {
                            pat: crate::ir::Pat::Wild,
                            ty: None,
                            init: Some(path("d")),
                            els: None,
                            span: Span::default(),
                        },
                        Stmt::Expr {
                            expr: path("e"),
                            semi: false,
                        },
                    ],
                    span: Span::default(),
                })),
            ],
        });
        assert_eq!(names(&call), ["a", "b", "d", "e"]);
        let assign = ex(ExprKind::Assign {
            lhs: Box::new(path("x")),
            rhs: Box::new(path("y")),
        });
        assert_eq!(names(&assign), ["y", "x"]);
    }

    #[test]
    fn deep_nesting_does_not_recurse() {
        let mut e = path("inner");
        for _ in 0..100_000 {
            e = ex(ExprKind::Ref(Box::new(e)));
        }
        assert_eq!(descendants(&e).count(), 100_001);
        // Dropping a 100 000-deep tree recurses; leak it instead of overflowing the test stack.
        std::mem::forget(e);
    }
}
