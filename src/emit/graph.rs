//! `poolcheck graph`: the checkout call graph as Graphviz DOT or a Mermaid flowchart. Each
//! pool is a box around the functions that check it out; nested paths are red.

use crate::index::FnId;
use crate::report::graph::CheckoutGraph;
use std::collections::BTreeMap;
use std::io::{self, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum GraphFormat {
    Dot,
    Mermaid,
}

pub(crate) fn render(
    g: &CheckoutGraph,
    format: GraphFormat,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        GraphFormat::Dot => dot(g, out),
        GraphFormat::Mermaid => mermaid(g, out),
    }
}

/// Each function drawn inside one pool's box: the first pool (by name) it checks out.
fn cluster_of(g: &CheckoutGraph) -> BTreeMap<FnId, usize> {
    let mut at = BTreeMap::new();
    for (i, fns) in g.groups.values().enumerate() {
        for f in fns {
            at.entry(*f).or_insert(i);
        }
    }
    at
}

fn dot_str(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

fn dot(g: &CheckoutGraph, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "digraph poolcheck {{")?;
    writeln!(out, "  rankdir=LR;")?;
    writeln!(
        out,
        "  node [shape=box, style=rounded, fontname=\"monospace\", fontsize=10];"
    )?;
    writeln!(out, "  edge [fontname=\"monospace\", fontsize=9];")?;
    let cluster = cluster_of(g);
    let node_line = |n: &crate::report::graph::Node| {
        let mut attrs = format!("label=\"{}\\n{}\"", dot_str(&n.name), dot_str(&n.at));
        if n.nested {
            attrs.push_str(", color=red, fontcolor=red");
        }
        if n.checks_out {
            attrs.push_str(", penwidth=2");
        }
        format!("f{} [{attrs}];", n.id)
    };
    for (i, name) in g.groups.keys().enumerate() {
        writeln!(out, "  subgraph cluster_{i} {{")?;
        writeln!(
            out,
            "    label=\"{}\"; style=dashed; fontname=\"monospace\";",
            dot_str(name)
        )?;
        for n in g.nodes.iter().filter(|n| cluster.get(&n.id) == Some(&i)) {
            writeln!(out, "    {}", node_line(n))?;
        }
        writeln!(out, "  }}")?;
    }
    for n in g.nodes.iter().filter(|n| !cluster.contains_key(&n.id)) {
        writeln!(out, "  {}", node_line(n))?;
    }
    for e in &g.edges {
        let mut attrs = Vec::new();
        if e.nested {
            attrs.push("color=red, penwidth=2".to_string());
        }
        if let Some(l) = &e.label {
            attrs.push(format!("label=\"{}\", fontcolor=red", dot_str(l)));
        }
        if attrs.is_empty() {
            writeln!(out, "  f{} -> f{};", e.from, e.to)?;
        } else {
            writeln!(out, "  f{} -> f{} [{}];", e.from, e.to, attrs.join(", "))?;
        }
    }
    writeln!(out, "}}")
}

/// Mermaid labels are quoted; a quote inside one is an entity, and backticks would turn the
/// label into markdown.
fn mermaid_str(s: &str) -> String {
    s.replace('"', "#quot;").replace('`', "")
}

fn mermaid(g: &CheckoutGraph, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "flowchart LR")?;
    let cluster = cluster_of(g);
    let node_line = |n: &crate::report::graph::Node| {
        format!(
            "f{}[\"{}<br/><small>{}</small>\"]",
            n.id,
            mermaid_str(&n.name),
            mermaid_str(&n.at)
        )
    };
    for (i, name) in g.groups.keys().enumerate() {
        writeln!(out, "  subgraph pool{i}[\"{}\"]", mermaid_str(name))?;
        for n in g.nodes.iter().filter(|n| cluster.get(&n.id) == Some(&i)) {
            writeln!(out, "    {}", node_line(n))?;
        }
        writeln!(out, "  end")?;
    }
    for n in g.nodes.iter().filter(|n| !cluster.contains_key(&n.id)) {
        writeln!(out, "  {}", node_line(n))?;
    }
    let mut red = Vec::new();
    for (i, e) in g.edges.iter().enumerate() {
        match &e.label {
            Some(l) => writeln!(out, "  f{} -->|\"{}\"| f{}", e.from, mermaid_str(l), e.to)?,
            None => writeln!(out, "  f{} --> f{}", e.from, e.to)?,
        }
        if e.nested {
            red.push(i.to_string());
        }
    }
    if !red.is_empty() {
        writeln!(
            out,
            "  linkStyle {} stroke:red,stroke-width:2px",
            red.join(",")
        )?;
    }
    let nested: Vec<String> = g
        .nodes
        .iter()
        .filter(|n| n.nested)
        .map(|n| format!("f{}", n.id))
        .collect();
    if !nested.is_empty() {
        writeln!(
            out,
            "  classDef nested stroke:red,stroke-width:2px,color:red"
        )?;
        writeln!(out, "  class {} nested", nested.join(","))?;
    }
    Ok(())
}
