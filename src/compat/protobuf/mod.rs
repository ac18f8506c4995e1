//! Protobuf compatibility, as the Schema Registry's protobuf provider judges it.
//!
//! Messages are matched by name (top level and nested), fields by number. Rejected changes:
//! the package changing, a message removed, a required field added or removed, a field number
//! whose type changes to one that is not wire-compatible (`field-type-changed`, or
//! `field-number-reused` when the name changed too), a numeric field's explicit label
//! changing (e.g. `repeated int32` to `optional int32`), a field removed from a oneof that
//! still exists, and existing fields moved together into a oneof. Wire-compatible scalar
//! groups: int32, int64, uint32, uint64, bool and enums; sint32 and sint64; fixed32 and
//! sfixed32; fixed64 and sfixed64; string and bytes; float; double.
//!
//! Accepted, as in the registry: adding and removing (non-required) fields, renaming a field
//! that keeps its number and type, adding messages (under BACKWARD), every enum change, and
//! moving a field out of a oneof. The registry compares FORWARD by swapping the two schemas,
//! so under FORWARD a message added to the new schema counts as removed and a field added to
//! an existing oneof counts as a oneof member removed; this checker gives the same verdicts.
//!
//! A field number that was used, removed, then reused for another type is caught when the
//! version that still had it is among the versions checked (a `_TRANSITIVE` mode); within one
//! file the parser rejects a field that uses a `reserved` number or name, as protoc does.

mod parser;

use std::collections::{BTreeSet, HashMap, HashSet};

use parser::{Field, FieldType, Label, Message, ProtoFile};

use super::{Direction, Finding, Format, ParseFailure, Rule};

/// The Protobuf format.
pub(crate) struct Protobuf;

impl Format for Protobuf {
    type Parsed = ProtoFile;

    fn parse(text: &str) -> Result<ProtoFile, ParseFailure> {
        parser::parse(text)
    }

    fn check(reader: &ProtoFile, writer: &ProtoFile, direction: Direction, out: &mut Vec<Finding>) {
        // The registry diffs "original" (the writer) against "update" (the reader).
        Diff::new(writer, reader, direction).run(out);
    }

    fn not_checked() -> Vec<String> {
        [
            "Imported types: a field whose type comes from another file is compared by the \
             type name as written, not by that type's definition.",
            "Enums: adding, removing, renaming or renumbering enum values is accepted, as the \
             registry accepts it.",
            "Removed fields: removing a field is accepted even when its number is not \
             reserved; a later reuse of the number is caught only against the version that \
             still had the field (use a _TRANSITIVE mode). Reserved numbers and names are \
             checked within each file only.",
            "Labels on proto3 fields: a change between no label and `optional` or `repeated` \
             is not flagged, as in the registry; only changes between two explicit labels on \
             numeric fields are.",
            "Extensions, `extend` blocks, services and options (custom options, `json_name`, \
             `default`, `packed`, editions features) are read over and not compared.",
            "Schema references: each schema is checked as one self-contained file.",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TypeKind {
    Message,
    Enum,
}

/// Every type a file defines, by full name (package included, no leading dot).
struct Index {
    package: String,
    types: HashMap<String, TypeKind>,
}

fn join(scope: &str, name: &str) -> String {
    if scope.is_empty() {
        name.to_string()
    } else {
        format!("{scope}.{name}")
    }
}

impl Index {
    fn new(file: &ProtoFile) -> Self {
        fn walk(messages: &[Message], scope: &str, types: &mut HashMap<String, TypeKind>) {
            for m in messages {
                let full = join(scope, &m.name);
                for e in &m.enums {
                    types.insert(join(&full, &e.name), TypeKind::Enum);
                }
                walk(&m.messages, &full, types);
                types.insert(full, TypeKind::Message);
            }
        }
        let package = file.package.clone().unwrap_or_default();
        let mut types = HashMap::new();
        for e in &file.enums {
            types.insert(join(&package, &e.name), TypeKind::Enum);
        }
        walk(&file.messages, &package, &mut types);
        Index { package, types }
    }

    /// Resolves a type name used inside `scope` the way protoc does: innermost scope first.
    fn resolve(&self, name: &str, scope: &str) -> Option<(String, TypeKind)> {
        if let Some(absolute) = name.strip_prefix('.') {
            return self.types.get(absolute).map(|k| (absolute.to_string(), *k));
        }
        let mut scope = scope.to_string();
        loop {
            let candidate = join(&scope, name);
            if let Some(k) = self.types.get(&candidate) {
                return Some((candidate, *k));
            }
            if scope.is_empty() {
                return None;
            }
            scope = scope.rsplit_once('.').map(|(a, _)| a.to_string()).unwrap_or_default();
        }
    }

    /// A full name without the package.
    fn local<'s>(&self, full: &'s str) -> &'s str {
        if self.package.is_empty() {
            full
        } else {
            full.strip_prefix(&self.package)
                .and_then(|rest| rest.strip_prefix('.'))
                .unwrap_or(full)
        }
    }
}

/// Scalar types that share a wire encoding and can replace one another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Varint,
    ZigZag,
    LengthDelimited,
    Fixed32,
    Fixed64,
    Float,
    Double,
}

impl Group {
    fn of(scalar: &str) -> Option<Group> {
        Some(match scalar {
            "int32" | "int64" | "uint32" | "uint64" | "bool" => Group::Varint,
            "sint32" | "sint64" => Group::ZigZag,
            "string" | "bytes" => Group::LengthDelimited,
            "fixed32" | "sfixed32" => Group::Fixed32,
            "fixed64" | "sfixed64" => Group::Fixed64,
            "float" => Group::Float,
            "double" => Group::Double,
            _ => return None,
        })
    }

    fn members(self) -> &'static str {
        match self {
            Group::Varint => "int32, int64, uint32, uint64, bool and enums",
            Group::ZigZag => "sint32 and sint64",
            Group::LengthDelimited => "string and bytes",
            Group::Fixed32 => "fixed32 and sfixed32",
            Group::Fixed64 => "fixed64 and sfixed64",
            Group::Float => "float alone",
            Group::Double => "double alone",
        }
    }
}

/// What a field's type is, for comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Scalar(Group),
    /// A message, by its name without the package (or as written when not resolvable).
    Message(String),
    Map(Box<Kind>, Box<Kind>),
}

impl Kind {
    fn of(index: &Index, ty: &FieldType, scope: &str) -> Kind {
        match ty {
            FieldType::Map(k, v) => Kind::Map(
                Box::new(Self::named(index, k, scope)),
                Box::new(Self::named(index, v, scope)),
            ),
            FieldType::Named(n) => Self::named(index, n, scope),
        }
    }

    fn named(index: &Index, name: &str, scope: &str) -> Kind {
        if let Some(group) = Group::of(name) {
            return Kind::Scalar(group);
        }
        match index.resolve(name, scope) {
            Some((_, TypeKind::Enum)) => Kind::Scalar(Group::Varint),
            Some((full, TypeKind::Message)) => Kind::Message(index.local(&full).to_string()),
            None => Kind::Message(name.trim_start_matches('.').to_string()),
        }
    }

    fn word(&self) -> &'static str {
        match self {
            Kind::Scalar(_) => "scalar",
            Kind::Message(_) => "message",
            Kind::Map(_, _) => "map",
        }
    }
}

/// Why a field's type cannot change from `old` to `new`, if it cannot.
fn type_change(old: &Kind, new: &Kind) -> Option<String> {
    match (old, new) {
        (Kind::Scalar(a), Kind::Scalar(b)) if a != b => Some(format!(
            "the old type is in the wire-compatible group of {}, the new one is not",
            a.members()
        )),
        (Kind::Scalar(_), Kind::Scalar(_)) => None,
        (Kind::Message(a), Kind::Message(b)) if a != b => Some(format!("message type `{a}` is not message type `{b}`")),
        (Kind::Message(_), Kind::Message(_)) => None,
        (Kind::Map(ok, ov), Kind::Map(nk, nv)) => type_change(ok, nk)
            .map(|r| format!("map key: {r}"))
            .or_else(|| type_change(ov, nv).map(|r| format!("map value: {r}"))),
        (a, b) => Some(format!(
            "{} field cannot become {} field",
            crate::markdown::with_article(a.word()),
            crate::markdown::with_article(b.word())
        )),
    }
}

fn describe(f: &Field) -> String {
    let label = f.label.map(|l| format!("{} ", l.as_str())).unwrap_or_default();
    format!("`{label}{} {} = {}`", f.ty, f.name, f.number)
}

/// The registry's diff of `original` against `update`, with findings named for what the user
/// changed from the old schema to the new one.
struct Diff<'a> {
    original: &'a ProtoFile,
    update: &'a ProtoFile,
    oi: Index,
    ui: Index,
    direction: Direction,
}

impl<'a> Diff<'a> {
    fn new(original: &'a ProtoFile, update: &'a ProtoFile, direction: Direction) -> Self {
        Diff {
            oi: Index::new(original),
            ui: Index::new(update),
            original,
            update,
            direction,
        }
    }

    /// In the user's terms: does "in `update`, not in `original`" mean the new schema added it?
    fn update_only_means_added(&self) -> bool {
        self.direction == Direction::Backward
    }

    fn run(&self, out: &mut Vec<Finding>) {
        if self.original.package != self.update.package {
            let show = |p: &Option<String>| p.clone().unwrap_or_else(|| "(none)".into());
            let (old, new) = self.direction.pick(
                (&self.original.package, &self.update.package),
                (&self.update.package, &self.original.package),
            );
            out.push(Finding {
                path: "package".into(),
                rule: Rule::PackageChanged,
                explanation: format!(
                    "The package changes from `{}` to `{}`, which changes the full name of \
                     every type in the file.",
                    show(old),
                    show(new)
                ),
                fix: "Keep the package; put types for a new package in a new subject.".into(),
            });
        }
        self.types(
            &self.original.messages,
            &self.update.messages,
            &self.oi.package,
            &self.ui.package,
            "",
            out,
        );
    }

    fn types(
        &self,
        original: &[Message],
        update: &[Message],
        o_scope: &str,
        u_scope: &str,
        path: &str,
        out: &mut Vec<Finding>,
    ) {
        for om in original {
            let here = join(path, &om.name);
            match update.iter().find(|um| um.name == om.name) {
                Some(um) => self.message(om, um, &join(o_scope, &om.name), &join(u_scope, &um.name), &here, out),
                None => out.push(self.message_missing(&here)),
            }
        }
    }

    fn message_missing(&self, path: &str) -> Finding {
        if self.update_only_means_added() {
            Finding {
                path: path.to_string(),
                rule: Rule::MessageRemoved,
                explanation: format!(
                    "Message `{path}` is in the old schema but not in the new one; the \
                     registry rejects removing a message type, since data and other schemas \
                     may still use it."
                ),
                fix: "Keep the message in the schema, even if nothing uses it any more.".into(),
            }
        } else {
            Finding {
                path: path.to_string(),
                rule: Rule::MessageAdded,
                explanation: format!(
                    "The new schema adds message `{path}`. The registry checks FORWARD by \
                     comparing the schemas the other way round, so a message the old schema \
                     lacks counts as removed and the new version is rejected."
                ),
                fix: "Define the new message in a file of its own (its own subject) and import \
                      it, or use BACKWARD compatibility for this subject."
                    .into(),
            }
        }
    }

    fn message(&self, om: &Message, um: &Message, o_scope: &str, u_scope: &str, path: &str, out: &mut Vec<Finding>) {
        let o_by_tag: HashMap<i64, &Field> = om.fields.iter().map(|f| (f.number, f)).collect();
        let u_by_tag: HashMap<i64, &Field> = um.fields.iter().map(|f| (f.number, f)).collect();

        // A oneof gone by name with none of its members left anywhere is a whole deletion.
        let deleted_oneofs: HashSet<&str> = om
            .oneofs
            .iter()
            .filter(|o| !um.oneofs.contains(o))
            .filter(|o| {
                !om.fields
                    .iter()
                    .filter(|f| f.oneof.as_deref() == Some(o.as_str()))
                    .any(|f| u_by_tag.contains_key(&f.number))
            })
            .map(String::as_str)
            .collect();

        // Fields that were independent in `original` grouped into one oneof in `update`.
        for oneof in &um.oneofs {
            let mut groups = HashSet::new();
            let mut members = Vec::new();
            for uf in um.fields.iter().filter(|f| f.oneof.as_ref() == Some(oneof)) {
                if let Some(of) = o_by_tag.get(&uf.number) {
                    members.push(format!("`{}`", uf.name));
                    match &of.oneof {
                        Some(o) => groups.insert(format!("oneof {o}")),
                        None => groups.insert(format!("field {}", of.number)),
                    };
                }
            }
            if groups.len() > 1 {
                out.push(self.oneof_regrouped(oneof, &members, path));
            }
        }

        let tags: BTreeSet<i64> = o_by_tag.keys().chain(u_by_tag.keys()).copied().collect();
        for tag in tags {
            let here = format!("{path}.field {tag}");
            match (o_by_tag.get(&tag), u_by_tag.get(&tag)) {
                (Some(of), None) => match &of.oneof {
                    Some(o) if !deleted_oneofs.contains(o.as_str()) => {
                        out.push(self.oneof_member_missing(of, o, &here));
                    }
                    Some(_) => {}
                    None if of.label == Some(Label::Required) => {
                        out.push(self.required_changed(of, !self.update_only_means_added(), &here));
                    }
                    None => {}
                },
                (None, Some(uf)) => {
                    if uf.oneof.is_none() && uf.label == Some(Label::Required) {
                        out.push(self.required_changed(uf, self.update_only_means_added(), &here));
                    }
                }
                (Some(of), Some(uf)) => self.field(of, uf, o_scope, u_scope, &here, out),
                (None, None) => {}
            }
        }

        self.types(&om.messages, &um.messages, o_scope, u_scope, path, out);
    }

    fn field(&self, of: &Field, uf: &Field, o_scope: &str, u_scope: &str, path: &str, out: &mut Vec<Finding>) {
        let ok = Kind::of(&self.oi, &of.ty, o_scope);
        let uk = Kind::of(&self.ui, &uf.ty, u_scope);
        let (old, new) = self.direction.pick((of, uf), (uf, of));
        let (old_kind, new_kind) = self.direction.pick((&ok, &uk), (&uk, &ok));
        if let Some(reason) = type_change(old_kind, new_kind) {
            out.push(if old.name != new.name {
                Finding {
                    path: path.to_string(),
                    rule: Rule::FieldNumberReused,
                    explanation: format!(
                        "Field number {} is {} in the old schema and {} in the new one: the \
                         number now carries a different field whose type does not match on the \
                         wire ({reason}), so each side misreads the other's data.",
                        old.number,
                        describe(old),
                        describe(new)
                    ),
                    fix: format!(
                        "Give `{}` a new field number, and reserve the old one (`reserved {};` \
                         and `reserved \"{}\";`) so it is never reused.",
                        new.name, old.number, old.name
                    ),
                }
            } else {
                Finding {
                    path: path.to_string(),
                    rule: Rule::FieldTypeChanged,
                    explanation: format!(
                        "Field `{}` = {} changes from `{}` to `{}`: {reason}.",
                        new.name, new.number, old.ty, new.ty
                    ),
                    fix: format!(
                        "Keep a type that is wire-compatible with `{}`, or add a new field with a \
                         new number and reserve {}.",
                        old.ty, old.number
                    ),
                }
            });
            return;
        }
        if let (Kind::Scalar(group), Some(ol), Some(nl)) = (&ok, old.label, new.label)
            && *group != Group::LengthDelimited
            && ol != nl
        {
            out.push(Finding {
                path: path.to_string(),
                rule: Rule::FieldLabelChanged,
                explanation: format!(
                    "Field `{}` = {} changes from `{}` to `{}`; for numeric fields the registry \
                     rejects changing between repeated and singular labels, whose encodings \
                     differ (packed arrays).",
                    new.name,
                    new.number,
                    ol.as_str(),
                    nl.as_str()
                ),
                fix: "Keep the label; add a new field with a new number for the other form.".into(),
            });
        }
    }

    fn required_changed(&self, f: &Field, added: bool, path: &str) -> Finding {
        if added {
            Finding {
                path: path.to_string(),
                rule: Rule::RequiredFieldAdded,
                explanation: format!(
                    "The new schema adds required field {}; a reader that requires it rejects \
                     data written without it, so the registry rejects adding required fields.",
                    describe(f)
                ),
                fix: "Add the field as `optional` (or use proto3, which has no required \
                      fields)."
                    .into(),
            }
        } else {
            Finding {
                path: path.to_string(),
                rule: Rule::RequiredFieldRemoved,
                explanation: format!(
                    "The new schema drops required field {}; consumers on the old schema \
                     reject data that lacks it.",
                    describe(f)
                ),
                fix: "Keep the field; to retire it, first make it `optional` in a version \
                      every consumer has, then remove it."
                    .into(),
            }
        }
    }

    fn oneof_member_missing(&self, f: &Field, oneof: &str, path: &str) -> Finding {
        if self.update_only_means_added() {
            Finding {
                path: path.to_string(),
                rule: Rule::OneofFieldRemoved,
                explanation: format!(
                    "Field {} is removed from oneof `{oneof}`, which still exists; data that \
                     set it would read as if no member of the oneof were set.",
                    describe(f)
                ),
                fix: "Keep the field in the oneof (it may be deprecated), or remove the whole \
                      oneof."
                    .into(),
            }
        } else {
            Finding {
                path: path.to_string(),
                rule: Rule::OneofFieldAdded,
                explanation: format!(
                    "The new schema adds field {} to the existing oneof `{oneof}`; consumers \
                     on the old schema do not know it and would see no member of the oneof \
                     set.",
                    describe(f)
                ),
                fix: "Add the field outside the oneof, or in a new oneof.".into(),
            }
        }
    }

    fn oneof_regrouped(&self, oneof: &str, members: &[String], path: &str) -> Finding {
        let path = format!("{path}.oneof {oneof}");
        let list = members.join(", ");
        if self.update_only_means_added() {
            Finding {
                path,
                rule: Rule::FieldMovedIntoOneof,
                explanation: format!(
                    "Oneof `{oneof}` in the new schema groups fields that were independent in \
                     the old one ({list}); old data may set several of them at once, which the \
                     oneof cannot hold."
                ),
                fix: "Leave existing fields outside the oneof; put only new fields in a new \
                      oneof."
                    .into(),
            }
        } else {
            Finding {
                path,
                rule: Rule::FieldMovedOutOfOneof,
                explanation: format!(
                    "Fields that share oneof `{oneof}` in the old schema ({list}) are no longer \
                     mutually exclusive in the new one; new data may set several of them, \
                     which consumers on the old schema cannot hold."
                ),
                fix: "Keep the fields in the oneof.".into(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> ProtoFile {
        parser::parse(text).unwrap()
    }

    fn rules(new: &str, old: &str, direction: Direction) -> Vec<(&'static str, String)> {
        let (new, old) = (file(new), file(old));
        let mut out = Vec::new();
        match direction {
            Direction::Backward => Protobuf::check(&new, &old, direction, &mut out),
            Direction::Forward => Protobuf::check(&old, &new, direction, &mut out),
        }
        out.into_iter().map(|f| (f.rule.as_str(), f.path)).collect()
    }

    #[test]
    fn names_resolve_from_the_innermost_scope() {
        let f = file(
            "package p; message A { message B {} enum E { X = 0; } } message B {} \
             message C { message B {} }",
        );
        let index = Index::new(&f);
        assert_eq!(index.resolve("B", "p.A").unwrap().0, "p.A.B");
        assert_eq!(index.resolve("B", "p").unwrap().0, "p.B");
        assert_eq!(index.resolve("B", "p.C").unwrap().0, "p.C.B");
        assert_eq!(index.resolve("A.E", "p.C").unwrap(), ("p.A.E".into(), TypeKind::Enum));
        assert_eq!(index.resolve(".p.B", "p.A").unwrap().0, "p.B");
        assert_eq!(index.resolve("Missing", "p.A"), None);
        assert_eq!(index.local("p.A.B"), "A.B");
    }

    #[test]
    fn scalar_groups_follow_the_wire_encoding() {
        for (a, b) in [
            ("int32", "uint64"),
            ("bool", "int64"),
            ("sint32", "sint64"),
            ("string", "bytes"),
            ("fixed32", "sfixed32"),
            ("fixed64", "sfixed64"),
        ] {
            assert_eq!(Group::of(a), Group::of(b), "{a} {b}");
        }
        for (a, b) in [
            ("int32", "sint32"),
            ("int32", "fixed32"),
            ("float", "double"),
            ("fixed32", "fixed64"),
            ("string", "int32"),
        ] {
            assert_ne!(Group::of(a), Group::of(b), "{a} {b}");
        }
        assert_eq!(Group::of("Foo"), None);
    }

    #[test]
    fn enums_count_as_varints() {
        let f = file("message M { enum E { A = 0; } }");
        let index = Index::new(&f);
        assert_eq!(Kind::named(&index, "E", "M"), Kind::Scalar(Group::Varint));
        assert_eq!(
            type_change(&Kind::Scalar(Group::Varint), &Kind::named(&index, "E", "M")),
            None
        );
    }

    #[test]
    fn map_types_compare_keys_and_values() {
        let old = Kind::Map(
            Box::new(Kind::Scalar(Group::LengthDelimited)),
            Box::new(Kind::Scalar(Group::Varint)),
        );
        let new = Kind::Map(
            Box::new(Kind::Scalar(Group::LengthDelimited)),
            Box::new(Kind::Scalar(Group::Double)),
        );
        assert!(type_change(&old, &new).unwrap().starts_with("map value"));
        assert!(type_change(&old, &Kind::Scalar(Group::Varint)).is_some());
    }

    #[test]
    fn forward_swaps_the_schemas_like_the_registry() {
        let old = "message A { int32 x = 1; }";
        let new = "message A { int32 x = 1; } message B { int32 y = 1; }";
        assert!(rules(new, old, Direction::Backward).is_empty());
        assert_eq!(rules(new, old, Direction::Forward), [("message-added", "B".into())]);
        assert_eq!(rules(old, new, Direction::Backward), [("message-removed", "B".into())]);
    }

    #[test]
    fn deleting_a_whole_oneof_is_accepted_but_not_one_member() {
        let old = "syntax = \"proto3\"; message M { oneof o { int32 a = 1; string b = 2; } }";
        let none = "syntax = \"proto3\"; message M { }";
        let one = "syntax = \"proto3\"; message M { oneof o { int32 a = 1; } }";
        assert!(rules(none, old, Direction::Backward).is_empty());
        assert_eq!(
            rules(one, old, Direction::Backward),
            [("oneof-field-removed", "M.field 2".into())]
        );
        assert_eq!(
            rules(old, one, Direction::Forward),
            [("oneof-field-added", "M.field 2".into())]
        );
    }

    #[test]
    fn one_field_into_a_new_oneof_is_fine_two_are_not() {
        let old = "syntax = \"proto3\"; message M { int32 a = 1; int32 b = 2; }";
        let one = "syntax = \"proto3\"; message M { int32 b = 2; oneof o { int32 a = 1; string c = 3; } }";
        let two = "syntax = \"proto3\"; message M { oneof o { int32 a = 1; int32 b = 2; } }";
        assert!(rules(one, old, Direction::Backward).is_empty());
        assert_eq!(
            rules(two, old, Direction::Backward),
            [("field-moved-into-oneof", "M.oneof o".into())]
        );
        assert_eq!(
            rules(old, two, Direction::Forward),
            [("field-moved-out-of-oneof", "M.oneof o".into())]
        );
        assert!(rules(old, two, Direction::Backward).is_empty());
    }
}
