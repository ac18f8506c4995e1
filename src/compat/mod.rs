//! `compat`: schema-compatibility checks that give the verdict a Confluent Schema Registry
//! gives when a new schema version is registered under a subject.
//!
//! One entry point, [`check_compatibility`], takes the format, the compatibility mode, the new
//! schema and the previous versions (oldest first) and returns a [`CompatibilityReport`]: the
//! verdict, which previous versions were checked, one [`Violation`] per problem (with a path, a
//! stable rule id, an explanation and a fix), and what this format's checker does not verify.
//!
//! * **Avro** follows the Avro specification's schema-resolution rules the way the registry
//!   applies them (the registry runs Avro's Java `SchemaCompatibility`): field defaults,
//!   promotions, enum symbols and enum defaults, unions, aliases, named types, fixed sizes,
//!   arrays, maps and recursive types. Parsing uses the `apache-avro` crate; the resolution
//!   walk is this module's own so that every violation carries a path and a rule id.
//! * **JSON Schema** models the registry's object/array/type rules (open and closed content
//!   models, `required`, type changes, the common numeric and length constraints, local
//!   `$ref`s and simple combinators); [`CompatibilityReport::not_checked`] says what is left.
//! * **Protobuf** parses `.proto` text with a small parser of its own and applies the
//!   registry's field-by-number rules; again `not_checked` says what is left.
//!
//! Modes: `BACKWARD` means the new schema (reader) can read data written with the previous
//! one; `FORWARD` means the previous schema (reader) can read data written with the new one;
//! `FULL` is both. The `_TRANSITIVE` variants check against every previous version, the others
//! only against the latest (the last element of `previous_schemas`). `NONE` checks nothing.
//!
//! Decisions, stated once:
//! * Every given schema is parsed, in every mode, before anything is compared; the first one
//!   that does not parse (the new schema first, then the previous ones oldest first) is the
//!   error, even if the mode would not have compared against it. A registry refuses to hold an
//!   unparsable version, so one in the list is a mistake worth reporting.
//! * No previous schemas is not an error: like the first version registered under a subject,
//!   the new schema is compatible and `checked_against` is empty. `NONE` is the same.

mod avro;
mod json_schema;
mod protobuf;

use serde::{Deserialize, Serialize};

/// The schema language of all the schemas in one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SchemaFormat {
    /// Apache Avro, as JSON (`.avsc`).
    Avro,
    /// JSON Schema.
    JsonSchema,
    /// Protocol Buffers, as `.proto` text (proto2 or proto3).
    Protobuf,
}

impl SchemaFormat {
    /// The name a person reads: `Avro`, `JSON Schema`, `Protobuf`.
    pub fn display_name(self) -> &'static str {
        match self {
            SchemaFormat::Avro => "Avro",
            SchemaFormat::JsonSchema => "JSON Schema",
            SchemaFormat::Protobuf => "Protobuf",
        }
    }
}

impl std::fmt::Display for SchemaFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.display_name())
    }
}

/// A Schema Registry compatibility mode, with the registry's own names on the wire.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema, strum::IntoStaticStr,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[strum(serialize_all = "SCREAMING_SNAKE_CASE")]
pub enum CompatibilityMode {
    /// The new schema can read data written with the latest previous schema.
    Backward,
    /// The new schema can read data written with every previous schema.
    BackwardTransitive,
    /// The latest previous schema can read data written with the new schema.
    Forward,
    /// Every previous schema can read data written with the new schema.
    ForwardTransitive,
    /// Both `BACKWARD` and `FORWARD` against the latest previous schema.
    Full,
    /// Both `BACKWARD` and `FORWARD` against every previous schema.
    FullTransitive,
    /// No check: always compatible.
    None,
}

impl CompatibilityMode {
    /// The registry's name for the mode (`BACKWARD_TRANSITIVE`, ...).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    fn is_transitive(self) -> bool {
        matches!(
            self,
            CompatibilityMode::BackwardTransitive
                | CompatibilityMode::ForwardTransitive
                | CompatibilityMode::FullTransitive
        )
    }

    fn directions(self) -> &'static [Direction] {
        match self {
            CompatibilityMode::Backward | CompatibilityMode::BackwardTransitive => &[Direction::Backward],
            CompatibilityMode::Forward | CompatibilityMode::ForwardTransitive => &[Direction::Forward],
            CompatibilityMode::Full | CompatibilityMode::FullTransitive => &[Direction::Backward, Direction::Forward],
            CompatibilityMode::None => &[],
        }
    }
}

impl std::fmt::Display for CompatibilityMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The verdict of one check, with everything needed to act on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct CompatibilityReport {
    /// Whether a registry in this mode would accept the new schema.
    pub compatible: bool,
    /// The mode checked.
    pub mode: CompatibilityMode,
    /// The schema format.
    pub format: SchemaFormat,
    /// The previous versions compared against, numbered from 1 as a registry numbers them:
    /// version 1 is the first (oldest) of `previous_schemas`. Empty for `NONE` and when there
    /// are no previous schemas.
    pub checked_against: Vec<usize>,
    /// Every problem found; empty when compatible.
    pub violations: Vec<Violation>,
    /// What this format's checker does not verify, stated plainly. Empty for Avro, whose
    /// checker covers the whole of schema resolution.
    pub not_checked: Vec<String>,
}

/// One reason the new schema is not compatible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Violation {
    /// The previous version this was found against, numbered from 1 (the first of
    /// `previous_schemas`).
    pub against_version: usize,
    /// `backward` (the new schema reads data written with the old one) or `forward` (the old
    /// schema reads data written with the new one).
    pub direction: Direction,
    /// Where: `Order.customer.id` (Avro), `$.properties.amount` (JSON Schema),
    /// `Order.field 3` (Protobuf).
    pub path: String,
    /// A short, stable kebab-case rule id, such as `field-added-without-default`.
    pub rule: Rule,
    /// What goes wrong, in a sentence or two.
    pub explanation: String,
    /// How to make the change compatible.
    pub fix: String,
}

/// The stable id of a compatibility rule, kebab-case on the wire (`field-added-without-default`).
/// Avro, JSON Schema and Protobuf each use their own part of the set.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema, strum::IntoStaticStr, strum::Display,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Rule {
    /// `additional-properties-extended`.
    AdditionalPropertiesExtended,
    /// `additional-properties-narrowed`.
    AdditionalPropertiesNarrowed,
    /// `combined-branch-unmatched`.
    CombinedBranchUnmatched,
    /// `combined-type-changed`.
    CombinedTypeChanged,
    /// `combined-type-narrowed`.
    CombinedTypeNarrowed,
    /// `constraint-loosened`.
    ConstraintLoosened,
    /// `constraint-tightened`.
    ConstraintTightened,
    /// `content-model-closed`.
    ContentModelClosed,
    /// `content-model-opened`.
    ContentModelOpened,
    /// `enum-restriction-added`.
    EnumRestrictionAdded,
    /// `enum-restriction-removed`.
    EnumRestrictionRemoved,
    /// `enum-symbol-added`.
    EnumSymbolAdded,
    /// `enum-symbol-removed`.
    EnumSymbolRemoved,
    /// `enum-value-added`.
    EnumValueAdded,
    /// `enum-value-removed`.
    EnumValueRemoved,
    /// `field-added-without-default`.
    FieldAddedWithoutDefault,
    /// `field-alias-ambiguous`.
    FieldAliasAmbiguous,
    /// `field-label-changed`.
    FieldLabelChanged,
    /// `field-moved-into-oneof`.
    FieldMovedIntoOneof,
    /// `field-moved-out-of-oneof`.
    FieldMovedOutOfOneof,
    /// `field-number-reused`.
    FieldNumberReused,
    /// `field-removed-without-default`.
    FieldRemovedWithoutDefault,
    /// `field-type-changed`.
    FieldTypeChanged,
    /// `fixed-size-changed`.
    FixedSizeChanged,
    /// `message-added`.
    MessageAdded,
    /// `message-removed`.
    MessageRemoved,
    /// `missing-union-branch`.
    MissingUnionBranch,
    /// `name-mismatch`.
    NameMismatch,
    /// `no-matching-branch`.
    NoMatchingBranch,
    /// `oneof-field-added`.
    OneofFieldAdded,
    /// `oneof-field-removed`.
    OneofFieldRemoved,
    /// `package-changed`.
    PackageChanged,
    /// `property-added-to-closed-model`.
    PropertyAddedToClosedModel,
    /// `property-added-to-open-model`.
    PropertyAddedToOpenModel,
    /// `property-made-optional`.
    PropertyMadeOptional,
    /// `property-made-required`.
    PropertyMadeRequired,
    /// `property-removed-from-closed-model`.
    PropertyRemovedFromClosedModel,
    /// `property-removed-from-open-model`.
    PropertyRemovedFromOpenModel,
    /// `required-field-added`.
    RequiredFieldAdded,
    /// `required-field-removed`.
    RequiredFieldRemoved,
    /// `required-property-added`.
    RequiredPropertyAdded,
    /// `required-property-removed`.
    RequiredPropertyRemoved,
    /// `type-changed`.
    TypeChanged,
    /// `type-extended`.
    TypeExtended,
    /// `type-narrowed`.
    TypeNarrowed,
    /// `type-not-promotable`.
    TypeNotPromotable,
}

impl Rule {
    /// The rule id, as in the JSON.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Why a check could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompatError {
    /// One of the given schemas does not parse.
    #[error("{schema} does not parse as {format}{}: {message}", position(*line, *column))]
    Parse {
        /// Which schema: `new schema` or `previous version N` (N numbered from 1, the first of
        /// `previous_schemas`).
        schema: String,
        /// The format it was parsed as.
        format: SchemaFormat,
        /// 1-based line of the problem, when the parser knows it.
        line: Option<usize>,
        /// 1-based column of the problem, when the parser knows it.
        column: Option<usize>,
        /// What the parser said.
        message: String,
    },
}

fn position(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(" at line {l}, column {c}"),
        (Some(l), None) => format!(" at line {l}"),
        _ => String::new(),
    }
}

/// Checks `new_schema` against `previous_schemas` (oldest first) in `mode`, the way a
/// Confluent Schema Registry would when `new_schema` is registered under a subject holding
/// `previous_schemas`.
///
/// All schemas are parsed first; the first unparsable one is the error (see the module
/// documentation). With `NONE`, or with no previous schemas, the result is compatible and
/// `checked_against` is empty.
pub fn check_compatibility(
    format: SchemaFormat,
    mode: CompatibilityMode,
    new_schema: &str,
    previous_schemas: &[String],
) -> Result<CompatibilityReport, CompatError> {
    match format {
        SchemaFormat::Avro => run::<avro::Avro>(format, mode, new_schema, previous_schemas),
        SchemaFormat::JsonSchema => run::<json_schema::JsonSchema>(format, mode, new_schema, previous_schemas),
        SchemaFormat::Protobuf => run::<protobuf::Protobuf>(format, mode, new_schema, previous_schemas),
    }
}

/// Which way data flows in one comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema, strum::IntoStaticStr, strum::Display)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Direction {
    /// The new schema reads data written with the old one.
    Backward,
    /// The old schema reads data written with the new one.
    Forward,
}

impl Direction {
    /// `backward` or `forward`, as in the JSON.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Picks the text that fits: `backward` when the new schema is the reader.
    pub(crate) fn pick<T>(self, backward: T, forward: T) -> T {
        match self {
            Direction::Backward => backward,
            Direction::Forward => forward,
        }
    }

    /// How to name the reader in prose.
    pub(crate) fn reader(self) -> &'static str {
        self.pick("the new schema", "the old schema")
    }

    /// How to name the writer in prose.
    pub(crate) fn writer(self) -> &'static str {
        self.pick("the old schema", "the new schema")
    }

    /// The reader, at the start of a sentence.
    pub(crate) fn reader_cap(self) -> &'static str {
        self.pick("The new schema", "The old schema")
    }

    /// The writer, at the start of a sentence.
    pub(crate) fn writer_cap(self) -> &'static str {
        self.pick("The old schema", "The new schema")
    }
}

/// A violation before it is tied to a version and a direction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Finding {
    pub(crate) path: String,
    pub(crate) rule: Rule,
    pub(crate) explanation: String,
    pub(crate) fix: String,
}

/// Where a parser stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParseFailure {
    pub(crate) line: Option<usize>,
    pub(crate) column: Option<usize>,
    pub(crate) message: String,
}

/// What each format provides to the driver.
pub(crate) trait Format {
    /// A parsed schema.
    type Parsed;
    /// Parses one schema's text.
    fn parse(text: &str) -> Result<Self::Parsed, ParseFailure>;
    /// Can `reader` read data written with `writer`? Pushes one finding per problem.
    fn check(reader: &Self::Parsed, writer: &Self::Parsed, direction: Direction, out: &mut Vec<Finding>);
    /// What the checker does not verify.
    fn not_checked() -> Vec<String>;
}

fn run<F: Format>(
    format: SchemaFormat,
    mode: CompatibilityMode,
    new_schema: &str,
    previous_schemas: &[String],
) -> Result<CompatibilityReport, CompatError> {
    let parse_error = |schema: String, failure: ParseFailure| CompatError::Parse {
        schema,
        format,
        line: failure.line,
        column: failure.column,
        message: failure.message,
    };
    let new = F::parse(new_schema).map_err(|f| parse_error("new schema".to_string(), f))?;
    let previous = previous_schemas
        .iter()
        .enumerate()
        .map(|(i, text)| F::parse(text).map_err(|f| parse_error(format!("previous version {}", i + 1), f)))
        .collect::<Result<Vec<_>, _>>()?;

    // Versions as a registry numbers them: the first previous schema is version 1.
    let checked_against: Vec<usize> = match (mode, previous.len()) {
        (CompatibilityMode::None, _) | (_, 0) => Vec::new(),
        (m, n) if m.is_transitive() => (1..=n).collect(),
        (_, n) => vec![n],
    };

    let mut violations = Vec::new();
    for &version in &checked_against {
        let old = &previous[version - 1];
        for &direction in mode.directions() {
            let mut findings = Vec::new();
            match direction {
                Direction::Backward => F::check(&new, old, direction, &mut findings),
                Direction::Forward => F::check(old, &new, direction, &mut findings),
            }
            violations.extend(findings.into_iter().map(|f| Violation {
                against_version: version,
                direction,
                path: f.path,
                rule: f.rule,
                explanation: f.explanation,
                fix: f.fix,
            }));
        }
    }

    Ok(CompatibilityReport {
        compatible: violations.is_empty(),
        mode,
        format,
        checked_against,
        violations,
        not_checked: F::not_checked(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mode_names_match_the_wire_names() {
        use CompatibilityMode::*;
        for mode in [
            Backward,
            BackwardTransitive,
            Forward,
            ForwardTransitive,
            Full,
            FullTransitive,
            None,
        ] {
            assert_eq!(serde_json::to_value(mode).unwrap(), mode.as_str());
        }
        assert_eq!(FullTransitive.as_str(), "FULL_TRANSITIVE");
    }

    #[test]
    fn rules_and_directions_keep_their_json_names() {
        for (rule, id) in [
            (Rule::FieldAddedWithoutDefault, "field-added-without-default"),
            (Rule::FieldMovedIntoOneof, "field-moved-into-oneof"),
            (
                Rule::PropertyRemovedFromClosedModel,
                "property-removed-from-closed-model",
            ),
        ] {
            assert_eq!(serde_json::to_value(rule).unwrap(), id);
            assert_eq!((rule.as_str(), rule.to_string().as_str()), (id, id));
        }
        assert_eq!(serde_json::to_value(Direction::Backward).unwrap(), "backward");
        assert_eq!(Direction::Forward.to_string(), "forward");
    }

    #[test]
    fn wire_names_are_the_registry_ones() {
        let modes = [
            (CompatibilityMode::Backward, "BACKWARD"),
            (CompatibilityMode::BackwardTransitive, "BACKWARD_TRANSITIVE"),
            (CompatibilityMode::Forward, "FORWARD"),
            (CompatibilityMode::ForwardTransitive, "FORWARD_TRANSITIVE"),
            (CompatibilityMode::Full, "FULL"),
            (CompatibilityMode::FullTransitive, "FULL_TRANSITIVE"),
            (CompatibilityMode::None, "NONE"),
        ];
        for (mode, name) in modes {
            assert_eq!(serde_json::to_value(mode).unwrap(), name);
            assert_eq!(mode.as_str(), name);
            let back: CompatibilityMode = serde_json::from_value(name.into()).unwrap();
            assert_eq!(back, mode);
        }
        let formats = [
            (SchemaFormat::Avro, "avro"),
            (SchemaFormat::JsonSchema, "json-schema"),
            (SchemaFormat::Protobuf, "protobuf"),
        ];
        for (format, name) in formats {
            assert_eq!(serde_json::to_value(format).unwrap(), name);
            let back: SchemaFormat = serde_json::from_value(name.into()).unwrap();
            assert_eq!(back, format);
        }
    }

    #[test]
    fn parse_error_display_names_schema_and_position() {
        let e = CompatError::Parse {
            schema: "previous version 2".into(),
            format: SchemaFormat::JsonSchema,
            line: Some(3),
            column: Some(7),
            message: "expected value".into(),
        };
        assert_eq!(
            e.to_string(),
            "previous version 2 does not parse as JSON Schema at line 3, column 7: expected value"
        );
        assert_eq!(position(None, None), "");
    }

    #[test]
    fn versions_checked_follow_the_mode() {
        let prev = vec!["\"int\"".to_string(), "\"int\"".to_string(), "\"int\"".to_string()];
        let check = |mode| {
            check_compatibility(SchemaFormat::Avro, mode, "\"int\"", &prev)
                .unwrap()
                .checked_against
        };
        assert_eq!(check(CompatibilityMode::Backward), vec![3]);
        assert_eq!(check(CompatibilityMode::FullTransitive), vec![1, 2, 3]);
        assert_eq!(check(CompatibilityMode::None), Vec::<usize>::new());
        let none = check_compatibility(SchemaFormat::Avro, CompatibilityMode::Full, "\"int\"", &[]).unwrap();
        assert!(none.compatible && none.checked_against.is_empty());
    }
}
