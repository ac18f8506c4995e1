//! JSON Schema compatibility, modelled on the Schema Registry's JSON Schema rules (its
//! default, strict policy) for the common cases.
//!
//! The registry diffs the writer's schema ("original") against the reader's ("update"):
//!
//! * Objects. A content model is *open* when `additionalProperties` is absent or `true` (and
//!   no `patternProperties` or `unevaluatedProperties` narrow it), *closed* when it is
//!   `false`, *partially open* when it is a schema. The reader may drop a property only if
//!   its own model is open (or the property's schema fits the reader's
//!   `additionalProperties` schema); it may add a property only if the writer's model is
//!   closed (or the property fits the writer's `additionalProperties` schema), and never as
//!   `required` without a default; a property may stop being required but not become
//!   required without a default; `additionalProperties` may open but not close or narrow.
//! * Types: a change of type is rejected, except integer → number (extending); a type list
//!   (`"type": ["string", "null"]`) may gain types but not lose them.
//! * `enum` may gain values but not lose them; constraints (`maxLength`, `minLength`,
//!   `pattern`, `maximum`, `minimum`, `exclusiveMaximum`, `exclusiveMinimum`, `multipleOf`,
//!   `maxItems`, `minItems`, `uniqueItems`, `maxProperties`, `minProperties`) may loosen or
//!   go away but not tighten or appear.
//! * Nested `properties`, `additionalProperties` schemas and array `items` are compared the
//!   same way; local `$ref`s (`#/definitions/...`, `#/$defs/...`) are followed, with a guard
//!   against cycles; `anyOf`/`oneOf`/`allOf` are compared branch by branch with a maximum
//!   matching, as the registry does.
//!
//! [`JsonSchema::not_checked`] lists what is left out.

use std::collections::{BTreeSet, HashSet};

use serde_json::{Map, Value};

use super::avro::json_failure;
use super::{Direction, Finding, Format, ParseFailure, Rule};

/// The JSON Schema format.
pub(crate) struct JsonSchema;

/// A parsed JSON Schema document.
pub(crate) struct Parsed {
    root: Value,
}

/// The schema that accepts everything, for absent subschemas.
static ANY: Value = Value::Bool(true);

impl Format for JsonSchema {
    type Parsed = Parsed;

    fn parse(text: &str) -> Result<Parsed, ParseFailure> {
        let root: Value = serde_json::from_str(text).map_err(json_failure)?;
        if !matches!(root, Value::Object(_) | Value::Bool(_)) {
            return Err(ParseFailure {
                line: Some(1),
                column: Some(1),
                message: "a JSON Schema must be an object or a boolean".into(),
            });
        }
        check_refs(&root, &root)?;
        Ok(Parsed { root })
    }

    fn check(reader: &Parsed, writer: &Parsed, direction: Direction, out: &mut Vec<Finding>) {
        let mut cmp = Comparer {
            writer_root: &writer.root,
            reader_root: &reader.root,
            direction,
            in_progress: HashSet::new(),
        };
        cmp.compare(&writer.root, &reader.root, "$", out);
    }

    fn not_checked() -> Vec<String> {
        [
            "$ref to other documents or subjects: only references inside the same schema \
             (`#...`) are followed; an external reference is treated as accepting anything.",
            "patternProperties, unevaluatedProperties, propertyNames, dependencies \
             (dependentRequired, dependentSchemas) and if/then/else are not compared; an \
             object with patternProperties is not treated as open, and properties it may \
             cover are not checked against the patterns.",
            "not: schemas under `not` are not compared.",
            "Tuple arrays (`items` as an array, `prefixItems`), additionalItems, contains, \
             minContains and maxContains are not compared.",
            "format, contentEncoding and contentMediaType are not compared (the registry does \
             not compare them either); enum and const values are compared as sets, not \
             against other keywords.",
            "A schema that mixes anyOf/oneOf/allOf with sibling keywords (such as `type` next \
             to `anyOf`) is compared on the combinator alone.",
            "The registry's lenient policy: verdicts follow its default, strict policy.",
            "Draft 4 boolean exclusiveMinimum/exclusiveMaximum are ignored.",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }
}

/// Every local `$ref` must point somewhere in the document.
fn check_refs(root: &Value, node: &Value) -> Result<(), ParseFailure> {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref")
                && r.starts_with('#')
                && pointer(root, r).is_none()
            {
                return Err(ParseFailure {
                    line: None,
                    column: None,
                    message: format!("unresolved $ref `{r}`"),
                });
            }
            map.values().try_for_each(|v| check_refs(root, v))
        }
        Value::Array(items) => items.iter().try_for_each(|v| check_refs(root, v)),
        _ => Ok(()),
    }
}

/// Resolves a `#...` reference (a JSON pointer, or `#` for the root).
fn pointer<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    let fragment = reference.strip_prefix('#')?;
    if fragment.is_empty() {
        return Some(root);
    }
    let decoded = fragment.replace("%25", "%").replace("%22", "\"");
    root.pointer(&decoded)
}

/// Follows local `$ref`s; an external reference becomes "anything".
fn resolve<'a>(root: &'a Value, mut node: &'a Value) -> &'a Value {
    for _ in 0..64 {
        match node.get("$ref") {
            Some(Value::String(r)) if r.starts_with('#') => match pointer(root, r) {
                Some(target) => node = target,
                None => return &ANY,
            },
            Some(Value::String(_)) => return &ANY,
            _ => return node,
        }
    }
    &ANY
}

/// Keywords that do not constrain values.
const ANNOTATIONS: &[&str] = &[
    "$schema",
    "$id",
    "id",
    "$comment",
    "title",
    "description",
    "default",
    "examples",
    "definitions",
    "$defs",
    "readOnly",
    "writeOnly",
    "deprecated",
    "$anchor",
];

const OBJECT_KEYWORDS: &[&str] = &[
    "properties",
    "required",
    "additionalProperties",
    "patternProperties",
    "minProperties",
    "maxProperties",
];
const ARRAY_KEYWORDS: &[&str] = &["items", "minItems", "maxItems", "uniqueItems"];
const STRING_KEYWORDS: &[&str] = &["minLength", "maxLength", "pattern"];
const NUMBER_KEYWORDS: &[&str] = &[
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
];

/// The shape of a schema node, after `$ref` resolution.
enum Shape<'a> {
    /// Accepts every value.
    Any,
    /// Accepts no value.
    Nothing,
    /// `anyOf`, `oneOf` or `allOf`.
    Combined(&'static str, &'a [Value]),
    /// Everything else.
    Typed(&'a Map<String, Value>),
}

fn shape(node: &Value) -> Shape<'_> {
    match node {
        Value::Bool(true) => Shape::Any,
        Value::Bool(false) => Shape::Nothing,
        Value::Object(map) => {
            for crit in ["anyOf", "oneOf", "allOf"] {
                if let Some(Value::Array(subs)) = map.get(crit) {
                    return Shape::Combined(crit, subs);
                }
            }
            if map.keys().all(|k| ANNOTATIONS.contains(&k.as_str())) {
                Shape::Any
            } else {
                Shape::Typed(map)
            }
        }
        _ => Shape::Any,
    }
}

/// The JSON type of a value, `integer` for integral numbers.
fn value_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) => {
            if n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0) {
                "integer"
            } else {
                "number"
            }
        }
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The types a schema allows: from `type`, or inferred from its keywords; `None` for any.
fn types_of(map: &Map<String, Value>) -> Option<BTreeSet<String>> {
    match map.get("type") {
        Some(Value::String(t)) => return Some(BTreeSet::from([t.clone()])),
        Some(Value::Array(ts)) => {
            return Some(ts.iter().filter_map(|t| t.as_str().map(String::from)).collect());
        }
        _ => {}
    }
    if let Some(values) = enum_values(map) {
        return Some(values.iter().map(|v| value_type(v).to_string()).collect());
    }
    let has = |keywords: &[&str]| keywords.iter().any(|k| map.contains_key(*k));
    let mut inferred = BTreeSet::new();
    for (keywords, t) in [
        (OBJECT_KEYWORDS, "object"),
        (ARRAY_KEYWORDS, "array"),
        (STRING_KEYWORDS, "string"),
        (NUMBER_KEYWORDS, "number"),
    ] {
        if has(keywords) {
            inferred.insert(t.to_string());
        }
    }
    if inferred.is_empty() { None } else { Some(inferred) }
}

/// `enum` values, or `const` as a one-value enum.
fn enum_values(map: &Map<String, Value>) -> Option<Vec<&Value>> {
    if let Some(Value::Array(values)) = map.get("enum") {
        return Some(values.iter().collect());
    }
    map.get("const").map(|v| vec![v])
}

fn accepts(types: &BTreeSet<String>, t: &str) -> bool {
    types.contains(t) || (t == "integer" && types.contains("number"))
}

fn may_be(types: &Option<BTreeSet<String>>, t: &str) -> bool {
    match types {
        None => true,
        Some(ts) => ts.contains(t) || (t == "number" && ts.contains("integer")),
    }
}

fn list(types: &BTreeSet<String>) -> String {
    types.iter().cloned().collect::<Vec<_>>().join(", ")
}

/// What `additionalProperties` allows.
enum Additional<'a> {
    /// Absent, `true` or `{}`: anything.
    Open,
    /// `false`.
    Closed,
    /// A schema extra properties must match.
    Schema(&'a Value),
}

fn additional(map: &Map<String, Value>) -> Additional<'_> {
    match map.get("additionalProperties") {
        None | Some(Value::Bool(true)) => Additional::Open,
        Some(Value::Bool(false)) => Additional::Closed,
        Some(v) if matches!(shape(v), Shape::Any) => Additional::Open,
        Some(v) => Additional::Schema(v),
    }
}

/// Open content model: anything goes for undeclared properties.
fn is_open(map: &Map<String, Value>) -> bool {
    matches!(additional(map), Additional::Open)
        && !has_pattern_properties(map)
        && map
            .get("unevaluatedProperties")
            .is_none_or(|u| matches!(u, Value::Bool(true)))
}

fn has_pattern_properties(map: &Map<String, Value>) -> bool {
    map.get("patternProperties")
        .and_then(Value::as_object)
        .is_some_and(|p| !p.is_empty())
}

fn required(map: &Map<String, Value>) -> HashSet<&str> {
    map.get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn number(map: &Map<String, Value>, keyword: &str) -> Option<f64> {
    map.get(keyword).and_then(Value::as_f64)
}

fn show(v: Option<f64>) -> String {
    v.map_or_else(|| "none".to_string(), |n| n.to_string())
}

struct Comparer<'a> {
    writer_root: &'a Value,
    reader_root: &'a Value,
    direction: Direction,
    in_progress: HashSet<(usize, usize)>,
}

impl<'a> Comparer<'a> {
    /// Picks the rule id naming what the user changed from old to new.
    fn rule(&self, backward: Rule, forward: Rule) -> Rule {
        self.direction.pick(backward, forward)
    }

    fn compatible(&mut self, writer: &'a Value, reader: &'a Value) -> bool {
        let mut scratch = Vec::new();
        self.compare(writer, reader, "", &mut scratch);
        scratch.is_empty()
    }

    fn compare(&mut self, writer: &'a Value, reader: &'a Value, path: &str, out: &mut Vec<Finding>) {
        let w = resolve(self.writer_root, writer);
        let r = resolve(self.reader_root, reader);
        let key = (w as *const Value as usize, r as *const Value as usize);
        if !self.in_progress.insert(key) {
            // A cycle through $ref: assume compatible, as the registry does.
            return;
        }
        match (shape(w), shape(r)) {
            (_, Shape::Any) | (Shape::Nothing, _) => {}
            (Shape::Combined(wc, ws), Shape::Combined(rc, rs)) => self.combined(wc, ws, rc, rs, path, out),
            (_, Shape::Combined(rc, rs)) if rc != "allOf" => {
                if rs.iter().any(|sub| self.compatible(w, sub)) {
                    return self.done(key);
                }
                if rs.len() == 1 {
                    self.compare(w, &rs[0], path, out);
                } else {
                    out.push(self.no_branch(rc, path));
                }
            }
            (Shape::Combined("allOf", ws), _) => {
                if ws.iter().any(|sub| self.compatible(sub, r)) {
                    return self.done(key);
                }
                if ws.len() == 1 {
                    self.compare(&ws[0], r, path, out);
                } else {
                    out.push(self.no_branch("allOf", path));
                }
            }
            (Shape::Combined(_, ws), _) if ws.len() == 1 => self.compare(&ws[0], r, path, out),
            (_, Shape::Combined(_, rs)) if rs.len() == 1 => self.compare(w, &rs[0], path, out),
            (Shape::Any, _) => out.push(Finding {
                path: path.to_string(),
                rule: Rule::TypeChanged,
                explanation: format!(
                    "{} accepts any value here but {} constrains it.",
                    self.direction.writer_cap(),
                    self.direction.reader()
                ),
                fix: "Keep the schema unconstrained here.".into(),
            }),
            (_, Shape::Nothing) => out.push(Finding {
                path: path.to_string(),
                rule: Rule::TypeChanged,
                explanation: format!("{} accepts no value here.", self.direction.reader_cap()),
                fix: "Do not forbid a value that is allowed now.".into(),
            }),
            (Shape::Combined(c, _), _) | (_, Shape::Combined(c, _)) => out.push(Finding {
                path: path.to_string(),
                rule: Rule::CombinedTypeChanged,
                explanation: format!(
                    "One schema uses {c} here and the other a single schema; the registry \
                     rejects replacing a combination with one schema, or a schema with an \
                     allOf."
                ),
                fix: format!("Keep the {c} as it was."),
            }),
            (Shape::Typed(wm), Shape::Typed(rm)) => self.typed(wm, rm, path, out),
        }
        self.done(key);
    }

    fn done(&mut self, key: (usize, usize)) {
        self.in_progress.remove(&key);
    }

    fn no_branch(&self, crit: &str, path: &str) -> Finding {
        Finding {
            path: path.to_string(),
            rule: Rule::NoMatchingBranch,
            explanation: format!(
                "No branch of the {crit} matches: {} allows values here that {} rejects.",
                self.direction.writer(),
                self.direction.reader()
            ),
            fix: format!(
                "Keep {} branch that accepts what the other schema allows.",
                crate::markdown::with_article(crit)
            ),
        }
    }

    fn combined(
        &mut self,
        wc: &'static str,
        ws: &'a [Value],
        rc: &'static str,
        rs: &'a [Value],
        path: &str,
        out: &mut Vec<Finding>,
    ) {
        if wc != rc {
            let extended = rc == "anyOf"
                || (ws.len() == 1 && rs.len() == 1)
                || (ws.len() == 1 && rc == "oneOf")
                || (rs.len() == 1 && wc == "allOf");
            if !extended {
                out.push(Finding {
                    path: path.to_string(),
                    rule: Rule::CombinedTypeChanged,
                    explanation: format!(
                        "{} combines its branches with {wc} but {} with {rc}; the registry \
                         accepts a change of combinator only towards anyOf.",
                        self.direction.writer_cap(),
                        self.direction.reader()
                    ),
                    fix: format!("Keep {wc}, or use anyOf."),
                });
                return;
            }
        }
        let narrowed =
            (ws.len() < rs.len() && rc == "allOf") || (ws.len() > rs.len() && (wc == "anyOf" || wc == "oneOf"));
        if narrowed {
            out.push(Finding {
                path: path.to_string(),
                rule: Rule::CombinedTypeNarrowed,
                explanation: format!(
                    "The {wc} goes from {} branches in {} to {} in {}, which narrows what is \
                     accepted.",
                    ws.len(),
                    self.direction.writer(),
                    rs.len(),
                    self.direction.reader()
                ),
                fix: "Only add anyOf/oneOf branches, or remove allOf branches.".into(),
            });
        }
        // Maximum matching of writer branches to compatible reader branches.
        let edges: Vec<Vec<usize>> = ws
            .iter()
            .map(|w| (0..rs.len()).filter(|&j| self.compatible(w, &rs[j])).collect())
            .collect();
        let matched = max_matching(&edges, rs.len());
        if matched < ws.len().min(rs.len()) {
            out.push(Finding {
                path: path.to_string(),
                rule: Rule::CombinedBranchUnmatched,
                explanation: format!(
                    "Only {matched} of the {wc} branches of {} match a compatible branch of {}.",
                    self.direction.writer(),
                    self.direction.reader()
                ),
                fix: "Change the branches one compatible step at a time.".into(),
            });
        }
    }

    fn typed(&mut self, wm: &'a Map<String, Value>, rm: &'a Map<String, Value>, path: &str, out: &mut Vec<Finding>) {
        // Enumerations.
        if let Some(re) = enum_values(rm) {
            match enum_values(wm) {
                Some(we) => {
                    let missing: Vec<String> = we.iter().filter(|v| !re.contains(v)).map(|v| v.to_string()).collect();
                    if !missing.is_empty() {
                        let values = missing.join(", ");
                        out.push(Finding {
                            path: path.to_string(),
                            rule: self.rule(Rule::EnumValueRemoved, Rule::EnumValueAdded),
                            explanation: self.direction.pick(
                                format!(
                                    "The new schema's enum no longer allows {values}, which \
                                     data written with the old schema may hold."
                                ),
                                format!(
                                    "The new schema allows {values}, which the old schema's \
                                     enum rejects."
                                ),
                            ),
                            fix: self.direction.pick(
                                format!("Keep {values} in the enum."),
                                format!(
                                    "Do not add enum values while consumers use the old \
                                     schema; or let the old schema accept them first ({values})."
                                ),
                            ),
                        });
                    }
                }
                None => out.push(Finding {
                    path: path.to_string(),
                    rule: self.rule(Rule::EnumRestrictionAdded, Rule::EnumRestrictionRemoved),
                    explanation: self.direction.pick(
                        "The new schema restricts the value to an enum; data written with the \
                         old schema may hold other values."
                            .to_string(),
                        "The new schema drops the enum the old schema restricts the value to; \
                         consumers on the old schema reject other values."
                            .to_string(),
                    ),
                    fix: self.direction.pick(
                        "Do not add an enum to an existing property.".to_string(),
                        "Keep the enum.".to_string(),
                    ),
                }),
            }
            return;
        }

        let wt = types_of(wm);
        let rt = types_of(rm);
        if let Some(we) = enum_values(wm) {
            if let Some(rts) = &rt {
                let rejected: Vec<String> = we
                    .iter()
                    .filter(|v| !accepts(rts, value_type(v)))
                    .map(|v| v.to_string())
                    .collect();
                if !rejected.is_empty() {
                    out.push(self.type_changed(&wt, rts, path));
                }
            }
            return;
        }
        match (&wt, &rt) {
            (_, None) => {}
            (None, Some(rts)) => {
                out.push(self.type_changed(&wt, rts, path));
                return;
            }
            (Some(wts), Some(rts)) => {
                if wts.iter().any(|t| !accepts(rts, t)) {
                    let narrowed =
                        wts.len() == 1 && rts.len() == 1 && wts.contains("number") && rts.contains("integer");
                    if narrowed {
                        out.push(Finding {
                            path: path.to_string(),
                            rule: self.rule(Rule::TypeNarrowed, Rule::TypeExtended),
                            explanation: self.direction.pick(
                                "The type narrows from number to integer; data written with the \
                                 old schema may hold fractional numbers."
                                    .to_string(),
                                "The type widens from integer to number; consumers on the old \
                                 schema reject fractional numbers written with the new one."
                                    .to_string(),
                            ),
                            fix: self.direction.pick(
                                "Keep the type number.".to_string(),
                                "Keep the type integer while consumers use the old schema.".to_string(),
                            ),
                        });
                    } else {
                        out.push(self.type_changed(&wt, rts, path));
                    }
                    return;
                }
            }
        }

        let both = |t: &str| may_be(&wt, t) && may_be(&rt, t);
        if both("object") {
            self.object(wm, rm, path, out);
        }
        if both("array") {
            self.array(wm, rm, path, out);
        }
        if both("string") {
            self.max(wm, rm, "maxLength", path, out);
            self.min(wm, rm, "minLength", path, out);
            let (wp, rp) = (wm.get("pattern"), rm.get("pattern"));
            if rp.is_some() && wp != rp {
                out.push(self.constraint(
                    path,
                    "pattern",
                    wp.map_or("none".into(), |v| v.to_string()),
                    rp.map_or("none".into(), |v| v.to_string()),
                ));
            }
        }
        if both("number") || both("integer") {
            self.max(wm, rm, "maximum", path, out);
            self.min(wm, rm, "minimum", path, out);
            self.max(wm, rm, "exclusiveMaximum", path, out);
            self.min(wm, rm, "exclusiveMinimum", path, out);
            let (wv, rv) = (number(wm, "multipleOf"), number(rm, "multipleOf"));
            let fine = match (wv, rv) {
                (_, None) => true,
                (None, Some(_)) => false,
                (Some(w), Some(r)) => {
                    let ratio = w / r;
                    r != 0.0 && (ratio - ratio.round()).abs() < 1e-9
                }
            };
            if !fine {
                out.push(self.constraint(path, "multipleOf", show(wv), show(rv)));
            }
        }
    }

    fn type_changed(&self, wt: &Option<BTreeSet<String>>, rts: &BTreeSet<String>, path: &str) -> Finding {
        let writer = wt.as_ref().map_or("any type".to_string(), list);
        Finding {
            path: path.to_string(),
            rule: Rule::TypeChanged,
            explanation: format!(
                "{} allows {writer} here but {} accepts only {}.",
                self.direction.writer_cap(),
                self.direction.reader(),
                list(rts)
            ),
            fix: "Keep the type; the only type change the registry accepts is integer to \
                  number on the reading side, and adding types to a type list."
                .into(),
        }
    }

    fn constraint(&self, path: &str, keyword: &str, writer: String, reader: String) -> Finding {
        let (old, new) = self.direction.pick((&writer, &reader), (&reader, &writer));
        Finding {
            path: format!("{path}.{keyword}"),
            rule: self.rule(Rule::ConstraintTightened, Rule::ConstraintLoosened),
            explanation: format!(
                "{keyword} goes from {old} in the old schema to {new} in the new one; {} \
                 rejects values that {} allows.",
                self.direction.reader(),
                self.direction.writer()
            ),
            fix: self.direction.pick(
                format!("Keep {keyword} at {old} or looser."),
                format!("Keep {keyword} at {old} or tighter while consumers use the old schema."),
            ),
        }
    }

    fn max(&self, wm: &Map<String, Value>, rm: &Map<String, Value>, k: &str, path: &str, out: &mut Vec<Finding>) {
        let (wv, rv) = (number(wm, k), number(rm, k));
        if let Some(r) = rv
            && wv.is_none_or(|w| r < w)
        {
            out.push(self.constraint(path, k, show(wv), show(rv)));
        }
    }

    fn min(&self, wm: &Map<String, Value>, rm: &Map<String, Value>, k: &str, path: &str, out: &mut Vec<Finding>) {
        let (wv, rv) = (number(wm, k), number(rm, k));
        if let Some(r) = rv
            && wv.is_none_or(|w| r > w)
        {
            out.push(self.constraint(path, k, show(wv), show(rv)));
        }
    }

    fn object(&mut self, wm: &'a Map<String, Value>, rm: &'a Map<String, Value>, path: &str, out: &mut Vec<Finding>) {
        static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
        let empty = EMPTY.get_or_init(Map::new);
        let wp = wm.get("properties").and_then(Value::as_object).unwrap_or(empty);
        let rp = rm.get("properties").and_then(Value::as_object).unwrap_or(empty);
        let (w_req, r_req) = (required(wm), required(rm));

        for (k, _) in wp.iter().filter(|(k, _)| rp.contains_key(*k)) {
            let r_schema = resolve(self.reader_root, &rp[k]);
            if !w_req.contains(k.as_str()) && r_req.contains(k.as_str()) && r_schema.get("default").is_none() {
                out.push(Finding {
                    path: format!("{path}.properties.{k}"),
                    rule: self.rule(Rule::PropertyMadeRequired, Rule::PropertyMadeOptional),
                    explanation: self.direction.pick(
                        format!(
                            "`{k}` becomes required in the new schema; data written with the old \
                             schema may lack it."
                        ),
                        format!(
                            "`{k}` is no longer required in the new schema, but the old schema \
                             requires it: consumers on the old schema reject new data without it."
                        ),
                    ),
                    fix: self.direction.pick(
                        format!("Keep `{k}` optional, or give it a default."),
                        format!("Keep `{k}` required while consumers use the old schema."),
                    ),
                });
            }
        }

        let keys: Vec<&String> = wp.keys().chain(rp.keys().filter(|k| !wp.contains_key(*k))).collect();
        for k in keys {
            let here = format!("{path}.properties.{k}");
            match (wp.get(k), rp.get(k)) {
                (Some(ws), Some(rs)) => self.compare(ws, rs, &here, out),
                (Some(ws), None) => {
                    if is_open(rm) || has_pattern_properties(rm) || matches!(ws, Value::Bool(false)) {
                        continue;
                    }
                    if let Additional::Schema(s) = additional(rm) {
                        self.compare(ws, s, &here, out);
                        continue;
                    }
                    out.push(Finding {
                        path: here,
                        rule: self.rule(Rule::PropertyRemovedFromClosedModel, Rule::PropertyAddedToClosedModel),
                        explanation: self.direction.pick(
                            format!(
                                "The new schema drops property `{k}` and its content model is \
                                 closed (additionalProperties: false): data written with the old \
                                 schema that has `{k}` is rejected."
                            ),
                            format!(
                                "The new schema adds property `{k}`, but the old schema's content \
                                 model is closed: consumers on the old schema reject data that \
                                 has `{k}`."
                            ),
                        ),
                        fix: self.direction.pick(
                            format!("Keep `{k}` declared (it can be optional), or open the content model."),
                            "Under FORWARD or FULL add properties only where the old content model \
                             is open."
                                .to_string(),
                        ),
                    });
                }
                (None, Some(rs)) => {
                    let rs_resolved = resolve(self.reader_root, rs);
                    let is_required = r_req.contains(k.as_str());
                    if is_open(wm) {
                        if matches!(shape(rs_resolved), Shape::Any) {
                            continue;
                        }
                        if is_required {
                            out.push(self.required_property(k, &here));
                        } else {
                            out.push(Finding {
                                path: here,
                                rule: self.rule(Rule::PropertyAddedToOpenModel, Rule::PropertyRemovedFromOpenModel),
                                explanation: self.direction.pick(
                                    format!(
                                        "The new schema adds property `{k}` while the old schema's \
                                         content model is open (additionalProperties is not false): \
                                         old data may already hold `{k}` with a value the new \
                                         schema rejects."
                                    ),
                                    format!(
                                        "The new schema drops property `{k}` and its content model \
                                         is open: new data may hold `{k}` with a value the old \
                                         schema rejects."
                                    ),
                                ),
                                fix: self.direction.pick(
                                    format!(
                                        "Close the old content model first (register a version \
                                         with \"additionalProperties\": false), then add `{k}`; \
                                         or declare `{k}` with an empty schema {{}}."
                                    ),
                                    format!(
                                        "Keep `{k}` declared in the new schema, or close the new \
                                         content model."
                                    ),
                                ),
                            });
                        }
                        continue;
                    }
                    if !has_pattern_properties(wm)
                        && let Additional::Schema(s) = additional(wm)
                    {
                        self.compare(s, rs, &here, out);
                    }
                    if is_required && rs_resolved.get("default").is_none() {
                        out.push(self.required_property(k, &here));
                    }
                }
                (None, None) => {}
            }
        }

        match (additional(wm), additional(rm)) {
            (Additional::Open | Additional::Schema(_), Additional::Closed) => out.push(Finding {
                path: format!("{path}.additionalProperties"),
                rule: self.rule(Rule::ContentModelClosed, Rule::ContentModelOpened),
                explanation: self.direction.pick(
                    "The new schema sets additionalProperties to false; data written with the \
                     old schema that has undeclared properties is rejected."
                        .to_string(),
                    "The new schema allows properties the old schema forbids \
                     (additionalProperties: false); consumers on the old schema reject data \
                     that has them."
                        .to_string(),
                ),
                fix: self.direction.pick(
                    "Keep the content model open.".to_string(),
                    "Keep \"additionalProperties\": false.".to_string(),
                ),
            }),
            (Additional::Open, Additional::Schema(_)) => out.push(Finding {
                path: format!("{path}.additionalProperties"),
                rule: self.rule(Rule::AdditionalPropertiesNarrowed, Rule::AdditionalPropertiesExtended),
                explanation: self.direction.pick(
                    "The new schema requires undeclared properties to match an \
                     additionalProperties schema; those in old data may not."
                        .to_string(),
                    "The new schema lets undeclared properties take any value, where the old \
                     schema requires them to match its additionalProperties schema."
                        .to_string(),
                ),
                fix: "Keep additionalProperties as it was.".into(),
            }),
            (Additional::Schema(ws), Additional::Schema(rs)) => {
                self.compare(ws, rs, &format!("{path}.additionalProperties"), out)
            }
            _ => {}
        }
        self.max(wm, rm, "maxProperties", path, out);
        self.min(wm, rm, "minProperties", path, out);
    }

    fn required_property(&self, k: &str, path: &str) -> Finding {
        Finding {
            path: path.to_string(),
            rule: self.rule(Rule::RequiredPropertyAdded, Rule::RequiredPropertyRemoved),
            explanation: self.direction.pick(
                format!(
                    "The new schema adds required property `{k}`; data written with the old \
                     schema does not have it."
                ),
                format!(
                    "The new schema drops property `{k}`, which the old schema requires; \
                     consumers on the old schema reject new data without it."
                ),
            ),
            fix: self.direction.pick(
                format!("Add `{k}` as an optional property (leave it out of `required`)."),
                format!("Keep `{k}` (and keep writing it) while consumers use the old schema."),
            ),
        }
    }

    fn array(&mut self, wm: &'a Map<String, Value>, rm: &'a Map<String, Value>, path: &str, out: &mut Vec<Finding>) {
        let (wi, ri) = (wm.get("items"), rm.get("items"));
        let tuple = matches!(wi, Some(Value::Array(_))) || matches!(ri, Some(Value::Array(_)));
        if !tuple {
            self.compare(wi.unwrap_or(&ANY), ri.unwrap_or(&ANY), &format!("{path}.items"), out);
        }
        self.max(wm, rm, "maxItems", path, out);
        self.min(wm, rm, "minItems", path, out);
        let unique = |m: &Map<String, Value>| m.get("uniqueItems") == Some(&Value::Bool(true));
        if unique(rm) && !unique(wm) {
            out.push(self.constraint(path, "uniqueItems", "false".into(), "true".into()));
        }
    }
}

/// The size of a maximum matching between left nodes (with their edges) and `right` nodes.
fn max_matching(edges: &[Vec<usize>], right: usize) -> usize {
    fn augment(u: usize, edges: &[Vec<usize>], seen: &mut [bool], owner: &mut [Option<usize>]) -> bool {
        for &v in &edges[u] {
            if seen[v] {
                continue;
            }
            seen[v] = true;
            if owner[v].is_none_or(|o| augment(o, edges, seen, owner)) {
                owner[v] = Some(u);
                return true;
            }
        }
        false
    }
    let mut owner = vec![None; right];
    (0..edges.len())
        .filter(|&u| augment(u, edges, &mut vec![false; right], &mut owner))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(v: &Value) -> &Map<String, Value> {
        v.as_object().unwrap()
    }

    fn rules(new: &str, old: &str, direction: Direction) -> Vec<(&'static str, String)> {
        let (new, old) = (JsonSchema::parse(new).unwrap(), JsonSchema::parse(old).unwrap());
        let mut out = Vec::new();
        match direction {
            Direction::Backward => JsonSchema::check(&new, &old, direction, &mut out),
            Direction::Forward => JsonSchema::check(&old, &new, direction, &mut out),
        }
        out.into_iter().map(|f| (f.rule.as_str(), f.path)).collect()
    }

    #[test]
    fn types_come_from_type_or_keywords() {
        let t = |s: &str| types_of(map(&serde_json::from_str(s).unwrap()));
        let set = |xs: &[&str]| Some(xs.iter().map(|x| x.to_string()).collect::<BTreeSet<_>>());
        assert_eq!(t(r#"{"type":"string"}"#), set(&["string"]));
        assert_eq!(t(r#"{"type":["string","null"]}"#), set(&["null", "string"]));
        assert_eq!(t(r#"{"properties":{}}"#), set(&["object"]));
        assert_eq!(t(r#"{"enum":[1, "a"]}"#), set(&["integer", "string"]));
        assert_eq!(t(r#"{"format":"email"}"#), None);
    }

    #[test]
    fn content_models() {
        let v = |s: &str| -> Value { serde_json::from_str(s).unwrap() };
        assert!(is_open(map(&v(r#"{}"#))));
        assert!(is_open(map(&v(r#"{"additionalProperties":true}"#))));
        assert!(is_open(map(&v(r#"{"additionalProperties":{}}"#))));
        assert!(!is_open(map(&v(r#"{"additionalProperties":false}"#))));
        assert!(!is_open(map(&v(r#"{"additionalProperties":{"type":"string"}}"#))));
        assert!(!is_open(map(&v(r#"{"patternProperties":{"^x":{}}}"#))));
    }

    #[test]
    fn local_refs_resolve_and_bad_ones_fail_to_parse() {
        let root: Value =
            serde_json::from_str(r##"{"$defs":{"A":{"$ref":"#/$defs/B"},"B":{"type":"string"}},"$ref":"#/$defs/A"}"##)
                .unwrap();
        assert_eq!(resolve(&root, &root), &root["$defs"]["B"]);
        let e = JsonSchema::parse(r##"{"$ref":"#/definitions/Missing"}"##)
            .err()
            .unwrap();
        assert!(e.message.contains("unresolved"), "{}", e.message);
        assert!(JsonSchema::parse("[1]").is_err());
    }

    #[test]
    fn matching_counts_disjoint_pairs() {
        assert_eq!(max_matching(&[vec![0, 1], vec![0]], 2), 2);
        assert_eq!(max_matching(&[vec![0], vec![0]], 2), 1);
        assert_eq!(max_matching(&[vec![], vec![]], 2), 0);
    }

    #[test]
    fn recursive_refs_terminate() {
        let tree = r##"{"$defs":{"Node":{"type":"object","properties":{
            "children":{"type":"array","items":{"$ref":"#/$defs/Node"}}}}},
            "$ref":"#/$defs/Node"}"##;
        assert!(rules(tree, tree, Direction::Backward).is_empty());
    }

    #[test]
    fn type_lists_may_grow_but_not_shrink() {
        let one = r#"{"type":"string"}"#;
        let two = r#"{"type":["string","null"]}"#;
        assert!(rules(two, one, Direction::Backward).is_empty());
        assert_eq!(rules(one, two, Direction::Backward), [("type-changed", "$".into())]);
        assert_eq!(rules(two, one, Direction::Forward), [("type-changed", "$".into())]);
    }

    #[test]
    fn any_of_branches_are_matched() {
        let old = r#"{"anyOf":[{"type":"string"},{"type":"integer"}]}"#;
        let wider = r#"{"anyOf":[{"type":"string"},{"type":"number"},{"type":"null"}]}"#;
        assert!(rules(wider, old, Direction::Backward).is_empty());
        let changed = r#"{"anyOf":[{"type":"string"},{"type":"boolean"}]}"#;
        assert_eq!(
            rules(changed, old, Direction::Backward),
            [("combined-branch-unmatched", "$".into())]
        );
        assert!(
            rules(
                r#"{"anyOf":[{"type":"string"},{"type":"null"}]}"#,
                r#"{"type":"string"}"#,
                Direction::Backward
            )
            .is_empty()
        );
    }

    #[test]
    fn constraints_may_loosen_not_tighten() {
        let old = r#"{"type":"string","maxLength":10}"#;
        assert!(rules(r#"{"type":"string","maxLength":20}"#, old, Direction::Backward).is_empty());
        assert_eq!(
            rules(r#"{"type":"string","maxLength":5}"#, old, Direction::Backward),
            [("constraint-tightened", "$.maxLength".into())]
        );
        assert_eq!(
            rules(r#"{"type":"string","maxLength":20}"#, old, Direction::Forward),
            [("constraint-loosened", "$.maxLength".into())]
        );
        let m = r#"{"type":"number","multipleOf":0.5}"#;
        assert!(rules(r#"{"type":"number","multipleOf":0.25}"#, m, Direction::Backward).is_empty());
        assert_eq!(
            rules(r#"{"type":"number","multipleOf":1}"#, m, Direction::Backward).len(),
            1
        );
    }
}
