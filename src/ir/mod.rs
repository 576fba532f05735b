//! The plain-data program the analysis works on: items, types and function bodies lowered from
//! syn by `parse`. It keeps only what the analysis reads, with spans as byte ranges, so it can
//! cross threads (syn's trees cannot: proc-macro2 spans are thread-local).

pub(crate) mod walk;

pub(crate) use crate::base::shelf::Slot;
use crate::base::source::Span;
use serde::{Deserialize, Serialize};

/// A path as written: `crate::db::POOL`, `Self::find`, `sqlx::query`.
pub(crate) type Segs = Vec<String>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) enum Ty {
    /// `a::b::C<Args>`: the generic arguments are those of the last segment.
    Path {
        segs: Segs,
        args: Vec<Ty>,
    },
    Ref(Box<Ty>),
    Tuple(Vec<Ty>),
    Slice(Box<Ty>),
    /// `impl A + B`.
    Impl(Vec<Segs>),
    /// `dyn A + B`.
    Dyn(Vec<Segs>),
    Unknown,
}

impl Ty {
    pub(crate) fn last_name(&self) -> Option<&str> {
        match self {
            Ty::Path { segs, .. } => segs.last().map(|s| s.as_str()),
            Ty::Ref(t) => t.last_name(),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Generics {
    /// Type parameters with their trait bounds (from the list and the `where` clause).
    pub(crate) params: Vec<(String, Vec<Segs>)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct File {
    pub(crate) items: Vec<Item>,
    /// Where each `fn`, `impl`, `trait` and `mod` item of the file lies (from its keyword to
    /// its end), for allow comments placed above an item: read while the file's text is at
    /// hand, then emptied.
    pub(crate) item_spans: Vec<Span>,
    /// It used up its budget of macro expansions: later workspace macro calls stayed opaque.
    pub(crate) expansions_capped: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) enum Item {
    Mod {
        name: String,
        body: Option<Vec<Item>>,
        /// `#[path = ".."]`, then each `#[cfg_attr(.., path = "..")]`: the file is the first
        /// that exists.
        path_attr: Vec<String>,
        span: Span,
    },
    Use(Vec<UseEntry>),
    Fn(Box<FnDef>),
    Struct {
        name: String,
        generics: Generics,
        fields: Vec<(String, Ty)>,
        derives: Vec<String>,
        span: Span,
    },
    Enum {
        name: String,
        generics: Generics,
        /// Each variant with its fields (a tuple variant's named `0`, `1`, ...).
        variants: Vec<(String, Vec<(String, Ty)>)>,
    },
    Impl(Box<ImplDef>),
    Trait {
        name: String,
        generics: Generics,
        fns: Vec<FnDef>,
    },
    Alias {
        name: String,
        ty: Ty,
    },
    Static {
        name: String,
        ty: Ty,
        init: Option<Expr>,
        span: Span,
    },
    ExternCrate {
        name: String,
        alias: Option<String>,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct UseEntry {
    pub(crate) path: Segs,
    /// The name it is bound to (`None` for a glob).
    pub(crate) name: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ImplDef {
    pub(crate) generics: Generics,
    pub(crate) self_ty: Ty,
    pub(crate) trait_: Option<Segs>,
    pub(crate) fns: Vec<FnDef>,
    /// `type Target = ...;` in an `impl Deref`.
    pub(crate) deref_target: Option<Ty>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct FnDef {
    pub(crate) name: String,
    pub(crate) span: Span,
    pub(crate) generics: Generics,
    /// `Some(by_value)` when the function takes `self`.
    pub(crate) self_param: Option<bool>,
    pub(crate) params: Vec<(Pat, Ty)>,
    pub(crate) ret: Ty,
    pub(crate) is_async: bool,
    pub(crate) body: Option<Body>,
}

/// A function body between parsing and summarizing, kept packed on the parser's shelf of
/// bodies: a workspace's lowered bodies take about twenty times the bytes of their source as
/// trees of small allocations, and each is needed only while its function is summarized.
/// Unpacked, walked and dropped one at a time, they cost little more than their source.
pub(crate) type Body = Slot<Block>;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Block {
    pub(crate) stmts: Vec<Stmt>,
    /// The whole block; its end is the closing brace.
    pub(crate) span: Span,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) enum Stmt {
    Let {
        pat: Pat,
        ty: Option<Ty>,
        init: Option<Expr>,
        els: Option<Block>,
        span: Span,
    },
    Expr {
        expr: Expr,
        semi: bool,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) enum Pat {
    Ident {
        name: String,
        span: Span,
    },
    Wild,
    Tuple(Vec<Pat>),
    TupleStruct {
        path: Segs,
        elems: Vec<Pat>,
    },
    Struct {
        path: Segs,
        fields: Vec<(String, Pat)>,
    },
    Ref(Box<Pat>),
    Or(Vec<Pat>),
    Other,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Arm {
    pub(crate) pat: Pat,
    pub(crate) guard: Option<Expr>,
    pub(crate) body: Expr,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Expr {
    pub(crate) kind: ExprKind,
    pub(crate) span: Span,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) enum ExprKind {
    Path(Segs),
    Call {
        func: Box<Expr>,
        args: Vec<Expr>,
    },
    MethodCall {
        recv: Box<Expr>,
        method: String,
        args: Vec<Expr>,
    },
    Field {
        base: Box<Expr>,
        member: String,
    },
    Ref(Box<Expr>),
    Deref(Box<Expr>),
    Try(Box<Expr>),
    Await(Box<Expr>),
    Block(Block),
    Async {
        body: Block,
        is_move: bool,
    },
    Closure {
        params: Vec<Pat>,
        body: Box<Expr>,
        is_move: bool,
    },
    If {
        cond: Box<Expr>,
        then: Block,
        els: Option<Box<Expr>>,
    },
    /// `let PAT = EXPR` in an `if`/`while` condition.
    Let {
        pat: Pat,
        expr: Box<Expr>,
    },
    Match {
        scrut: Box<Expr>,
        arms: Vec<Arm>,
    },
    While {
        cond: Box<Expr>,
        body: Block,
    },
    Loop(Block),
    For {
        pat: Pat,
        iter: Box<Expr>,
        body: Block,
    },
    Return(Option<Box<Expr>>),
    Assign {
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    Struct {
        path: Segs,
        fields: Vec<(String, Expr)>,
        rest: Option<Box<Expr>>,
    },
    /// A macro call whose arguments parsed as expressions (or statements).
    Macro {
        path: Segs,
        args: Vec<Expr>,
    },
    /// Anything else: its sub-expressions in evaluation order (tuples, arrays, operators,
    /// casts, indexing, ranges, `break value`).
    Seq(Vec<Expr>),
    /// `break [value]` or `continue`: control leaves the enclosing loop.
    Jump(Vec<Expr>),
    Lit,
}
