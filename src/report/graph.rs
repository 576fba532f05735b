//! The checkout call graph behind `poolcheck graph`: the functions that check out a pool
//! (grouped by pool), the functions whose calls reach them, the calls between them, and the
//! nested paths of `nested_checkout` findings. Plain data; `emit::graph` draws it.

use crate::analysis::{res_name, Analysis, EventKind, Res, StepKind};
use crate::base::source::SourceMap;
use crate::index::{FnId, Index};
use crate::lints::nested_checkout::NestedCheckout;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Node {
    pub(crate) id: FnId,
    /// `UserRepo::find`.
    pub(crate) name: String,
    /// `src/repo.rs:12`.
    pub(crate) at: String,
    /// Where a checkout of one of its groups' pools happens in this function's own body.
    pub(crate) checks_out: bool,
    /// It holds a guard across a nested checkout, or checks out under one.
    pub(crate) nested: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Edge {
    pub(crate) from: FnId,
    pub(crate) to: FnId,
    /// On the path of a nested checkout.
    pub(crate) nested: bool,
    /// For the first call of a nested path: which guard is held.
    pub(crate) label: Option<String>,
}

#[derive(Debug, Default)]
pub(crate) struct CheckoutGraph {
    pub(crate) nodes: Vec<Node>,
    /// Pool name -> the functions that check it out directly.
    pub(crate) groups: BTreeMap<String, Vec<FnId>>,
    pub(crate) edges: Vec<Edge>,
}

/// A pool's name for grouping: a static or a field names one pool for the whole program; a
/// pool passed in as an argument is named by its kind.
fn group_name(ix: &Index, an: &Analysis, f: FnId, res: &Res, kind: &str) -> String {
    match res {
        Res::Param(_) | Res::Local(_) => format!("{kind} pools passed as arguments"),
        Res::Keyed(c, _) if matches!(**c, Res::Param(_) | Res::Local(_)) => {
            format!("{kind} pools passed as arguments")
        }
        _ => res_name(ix, &an.facts[f.index()], res),
    }
}

pub(crate) fn build(
    ix: &Index,
    an: &Analysis,
    findings: &[NestedCheckout],
    sources: &SourceMap,
) -> CheckoutGraph {
    let reaches = |f: FnId| !an.summaries[f.index()].checkouts.is_empty();
    let mut groups: BTreeMap<String, BTreeSet<FnId>> = BTreeMap::new();
    let mut direct: BTreeSet<FnId> = BTreeSet::new();
    let mut in_graph: BTreeSet<FnId> = BTreeSet::new();
    for (f, s) in an.summaries.iter().enumerate() {
        let f = FnId::from_index(f);
        for r in &s.checkouts {
            if let [step] = r.steps.as_slice() {
                if step.func == f && matches!(step.kind, StepKind::Checkout(_)) {
                    let kind = &ix.cat.kind(r.kind).kind;
                    groups
                        .entry(group_name(ix, an, f, &r.res, kind))
                        .or_default()
                        .insert(f);
                    direct.insert(f);
                }
            }
        }
        if !s.checkouts.is_empty() {
            in_graph.insert(f);
        }
    }
    let mut edges: BTreeMap<(FnId, FnId), Edge> = BTreeMap::new();
    let mut nested_fns: BTreeSet<FnId> = BTreeSet::new();
    for n in findings {
        in_graph.insert(n.func);
        nested_fns.insert(n.func);
        let held = match &n.guard_name {
            Some(g) => format!("while `{g}` is held"),
            None => "while a guard is held".to_string(),
        };
        for (i, step) in n.reach.steps.iter().enumerate() {
            let to = match step.kind {
                StepKind::Call(c) => c,
                StepKind::Checkout(_) if i == 0 => step.func,
                _ => continue,
            };
            in_graph.insert(step.func);
            in_graph.insert(to);
            nested_fns.insert(to);
            let e = edges.entry((step.func, to)).or_insert(Edge {
                from: step.func,
                to,
                nested: true,
                label: None,
            });
            e.nested = true;
            if i == 0 && e.label.is_none() {
                e.label = Some(held.clone());
            }
        }
    }
    for &f in &in_graph {
        for ev in &an.facts[f.index()].events {
            if let EventKind::Call { callees, .. } = &ev.kind {
                for &c in callees {
                    if c != f && reaches(c) {
                        edges.entry((f, c)).or_insert(Edge {
                            from: f,
                            to: c,
                            nested: false,
                            label: None,
                        });
                    }
                }
            }
        }
    }
    let nodes = in_graph
        .iter()
        .map(|&f| {
            let info = &ix.fns[f.index()];
            let file = sources.get(info.def.span.file);
            let (line, _) = file.line_col(info.def.span.lo);
            Node {
                id: f,
                name: info.display.clone(),
                at: format!("{}:{line}", file.name),
                checks_out: direct.contains(&f),
                nested: nested_fns.contains(&f),
            }
        })
        .collect();
    CheckoutGraph {
        nodes,
        groups: groups
            .into_iter()
            .map(|(k, v)| (k, v.into_iter().collect()))
            .collect(),
        edges: edges.into_values().collect(),
    }
}
