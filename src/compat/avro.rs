//! Avro compatibility: can a reader schema read data written with a writer schema?
//!
//! The rules are the Avro specification's schema-resolution rules as the Schema Registry
//! applies them (it runs Avro's Java `SchemaCompatibility`):
//!
//! * a reader record field that the writer lacks (by name, or by one of the reader field's
//!   aliases) needs a default (`"default": null` counts);
//! * promotions: int → long, float, double; long → float, double; float → double;
//!   string ↔ bytes; everything else must keep its type;
//! * named types (record, enum, fixed) match when their unqualified names are equal or the
//!   reader lists the writer's full name among its aliases;
//! * an enum reader must know every writer symbol unless it declares a `default` symbol;
//! * a fixed keeps its size;
//! * a writer union needs every branch readable; a reader union needs some branch that can
//!   read the writer's type; arrays and maps compare their items and values;
//! * recursive types: a pair of records already being compared is assumed compatible.
//!
//! Logical types are compared by their underlying type, as the registry does. In particular
//! a change of decimal precision or scale on the same underlying type is accepted, although
//! the specification says decimals only match with equal scale and precision.
//!
//! `apache-avro` parses the schemas; the resolution walk is ours so that each violation has a
//! path and a rule id. Where a violation sits inside a union, the walk reports the problem in
//! the matching branch (same name or same kind) rather than only "no branch matches".

use std::collections::{HashMap, HashSet};

use apache_avro::Schema;
use apache_avro::schema::{
    Alias, EnumSchema, FixedSchema, InnerDecimalSchema, Name, RecordField, RecordSchema, UnionSchema, UuidSchema,
};

use super::{Direction, Finding, Format, ParseFailure, Rule};

/// The Avro format.
pub(crate) struct Avro;

/// A parsed Avro schema.
pub(crate) struct Parsed {
    schema: Schema,
}

impl Format for Avro {
    type Parsed = Parsed;

    fn parse(text: &str) -> Result<Parsed, ParseFailure> {
        // serde_json first: it knows where a JSON syntax error is.
        let value: serde_json::Value = serde_json::from_str(text).map_err(json_failure)?;
        let schema = Schema::parse(&value).map_err(|e| ParseFailure {
            line: None,
            column: None,
            message: e.to_string(),
        })?;
        Ok(Parsed { schema })
    }

    fn check(reader: &Parsed, writer: &Parsed, direction: Direction, out: &mut Vec<Finding>) {
        let mut walker = Walker::new(&reader.schema, &writer.schema, direction);
        let new_side = direction.pick(Side::Reader, Side::Writer);
        let root = match new_side {
            Side::Reader => walker.resolve(Side::Reader, &reader.schema),
            Side::Writer => walker.resolve(Side::Writer, &writer.schema),
        };
        let path = root_label(root);
        walker.check(&reader.schema, &writer.schema, &path, out);
    }

    fn not_checked() -> Vec<String> {
        Vec::new()
    }
}

/// A serde_json error as a parse failure, its position split from its message.
pub(crate) fn json_failure(e: serde_json::Error) -> ParseFailure {
    let text = e.to_string();
    let message = match text.rsplit_once(" at line ") {
        Some((m, _)) => m.to_string(),
        None => text,
    };
    ParseFailure {
        line: Some(e.line()),
        column: Some(e.column()),
        message,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Reader,
    Writer,
}

/// A schema as resolution sees it: logical types replaced by their underlying type and
/// references replaced by their definitions.
#[derive(Debug, Clone, Copy)]
enum Phys<'a> {
    Null,
    Boolean,
    Int,
    Long,
    Float,
    Double,
    Bytes,
    String,
    Array(&'a Schema),
    Map(&'a Schema),
    Union(&'a UnionSchema),
    Record(&'a RecordSchema),
    Enum(&'a EnumSchema),
    Fixed(&'a FixedSchema),
    /// A reference the parser accepted but whose definition we could not find.
    Unresolved(&'a Name),
}

/// Every named type defined in `schema`, by full name.
fn collect_names<'a>(schema: &'a Schema, names: &mut HashMap<String, &'a Schema>) {
    match schema {
        Schema::Record(r) => {
            names.insert(r.name.fullname(None), schema);
            for field in &r.fields {
                collect_names(&field.schema, names);
            }
        }
        Schema::Enum(e) => {
            names.insert(e.name.fullname(None), schema);
        }
        Schema::Fixed(f) | Schema::Duration(f) | Schema::Uuid(UuidSchema::Fixed(f)) => {
            names.insert(f.name.fullname(None), schema);
        }
        Schema::Decimal(d) => {
            if let InnerDecimalSchema::Fixed(f) = &d.inner {
                names.insert(f.name.fullname(None), schema);
            }
        }
        Schema::Array(a) => collect_names(&a.items, names),
        Schema::Map(m) => collect_names(&m.types, names),
        Schema::Union(u) => {
            for variant in u.variants() {
                collect_names(variant, names);
            }
        }
        _ => {}
    }
}

/// Whether a reader named type matches a writer named type: equal unqualified names, or a
/// reader alias equal to the writer's full name.
fn names_match(reader: &Name, reader_aliases: Option<&Vec<Alias>>, writer: &Name) -> bool {
    reader.name() == writer.name()
        || reader_aliases
            .into_iter()
            .flatten()
            .any(|alias| alias.fullname(None) == writer.fullname(None))
}

/// A short description of a type for messages.
fn label(p: Phys<'_>) -> String {
    match p {
        Phys::Null => "null".into(),
        Phys::Boolean => "boolean".into(),
        Phys::Int => "int".into(),
        Phys::Long => "long".into(),
        Phys::Float => "float".into(),
        Phys::Double => "double".into(),
        Phys::Bytes => "bytes".into(),
        Phys::String => "string".into(),
        Phys::Array(_) => "array".into(),
        Phys::Map(_) => "map".into(),
        Phys::Union(_) => "union".into(),
        Phys::Record(r) => format!("record `{}`", r.name.fullname(None)),
        Phys::Enum(e) => format!("enum `{}`", e.name.fullname(None)),
        Phys::Fixed(f) => format!("fixed `{}` ({} bytes)", f.name.fullname(None), f.size),
        Phys::Unresolved(n) => format!("unresolved `{}`", n.fullname(None)),
    }
}

/// The first path segment: the root type's name, or its kind when it has no name.
fn root_label(p: Phys<'_>) -> String {
    match p {
        Phys::Record(r) => r.name.name().to_string(),
        Phys::Enum(e) => e.name.name().to_string(),
        Phys::Fixed(f) => f.name.name().to_string(),
        other => label(other),
    }
}

/// The types a writer type can be promoted to, besides itself.
fn promotions_from(writer: Phys<'_>) -> &'static str {
    match writer {
        Phys::Int => "long, float or double",
        Phys::Long => "float or double",
        Phys::Float => "double",
        Phys::String => "bytes",
        Phys::Bytes => "string",
        _ => "nothing else",
    }
}

/// The writer types that promote to a reader type, besides itself.
fn promotions_to(reader: Phys<'_>) -> &'static str {
    match reader {
        Phys::Long => "int",
        Phys::Float => "int or long",
        Phys::Double => "int, long or float",
        Phys::String => "bytes",
        Phys::Bytes => "string",
        _ => "nothing else",
    }
}

struct Walker<'a> {
    reader_names: HashMap<String, &'a Schema>,
    writer_names: HashMap<String, &'a Schema>,
    direction: Direction,
    /// Record pairs being compared, to stop on recursive types.
    in_progress: HashSet<(usize, usize)>,
}

impl<'a> Walker<'a> {
    fn new(reader: &'a Schema, writer: &'a Schema, direction: Direction) -> Self {
        let mut reader_names = HashMap::new();
        collect_names(reader, &mut reader_names);
        let mut writer_names = HashMap::new();
        collect_names(writer, &mut writer_names);
        Walker {
            reader_names,
            writer_names,
            direction,
            in_progress: HashSet::new(),
        }
    }

    fn resolve(&self, side: Side, schema: &'a Schema) -> Phys<'a> {
        match schema {
            Schema::Ref { name } => {
                let names = match side {
                    Side::Reader => &self.reader_names,
                    Side::Writer => &self.writer_names,
                };
                match names.get(&name.fullname(None)) {
                    Some(def) if !matches!(def, Schema::Ref { .. }) => self.resolve(side, def),
                    _ => Phys::Unresolved(name),
                }
            }
            Schema::Null => Phys::Null,
            Schema::Boolean => Phys::Boolean,
            Schema::Int | Schema::Date | Schema::TimeMillis => Phys::Int,
            Schema::Long
            | Schema::TimeMicros
            | Schema::TimestampMillis
            | Schema::TimestampMicros
            | Schema::TimestampNanos
            | Schema::LocalTimestampMillis
            | Schema::LocalTimestampMicros
            | Schema::LocalTimestampNanos => Phys::Long,
            Schema::Float => Phys::Float,
            Schema::Double => Phys::Double,
            Schema::Bytes | Schema::BigDecimal | Schema::Uuid(UuidSchema::Bytes) => Phys::Bytes,
            Schema::String | Schema::Uuid(UuidSchema::String) => Phys::String,
            Schema::Decimal(d) => match &d.inner {
                InnerDecimalSchema::Bytes => Phys::Bytes,
                InnerDecimalSchema::Fixed(f) => Phys::Fixed(f),
            },
            Schema::Uuid(UuidSchema::Fixed(f)) | Schema::Duration(f) | Schema::Fixed(f) => Phys::Fixed(f),
            Schema::Array(a) => Phys::Array(&a.items),
            Schema::Map(m) => Phys::Map(&m.types),
            Schema::Union(u) => Phys::Union(u),
            Schema::Record(r) => Phys::Record(r),
            Schema::Enum(e) => Phys::Enum(e),
        }
    }

    fn check(&mut self, reader: &'a Schema, writer: &'a Schema, path: &str, out: &mut Vec<Finding>) {
        let r = self.resolve(Side::Reader, reader);
        let w = self.resolve(Side::Writer, writer);
        self.check_phys(r, w, path, out);
    }

    /// Whether `r` can read everything `w` writes, without reporting.
    fn compatible(&mut self, r: Phys<'a>, w: Phys<'a>) -> bool {
        let mut scratch = Vec::new();
        self.check_phys(r, w, "", &mut scratch);
        scratch.is_empty()
    }

    /// Same kind and, for named types, matching names: the branch a reader would pick.
    fn same_shape(r: Phys<'a>, w: Phys<'a>) -> bool {
        match (r, w) {
            (Phys::Record(r), Phys::Record(w)) => names_match(&r.name, r.aliases.as_ref(), &w.name),
            (Phys::Enum(r), Phys::Enum(w)) => names_match(&r.name, r.aliases.as_ref(), &w.name),
            (Phys::Fixed(r), Phys::Fixed(w)) => names_match(&r.name, r.aliases.as_ref(), &w.name),
            (Phys::Array(_), Phys::Array(_)) | (Phys::Map(_), Phys::Map(_)) => true,
            _ => false,
        }
    }

    fn check_phys(&mut self, r: Phys<'a>, w: Phys<'a>, path: &str, out: &mut Vec<Finding>) {
        use Phys as P;
        match (r, w) {
            (P::Null, P::Null)
            | (P::Boolean, P::Boolean)
            | (P::Int, P::Int)
            | (P::Long, P::Long)
            | (P::Float, P::Float)
            | (P::Double, P::Double)
            | (P::Bytes, P::Bytes)
            | (P::String, P::String) => {}
            // The promotions the specification allows.
            (P::Long, P::Int)
            | (P::Float, P::Int | P::Long)
            | (P::Double, P::Int | P::Long | P::Float)
            | (P::Bytes, P::String)
            | (P::String, P::Bytes) => {}
            (P::Array(ri), P::Array(wi)) => self.check(ri, wi, &format!("{path}[]"), out),
            (P::Map(rv), P::Map(wv)) => self.check(rv, wv, &format!("{path}{{}}"), out),
            (P::Union(ru), P::Union(wu)) => {
                for branch in wu.variants() {
                    let wb = self.resolve(Side::Writer, branch);
                    self.reader_union(ru, wb, path, out);
                }
            }
            (_, P::Union(wu)) => {
                for branch in wu.variants() {
                    let wb = self.resolve(Side::Writer, branch);
                    if self.compatible(r, wb) {
                        continue;
                    }
                    if Self::same_shape(r, wb) {
                        self.check_phys(r, wb, path, out);
                    } else {
                        out.push(self.writer_branch_unreadable(r, wb, path));
                    }
                }
            }
            (P::Union(ru), _) => self.reader_union(ru, w, path, out),
            (P::Record(rr), P::Record(wr)) => {
                let key = (rr as *const RecordSchema as usize, wr as *const RecordSchema as usize);
                if !self.in_progress.insert(key) {
                    // Already being compared further up: assume compatible, as Avro does.
                    return;
                }
                self.check_name(&rr.name, rr.aliases.as_ref(), &wr.name, "record", path, out);
                self.check_fields(rr, wr, path, out);
                self.in_progress.remove(&key);
            }
            (P::Enum(re), P::Enum(we)) => {
                self.check_name(&re.name, re.aliases.as_ref(), &we.name, "enum", path, out);
                self.check_symbols(re, we, path, out);
            }
            (P::Fixed(rf), P::Fixed(wf)) => {
                self.check_name(&rf.name, rf.aliases.as_ref(), &wf.name, "fixed", path, out);
                if rf.size != wf.size {
                    out.push(Finding {
                        path: path.to_string(),
                        rule: Rule::FixedSizeChanged,
                        explanation: format!(
                            "{} writes fixed `{}` with {} bytes but {} reads {} bytes; a fixed \
                             type cannot change size.",
                            self.direction.writer_cap(),
                            wf.name.fullname(None),
                            wf.size,
                            self.direction.reader(),
                            rf.size
                        ),
                        fix: format!(
                            "Keep the size at {}; for a different size add a new field with a \
                             new fixed type (and a default).",
                            self.direction.pick(wf.size, rf.size)
                        ),
                    });
                }
            }
            _ => out.push(self.type_mismatch(r, w, path)),
        }
    }

    /// A reader union must have some branch that reads the writer's (non-union) type.
    fn reader_union(&mut self, ru: &'a UnionSchema, w: Phys<'a>, path: &str, out: &mut Vec<Finding>) {
        let branches: Vec<Phys<'a>> = ru.variants().iter().map(|b| self.resolve(Side::Reader, b)).collect();
        if branches.iter().any(|&rb| self.compatible(rb, w)) {
            return;
        }
        // The branch a reader would have picked: say why it fails.
        if let Some(&rb) = branches.iter().find(|&&rb| Self::same_shape(rb, w)) {
            let before = out.len();
            self.check_phys(rb, w, path, out);
            if out.len() > before {
                return;
            }
        }
        let reader_branches: Vec<String> = branches.iter().map(|&b| label(b)).collect();
        out.push(Finding {
            path: path.to_string(),
            rule: Rule::MissingUnionBranch,
            explanation: format!(
                "{} writes {} here, but the union in {} ([{}]) has no branch that can read it.",
                self.direction.writer_cap(),
                label(w),
                self.direction.reader(),
                reader_branches.join(", ")
            ),
            fix: self.direction.pick(
                format!(
                    "Keep a branch for {} (or one it promotes to) in the new union.",
                    label(w)
                ),
                format!(
                    "Write only types the old union accepts ([{}]), or first add {} branch \
                     in a version the consumers upgrade to.",
                    reader_branches.join(", "),
                    crate::markdown::with_article(&label(w))
                ),
            ),
        });
    }

    fn writer_branch_unreadable(&self, r: Phys<'a>, wb: Phys<'a>, path: &str) -> Finding {
        Finding {
            path: path.to_string(),
            rule: Rule::MissingUnionBranch,
            explanation: format!(
                "{} writes a union here whose branch {} cannot be read as {}, the type in {}.",
                self.direction.writer_cap(),
                label(wb),
                label(r),
                self.direction.reader()
            ),
            fix: self.direction.pick(
                format!(
                    "Keep the union in the new schema (with {} branch), or make sure the new \
                     type can read every branch of the old union.",
                    crate::markdown::with_article(&label(wb))
                ),
                format!(
                    "Do not widen {} into a union the old schema cannot read; keep writing {}.",
                    label(r),
                    label(r)
                ),
            ),
        }
    }

    fn type_mismatch(&self, r: Phys<'a>, w: Phys<'a>, path: &str) -> Finding {
        Finding {
            path: path.to_string(),
            rule: Rule::TypeNotPromotable,
            explanation: format!(
                "{} writes {} here but {} expects {}; Avro promotes only int to long, float or \
                 double, long to float or double, float to double, and string to bytes and \
                 back.",
                self.direction.writer_cap(),
                label(w),
                self.direction.reader(),
                label(r)
            ),
            fix: self.direction.pick(
                format!(
                    "Keep {} (the new schema may only change it to {}); to really change the \
                     type add a new field with a default and stop writing the old one.",
                    label(w),
                    promotions_from(w)
                ),
                format!(
                    "Keep {} (the new schema may only change it to {}, which the old type \
                     promotes from); to really change the type add a new field instead.",
                    label(r),
                    promotions_to(r)
                ),
            ),
        }
    }

    fn check_name(
        &self,
        reader: &Name,
        reader_aliases: Option<&Vec<Alias>>,
        writer: &Name,
        kind: &str,
        path: &str,
        out: &mut Vec<Finding>,
    ) {
        if names_match(reader, reader_aliases, writer) {
            return;
        }
        let (old, new) = self.direction.pick((writer, reader), (reader, writer));
        out.push(Finding {
            path: path.to_string(),
            rule: Rule::NameMismatch,
            explanation: format!(
                "The {kind} is named `{}` in the old schema and `{}` in the new one; Avro \
                 matches named types by name, or by an alias the reader declares, and {} has \
                 no alias `{}`.",
                old.fullname(None),
                new.fullname(None),
                self.direction.reader(),
                writer.fullname(None)
            ),
            fix: self.direction.pick(
                format!(
                    "Keep the name `{}`, or add \"{}\" to the new {kind}'s `aliases`.",
                    old.fullname(None),
                    old.fullname(None)
                ),
                format!(
                    "Keep the name `{}`: consumers on the old schema cannot learn the new name.",
                    old.fullname(None)
                ),
            ),
        });
    }

    fn check_fields(&mut self, rr: &'a RecordSchema, wr: &'a RecordSchema, path: &str, out: &mut Vec<Finding>) {
        for rf in &rr.fields {
            let matches = writer_fields_for(rf, wr);
            match matches.as_slice() {
                [] => {
                    if rf.default.is_none() {
                        out.push(self.missing_default(rf, path));
                    }
                }
                [wf] => {
                    let name = self.direction.pick(&rf.name, &wf.name);
                    self.check(&rf.schema, &wf.schema, &format!("{path}.{name}"), out);
                }
                several => {
                    let names: Vec<&str> = several.iter().map(|f| f.name.as_str()).collect();
                    out.push(Finding {
                        path: format!("{path}.{}", rf.name),
                        rule: Rule::FieldAliasAmbiguous,
                        explanation: format!(
                            "Field `{}` in {} matches several fields of {} by name and \
                             aliases ({}); Avro refuses to guess which one to read.",
                            rf.name,
                            self.direction.reader(),
                            self.direction.writer(),
                            names.join(", ")
                        ),
                        fix: "Remove the aliases that name other existing fields.".into(),
                    });
                }
            }
        }
    }

    fn missing_default(&self, rf: &RecordField, path: &str) -> Finding {
        let path = format!("{path}.{}", rf.name);
        match self.direction {
            Direction::Backward => Finding {
                path,
                rule: Rule::FieldAddedWithoutDefault,
                explanation: format!(
                    "The new schema has field `{}` with no default, and the old schema has no \
                     field of that name (or of its aliases): data written with the old schema \
                     has no value for it, so the new schema cannot read that data.",
                    rf.name
                ),
                fix: format!(
                    "Give `{}` a default; for an optional field use a union with null first \
                     and \"default\": null. If it renames an old field, list the old name in \
                     its `aliases`.",
                    rf.name
                ),
            },
            Direction::Forward => Finding {
                path,
                rule: Rule::FieldRemovedWithoutDefault,
                explanation: format!(
                    "The old schema has field `{}` with no default, and the new schema no \
                     longer has it: consumers still on the old schema cannot read data \
                     written with the new one.",
                    rf.name
                ),
                fix: format!(
                    "Keep `{}` in the new schema; to remove it, first register a version \
                     where it has a default and let consumers upgrade.",
                    rf.name
                ),
            },
        }
    }

    fn check_symbols(&self, re: &EnumSchema, we: &EnumSchema, path: &str, out: &mut Vec<Finding>) {
        let missing: Vec<&str> = we
            .symbols
            .iter()
            .filter(|s| !re.symbols.contains(s))
            .map(String::as_str)
            .collect();
        let has_default = re.default.as_ref().is_some_and(|d| re.symbols.contains(d));
        if missing.is_empty() || has_default {
            return;
        }
        let list = missing.join(", ");
        let name = re.name.fullname(None);
        out.push(match self.direction {
            Direction::Backward => Finding {
                path: path.to_string(),
                rule: Rule::EnumSymbolRemoved,
                explanation: format!(
                    "The new enum `{name}` no longer has {list}, which data written with the \
                     old schema may contain, and it declares no `default` symbol to read \
                     unknown symbols as."
                ),
                fix: format!(
                    "Keep {list} in the enum, or give the new enum a `default` symbol that \
                     unknown values are read as."
                ),
            },
            Direction::Forward => Finding {
                path: path.to_string(),
                rule: Rule::EnumSymbolAdded,
                explanation: format!(
                    "The new schema adds {list} to enum `{name}`; the old schema's enum does \
                     not know {list} and declares no `default` symbol, so consumers still on \
                     it fail on such values."
                ),
                fix: format!(
                    "Do not add symbols while old consumers lack an enum `default`: first \
                     register a version whose enum has a `default` symbol, let consumers \
                     upgrade, then add {list}."
                ),
            },
        });
    }
}

/// The writer fields a reader field reads: by its name, then by its aliases.
fn writer_fields_for<'a>(rf: &RecordField, wr: &'a RecordSchema) -> Vec<&'a RecordField> {
    let mut found: Vec<&'a RecordField> = Vec::new();
    for name in std::iter::once(&rf.name).chain(rf.aliases.iter()) {
        if let Some(wf) = wr.fields.iter().find(|wf| &wf.name == name)
            && !found.iter().any(|f| std::ptr::eq(*f, wf))
        {
            found.push(wf);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use apache_avro::schema_compatibility::{Compatibility, SchemaCompatibility};

    fn parse(text: &str) -> Parsed {
        Avro::parse(text).unwrap()
    }

    fn findings(reader: &str, writer: &str) -> Vec<Finding> {
        let mut out = Vec::new();
        Avro::check(&parse(reader), &parse(writer), Direction::Backward, &mut out);
        out
    }

    #[test]
    fn json_syntax_errors_have_a_position() {
        let e = Avro::parse("{\n  \"type\": \"record\",\n  \"name\": \n}")
            .err()
            .unwrap();
        assert_eq!((e.line, e.column), (Some(4), Some(1)));
        assert!(!e.message.contains("at line"), "{}", e.message);
    }

    #[test]
    fn semantic_errors_come_from_the_crate() {
        let e = Avro::parse(r#"{"type":"record","name":"R","fields":[{"name":"a","type":"strin"}]}"#)
            .err()
            .unwrap();
        assert_eq!(e.line, None);
        assert!(!e.message.is_empty());
    }

    #[test]
    fn logical_types_resolve_to_their_underlying_type() {
        let p = parse(
            r#"{"type":"record","name":"R","fields":[
                {"name":"d","type":{"type":"int","logicalType":"date"}},
                {"name":"t","type":{"type":"long","logicalType":"timestamp-millis"}},
                {"name":"m","type":{"type":"bytes","logicalType":"decimal","precision":4,"scale":2}},
                {"name":"u","type":{"type":"string","logicalType":"uuid"}}]}"#,
        );
        let w = Walker::new(&p.schema, &p.schema, Direction::Backward);
        let Schema::Record(r) = &p.schema else { panic!() };
        let kinds: Vec<String> = r
            .fields
            .iter()
            .map(|f| label(w.resolve(Side::Reader, &f.schema)))
            .collect();
        assert_eq!(kinds, ["int", "long", "bytes", "string"]);
    }

    #[test]
    fn references_resolve_to_their_definition() {
        let p = parse(
            r#"{"type":"record","name":"R","namespace":"ns","fields":[
                {"name":"a","type":{"type":"fixed","name":"Id","size":4}},
                {"name":"b","type":"Id"}]}"#,
        );
        let w = Walker::new(&p.schema, &p.schema, Direction::Backward);
        let Schema::Record(r) = &p.schema else { panic!() };
        assert!(matches!(r.fields[1].schema, Schema::Ref { .. }));
        assert_eq!(
            label(w.resolve(Side::Reader, &r.fields[1].schema)),
            "fixed `ns.Id` (4 bytes)"
        );
    }

    #[test]
    fn names_match_by_unqualified_name_or_reader_alias() {
        let a = Name::new("a.X").unwrap();
        let b = Name::new("b.X").unwrap();
        let y = Name::new("a.Y").unwrap();
        assert!(names_match(&a, None, &b));
        assert!(!names_match(&y, None, &a));
        let aliases = vec![Alias::new("a.X").unwrap()];
        assert!(names_match(&y, Some(&aliases), &a));
        // The alias is compared with the writer's full name.
        assert!(!names_match(&y, Some(&aliases), &b));
    }

    #[test]
    fn writer_field_lookup_uses_name_then_aliases() {
        let r = parse(r#"{"type":"record","name":"R","fields":[{"name":"b","type":"int","aliases":["a"]}]}"#);
        let w = parse(r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}"#);
        let (Schema::Record(rr), Schema::Record(wr)) = (&r.schema, &w.schema) else {
            panic!()
        };
        let found = writer_fields_for(&rr.fields[0], wr);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "a");
    }

    #[test]
    fn recursive_records_terminate() {
        let list = r#"{"type":"record","name":"Node","fields":[
            {"name":"value","type":"int"},
            {"name":"next","type":["null","Node"],"default":null}]}"#;
        let wider = r#"{"type":"record","name":"Node","fields":[
            {"name":"value","type":"long"},
            {"name":"next","type":["null","Node"],"default":null}]}"#;
        assert!(findings(list, list).is_empty());
        assert!(findings(wider, list).is_empty());
        let narrow = findings(list, wider);
        assert_eq!(narrow.len(), 1, "{narrow:?}");
        assert_eq!(narrow[0].path, "Node.value");
    }

    #[test]
    fn union_problems_are_reported_inside_the_matching_branch() {
        let old = r#"{"type":"record","name":"R","fields":[{"name":"a","type":["null",
            {"type":"record","name":"A","fields":[{"name":"zip","type":"string"}]}]}]}"#;
        let new = r#"{"type":"record","name":"R","fields":[{"name":"a","type":["null",
            {"type":"record","name":"A","fields":[{"name":"zip","type":"int"}]}]}]}"#;
        let f = findings(new, old);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!((f[0].path.as_str(), f[0].rule), ("R.a.zip", Rule::TypeNotPromotable));
    }

    /// Where the crate's checker and the specification agree, our verdict is the crate's.
    #[test]
    fn verdicts_agree_with_the_crate_where_it_follows_the_spec() {
        let schemas = [
            r#""int""#,
            r#""long""#,
            r#""float""#,
            r#""double""#,
            r#""string""#,
            r#""bytes""#,
            r#""boolean""#,
            r#""null""#,
            r#"{"type":"array","items":"int"}"#,
            r#"{"type":"array","items":"long"}"#,
            r#"{"type":"map","values":"string"}"#,
            r#"{"type":"map","values":"int"}"#,
            r#"["null","int"]"#,
            r#"["null","string"]"#,
            r#"["int","string"]"#,
            r#"{"type":"enum","name":"E","symbols":["A","B"]}"#,
            r#"{"type":"enum","name":"E","symbols":["A","B","C"]}"#,
            r#"{"type":"fixed","name":"F","size":4}"#,
            r#"{"type":"fixed","name":"F","size":8}"#,
            r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}"#,
            r#"{"type":"record","name":"R","fields":[{"name":"a","type":"long"}]}"#,
            r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"string","default":"x"}]}"#,
            r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"string"}]}"#,
            r#"{"type":"record","name":"R","fields":[]}"#,
        ];
        let parsed: Vec<Parsed> = schemas.iter().map(|s| parse(s)).collect();
        for (i, reader) in parsed.iter().enumerate() {
            for (j, writer) in parsed.iter().enumerate() {
                let crate_says = matches!(
                    SchemaCompatibility::can_read(&writer.schema, &reader.schema),
                    Ok(Compatibility::Full)
                );
                let mut out = Vec::new();
                Avro::check(reader, writer, Direction::Backward, &mut out);
                assert_eq!(
                    out.is_empty(),
                    crate_says,
                    "reader {} writer {}: {out:?}",
                    schemas[i],
                    schemas[j]
                );
            }
        }
    }
}
