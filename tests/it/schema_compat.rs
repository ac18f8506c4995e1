//! Schema-compatibility cases with the verdict a Confluent Schema Registry gives.
//!
//! Each case is named, has its schemas inline, and states the verdict; for incompatible cases
//! it also names the rule ids (and paths) that must be among the violations. Previous schemas
//! are oldest first, as the API takes them.

use streaming_skill::compat::{CompatError, CompatibilityMode, CompatibilityReport, SchemaFormat, check_compatibility};

use CompatibilityMode::*;
use SchemaFormat::{Avro, JsonSchema, Protobuf};

/// What a case expects.
enum Expect {
    /// The registry accepts the new schema.
    Compatible,
    /// The registry rejects it; each `(rule, path)` must be among the violations (an empty
    /// path matches any path).
    Incompatible(&'static [(&'static str, &'static str)]),
}

struct Case {
    name: &'static str,
    format: SchemaFormat,
    mode: CompatibilityMode,
    new: &'static str,
    previous: &'static [&'static str],
    expect: Expect,
}

fn run(case: &Case) -> CompatibilityReport {
    let previous: Vec<String> = case.previous.iter().map(|s| s.to_string()).collect();
    check_compatibility(case.format, case.mode, case.new, &previous).unwrap_or_else(|e| panic!("{}: {e}", case.name))
}

fn assert_case(case: &Case) {
    let report = run(case);
    match &case.expect {
        Expect::Compatible => assert!(
            report.compatible && report.violations.is_empty(),
            "{}: expected compatible, got {:#?}",
            case.name,
            report.violations
        ),
        Expect::Incompatible(expected) => {
            assert!(!report.compatible, "{}: expected incompatible", case.name);
            for (rule, path) in expected.iter() {
                assert!(
                    report
                        .violations
                        .iter()
                        .any(|v| v.rule.as_str() == *rule && (path.is_empty() || v.path == *path)),
                    "{}: no violation {rule} at {path:?} in {:#?}",
                    case.name,
                    report.violations
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Avro
// ---------------------------------------------------------------------------------------------

const ORDER_V1: &str = r#"{"type":"record","name":"Order","namespace":"com.acme","fields":[
    {"name":"id","type":"string"},
    {"name":"amount","type":"int"}]}"#;

const ORDER_WITH_NOTE_DEFAULT: &str = r#"{"type":"record","name":"Order","namespace":"com.acme","fields":[
    {"name":"id","type":"string"},
    {"name":"amount","type":"int"},
    {"name":"note","type":["null","string"],"default":null}]}"#;

const ORDER_WITH_NOTE_STRING_DEFAULT: &str = r#"{"type":"record","name":"Order","namespace":"com.acme","fields":[
    {"name":"id","type":"string"},
    {"name":"amount","type":"int"},
    {"name":"note","type":"string","default":""}]}"#;

const ORDER_WITH_NOTE_NO_DEFAULT: &str = r#"{"type":"record","name":"Order","namespace":"com.acme","fields":[
    {"name":"id","type":"string"},
    {"name":"amount","type":"int"},
    {"name":"note","type":"string"}]}"#;

const ORDER_AMOUNT_LONG: &str = r#"{"type":"record","name":"Order","namespace":"com.acme","fields":[
    {"name":"id","type":"string"},
    {"name":"amount","type":"long"}]}"#;

const ORDER_NO_AMOUNT: &str = r#"{"type":"record","name":"Order","namespace":"com.acme","fields":[
    {"name":"id","type":"string"}]}"#;

const STATUS_AB: &str = r#"{"type":"record","name":"Order","fields":[
    {"name":"status","type":{"type":"enum","name":"Status","symbols":["NEW","PAID"]}}]}"#;

const STATUS_ABC: &str = r#"{"type":"record","name":"Order","fields":[
    {"name":"status","type":{"type":"enum","name":"Status","symbols":["NEW","PAID","SHIPPED"]}}]}"#;

const STATUS_AB_DEFAULT: &str = r#"{"type":"record","name":"Order","fields":[
    {"name":"status","type":{"type":"enum","name":"Status","symbols":["NEW","PAID"],"default":"NEW"}}]}"#;

const STATUS_ABC_DEFAULT: &str = r#"{"type":"record","name":"Order","fields":[
    {"name":"status","type":{"type":"enum","name":"Status","symbols":["NEW","PAID","SHIPPED"],"default":"NEW"}}]}"#;

const NESTED_ID_INT: &str = r#"{"type":"record","name":"Order","fields":[
    {"name":"customer","type":{"type":"record","name":"Customer","fields":[
        {"name":"id","type":"int"}]}}]}"#;

const NESTED_ID_STRING: &str = r#"{"type":"record","name":"Order","fields":[
    {"name":"customer","type":{"type":"record","name":"Customer","fields":[
        {"name":"id","type":"string"}]}}]}"#;

const NESTED_WITH_EMAIL: &str = r#"{"type":"record","name":"Order","fields":[
    {"name":"customer","type":{"type":"record","name":"Customer","fields":[
        {"name":"id","type":"int"},
        {"name":"email","type":"string","default":""}]}}]}"#;

const NOTE_STRING: &str = r#"{"type":"record","name":"R","fields":[{"name":"note","type":"string"}]}"#;
const NOTE_OPTIONAL: &str =
    r#"{"type":"record","name":"R","fields":[{"name":"note","type":["null","string"],"default":null}]}"#;
const NOTE_STRING_OR_INT: &str =
    r#"{"type":"record","name":"R","fields":[{"name":"note","type":["null","string","int"],"default":null}]}"#;
const VALUE_INT: &str = r#"{"type":"record","name":"R","fields":[{"name":"v","type":"int"}]}"#;
const VALUE_NULL_OR_LONG: &str =
    r#"{"type":"record","name":"R","fields":[{"name":"v","type":["null","long"],"default":null}]}"#;
const VALUE_NULL_OR_STRING: &str =
    r#"{"type":"record","name":"R","fields":[{"name":"v","type":["null","string"],"default":null}]}"#;

const AVRO_CASES: &[Case] = &[
    Case {
        name: "avro: adding a field with a default is BACKWARD compatible",
        format: Avro,
        mode: Backward,
        new: ORDER_WITH_NOTE_DEFAULT,
        previous: &[ORDER_V1],
        expect: Expect::Compatible,
    },
    Case {
        name: "avro: adding a field without a default is not BACKWARD compatible",
        format: Avro,
        mode: Backward,
        new: ORDER_WITH_NOTE_NO_DEFAULT,
        previous: &[ORDER_V1],
        expect: Expect::Incompatible(&[("field-added-without-default", "Order.note")]),
    },
    Case {
        name: "avro: adding a field without a default is FORWARD compatible",
        format: Avro,
        mode: Forward,
        new: ORDER_WITH_NOTE_NO_DEFAULT,
        previous: &[ORDER_V1],
        expect: Expect::Compatible,
    },
    Case {
        name: "avro: removing a field is BACKWARD compatible",
        format: Avro,
        mode: Backward,
        new: ORDER_NO_AMOUNT,
        previous: &[ORDER_V1],
        expect: Expect::Compatible,
    },
    Case {
        name: "avro: removing a field that has no default is not FORWARD compatible",
        format: Avro,
        mode: Forward,
        new: ORDER_NO_AMOUNT,
        previous: &[ORDER_V1],
        expect: Expect::Incompatible(&[("field-removed-without-default", "Order.amount")]),
    },
    Case {
        name: "avro: removing a field that has a default is FORWARD compatible",
        format: Avro,
        mode: Forward,
        new: ORDER_V1,
        previous: &[ORDER_WITH_NOTE_DEFAULT],
        expect: Expect::Compatible,
    },
    Case {
        name: "avro: adding an optional field with a null default is FULL compatible",
        format: Avro,
        mode: Full,
        new: ORDER_WITH_NOTE_DEFAULT,
        previous: &[ORDER_V1],
        expect: Expect::Compatible,
    },
    Case {
        name: "avro: adding a field without a default is not FULL compatible",
        format: Avro,
        mode: Full,
        new: ORDER_WITH_NOTE_NO_DEFAULT,
        previous: &[ORDER_V1],
        expect: Expect::Incompatible(&[("field-added-without-default", "Order.note")]),
    },
    Case {
        name: "avro: int promoted to long is BACKWARD compatible",
        format: Avro,
        mode: Backward,
        new: ORDER_AMOUNT_LONG,
        previous: &[ORDER_V1],
        expect: Expect::Compatible,
    },
    Case {
        name: "avro: int promoted to long is not FORWARD compatible (int cannot read long)",
        format: Avro,
        mode: Forward,
        new: ORDER_AMOUNT_LONG,
        previous: &[ORDER_V1],
        expect: Expect::Incompatible(&[("type-not-promotable", "Order.amount")]),
    },
    Case {
        name: "avro: long narrowed to int is not BACKWARD compatible",
        format: Avro,
        mode: Backward,
        new: ORDER_V1,
        previous: &[ORDER_AMOUNT_LONG],
        expect: Expect::Incompatible(&[("type-not-promotable", "Order.amount")]),
    },
    Case {
        name: "avro: int, long and float all promote to double",
        format: Avro,
        mode: BackwardTransitive,
        new: r#"{"type":"record","name":"M","fields":[{"name":"x","type":"double"}]}"#,
        previous: &[
            r#"{"type":"record","name":"M","fields":[{"name":"x","type":"int"}]}"#,
            r#"{"type":"record","name":"M","fields":[{"name":"x","type":"long"}]}"#,
            r#"{"type":"record","name":"M","fields":[{"name":"x","type":"float"}]}"#,
        ],
        expect: Expect::Compatible,
    },
    Case {
        name: "avro: string and bytes read each other, so the change is FULL compatible",
        format: Avro,
        mode: Full,
        new: r#"{"type":"record","name":"M","fields":[{"name":"x","type":"bytes"}]}"#,
        previous: &[r#"{"type":"record","name":"M","fields":[{"name":"x","type":"string"}]}"#],
        expect: Expect::Compatible,
    },
    Case {
        name: "avro: string to int is not a promotion",
        format: Avro,
        mode: Backward,
        new: r#"{"type":"record","name":"M","fields":[{"name":"x","type":"int"}]}"#,
        previous: &[r#"{"type":"record","name":"M","fields":[{"name":"x","type":"string"}]}"#],
        expect: Expect::Incompatible(&[("type-not-promotable", "M.x")]),
    },
    Case {
        name: "avro: an enum gaining a symbol is BACKWARD compatible",
        format: Avro,
        mode: Backward,
        new: STATUS_ABC,
        previous: &[STATUS_AB],
        expect: Expect::Compatible,
    },
    Case {
        name: "avro: an enum losing a symbol without a default is not BACKWARD compatible",
        format: Avro,
        mode: Backward,
        new: STATUS_AB,
        previous: &[STATUS_ABC],
        expect: Expect::Incompatible(&[("enum-symbol-removed", "Order.status")]),
    },
    Case {
        name: "avro: an enum losing a symbol is BACKWARD compatible when the new enum has a default",
        format: Avro,
        mode: Backward,
        new: STATUS_AB_DEFAULT,
        previous: &[STATUS_ABC],
        expect: Expect::Compatible,
    },
    Case {
        name: "avro: an enum gaining a symbol is not FORWARD compatible when the old enum has no default",
        format: Avro,
        mode: Forward,
        new: STATUS_ABC,
        previous: &[STATUS_AB],
        expect: Expect::Incompatible(&[("enum-symbol-added", "Order.status")]),
    },
    Case {
        name: "avro: an enum gaining a symbol is FULL compatible when the old enum has a default",
        format: Avro,
        mode: Full,
        new: STATUS_ABC_DEFAULT,
        previous: &[STATUS_AB_DEFAULT],
        expect: Expect::Compatible,
    },
    Case {
        name: "avro: a plain field widened to a union containing its type is BACKWARD compatible",
        format: Avro,
        mode: Backward,
        new: NOTE_OPTIONAL,
        previous: &[NOTE_STRING],
        expect: Expect::Compatible,
    },
    Case {
        name: "avro: a union narrowed to a plain type is not BACKWARD compatible (null cannot be read)",
        format: Avro,
        mode: Backward,
        new: NOTE_STRING,
        previous: &[NOTE_OPTIONAL],
        expect: Expect::Incompatible(&[("missing-union-branch", "R.note")]),
    },
    Case {
        name: "avro: a union gaining a branch is BACKWARD compatible",
        format: Avro,
        mode: Backward,
        new: NOTE_STRING_OR_INT,
        previous: &[NOTE_OPTIONAL],
        expect: Expect::Compatible,
    },
    Case {
        name: "avro: a union losing a branch is not BACKWARD compatible",
        format: Avro,
        mode: Backward,
        new: NOTE_OPTIONAL,
        previous: &[NOTE_STRING_OR_INT],
        expect: Expect::Incompatible(&[("missing-union-branch", "R.note")]),
    },
    Case {
        name: "avro: a reader union branch may read the writer's type by promotion (int into long)",
        format: Avro,
        mode: Backward,
        new: VALUE_NULL_OR_LONG,
        previous: &[VALUE_INT],
        expect: Expect::Compatible,
    },
    Case {
        name: "avro: a reader union with no branch for the writer's type is not compatible",
        format: Avro,
        mode: Backward,
        new: VALUE_NULL_OR_STRING,
        previous: &[VALUE_INT],
        expect: Expect::Incompatible(&[("missing-union-branch", "R.v")]),
    },
    Case {
        name: "avro: a type change inside a nested record is reported at its path",
        format: Avro,
        mode: Backward,
        new: NESTED_ID_STRING,
        previous: &[NESTED_ID_INT],
        expect: Expect::Incompatible(&[("type-not-promotable", "Order.customer.id")]),
    },
    Case {
        name: "avro: a field with a default added inside a nested record is FULL compatible",
        format: Avro,
        mode: Full,
        new: NESTED_WITH_EMAIL,
        previous: &[NESTED_ID_INT],
        expect: Expect::Compatible,
    },
    Case {
        name: "avro: renaming a field with the old name as an alias is BACKWARD compatible",
        format: Avro,
        mode: Backward,
        new: r#"{"type":"record","name":"Order","fields":[{"name":"customer_id","type":"string","aliases":["cust"]}]}"#,
        previous: &[r#"{"type":"record","name":"Order","fields":[{"name":"cust","type":"string"}]}"#],
        expect: Expect::Compatible,
    },
    Case {
        name: "avro: renaming a field without an alias is not BACKWARD compatible",
        format: Avro,
        mode: Backward,
        new: r#"{"type":"record","name":"Order","fields":[{"name":"customer_id","type":"string"}]}"#,
        previous: &[r#"{"type":"record","name":"Order","fields":[{"name":"cust","type":"string"}]}"#],
        expect: Expect::Incompatible(&[("field-added-without-default", "Order.customer_id")]),
    },
    Case {
        name: "avro: renaming a record with the old full name as an alias is BACKWARD compatible",
        format: Avro,
        mode: Backward,
        new: r#"{"type":"record","name":"Purchase","namespace":"com.acme","aliases":["com.acme.Order"],"fields":[{"name":"id","type":"string"}]}"#,
        previous: &[
            r#"{"type":"record","name":"Order","namespace":"com.acme","fields":[{"name":"id","type":"string"}]}"#,
        ],
        expect: Expect::Compatible,
    },
    Case {
        name: "avro: renaming a record without an alias is not BACKWARD compatible",
        format: Avro,
        mode: Backward,
        new: r#"{"type":"record","name":"Purchase","namespace":"com.acme","fields":[{"name":"id","type":"string"}]}"#,
        previous: &[
            r#"{"type":"record","name":"Order","namespace":"com.acme","fields":[{"name":"id","type":"string"}]}"#,
        ],
        expect: Expect::Incompatible(&[("name-mismatch", "Purchase")]),
    },
    Case {
        name: "avro: moving a record to another namespace keeps its unqualified name, so it is compatible",
        format: Avro,
        mode: Full,
        new: r#"{"type":"record","name":"Order","namespace":"com.acme.v2","fields":[{"name":"id","type":"string"}]}"#,
        previous: &[
            r#"{"type":"record","name":"Order","namespace":"com.acme","fields":[{"name":"id","type":"string"}]}"#,
        ],
        expect: Expect::Compatible,
    },
    Case {
        name: "avro: renaming a nested enum type is not compatible",
        format: Avro,
        mode: Backward,
        new: r#"{"type":"record","name":"Order","fields":[{"name":"status","type":{"type":"enum","name":"State","symbols":["NEW","PAID"]}}]}"#,
        previous: &[STATUS_AB],
        expect: Expect::Incompatible(&[("name-mismatch", "Order.status")]),
    },
    Case {
        name: "avro: changing the size of a fixed is not compatible",
        format: Avro,
        mode: Backward,
        new: r#"{"type":"record","name":"Doc","fields":[{"name":"hash","type":{"type":"fixed","name":"Hash","size":32}}]}"#,
        previous: &[
            r#"{"type":"record","name":"Doc","fields":[{"name":"hash","type":{"type":"fixed","name":"Hash","size":16}}]}"#,
        ],
        expect: Expect::Incompatible(&[("fixed-size-changed", "Doc.hash")]),
    },
    Case {
        name: "avro: array items promoted from int to long are BACKWARD compatible",
        format: Avro,
        mode: Backward,
        new: r#"{"type":"record","name":"Cart","fields":[{"name":"qty","type":{"type":"array","items":"long"}}]}"#,
        previous: &[
            r#"{"type":"record","name":"Cart","fields":[{"name":"qty","type":{"type":"array","items":"int"}}]}"#,
        ],
        expect: Expect::Compatible,
    },
    Case {
        name: "avro: array items narrowed from long to int are reported at the items",
        format: Avro,
        mode: Backward,
        new: r#"{"type":"record","name":"Cart","fields":[{"name":"qty","type":{"type":"array","items":"int"}}]}"#,
        previous: &[
            r#"{"type":"record","name":"Cart","fields":[{"name":"qty","type":{"type":"array","items":"long"}}]}"#,
        ],
        expect: Expect::Incompatible(&[("type-not-promotable", "Cart.qty[]")]),
    },
    Case {
        name: "avro: map values changed from string to int are reported at the values",
        format: Avro,
        mode: Backward,
        new: r#"{"type":"record","name":"Cart","fields":[{"name":"attrs","type":{"type":"map","values":"int"}}]}"#,
        previous: &[
            r#"{"type":"record","name":"Cart","fields":[{"name":"attrs","type":{"type":"map","values":"string"}}]}"#,
        ],
        expect: Expect::Incompatible(&[("type-not-promotable", "Cart.attrs{}")]),
    },
    Case {
        name: "avro: an array replaced by a map is not compatible",
        format: Avro,
        mode: Backward,
        new: r#"{"type":"record","name":"Cart","fields":[{"name":"items","type":{"type":"map","values":"string"}}]}"#,
        previous: &[
            r#"{"type":"record","name":"Cart","fields":[{"name":"items","type":{"type":"array","items":"string"}}]}"#,
        ],
        expect: Expect::Incompatible(&[("type-not-promotable", "Cart.items")]),
    },
    Case {
        name: "avro: BACKWARD checks only the latest version, so dropping a default passes",
        format: Avro,
        mode: Backward,
        new: ORDER_WITH_NOTE_NO_DEFAULT,
        previous: &[ORDER_V1, ORDER_WITH_NOTE_STRING_DEFAULT],
        expect: Expect::Compatible,
    },
    Case {
        name: "avro: BACKWARD_TRANSITIVE checks every version, so dropping a default fails against v1",
        format: Avro,
        mode: BackwardTransitive,
        new: ORDER_WITH_NOTE_NO_DEFAULT,
        previous: &[ORDER_V1, ORDER_WITH_NOTE_STRING_DEFAULT],
        expect: Expect::Incompatible(&[("field-added-without-default", "Order.note")]),
    },
    Case {
        name: "avro: FORWARD_TRANSITIVE fails when an older reader lacks a default the latest has",
        format: Avro,
        mode: ForwardTransitive,
        new: ORDER_NO_AMOUNT,
        previous: &[
            ORDER_V1,
            r#"{"type":"record","name":"Order","namespace":"com.acme","fields":[
                {"name":"id","type":"string"},{"name":"amount","type":"int","default":0}]}"#,
        ],
        expect: Expect::Incompatible(&[("field-removed-without-default", "Order.amount")]),
    },
    Case {
        name: "avro: FULL_TRANSITIVE accepts optional fields added one version at a time",
        format: Avro,
        mode: FullTransitive,
        new: r#"{"type":"record","name":"Order","namespace":"com.acme","fields":[
            {"name":"id","type":"string"},
            {"name":"amount","type":"int"},
            {"name":"note","type":["null","string"],"default":null},
            {"name":"tags","type":{"type":"array","items":"string"},"default":[]}]}"#,
        previous: &[ORDER_V1, ORDER_WITH_NOTE_DEFAULT],
        expect: Expect::Compatible,
    },
    Case {
        name: "avro: NONE accepts anything and checks nothing",
        format: Avro,
        mode: None,
        new: r#""string""#,
        previous: &[ORDER_V1],
        expect: Expect::Compatible,
    },
    Case {
        name: "avro: a recursive record gaining a defaulted field is FULL compatible",
        format: Avro,
        mode: Full,
        new: r#"{"type":"record","name":"Node","fields":[
            {"name":"value","type":"int"},
            {"name":"label","type":"string","default":""},
            {"name":"next","type":["null","Node"],"default":null}]}"#,
        previous: &[r#"{"type":"record","name":"Node","fields":[
            {"name":"value","type":"int"},
            {"name":"next","type":["null","Node"],"default":null}]}"#],
        expect: Expect::Compatible,
    },
    Case {
        name: "avro: a type change inside a record that sits in a union is reported inside it",
        format: Avro,
        mode: Backward,
        new: r#"{"type":"record","name":"Order","fields":[{"name":"ship_to","type":["null",
            {"type":"record","name":"Address","fields":[{"name":"zip","type":"int"}]}],"default":null}]}"#,
        previous: &[
            r#"{"type":"record","name":"Order","fields":[{"name":"ship_to","type":["null",
            {"type":"record","name":"Address","fields":[{"name":"zip","type":"string"}]}],"default":null}]}"#,
        ],
        expect: Expect::Incompatible(&[("type-not-promotable", "Order.ship_to.zip")]),
    },
    Case {
        name: "avro: logical types compare by their underlying type (timestamp-millis to long)",
        format: Avro,
        mode: Full,
        new: r#"{"type":"record","name":"E","fields":[{"name":"at","type":"long"}]}"#,
        previous: &[
            r#"{"type":"record","name":"E","fields":[{"name":"at","type":{"type":"long","logicalType":"timestamp-millis"}}]}"#,
        ],
        expect: Expect::Compatible,
    },
    Case {
        name: "avro: a decimal's precision change on the same bytes type passes, as in the registry",
        format: Avro,
        mode: Backward,
        new: r#"{"type":"record","name":"P","fields":[{"name":"price","type":{"type":"bytes","logicalType":"decimal","precision":12,"scale":2}}]}"#,
        previous: &[
            r#"{"type":"record","name":"P","fields":[{"name":"price","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}}]}"#,
        ],
        expect: Expect::Compatible,
    },
];

#[test]
fn avro_cases() {
    assert!(AVRO_CASES.len() >= 25, "{} Avro cases", AVRO_CASES.len());
    for case in AVRO_CASES {
        assert_case(case);
    }
}

#[test]
fn avro_transitive_failure_names_the_failing_version() {
    let previous = vec![ORDER_V1.to_string(), ORDER_WITH_NOTE_STRING_DEFAULT.to_string()];
    let report = check_compatibility(Avro, BackwardTransitive, ORDER_WITH_NOTE_NO_DEFAULT, &previous).unwrap();
    assert_eq!(report.checked_against, vec![1, 2]);
    assert_eq!(report.violations.len(), 1);
    let v = &report.violations[0];
    assert_eq!((v.against_version, v.direction.as_str()), (1, "backward"));
    assert!(!v.explanation.is_empty() && !v.fix.is_empty());
    assert!(report.not_checked.is_empty(), "Avro checks everything");
}

#[test]
fn avro_full_reports_each_direction() {
    let report = check_compatibility(
        Avro,
        Full,
        r#"{"type":"record","name":"M","fields":[{"name":"x","type":"long"},{"name":"y","type":"int"}]}"#,
        &[r#"{"type":"record","name":"M","fields":[{"name":"x","type":"int"}]}"#.to_string()],
    )
    .unwrap();
    let got: Vec<(&str, &str, &str)> = report
        .violations
        .iter()
        .map(|v| (v.direction.as_str(), v.rule.as_str(), v.path.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("backward", "field-added-without-default", "M.y"),
            ("forward", "type-not-promotable", "M.x"),
        ]
    );
}

#[test]
fn avro_none_and_no_previous_check_nothing() {
    let none = check_compatibility(Avro, None, ORDER_V1, &[r#""int""#.to_string()]).unwrap();
    assert!(none.compatible && none.checked_against.is_empty());
    let first = check_compatibility(Avro, BackwardTransitive, ORDER_V1, &[]).unwrap();
    assert!(first.compatible && first.checked_against.is_empty());
}

#[test]
fn avro_json_syntax_error_in_the_new_schema_has_a_position() {
    let err = check_compatibility(
        Avro,
        Backward,
        "{\"type\": \"record\",\n \"name\": \"Order\",\n \"fields\": [\n}",
        &[ORDER_V1.to_string()],
    )
    .unwrap_err();
    let CompatError::Parse {
        schema,
        format,
        line,
        column,
        ..
    } = &err;
    assert_eq!((schema.as_str(), *format), ("new schema", Avro));
    assert_eq!((*line, *column), (Some(4), Some(1)));
    assert!(err.to_string().contains("line 4, column 1"), "{err}");
}

#[test]
fn avro_invalid_previous_schema_is_named_even_when_not_compared() {
    let err = check_compatibility(
        Avro,
        Backward,
        ORDER_V1,
        &[
            ORDER_V1.to_string(),
            r#"{"type":"record","name":"Order","fields":[{"name":"x","type":"no_such_type"}]}"#.to_string(),
            ORDER_V1.to_string(),
        ],
    )
    .unwrap_err();
    let CompatError::Parse { schema, line, .. } = &err;
    assert_eq!(schema, "previous version 2");
    assert_eq!(*line, Option::None, "a semantic error has no position");
}

// ---------------------------------------------------------------------------------------------
// Protobuf
// ---------------------------------------------------------------------------------------------

const PROTO_V1: &str = r#"syntax = "proto3";
package shop;

message Order {
  string id = 1;
  int32 quantity = 2;
  string email = 3;
}
"#;

const PROTO_ADDED_FIELD: &str = r#"syntax = "proto3";
package shop;

message Order {
  string id = 1;
  int32 quantity = 2;
  string email = 3;
  repeated string tags = 4;
}
"#;

const PROTO_EMAIL_REMOVED: &str = r#"syntax = "proto3";
package shop;

message Order {
  string id = 1;
  int32 quantity = 2;
}
"#;

const PROTO_EMAIL_NUMBER_REUSED: &str = r#"syntax = "proto3";
package shop;

message Order {
  string id = 1;
  int32 quantity = 2;
  int64 email_count = 3;
}
"#;

const PROTO_CASES: &[Case] = &[
    Case {
        name: "protobuf: adding a field is FULL compatible",
        format: Protobuf,
        mode: Full,
        new: PROTO_ADDED_FIELD,
        previous: &[PROTO_V1],
        expect: Expect::Compatible,
    },
    Case {
        name: "protobuf: removing a field is BACKWARD compatible",
        format: Protobuf,
        mode: Backward,
        new: PROTO_EMAIL_REMOVED,
        previous: &[PROTO_V1],
        expect: Expect::Compatible,
    },
    Case {
        name: "protobuf: int32 to int64 shares the varint encoding, so it is FULL compatible",
        format: Protobuf,
        mode: Full,
        new: "syntax = \"proto3\";\nmessage M { int64 n = 1; }",
        previous: &["syntax = \"proto3\";\nmessage M { int32 n = 1; }"],
        expect: Expect::Compatible,
    },
    Case {
        name: "protobuf: string to bytes is FULL compatible",
        format: Protobuf,
        mode: Full,
        new: "syntax = \"proto3\";\nmessage M { bytes s = 1; }",
        previous: &["syntax = \"proto3\";\nmessage M { string s = 1; }"],
        expect: Expect::Compatible,
    },
    Case {
        name: "protobuf: int32 to sint32 changes the encoding",
        format: Protobuf,
        mode: Backward,
        new: "syntax = \"proto3\";\nmessage M { sint32 n = 1; }",
        previous: &["syntax = \"proto3\";\nmessage M { int32 n = 1; }"],
        expect: Expect::Incompatible(&[("field-type-changed", "M.field 1")]),
    },
    Case {
        name: "protobuf: int32 to string is not compatible",
        format: Protobuf,
        mode: Backward,
        new: "syntax = \"proto3\";\nmessage M { string n = 1; }",
        previous: &["syntax = \"proto3\";\nmessage M { int32 n = 1; }"],
        expect: Expect::Incompatible(&[("field-type-changed", "M.field 1")]),
    },
    Case {
        name: "protobuf: a field number reused with another name and type is rejected",
        format: Protobuf,
        mode: Backward,
        new: PROTO_EMAIL_NUMBER_REUSED,
        previous: &[PROTO_V1],
        expect: Expect::Incompatible(&[("field-number-reused", "Order.field 3")]),
    },
    Case {
        name: "protobuf: renaming a field that keeps its number and type is accepted",
        format: Protobuf,
        mode: Full,
        new: "syntax = \"proto3\";\nmessage M { string contact_email = 3; }",
        previous: &["syntax = \"proto3\";\nmessage M { string email = 3; }"],
        expect: Expect::Compatible,
    },
    Case {
        name: "protobuf: BACKWARD against the latest misses a number reused after a removal",
        format: Protobuf,
        mode: Backward,
        new: PROTO_EMAIL_NUMBER_REUSED,
        previous: &[PROTO_V1, PROTO_EMAIL_REMOVED],
        expect: Expect::Compatible,
    },
    Case {
        name: "protobuf: BACKWARD_TRANSITIVE catches a number reused after a removal",
        format: Protobuf,
        mode: BackwardTransitive,
        new: PROTO_EMAIL_NUMBER_REUSED,
        previous: &[PROTO_V1, PROTO_EMAIL_REMOVED],
        expect: Expect::Incompatible(&[("field-number-reused", "Order.field 3")]),
    },
    Case {
        name: "protobuf: adding a proto2 required field is rejected",
        format: Protobuf,
        mode: Backward,
        new: "syntax = \"proto2\";\nmessage M {\n  optional string a = 1;\n  required int32 b = 2;\n}",
        previous: &["syntax = \"proto2\";\nmessage M {\n  optional string a = 1;\n}"],
        expect: Expect::Incompatible(&[("required-field-added", "M.field 2")]),
    },
    Case {
        name: "protobuf: removing a proto2 required field is rejected",
        format: Protobuf,
        mode: Backward,
        new: "syntax = \"proto2\";\nmessage M {\n  optional string a = 1;\n}",
        previous: &["syntax = \"proto2\";\nmessage M {\n  optional string a = 1;\n  required int32 b = 2;\n}"],
        expect: Expect::Incompatible(&[("required-field-removed", "M.field 2")]),
    },
    Case {
        name: "protobuf: removing a message type is rejected",
        format: Protobuf,
        mode: Backward,
        new: "syntax = \"proto3\";\nmessage Order { string id = 1; }",
        previous: &["syntax = \"proto3\";\nmessage Order { string id = 1; }\nmessage Refund { string id = 1; }"],
        expect: Expect::Incompatible(&[("message-removed", "Refund")]),
    },
    Case {
        name: "protobuf: adding a message type is rejected under FORWARD, as the registry does",
        format: Protobuf,
        mode: Forward,
        new: "syntax = \"proto3\";\nmessage Order { string id = 1; }\nmessage Refund { string id = 1; }",
        previous: &["syntax = \"proto3\";\nmessage Order { string id = 1; }"],
        expect: Expect::Incompatible(&[("message-added", "Refund")]),
    },
    Case {
        name: "protobuf: moving an existing field into an existing oneof is rejected",
        format: Protobuf,
        mode: Backward,
        new: "syntax = \"proto3\";\nmessage Pay {\n  oneof method {\n    string card = 1;\n    string iban = 2;\n  }\n}",
        previous: &[
            "syntax = \"proto3\";\nmessage Pay {\n  oneof method {\n    string card = 1;\n  }\n  string iban = 2;\n}",
        ],
        expect: Expect::Incompatible(&[("field-moved-into-oneof", "Pay.oneof method")]),
    },
    Case {
        name: "protobuf: a type change inside a nested message is found",
        format: Protobuf,
        mode: Backward,
        new: "syntax = \"proto3\";\nmessage Order {\n  message Line { double price = 1; }\n  repeated Line lines = 1;\n}",
        previous: &[
            "syntax = \"proto3\";\nmessage Order {\n  message Line { int64 price = 1; }\n  repeated Line lines = 1;\n}",
        ],
        expect: Expect::Incompatible(&[("field-type-changed", "Order.Line.field 1")]),
    },
    Case {
        name: "protobuf: a map value type change is found",
        format: Protobuf,
        mode: Backward,
        new: "syntax = \"proto3\";\nmessage M { map<string, string> attrs = 1; }",
        previous: &["syntax = \"proto3\";\nmessage M { map<string, int32> attrs = 1; }"],
        expect: Expect::Incompatible(&[("field-type-changed", "M.field 1")]),
    },
    Case {
        name: "protobuf: changing the package is rejected",
        format: Protobuf,
        mode: Backward,
        new: "syntax = \"proto3\";\npackage shop.v2;\nmessage M { string a = 1; }",
        previous: &["syntax = \"proto3\";\npackage shop.v1;\nmessage M { string a = 1; }"],
        expect: Expect::Incompatible(&[("package-changed", "package")]),
    },
    Case {
        name: "protobuf: enum value changes are accepted, as the registry accepts them",
        format: Protobuf,
        mode: FullTransitive,
        new: "syntax = \"proto3\";\nenum Status { UNKNOWN = 0; PAID = 2; SHIPPED = 3; }\nmessage M { Status s = 1; }",
        previous: &["syntax = \"proto3\";\nenum Status { UNKNOWN = 0; PAID = 1; }\nmessage M { Status s = 1; }"],
        expect: Expect::Compatible,
    },
];

#[test]
fn protobuf_cases() {
    for case in PROTO_CASES {
        assert_case(case);
    }
}

#[test]
fn protobuf_report_states_what_is_not_checked() {
    let report = check_compatibility(Protobuf, Backward, PROTO_V1, &[PROTO_V1.to_string()]).unwrap();
    assert!(report.compatible);
    assert!(report.not_checked.iter().any(|s| s.contains("Imported types")));
}

#[test]
fn protobuf_parse_error_names_the_schema_line_and_column() {
    let err = check_compatibility(
        Protobuf,
        Backward,
        PROTO_V1,
        &["syntax = \"proto3\";\nmessage Order {\n  string id = one;\n}".to_string()],
    )
    .unwrap_err();
    let CompatError::Parse {
        schema,
        line,
        column,
        message,
        ..
    } = &err;
    assert_eq!(schema, "previous version 1");
    assert_eq!((*line, *column), (Some(3), Some(15)));
    assert!(message.contains("field number"), "{message}");
}

// ---------------------------------------------------------------------------------------------
// JSON Schema
// ---------------------------------------------------------------------------------------------

const JSON_OPEN: &str = r#"{
  "type": "object",
  "properties": {
    "id": {"type": "string"},
    "amount": {"type": "integer"}
  },
  "required": ["id"]
}"#;

const JSON_OPEN_WITH_NOTE: &str = r#"{
  "type": "object",
  "properties": {
    "id": {"type": "string"},
    "amount": {"type": "integer"},
    "note": {"type": "string"}
  },
  "required": ["id"]
}"#;

const JSON_CLOSED: &str = r#"{
  "type": "object",
  "properties": {
    "id": {"type": "string"},
    "amount": {"type": "integer"}
  },
  "required": ["id"],
  "additionalProperties": false
}"#;

const JSON_CLOSED_WITH_NOTE: &str = r#"{
  "type": "object",
  "properties": {
    "id": {"type": "string"},
    "amount": {"type": "integer"},
    "note": {"type": "string"}
  },
  "required": ["id"],
  "additionalProperties": false
}"#;

const JSON_CASES: &[Case] = &[
    Case {
        name: "json: adding an optional property to an open content model is not BACKWARD compatible",
        format: JsonSchema,
        mode: Backward,
        new: JSON_OPEN_WITH_NOTE,
        previous: &[JSON_OPEN],
        expect: Expect::Incompatible(&[("property-added-to-open-model", "$.properties.note")]),
    },
    Case {
        name: "json: adding an optional property to a closed content model is BACKWARD compatible",
        format: JsonSchema,
        mode: Backward,
        new: JSON_CLOSED_WITH_NOTE,
        previous: &[JSON_CLOSED],
        expect: Expect::Compatible,
    },
    Case {
        name: "json: adding a property to a closed content model is not FORWARD compatible",
        format: JsonSchema,
        mode: Forward,
        new: JSON_CLOSED_WITH_NOTE,
        previous: &[JSON_CLOSED],
        expect: Expect::Incompatible(&[("property-added-to-closed-model", "$.properties.note")]),
    },
    Case {
        name: "json: removing a property from an open content model is BACKWARD compatible",
        format: JsonSchema,
        mode: Backward,
        new: JSON_OPEN,
        previous: &[JSON_OPEN_WITH_NOTE],
        expect: Expect::Compatible,
    },
    Case {
        name: "json: removing an optional property from an open content model is not FORWARD compatible",
        format: JsonSchema,
        mode: Forward,
        new: JSON_OPEN,
        previous: &[JSON_OPEN_WITH_NOTE],
        expect: Expect::Incompatible(&[("property-removed-from-open-model", "$.properties.note")]),
    },
    Case {
        name: "json: removing a required property is not FORWARD compatible",
        format: JsonSchema,
        mode: Forward,
        new: r#"{"type":"object","properties":{"amount":{"type":"integer"}}}"#,
        previous: &[JSON_OPEN],
        expect: Expect::Incompatible(&[("required-property-removed", "$.properties.id")]),
    },
    Case {
        name: "json: removing a property from a closed content model is not BACKWARD compatible",
        format: JsonSchema,
        mode: Backward,
        new: JSON_CLOSED,
        previous: &[JSON_CLOSED_WITH_NOTE],
        expect: Expect::Incompatible(&[("property-removed-from-closed-model", "$.properties.note")]),
    },
    Case {
        name: "json: adding a required property without a default is not BACKWARD compatible",
        format: JsonSchema,
        mode: Backward,
        new: r#"{"type":"object","additionalProperties":false,
            "properties":{"id":{"type":"string"},"currency":{"type":"string"}},
            "required":["id","currency"]}"#,
        previous: &[r#"{"type":"object","additionalProperties":false,
            "properties":{"id":{"type":"string"}},"required":["id"]}"#],
        expect: Expect::Incompatible(&[("required-property-added", "$.properties.currency")]),
    },
    Case {
        name: "json: adding a required property with a default to a closed model is BACKWARD compatible",
        format: JsonSchema,
        mode: Backward,
        new: r#"{"type":"object","additionalProperties":false,
            "properties":{"id":{"type":"string"},"currency":{"type":"string","default":"EUR"}},
            "required":["id","currency"]}"#,
        previous: &[r#"{"type":"object","additionalProperties":false,
            "properties":{"id":{"type":"string"}},"required":["id"]}"#],
        expect: Expect::Compatible,
    },
    Case {
        name: "json: making an existing property required is not BACKWARD compatible",
        format: JsonSchema,
        mode: Backward,
        new: r#"{"type":"object","properties":{"id":{"type":"string"},"amount":{"type":"integer"}},
            "required":["id","amount"]}"#,
        previous: &[JSON_OPEN],
        expect: Expect::Incompatible(&[("property-made-required", "$.properties.amount")]),
    },
    Case {
        name: "json: no longer requiring a property is BACKWARD compatible",
        format: JsonSchema,
        mode: Backward,
        new: r#"{"type":"object","properties":{"id":{"type":"string"},"amount":{"type":"integer"}}}"#,
        previous: &[JSON_OPEN],
        expect: Expect::Compatible,
    },
    Case {
        name: "json: integer extended to number is BACKWARD compatible",
        format: JsonSchema,
        mode: Backward,
        new: r#"{"type":"object","properties":{"id":{"type":"string"},"amount":{"type":"number"}},"required":["id"]}"#,
        previous: &[JSON_OPEN],
        expect: Expect::Compatible,
    },
    Case {
        name: "json: integer extended to number is not FORWARD compatible",
        format: JsonSchema,
        mode: Forward,
        new: r#"{"type":"object","properties":{"id":{"type":"string"},"amount":{"type":"number"}},"required":["id"]}"#,
        previous: &[JSON_OPEN],
        expect: Expect::Incompatible(&[("type-extended", "$.properties.amount")]),
    },
    Case {
        name: "json: number narrowed to integer is not BACKWARD compatible",
        format: JsonSchema,
        mode: Backward,
        new: JSON_OPEN,
        previous: &[
            r#"{"type":"object","properties":{"id":{"type":"string"},"amount":{"type":"number"}},"required":["id"]}"#,
        ],
        expect: Expect::Incompatible(&[("type-narrowed", "$.properties.amount")]),
    },
    Case {
        name: "json: a type change in a nested object is reported at its path",
        format: JsonSchema,
        mode: Full,
        new: r#"{"type":"object","properties":{"customer":{"type":"object","properties":{"id":{"type":"integer"}}}}}"#,
        previous: &[
            r#"{"type":"object","properties":{"customer":{"type":"object","properties":{"id":{"type":"string"}}}}}"#,
        ],
        expect: Expect::Incompatible(&[("type-changed", "$.properties.customer.properties.id")]),
    },
    Case {
        name: "json: a type change of array items is reported at the items",
        format: JsonSchema,
        mode: Backward,
        new: r#"{"type":"object","properties":{"tags":{"type":"array","items":{"type":"integer"}}}}"#,
        previous: &[r#"{"type":"object","properties":{"tags":{"type":"array","items":{"type":"string"}}}}"#],
        expect: Expect::Incompatible(&[("type-changed", "$.properties.tags.items")]),
    },
    Case {
        name: "json: closing an open content model is not BACKWARD compatible",
        format: JsonSchema,
        mode: Backward,
        new: JSON_CLOSED,
        previous: &[JSON_OPEN],
        expect: Expect::Incompatible(&[("content-model-closed", "$.additionalProperties")]),
    },
    Case {
        name: "json: an enum gaining a value is not FULL compatible (old readers reject the value)",
        format: JsonSchema,
        mode: Full,
        new: r#"{"type":"string","enum":["NEW","PAID","SHIPPED"]}"#,
        previous: &[r#"{"type":"string","enum":["NEW","PAID"]}"#],
        expect: Expect::Incompatible(&[("enum-value-added", "$")]),
    },
    Case {
        name: "json: an enum gaining a value is BACKWARD compatible",
        format: JsonSchema,
        mode: Backward,
        new: r#"{"type":"string","enum":["NEW","PAID","SHIPPED"]}"#,
        previous: &[r#"{"type":"string","enum":["NEW","PAID"]}"#],
        expect: Expect::Compatible,
    },
    Case {
        name: "json: a shorter maxLength is not BACKWARD compatible",
        format: JsonSchema,
        mode: Backward,
        new: r#"{"type":"object","properties":{"code":{"type":"string","maxLength":3}}}"#,
        previous: &[r#"{"type":"object","properties":{"code":{"type":"string","maxLength":8}}}"#],
        expect: Expect::Incompatible(&[("constraint-tightened", "$.properties.code.maxLength")]),
    },
    Case {
        name: "json: local $refs are followed",
        format: JsonSchema,
        mode: Backward,
        new: r##"{"type":"object","properties":{"price":{"$ref":"#/definitions/Money"}},
            "definitions":{"Money":{"type":"object","properties":{"cents":{"type":"string"}}}}}"##,
        previous: &[
            r##"{"type":"object","properties":{"price":{"$ref":"#/definitions/Money"}},
            "definitions":{"Money":{"type":"object","properties":{"cents":{"type":"integer"}}}}}"##,
        ],
        expect: Expect::Incompatible(&[("type-changed", "$.properties.price.properties.cents")]),
    },
    Case {
        name: "json: a nullable type list may gain null",
        format: JsonSchema,
        mode: Backward,
        new: r#"{"type":"object","properties":{"note":{"type":["string","null"]}}}"#,
        previous: &[r#"{"type":"object","properties":{"note":{"type":"string"}}}"#],
        expect: Expect::Compatible,
    },
    Case {
        name: "json: FULL_TRANSITIVE fails against the version that the new schema breaks",
        format: JsonSchema,
        mode: FullTransitive,
        new: JSON_CLOSED,
        previous: &[JSON_CLOSED_WITH_NOTE, JSON_CLOSED],
        expect: Expect::Incompatible(&[("property-removed-from-closed-model", "$.properties.note")]),
    },
];

#[test]
fn json_schema_cases() {
    for case in JSON_CASES {
        assert_case(case);
    }
}

#[test]
fn json_schema_report_states_what_is_not_checked() {
    let report = check_compatibility(JsonSchema, Full, JSON_OPEN, &[JSON_OPEN.to_string()]).unwrap();
    assert!(report.compatible);
    assert!(report.not_checked.iter().any(|s| s.contains("patternProperties")));
}

#[test]
fn json_schema_parse_error_has_a_position() {
    let err = check_compatibility(
        JsonSchema,
        Backward,
        "{\n  \"type\": \"object\",\n  \"properties\": {,}\n}",
        &[JSON_OPEN.to_string()],
    )
    .unwrap_err();
    let CompatError::Parse {
        schema, line, column, ..
    } = &err;
    assert_eq!(schema, "new schema");
    assert_eq!((*line, *column), (Some(3), Some(18)));
}

#[test]
fn at_least_forty_cases() {
    let total = AVRO_CASES.len() + PROTO_CASES.len() + JSON_CASES.len();
    assert!(total >= 40, "{total} cases");
}
