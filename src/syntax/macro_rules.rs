//! `macro_rules!` expansion for the parse stage: a workspace macro's matching rule, with its
//! `$fragments` substituted, becomes tokens the parser lowers like hand-written code. Tokens
//! that come from the macro's body take the invocation's span; tokens from its arguments keep
//! their own. A macro that cannot be expanded this way stays opaque.

use proc_macro2::{Delimiter, Group, Span, TokenStream, TokenTree};
use std::collections::{HashMap, HashSet};
use syn::parse::discouraged::Speculative;
use syn::parse::{ParseStream, Parser};

/// A macro's rules as source text (re-lexed where used: tokens cannot cross threads).
#[derive(Debug, Clone, Default)]
pub(crate) struct MacroTable {
    pub(crate) rules: HashMap<String, Vec<(String, String)>>,
    /// The names defined under `#[macro_export]`: visible to the rest of the workspace.
    pub(crate) exported: HashSet<String>,
}

/// The `macro_rules!` definitions in a file's text, found without parsing the whole file:
/// each definition's body is cut out by matching its brackets and lexed alone.
pub(crate) fn collect(text: &str, table: &mut MacroTable) {
    const KEY: &str = "macro_rules!";
    let mut from = 0;
    while let Some(p) = text[from..].find(KEY) {
        let at = from + p + KEY.len();
        from = at;
        let rest = text[at..].trim_start();
        let name_len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if name_len == 0 {
            continue;
        }
        let name = &rest[..name_len];
        let after = rest[name_len..].trim_start();
        let open = text.len() - after.len();
        let Some(end) = matching_close(text, open) else {
            continue;
        };
        if let Ok(ts) = text[open + 1..end].parse::<TokenStream>() {
            let rules = split_rules(ts);
            if !rules.is_empty() {
                if is_exported(&text[..at - KEY.len()]) {
                    table.exported.insert(name.to_string());
                }
                table.rules.entry(name.to_string()).or_insert(rules);
            }
        }
        from = end;
    }
}

/// Whether the attributes just above a definition (ending at the end of `before`) include
/// `#[macro_export]`.
fn is_exported(before: &str) -> bool {
    for line in before.rsplit('\n').take(16) {
        let l = line.trim();
        if l.contains("macro_export") {
            return true;
        }
        if !(l.is_empty() || l.starts_with("#[") || l.starts_with("//") || l.ends_with(']')) {
            return false;
        }
    }
    false
}

/// The byte offset of the bracket closing the one at `open`, skipping comments, strings and
/// character literals.
fn matching_close(text: &str, open: usize) -> Option<usize> {
    let b = text.as_bytes();
    let (o, c) = match b.get(open)? {
        b'{' => (b'{', b'}'),
        b'(' => (b'(', b')'),
        b'[' => (b'[', b']'),
        _ => return None,
    };
    let mut depth = 0usize;
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let mut nest = 1;
                i += 2;
                while i < b.len() && nest > 0 {
                    if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                        nest += 1;
                        i += 1;
                    } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                        nest -= 1;
                        i += 1;
                    }
                    i += 1;
                }
                continue;
            }
            b'r' if matches!(b.get(i + 1), Some(b'"') | Some(b'#'))
                && !b[..i]
                    .last()
                    .is_some_and(|x| x.is_ascii_alphanumeric() || *x == b'_') =>
            {
                let mut j = i + 1;
                let mut hashes = 0;
                while b.get(j) == Some(&b'#') {
                    hashes += 1;
                    j += 1;
                }
                if b.get(j) == Some(&b'"') {
                    j += 1;
                    while j < b.len() {
                        if b[j] == b'"'
                            && b[j + 1..]
                                .iter()
                                .take(hashes)
                                .filter(|x| **x == b'#')
                                .count()
                                == hashes
                        {
                            break;
                        }
                        j += 1;
                    }
                    i = j + 1 + hashes;
                    continue;
                }
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'\'' => {
                // A character literal (`'x'`, `'\n'`), not a lifetime.
                if b.get(i + 1) == Some(&b'\\') {
                    i += 2;
                    while i < b.len() && b[i] != b'\'' {
                        i += 1;
                    }
                } else if b.get(i + 2) == Some(&b'\'') {
                    i += 2;
                } else if let Some(ch) = text.get(i + 1..).and_then(|s| s.chars().next()) {
                    let l = ch.len_utf8();
                    if b.get(i + 1 + l) == Some(&b'\'') {
                        i += 1 + l;
                    }
                }
            }
            x if x == o => depth += 1,
            x if x == c => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// `(matcher) => { transcriber };` pairs.
fn split_rules(body: TokenStream) -> Vec<(String, String)> {
    let toks: Vec<TokenTree> = body.into_iter().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 3 < toks.len() + 1 {
        let (
            Some(TokenTree::Group(m)),
            Some(TokenTree::Punct(p1)),
            Some(TokenTree::Punct(p2)),
            Some(TokenTree::Group(t)),
        ) = (
            toks.get(i),
            toks.get(i + 1),
            toks.get(i + 2),
            toks.get(i + 3),
        )
        else {
            break;
        };
        if p1.as_char() != '=' || p2.as_char() != '>' {
            break;
        }
        out.push((m.stream().to_string(), t.stream().to_string()));
        i += 4;
        if matches!(toks.get(i), Some(TokenTree::Punct(p)) if p.as_char() == ';') {
            i += 1;
        }
    }
    out
}

/// After `$( .. )` at `toks[i]`: the separator, if any, and how many tokens the repetition
/// takes (`$`, the group, the separator, the `*`/`+`/`?`).
fn repetition_suffix(toks: &[TokenTree], i: usize) -> (Option<TokenTree>, usize) {
    let is_op = |t: Option<&TokenTree>| matches!(t, Some(TokenTree::Punct(op)) if matches!(op.as_char(), '*' | '+' | '?'));
    if is_op(toks.get(i + 2)) {
        (None, 3)
    } else if is_op(toks.get(i + 3)) {
        (toks.get(i + 2).cloned(), 4)
    } else {
        (None, 2)
    }
}

#[derive(Debug, Clone)]
enum M {
    Tok(String),
    Group(Delimiter, Vec<M>),
    Frag(String, String),
    Rep(Vec<M>, Option<String>),
}

fn matcher(ts: TokenStream) -> Vec<M> {
    let toks: Vec<TokenTree> = ts.into_iter().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        match &toks[i] {
            TokenTree::Punct(p) if p.as_char() == '$' => {
                match (toks.get(i + 1), toks.get(i + 2), toks.get(i + 3)) {
                    (
                        Some(TokenTree::Ident(name)),
                        Some(TokenTree::Punct(c)),
                        Some(TokenTree::Ident(kind)),
                    ) if c.as_char() == ':' => {
                        out.push(M::Frag(name.to_string(), kind.to_string()));
                        i += 4;
                    }
                    (Some(TokenTree::Group(g)), _, _)
                        if g.delimiter() == Delimiter::Parenthesis =>
                    {
                        let inner = matcher(g.stream());
                        // `$( .. ) sep? op`
                        let (sep, skip) = repetition_suffix(&toks, i);
                        out.push(M::Rep(inner, sep.map(|t| t.to_string())));
                        i += skip;
                    }
                    _ => {
                        out.push(M::Tok("$".into()));
                        i += 1;
                    }
                }
            }
            TokenTree::Group(g) => {
                out.push(M::Group(g.delimiter(), matcher(g.stream())));
                i += 1;
            }
            t => {
                out.push(M::Tok(t.to_string()));
                i += 1;
            }
        }
    }
    out
}

#[derive(Debug, Clone)]
enum Capture {
    One(TokenStream),
    Seq(Vec<Binds>),
}
type Binds = HashMap<String, Capture>;

fn frag(input: ParseStream, kind: &str) -> syn::Result<TokenStream> {
    use quote::ToTokens;
    Ok(match kind {
        "expr" => input.parse::<syn::Expr>()?.into_token_stream(),
        "ident" => input
            .call(<syn::Ident as syn::ext::IdentExt>::parse_any)?
            .into_token_stream(),
        "ty" => input.parse::<syn::Type>()?.into_token_stream(),
        "path" => input.parse::<syn::Path>()?.into_token_stream(),
        "literal" => input.parse::<syn::Lit>()?.into_token_stream(),
        "pat" | "pat_param" => syn::Pat::parse_multi(input)?.into_token_stream(),
        "block" => input.parse::<syn::Block>()?.into_token_stream(),
        "stmt" => input.parse::<syn::Stmt>()?.into_token_stream(),
        "item" => input.parse::<syn::Item>()?.into_token_stream(),
        "lifetime" => input.parse::<syn::Lifetime>()?.into_token_stream(),
        "vis" => input.parse::<syn::Visibility>()?.into_token_stream(),
        "meta" => input.parse::<syn::Meta>()?.into_token_stream(),
        _ => input.parse::<TokenTree>()?.into_token_stream(),
    })
}

fn match_seq(input: ParseStream, ms: &[M], binds: &mut Binds) -> syn::Result<()> {
    for m in ms {
        match m {
            M::Tok(t) => {
                let tt: TokenTree = input.parse()?;
                if tt.to_string() != *t {
                    return Err(input.error("no match"));
                }
            }
            M::Group(d, inner) => {
                let tt: TokenTree = input.parse()?;
                let TokenTree::Group(g) = tt else {
                    return Err(input.error("no match"));
                };
                if g.delimiter() != *d {
                    return Err(input.error("no match"));
                }
                let mut b = Binds::new();
                (|s: ParseStream| {
                    match_seq(s, inner, &mut b)?;
                    if s.is_empty() {
                        Ok(())
                    } else {
                        Err(s.error("no match"))
                    }
                })
                .parse2(g.stream())?;
                binds.extend(b);
            }
            M::Frag(name, kind) => {
                let ts = frag(input, kind)?;
                binds.insert(name.clone(), Capture::One(ts));
            }
            M::Rep(inner, sep) => {
                let mut iters = Vec::new();
                loop {
                    if input.is_empty() {
                        break;
                    }
                    let fork = input.fork();
                    if !iters.is_empty() {
                        if let Some(s) = sep {
                            match fork.parse::<TokenTree>() {
                                Ok(tt) if tt.to_string() == *s => {}
                                _ => break,
                            }
                        }
                    }
                    let mut b = Binds::new();
                    if match_seq(&fork, inner, &mut b).is_err() {
                        break;
                    }
                    input.advance_to(&fork);
                    iters.push(b);
                    if iters.len() > 1000 {
                        break;
                    }
                }
                let names = names_in(inner);
                for n in names {
                    binds.insert(n, Capture::Seq(iters.clone()));
                }
            }
        }
    }
    Ok(())
}

fn names_in(ms: &[M]) -> Vec<String> {
    let mut out = Vec::new();
    for m in ms {
        match m {
            M::Frag(n, _) => out.push(n.clone()),
            M::Group(_, inner) | M::Rep(inner, _) => out.extend(names_in(inner)),
            M::Tok(_) => {}
        }
    }
    out
}

fn respan(tt: TokenTree, span: Span) -> TokenTree {
    match tt {
        TokenTree::Group(g) => {
            let inner: TokenStream = g.stream().into_iter().map(|t| respan(t, span)).collect();
            let mut ng = Group::new(g.delimiter(), inner);
            ng.set_span(span);
            TokenTree::Group(ng)
        }
        mut other => {
            other.set_span(span);
            other
        }
    }
}

fn transcribe(
    ts: TokenStream,
    binds: &Binds,
    span: Span,
    out: &mut TokenStream,
    depth: u32,
) -> Option<()> {
    if depth > 16 {
        return None;
    }
    let toks: Vec<TokenTree> = ts.into_iter().collect();
    let mut i = 0;
    while i < toks.len() {
        match &toks[i] {
            TokenTree::Punct(p) if p.as_char() == '$' => match toks.get(i + 1) {
                Some(TokenTree::Ident(name)) => {
                    match binds.get(&name.to_string()) {
                        Some(Capture::One(c)) => out.extend(c.clone()),
                        // `$crate` and unbound names stay as written.
                        _ if name == "crate" => out.extend([respan(
                            TokenTree::Ident(proc_macro2::Ident::new("crate", span)),
                            span,
                        )]),
                        _ => return None,
                    }
                    i += 2;
                }
                Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => {
                    let (sep, skip) = repetition_suffix(&toks, i);
                    // The repetition runs as many times as a sequence it mentions matched.
                    let seq = g
                        .stream()
                        .into_iter()
                        .collect::<Vec<_>>()
                        .windows(2)
                        .find_map(|w| match (&w[0], &w[1]) {
                            (TokenTree::Punct(d), TokenTree::Ident(n)) if d.as_char() == '$' => {
                                match binds.get(&n.to_string()) {
                                    Some(Capture::Seq(s)) => Some(s.clone()),
                                    _ => None,
                                }
                            }
                            _ => None,
                        })?;
                    for (k, it) in seq.iter().enumerate() {
                        if k > 0 {
                            if let Some(s) = &sep {
                                out.extend([respan(s.clone(), span)]);
                            }
                        }
                        let mut layered = binds.clone();
                        layered.extend(it.clone());
                        transcribe(g.stream(), &layered, span, out, depth + 1)?;
                    }
                    i += skip;
                }
                _ => {
                    out.extend([respan(toks[i].clone(), span)]);
                    i += 1;
                }
            },
            TokenTree::Group(g) => {
                let mut inner = TokenStream::new();
                transcribe(g.stream(), binds, span, &mut inner, depth + 1)?;
                let mut ng = Group::new(g.delimiter(), inner);
                ng.set_span(span);
                out.extend([TokenTree::Group(ng)]);
                i += 1;
            }
            t => {
                out.extend([respan(t.clone(), span)]);
                i += 1;
            }
        }
    }
    Some(())
}

/// A macro's rules lexed on the thread that expands it (tokens cannot cross threads), once
/// per file rather than once per invocation.
pub(crate) struct Lexed {
    rules: Vec<(Vec<M>, TokenStream)>,
}

pub(crate) fn lex(rules: &[(String, String)]) -> Lexed {
    Lexed {
        rules: rules
            .iter()
            .filter_map(|(m, t)| {
                let (Ok(mts), Ok(tts)) = (m.parse::<TokenStream>(), t.parse::<TokenStream>())
                else {
                    return None;
                };
                Some((matcher(mts), tts))
            })
            .collect(),
    }
}

/// Expands one invocation: the first rule that matches, transcribed.
pub(crate) fn expand(lexed: &Lexed, input: TokenStream, span: Span) -> Option<TokenStream> {
    for (ms, tts) in &lexed.rules {
        let mut binds = Binds::new();
        let ok = (|s: ParseStream| {
            match_seq(s, ms, &mut binds)?;
            if s.is_empty() {
                Ok(())
            } else {
                Err(s.error("no match"))
            }
        })
        .parse2(input.clone())
        .is_ok();
        if ok {
            let mut out = TokenStream::new();
            transcribe(tts.clone(), &binds, span, &mut out, 0)?;
            return Some(out);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definitions_are_cut_out_around_strings_comments_and_lifetimes() {
        let text = r#"
// macro_rules! in a comment { is not a definition
macro_rules! db {
    ($pool:expr) => { $pool.get().expect("a } in a string") }; // } in a comment
    ($pool:expr, $t:lifetime) => { { let c: &$t str = "x"; let ch = '}'; $pool } };
}
macro_rules! twice { ($e:expr) => { ($e, $e) } }
"#;
        let mut t = MacroTable::default();
        collect(text, &mut t);
        assert_eq!(t.rules.get("db").map(Vec::len), Some(2));
        assert_eq!(t.rules.get("twice").map(Vec::len), Some(1));
        assert!(!t.rules.contains_key("in"));
        assert!(t.exported.is_empty());
    }

    #[test]
    fn exported_definitions_are_told_apart() {
        let text = "#[macro_export]\n/// Gets a connection.\n#[doc(hidden)]\nmacro_rules! conn { ($p:expr) => { $p.get() } }\nfn f() {}\nmacro_rules! local { () => {} }\n";
        let mut t = MacroTable::default();
        collect(text, &mut t);
        assert!(t.exported.contains("conn"));
        assert!(!t.exported.contains("local"));
        assert!(t.rules.contains_key("local"));
    }

    /// What invoking macro `name` of the definitions `defs` on `input` expands to, token by
    /// token (`None`: no rule matches, or the transcription failed).
    fn expand_str(defs: &str, name: &str, input: &str) -> Option<String> {
        let mut t = MacroTable::default();
        collect(defs, &mut t);
        let lexed = lex(&t.rules[name]);
        let input: TokenStream = input.parse().expect("the input lexes");
        expand(&lexed, input, Span::call_site()).map(spaced)
    }

    /// Tokens one space apart, whatever their spacing (a transcribed `&` before `$x` keeps
    /// the joint spacing it had before the `$`).
    fn spaced(ts: TokenStream) -> String {
        let mut out = Vec::new();
        for tt in ts {
            match tt {
                TokenTree::Group(g) => {
                    let (open, close) = match g.delimiter() {
                        Delimiter::Parenthesis => ("(", ")"),
                        Delimiter::Brace => ("{", "}"),
                        Delimiter::Bracket => ("[", "]"),
                        Delimiter::None => ("", ""),
                    };
                    let inner = spaced(g.stream());
                    out.push(
                        [open, inner.as_str(), close]
                            .iter()
                            .filter(|s| !s.is_empty())
                            .copied()
                            .collect::<Vec<_>>()
                            .join(" "),
                    );
                }
                TokenTree::Punct(p) => out.push(p.as_char().to_string()),
                other => out.push(other.to_string()),
            }
        }
        out.join(" ")
    }

    /// `expected`, lexed and printed as `expand_str` prints an expansion.
    fn tokens(expected: &str) -> Option<String> {
        Some(spaced(expected.parse().expect("the expectation lexes")))
    }

    const POOLS: &str = r#"
macro_rules! pool_for {
    (primary) => { PRIMARY_POOL.get() };
    (replica) => { REPLICA_POOL.get() };
    (tenant = $id:expr) => { TENANT_POOLS.get(&$id) };
}
"#;

    #[test]
    fn a_literal_token_matcher_picks_its_rule() {
        assert_eq!(
            expand_str(POOLS, "pool_for", "replica"),
            tokens("REPLICA_POOL.get()")
        );
        assert_eq!(
            expand_str(POOLS, "pool_for", "primary"),
            tokens("PRIMARY_POOL.get()")
        );
        assert_eq!(
            expand_str(POOLS, "pool_for", "tenant = req.tenant_id"),
            tokens("TENANT_POOLS.get(&req.tenant_id)")
        );
    }

    #[test]
    fn an_expr_fragment_is_substituted_whole() {
        let defs = r#"
macro_rules! with_conn {
    ($pool:expr) => { $pool.get().expect("database unavailable") };
    ($pool:expr, $sql:literal) => { $pool.get()?.execute($sql, &[]) };
}
"#;
        assert_eq!(
            expand_str(defs, "with_conn", "state.pools[region]"),
            tokens(r#"state.pools[region].get().expect("database unavailable")"#)
        );
        assert_eq!(
            expand_str(defs, "with_conn", r#"&app.db, "DELETE FROM sessions""#),
            tokens(r#"&app.db.get()?.execute("DELETE FROM sessions", &[])"#)
        );
    }

    #[test]
    fn an_ident_fragment_names_what_the_transcriber_defines() {
        let defs = "
macro_rules! repository {
    ($name:ident, $table:literal) => {
        pub fn $name(pool: &PgPool) -> Query { query($table).fetch_all(pool) }
    };
}
";
        assert_eq!(
            expand_str(defs, "repository", r#"all_invoices, "invoices""#),
            tokens(
                r#"pub fn all_invoices(pool: &PgPool) -> Query { query("invoices").fetch_all(pool) }"#
            )
        );
        // A literal is no identifier.
        assert_eq!(
            expand_str(defs, "repository", r#""invoices", "invoices""#),
            None
        );
    }

    #[test]
    fn a_comma_separated_repetition_is_transcribed_with_its_separator() {
        let defs = "
macro_rules! user_ids {
    ($($id:expr),*) => { vec![$($id),*] };
}
";
        assert_eq!(
            expand_str(defs, "user_ids", "1, session.user_id, admin.id"),
            tokens("vec![1, session.user_id, admin.id]")
        );
        assert_eq!(expand_str(defs, "user_ids", ""), tokens("vec![]"));
        // The separator goes between repetitions, not after the last.
        assert_eq!(expand_str(defs, "user_ids", "1, 2,"), None);
    }

    #[test]
    fn a_semicolon_separated_repetition_needs_its_separators() {
        let defs = "
macro_rules! checkout_all {
    ($($pool:expr);+) => { $( $pool.get().unwrap(); )+ };
}
";
        assert_eq!(
            expand_str(defs, "checkout_all", "state.primary; state.replica"),
            tokens("state.primary.get().unwrap(); state.replica.get().unwrap();")
        );
        assert_eq!(
            expand_str(defs, "checkout_all", "state.primary"),
            tokens("state.primary.get().unwrap();")
        );
        assert_eq!(
            expand_str(defs, "checkout_all", "state.primary, state.replica"),
            None
        );
    }

    #[test]
    fn the_first_matching_rule_wins() {
        let defs = "
macro_rules! acquire {
    ($pool:expr) => { $pool.acquire().await };
    ($pool:ident) => { $pool.begin().await };
    (@tx $pool:expr) => { $pool.begin().await };
}
";
        // `db` is an expression and an identifier: the first rule takes it.
        assert_eq!(
            expand_str(defs, "acquire", "db"),
            tokens("db.acquire().await")
        );
        // `@tx db` is no expression: the first rule that matches is the third.
        assert_eq!(
            expand_str(defs, "acquire", "@tx db"),
            tokens("db.begin().await")
        );
    }

    #[test]
    fn no_matching_rule_gives_none() {
        assert_eq!(expand_str(POOLS, "pool_for", "archive"), None);
        assert_eq!(expand_str(POOLS, "pool_for", "primary replica"), None);
        assert_eq!(expand_str(POOLS, "pool_for", "tenant req.tenant_id"), None);
        assert_eq!(expand_str(POOLS, "pool_for", ""), None);
    }

    #[test]
    fn a_nested_repetition_is_transcribed_per_outer_iteration() {
        let defs = "
macro_rules! tables {
    ($( $table:ident => [ $( $column:ident ),* ] );*) => {
        $( pub fn $table(pool: &PgPool) { $( let $column = select(pool, stringify!($column)); )* } )*
    };
}
";
        assert_eq!(
            expand_str(defs, "tables", "users => [id, email]; orders => [total]"),
            tokens(
                "pub fn users(pool: &PgPool) {
                     let id = select(pool, stringify!(id));
                     let email = select(pool, stringify!(email));
                 }
                 pub fn orders(pool: &PgPool) { let total = select(pool, stringify!(total)); }"
            )
        );
    }

    #[test]
    fn a_repeated_variable_outside_its_repetition_fails_cleanly() {
        // rustc refuses this definition (`id` is still repeating at this depth): no expansion.
        let defs = "
macro_rules! first_id {
    ($($id:expr),*) => { $id };
}
macro_rules! unbound {
    ($pool:expr) => { $pool.get($timeout) };
}
";
        assert_eq!(expand_str(defs, "first_id", "1, 2"), None);
        assert_eq!(expand_str(defs, "unbound", "db"), None);
    }

    #[test]
    fn dollar_crate_becomes_crate() {
        let defs = "
macro_rules! db {
    ($state:expr) => { $crate::db::pool(&$state).get() };
}
";
        assert_eq!(
            expand_str(defs, "db", "app"),
            tokens("crate::db::pool(&app).get()")
        );
    }

    #[test]
    fn body_tokens_take_the_invocation_span_and_arguments_keep_theirs() {
        let mut t = MacroTable::default();
        collect(
            "macro_rules! conn { ($pool:expr) => { $pool.get() } }",
            &mut t,
        );
        let lexed = lex(&t.rules["conn"]);
        // Each lexed string numbers its own lines: the arguments on line 2, the invocation
        // on line 5.
        let input: TokenStream = "\n state.db".parse().expect("the input lexes");
        let at = "\n\n\n\nconn"
            .parse::<TokenStream>()
            .expect("the invocation lexes")
            .into_iter()
            .next()
            .expect("one token")
            .span();
        let out = expand(&lexed, input, at).expect("the rule matches");
        let lines: Vec<(String, usize)> = out
            .into_iter()
            .map(|tt| (tt.to_string(), tt.span().start().line))
            .collect();
        let want: Vec<(String, usize)> = [
            ("state", 2),
            (".", 2),
            ("db", 2),
            (".", 5),
            ("get", 5),
            ("()", 5),
        ]
        .iter()
        .map(|(s, l)| (s.to_string(), *l))
        .collect();
        assert_eq!(lines, want);
    }
}
