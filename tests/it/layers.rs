//! The layers of the crate, written down once, and the check that keeps them: no module of
//! `src/` imports from a layer above its own, front ends import each other only where
//! [`FRONT_END_IMPORTS`] says why, and no two top-level modules import each other, directly or
//! around a longer cycle.
//!
//! The check reads every `crate::` path (and `streaming_skill::` in `src/main.rs`, and `super::`
//! paths that climb to the crate root) in the code of `src/**/*.rs`, wherever it stands: `use`
//! lines, expressions, types and macro arguments. Comments and string literals are left out, so
//! a doc link is not an import. Each problem names the file and line of an import that breaks
//! the rule.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A layer; each may import only from its own layer and those below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Layer {
    /// Knows nothing of MCP, the command line or the library: skills, markdown, tables, search,
    /// routing rules, the deciding tools, configuration review, schema compatibility.
    Domain,
    /// What every front end uses: the library of served skills and the skill validator.
    Application,
    /// The command line, the MCP adapter and the transports.
    FrontEnd,
    /// The binary (`src/main.rs`).
    Entry,
}

/// Every top-level module of `src/`, and its layer. A new module fails the check until it is
/// given a layer here.
const LAYERS: &[(&str, Layer)] = &[
    ("main", Layer::Entry),
    ("cli", Layer::FrontEnd),
    ("mcp", Layer::FrontEnd),
    ("transport", Layer::FrontEnd),
    ("library", Layer::Application),
    ("validate", Layer::Application),
    ("compat", Layer::Domain),
    ("decide", Layer::Domain),
    ("labelled", Layer::Domain),
    ("markdown", Layer::Domain),
    ("review", Layer::Domain),
    ("routing", Layer::Domain),
    ("search", Layer::Domain),
    ("skill", Layer::Domain),
    ("tables", Layer::Domain),
    ("testing", Layer::Domain),
    ("tokens", Layer::Domain),
    ("text", Layer::Domain),
];

/// The only imports allowed between two front ends: (from, to, why).
const FRONT_END_IMPORTS: &[(&str, &str, &str)] = &[
    (
        "cli",
        "transport",
        "`serve` starts the stdio or Streamable HTTP transport",
    ),
    (
        "transport",
        "mcp",
        "a transport wires the MCP adapter to a byte stream or a socket",
    ),
];

/// The rules the check applies.
struct Rules<'a> {
    layers: &'a [(&'a str, Layer)],
    front_end_imports: &'a [(&'a str, &'a str, &'a str)],
}

const RULES: Rules<'static> = Rules {
    layers: LAYERS,
    front_end_imports: FRONT_END_IMPORTS,
};

/// A word or punctuation of the source, with its line.
#[derive(Debug)]
struct Token {
    text: String,
    line: usize,
}

/// The tokens of Rust source, without comments, string, byte string and character literals.
fn tokens(source: &str) -> Vec<Token> {
    let chars: Vec<char> = source.chars().collect();
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    let is_ident_start = |c: char| c.is_alphabetic() || c == '_';
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    line += usize::from(chars[i] == '\n');
                    i += 1;
                }
            }
        } else if c == '"' {
            i = skip_string(&chars, i + 1, &mut line);
        } else if c == '\'' {
            if at(i + 1) == '\\' {
                // An escaped character: '\n', '\'', '\u{1F600}'.
                i += 3;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if at(i + 2) == '\'' {
                i += 3;
            } else {
                // A lifetime or label: its name follows as a word.
                i += 1;
            }
        } else if is_ident_start(c) {
            // A prefixed literal (b"", c"", r"", r#""#, br"", b'x') or a raw identifier?
            let mut j = i;
            if matches!(c, 'b' | 'c') {
                j += 1;
            }
            if c == 'b' && at(j) == '\'' {
                i = j;
                continue;
            }
            let raw = at(j) == 'r';
            if raw {
                j += 1;
            }
            let hashes = chars[j..].iter().take_while(|&&h| h == '#').count();
            if at(j + hashes) == '"' && (raw || (hashes == 0 && j > i)) {
                if raw {
                    i = skip_raw_string(&chars, j + hashes + 1, hashes, &mut line);
                } else {
                    i = skip_string(&chars, j + 1, &mut line);
                }
                continue;
            }
            let start = if c == 'r' && at(i + 1) == '#' && is_ident_start(at(i + 2)) {
                i + 2
            } else {
                i
            };
            let mut end = start;
            while end < chars.len() && is_ident(chars[end]) {
                end += 1;
            }
            out.push(Token {
                text: chars[start..end].iter().collect(),
                line,
            });
            i = end;
        } else if c.is_ascii_digit() {
            while i < chars.len() && is_ident(chars[i]) {
                i += 1;
            }
        } else if c == ':' && at(i + 1) == ':' {
            out.push(Token {
                text: "::".into(),
                line,
            });
            i += 2;
        } else {
            out.push(Token {
                text: c.to_string(),
                line,
            });
            i += 1;
        }
    }
    out
}

/// The position after a string literal whose text starts at `i`.
fn skip_string(chars: &[char], mut i: usize, line: &mut usize) -> usize {
    while i < chars.len() {
        match chars[i] {
            '\\' => {
                *line += usize::from(chars.get(i + 1) == Some(&'\n'));
                i += 2;
            }
            '"' => return i + 1,
            c => {
                *line += usize::from(c == '\n');
                i += 1;
            }
        }
    }
    i
}

/// The position after a raw string literal with `hashes` hashes whose text starts at `i`.
fn skip_raw_string(chars: &[char], mut i: usize, hashes: usize, line: &mut usize) -> usize {
    while i < chars.len() {
        if chars[i] == '"' && chars[i + 1..].iter().take(hashes).filter(|&&h| h == '#').count() == hashes {
            return i + 1 + hashes;
        }
        *line += usize::from(chars[i] == '\n');
        i += 1;
    }
    i
}

/// A path that reaches a top-level module from the crate root.
#[derive(Debug, PartialEq)]
struct Reference {
    /// The top-level module, or `*` for a glob import of the crate root.
    target: String,
    line: usize,
}

/// The module path of a file of `src/`: `src/skill/mod.rs` is `["skill"]`, `src/lib.rs` is
/// the crate root (`[]`), and `src/main.rs`, the binary, is `["main"]`.
fn module_path(file: &str) -> Vec<String> {
    let relative = file.strip_prefix("src/").unwrap_or(file);
    let relative = relative.strip_suffix(".rs").unwrap_or(relative);
    let mut parts: Vec<String> = relative.split('/').map(str::to_string).collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts
}

/// Every reference from `file` to a top-level module other than its own, each with its line.
fn references(file: &str, source: &str) -> Result<Vec<Reference>, String> {
    let module = module_path(file);
    let is_binary = module == ["main"];
    let tokens = tokens(source);
    let text = |k: usize| tokens.get(k).map_or("", |t| t.text.as_str());
    let mut out = Vec::new();
    let mut depth = 0usize;
    // Inline modules (`mod tests { ... }`) around the current token: name and brace depth.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut k = 0;
    while k < tokens.len() {
        let word = text(k);
        let starts_path = k == 0 || text(k - 1) != "::";
        match word {
            "{" => depth += 1,
            "}" => {
                depth = depth.saturating_sub(1);
                if inline.last().is_some_and(|(_, d)| depth < *d) {
                    inline.pop();
                }
            }
            "mod" if text(k + 2) == "{" => {
                inline.push((text(k + 1).to_string(), depth + 1));
                k += 2;
                continue;
            }
            _ => {}
        }
        let root_at =
            if starts_path && text(k + 1) == "::" && (word == "streaming_skill" || (word == "crate" && !is_binary)) {
                Some(k + 2)
            } else if starts_path && word == "super" && text(k + 1) == "::" {
                let mut here: Vec<String> = module
                    .iter()
                    .cloned()
                    .chain(inline.iter().map(|(n, _)| n.clone()))
                    .collect();
                let mut j = k;
                while text(j) == "super" && text(j + 1) == "::" {
                    if here.pop().is_none() {
                        return Err(format!("{file}:{}: `super` above the crate root", tokens[k].line));
                    }
                    j += 2;
                }
                here.is_empty().then_some(j)
            } else {
                None
            };
        if let Some(p) = root_at {
            targets(&tokens, p, &mut out);
        }
        k += 1;
    }
    let own = module.first().cloned().unwrap_or_default();
    out.retain(|r| r.target != own && r.target != "self");
    Ok(out)
}

/// The top-level modules named at `p`, just after `crate::`: one word, or each first word of
/// a `{...}` group.
fn targets(tokens: &[Token], p: usize, out: &mut Vec<Reference>) {
    let Some(first) = tokens.get(p) else { return };
    if first.text != "{" {
        out.push(Reference {
            target: first.text.clone(),
            line: first.line,
        });
        return;
    }
    let mut depth = 0;
    let mut item_start = true;
    for token in &tokens[p..] {
        match token.text.as_str() {
            "{" => {
                depth += 1;
                if depth == 1 {
                    continue;
                }
            }
            "}" => {
                depth -= 1;
                if depth == 0 {
                    return;
                }
            }
            "," if depth == 1 => {
                item_start = true;
                continue;
            }
            _ if depth == 1 && item_start => out.push(Reference {
                target: token.text.clone(),
                line: token.line,
            }),
            _ => {}
        }
        item_start = false;
    }
}

/// One import of a top-level module by another, where it was seen.
#[derive(Debug, Clone)]
struct Edge {
    from: String,
    to: String,
    file: String,
    line: usize,
}

/// The problems with `files` (path under the crate, source) under `rules`: imports from a
/// higher layer, undocumented imports between front ends, cycles, and modules without a layer.
/// Also returns the imports found between top-level modules.
fn check(files: &[(String, String)], rules: &Rules) -> (Vec<String>, Vec<Edge>) {
    let layer_of = |module: &str| rules.layers.iter().find(|(m, _)| *m == module).map(|(_, l)| *l);
    let mut problems = Vec::new();
    let mut edges = Vec::new();
    for (file, source) in files {
        let Some(from) = module_path(file).first().cloned() else {
            continue;
        };
        let Some(from_layer) = layer_of(&from) else {
            problems.push(format!(
                "{file}: the top-level module `{from}` has no layer in tests/it/layers.rs"
            ));
            continue;
        };
        let found = match references(file, source) {
            Ok(found) => found,
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        for Reference { target, line } in found {
            if target == "*" {
                problems.push(format!(
                    "{file}:{line}: a glob import of the crate root hides which layers it uses"
                ));
                continue;
            }
            let Some(to_layer) = layer_of(&target) else {
                problems.push(format!(
                    "{file}:{line}: `{target}` is not a top-level module with a layer in tests/it/layers.rs"
                ));
                continue;
            };
            if to_layer > from_layer {
                problems.push(format!(
                    "{file}:{line}: {from} ({from_layer:?}) imports {target} ({to_layer:?}), a higher layer"
                ));
            } else if to_layer == Layer::FrontEnd
                && from_layer == Layer::FrontEnd
                && !rules
                    .front_end_imports
                    .iter()
                    .any(|(f, t, _)| *f == from && *t == target)
            {
                problems.push(format!(
                    "{file}:{line}: front end {from} imports front end {target}, which FRONT_END_IMPORTS in tests/it/layers.rs does not allow"
                ));
            }
            edges.push(Edge {
                from: from.clone(),
                to: target,
                file: file.clone(),
                line,
            });
        }
    }
    problems.extend(cycles(&edges));
    (problems, edges)
}

/// One problem for each set of top-level modules that import each other around a cycle,
/// naming an import for each edge of it.
fn cycles(edges: &[Edge]) -> Vec<String> {
    let mut next: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for e in edges {
        next.entry(e.from.as_str()).or_default().insert(e.to.as_str());
    }
    let reach = |start: &str| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![start];
        while let Some(m) = todo.pop() {
            for &n in next.get(m).into_iter().flatten() {
                if seen.insert(n) {
                    todo.push(n);
                }
            }
        }
        seen
    };
    let reachable: BTreeMap<&str, BTreeSet<&str>> = next.keys().map(|&m| (m, reach(m))).collect();
    let mut reported = BTreeSet::new();
    let mut out = Vec::new();
    for (&m, from_m) in &reachable {
        if !from_m.contains(m) || reported.contains(m) {
            continue;
        }
        // The modules on a cycle through m: those m reaches that reach m back.
        let group: BTreeSet<&str> = from_m
            .iter()
            .copied()
            .filter(|n| reachable.get(n).is_some_and(|r| r.contains(m)))
            .collect();
        let mut witnesses: BTreeMap<(&str, &str), &Edge> = BTreeMap::new();
        for e in edges {
            if group.contains(e.from.as_str()) && group.contains(e.to.as_str()) {
                witnesses.entry((e.from.as_str(), e.to.as_str())).or_insert(e);
            }
        }
        let listed: Vec<String> = witnesses
            .values()
            .map(|e| format!("{} -> {} ({}:{})", e.from, e.to, e.file, e.line))
            .collect();
        out.push(format!(
            "a cycle between {}: {}",
            group.iter().copied().collect::<Vec<_>>().join(", "),
            listed.join(", ")
        ));
        reported.extend(group);
    }
    out
}

/// Every `.rs` file under `dir`, as (path relative to the crate, source).
fn read_sources(crate_root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            read_sources(crate_root, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path
                .strip_prefix(crate_root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((relative, std::fs::read_to_string(&path).unwrap()));
        }
    }
}

#[test]
fn no_module_imports_from_a_higher_layer_or_around_a_cycle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    read_sources(root, &root.join("src"), &mut files);
    let (mut problems, edges) = check(&files, &RULES);
    let modules: BTreeSet<String> = files
        .iter()
        .filter_map(|(f, _)| module_path(f).first().cloned())
        .collect();
    for (module, _) in LAYERS {
        if !modules.contains(*module) {
            problems.push(format!(
                "tests/it/layers.rs gives a layer to `{module}`, which src/ does not have"
            ));
        }
    }
    for (from, to, _) in FRONT_END_IMPORTS {
        if !edges.iter().any(|e| e.from == *from && e.to == *to) {
            problems.push(format!(
                "FRONT_END_IMPORTS allows {from} -> {to}, which nothing uses: remove it"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} layer problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
    // The scan saw the imports there are: the front ends use the library, the library the domain.
    for (from, to) in [
        ("cli", "library"),
        ("mcp", "library"),
        ("library", "search"),
        ("main", "cli"),
    ] {
        assert!(
            edges.iter().any(|e| e.from == from && e.to == to),
            "no import {from} -> {to} was found"
        );
    }
}

/// Runs the check on files made up for a test, under the real layers.
fn problems(files: &[(&str, &str)]) -> Vec<String> {
    let files: Vec<(String, String)> = files.iter().map(|(f, s)| (f.to_string(), s.to_string())).collect();
    check(&files, &RULES).0
}

#[test]
fn an_import_from_a_higher_layer_is_named_with_its_file_and_line() {
    let found = problems(&[(
        "src/skill/root.rs",
        "//! Loads skills.\n\nuse super::Skill;\nuse crate::validate::{self, Severity};\n",
    )]);
    assert_eq!(
        found,
        ["src/skill/root.rs:4: skill (Domain) imports validate (Application), a higher layer"]
    );
    let found = problems(&[(
        "src/library/live.rs",
        "use crate::{\n    search::cache::IndexCache,\n    cli::SkillSources,\n};\n",
    )]);
    assert_eq!(
        found,
        ["src/library/live.rs:3: library (Application) imports cli (FrontEnd), a higher layer"]
    );
}

#[test]
fn a_cycle_between_top_level_modules_is_named_with_an_import_for_each_edge() {
    let found = problems(&[
        (
            "src/search/mod.rs",
            "fn f() { let _ = crate::routing::Router::new(); }\n",
        ),
        ("src/routing/mod.rs", "\nuse crate::search::SearchIndex;\n"),
        ("src/tables.rs", "use crate::markdown::Section;\n"),
    ]);
    assert_eq!(
        found,
        [
            "a cycle between routing, search: routing -> search (src/routing/mod.rs:2), search -> routing (src/search/mod.rs:1)"
        ]
    );
}

#[test]
fn front_ends_import_each_other_only_where_allowed() {
    assert_eq!(
        problems(&[("src/transport/stdio.rs", "use crate::mcp::SkillServer;\n")]),
        Vec::<String>::new()
    );
    assert_eq!(
        problems(&[("src/mcp/tools.rs", "use crate::cli::Cli;\n")]),
        [
            "src/mcp/tools.rs:1: front end mcp imports front end cli, which FRONT_END_IMPORTS in tests/it/layers.rs does not allow"
        ]
    );
}

#[test]
fn a_new_module_needs_a_layer() {
    assert_eq!(
        problems(&[("src/cache.rs", "use crate::skill::Skill;\n")]),
        ["src/cache.rs: the top-level module `cache` has no layer in tests/it/layers.rs"]
    );
    assert_eq!(
        problems(&[("src/skill/mod.rs", "use crate::helpers::slug;\n")]),
        ["src/skill/mod.rs:1: `helpers` is not a top-level module with a layer in tests/it/layers.rs"]
    );
}

#[test]
fn comments_strings_and_paths_inside_a_module_are_not_imports() {
    let source = r###"//! See [`crate::library::SkillLibrary`].
/* crate::cli /* nested */ crate::mcp */
use super::super::ParseFailure;
const A: &str = "crate::library::x";
const B: &str = r#"crate::cli "quoted" crate::mcp"#;
const C: char = '"';
fn f<'a>(x: &'a str) -> &'a str { let _ = crate::compat::avro::check; let _ = b"crate::cli"; x }
mod tests {
    use super::*;
    use crate::markdown::parse;
}
"###;
    let found = references("src/compat/protobuf/parser.rs", source).unwrap();
    assert_eq!(
        found,
        [Reference {
            target: "markdown".into(),
            line: 10
        }]
    );
    assert!(problems(&[("src/compat/protobuf/parser.rs", source)]).is_empty());
}

#[test]
fn super_paths_that_climb_to_the_crate_root_are_imports() {
    let source = "mod tests {\n    use super::super::super::library::SkillLibrary;\n}\n";
    assert_eq!(
        references("src/skill/files.rs", source).unwrap(),
        [Reference {
            target: "library".into(),
            line: 2
        }]
    );
    assert_eq!(
        references(
            "src/main.rs",
            "use streaming_skill::cli::{self, Cli};\nmod x { fn f() { crate::y(); } }\n"
        )
        .unwrap(),
        [Reference {
            target: "cli".into(),
            line: 1
        }]
    );
    assert_eq!(
        problems(&[("src/decide/mod.rs", "use crate::*;\n")]),
        ["src/decide/mod.rs:1: a glob import of the crate root hides which layers it uses"]
    );
}
