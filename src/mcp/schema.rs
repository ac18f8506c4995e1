//! Keeps the tool schemas small in a model's context. Every client puts `tools/list` in the
//! model's prompt, so the schemas are compacted once, when the definitions are built:
//!
//! - input schemas keep every property, its type and its description (the model reads them to
//!   call the tool), but enums become a plain `enum` list (without a `type`, which the values
//!   say), `$ref`s are inlined, and `$schema`, `format`, `title` and the `null` of optional
//!   fields go;
//! - output schemas keep the top-level shape (each property's JSON type), which is what a client
//!   needs to check `structuredContent`; the detail is in the tool's result.

use serde_json::{Map, Value};

/// The compact form of an input schema.
pub fn compact_input(schema: &Map<String, Value>) -> Map<String, Value> {
    let defs = schema
        .get("$defs")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut out = schema.clone();
    out.remove("$defs");
    out.remove("$schema");
    out.remove("title");
    // Unknown arguments are still refused, with an error naming them; the keyword costs
    // tokens in every model's context and tells a model nothing the property list does not.
    out.remove("additionalProperties");
    let mut value = Value::Object(out);
    simplify(&mut value, &defs, false);
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// `names` is true inside a map whose keys are property names, not keywords.
fn simplify(value: &mut Value, defs: &Map<String, Value>, names: bool) {
    let Value::Object(map) = value else {
        if let Value::Array(items) = value {
            items.iter_mut().for_each(|item| simplify(item, defs, false));
        }
        return;
    };
    if names {
        for child in map.values_mut() {
            simplify(child, defs, false);
        }
        return;
    }
    // Inline a `$ref`, keeping the referring schema's own description.
    if let Some(target) = map.remove("$ref").and_then(|r| r.as_str().map(str::to_string)) {
        let name = target.trim_start_matches("#/$defs/");
        if let Some(Value::Object(def)) = defs.get(name) {
            for (k, v) in def {
                map.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
    }
    // `anyOf: [X, {type: null}]` (an optional field) becomes X.
    if let Some(Value::Array(options)) = map.get("anyOf").cloned() {
        let non_null: Vec<&Value> = options
            .iter()
            .filter(|o| o.get("type") != Some(&Value::from("null")))
            .collect();
        if non_null.len() == 1 && options.len() == 2 {
            map.remove("anyOf");
            let mut inner = non_null[0].clone();
            simplify(&mut inner, defs, false);
            if let Value::Object(inner) = inner {
                for (k, v) in inner {
                    map.entry(k).or_insert(v);
                }
            }
        }
    }
    // `oneOf` of constants becomes an `enum`.
    if let Some(Value::Array(options)) = map.get("oneOf") {
        let constants: Option<Vec<Value>> = options.iter().map(|o| o.get("const").cloned()).collect();
        if let Some(constants) = constants {
            map.remove("oneOf");
            map.insert("type".into(), Value::from("string"));
            map.insert("enum".into(), Value::Array(constants));
        }
    }
    // `type: [X, "null"]` becomes `type: X`; an optional field may simply be left out.
    if let Some(Value::Array(types)) = map.get("type") {
        let non_null: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
        if non_null.len() == 1 {
            map.insert("type".into(), non_null[0].clone());
        }
    }
    if let Some(Value::Array(options)) = map.get_mut("enum") {
        options.retain(|o| !o.is_null());
        // The listed values say the type.
        map.remove("type");
    }
    map.remove("format");
    map.remove("title");
    map.remove("default");
    for (key, child) in map.iter_mut() {
        simplify(child, defs, matches!(key.as_str(), "properties"));
    }
}

/// The compact form of an output schema: the top-level properties and their JSON types.
pub fn shallow_output(schema: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("type".into(), Value::from("object"));
    if let Some(Value::Object(properties)) = schema.get("properties") {
        let shallow: Map<String, Value> = properties
            .iter()
            .map(|(name, property)| {
                let mut kept = Map::new();
                if let Some(t) = json_type(property, schema) {
                    kept.insert("type".into(), t);
                }
                (name.clone(), Value::Object(kept))
            })
            .collect();
        out.insert("properties".into(), Value::Object(shallow));
    }
    out
}

/// The JSON type of a property: its `type`, or that of the definition it refers to; `None`
/// when it has several shapes (it then accepts any).
fn json_type(property: &Value, root: &Map<String, Value>) -> Option<Value> {
    if let Some(t) = property.get("type") {
        return Some(t.clone());
    }
    let target = property.get("$ref")?.as_str()?.trim_start_matches("#/$defs/");
    let def = root.get("$defs")?.get(target)?;
    if def.get("oneOf").is_some() || def.get("enum").is_some() {
        return Some(Value::from("string"));
    }
    def.get("type").cloned()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn enums_refs_and_optionals_flatten() {
        let schema = json!({
            "$schema": "x",
            "$defs": {"Team": {"description": "Who.", "oneOf": [
                {"description": "SQL.", "type": "string", "const": "sql-first"},
                {"description": "Java.", "type": "string", "const": "jvm"}]}},
            "type": "object",
            "required": ["team"],
            "properties": {
                "team": {"$ref": "#/$defs/Team"},
                "platform": {"anyOf": [{"$ref": "#/$defs/Team"}, {"type": "null"}], "description": "Where."},
                "gb": {"type": ["number", "null"], "format": "double", "description": "Size."},
                "description": {"type": "string"}
            }
        });
        let out = Value::Object(compact_input(schema.as_object().unwrap()));
        assert_eq!(
            out,
            json!({
                "type": "object",
                "required": ["team"],
                "properties": {
                    "team": {"description": "Who.", "enum": ["sql-first", "jvm"]},
                    "platform": {"description": "Where.", "enum": ["sql-first", "jvm"]},
                    "gb": {"type": "number", "description": "Size."},
                    "description": {"type": "string"}
                }
            })
        );
    }

    #[test]
    fn output_schemas_keep_top_level_types() {
        let schema = json!({
            "type": "object",
            "required": ["a"],
            "properties": {
                "a": {"type": "array", "items": {"$ref": "#/$defs/X"}},
                "b": {"$ref": "#/$defs/X"},
                "c": {"$ref": "#/$defs/E"}
            },
            "$defs": {"X": {"type": "object", "properties": {"q": {"type": "string"}}}, "E": {"oneOf": [{"const": "x"}]}}
        });
        assert_eq!(
            Value::Object(shallow_output(schema.as_object().unwrap())),
            json!({"type": "object", "properties": {"a": {"type": "array"}, "b": {"type": "object"}, "c": {"type": "string"}}})
        );
    }
}
