//! MCP resources: every file of every skill (documents as `text/markdown`), each decision table
//! as JSON, and two templates per skill: one for sections, one for tables.

use rmcp::ErrorData as McpError;
use rmcp::model::{Resource, ResourceContents, ResourceTemplate};

use crate::library::SkillLibrary;
use crate::skill::uri::{self, SkillUri};
use crate::skill::{Skill, SkillError};
use crate::tables;

/// The MIME type of a skill file, by extension.
pub fn mime_type(path: &str) -> &'static str {
    match path
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .as_deref()
    {
        Some("md") => "text/markdown",
        Some("yaml" | "yml") => "application/yaml",
        Some("json") => "application/json",
        Some("py") => "text/x-python",
        Some("sh") => "text/x-shellscript",
        _ => "text/plain",
    }
}

/// Every resource of every skill.
pub fn list(library: &SkillLibrary) -> Vec<Resource> {
    let mut out = Vec::new();
    for skill in library.skills() {
        out.extend(skill_resources(skill));
    }
    out
}

fn skill_resources(skill: &Skill) -> Vec<Resource> {
    let name = skill.name();
    let mut out = Vec::new();
    let documents: Vec<(String, String)> = skill
        .document_names()
        .map(|(n, p)| (n.to_string(), p.to_string()))
        .collect();
    for path in skill.file_paths() {
        let size = skill.files().read(path).map(|b| b.len() as u64).unwrap_or(0);
        let mut resource = Resource::new(uri::file_uri(name, path), path.clone())
            .with_mime_type(mime_type(path))
            .with_size(size);
        if let Some((doc_name, _)) = documents.iter().find(|(_, p)| p == path)
            && let Ok(doc) = skill.document(doc_name)
        {
            resource = resource
                .with_title(format!("{} ({name})", doc.title))
                .with_description(doc.description.clone());
        }
        out.push(resource);
    }
    for table in tables::skill_tables(skill).unwrap_or_default() {
        out.push(
            Resource::new(uri::table_uri(name, &table.id), format!("table: {}", table.id))
                .with_title(format!("Decision table: {}", table.title))
                .with_description(table.description.clone())
                .with_mime_type("application/json"),
        );
    }
    out
}

/// The resource templates of every skill.
pub fn templates(library: &SkillLibrary) -> Vec<ResourceTemplate> {
    let mut out = Vec::new();
    for skill in library.skills() {
        let name = skill.name();
        out.push(
            ResourceTemplate::new(format!("{}{name}/sections/{{document}}/{{section}}", uri::SCHEME), format!("{name}-section"))
                .with_title(format!("Section of a document of {name}"))
                .with_description("One section (with its subsections) of a document, as markdown. document: a name from list_references; section: a slug.")
                .with_mime_type("text/markdown"),
        );
        out.push(
            ResourceTemplate::new(
                format!("{}{name}/tables/{{table}}", uri::SCHEME),
                format!("{name}-table"),
            )
            .with_title(format!("Decision table of {name}"))
            .with_description("A decision table of SKILL.md as JSON: id, title, columns and rows keyed by column.")
            .with_mime_type("application/json"),
        );
    }
    out
}

/// Reads a resource by URI. Anything that names nothing is `resource_not_found`.
pub fn read(library: &SkillLibrary, uri: &str) -> Result<ResourceContents, McpError> {
    let not_found = |why: String| {
        McpError::resource_not_found(
            why,
            Some(serde_json::json!({ "uri": crate::skill::files::display_name(uri) })),
        )
    };
    let parsed = SkillUri::parse(uri).ok_or_else(|| {
        not_found(format!(
            "not a skill:// URI: {}",
            crate::skill::files::display_name(uri)
        ))
    })?;
    let skill = library
        .skill(Some(parsed.skill()))
        .map_err(|e| not_found(e.to_string()))?;
    let (text, mime) = match &parsed {
        SkillUri::File { path, .. } => {
            if !skill.file_paths().iter().any(|p| p == path) {
                return Err(not_found(format!(
                    "no file {:?} in skill {}",
                    crate::skill::files::display_name(path),
                    skill.name()
                )));
            }
            let bytes = skill.files().read(path).map_err(|e| not_found(e.to_string()))?;
            let text = String::from_utf8(bytes)
                .map_err(|_| not_found(SkillError::FileNotFound { path: path.clone() }.to_string()))?;
            (text, mime_type(path))
        }
        SkillUri::Section { document, section, .. } => {
            let doc = skill.document(document).map_err(|e| not_found(e.to_string()))?;
            let (index, _) = doc.find_section(section).map_err(|e| not_found(e.to_string()))?;
            (doc.section_markdown(index).to_string(), "text/markdown")
        }
        SkillUri::Table { table, .. } => {
            let table = library
                .table(Some(skill.name()), table)
                .map_err(|e| not_found(e.to_string()))?;
            let rows: Vec<_> = table.rows.iter().map(|r| table.row_object(r)).collect();
            let json = serde_json::json!({"table": table.id, "title": table.title, "description": table.description, "columns": table.columns, "rows": rows});
            (
                serde_json::to_string_pretty(&json).unwrap_or_default(),
                "application/json",
            )
        }
    };
    Ok(ResourceContents::TextResourceContents {
        uri: uri.to_string(),
        mime_type: Some(mime.to_string()),
        text,
        meta: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn library() -> SkillLibrary {
        SkillLibrary::new(vec![Arc::new(Skill::embedded().unwrap())])
    }

    #[test]
    fn lists_documents_with_titles_and_tables() {
        let resources = list(&library());
        let skill_md = resources
            .iter()
            .find(|r| r.uri == "skill://streaming-data-skill/SKILL.md")
            .unwrap();
        assert_eq!(skill_md.mime_type.as_deref(), Some("text/markdown"));
        assert!(skill_md.title.as_deref().unwrap().starts_with("Streaming Data Skill"));
        assert!(skill_md.size.unwrap() > 1000);
        assert!(
            resources
                .iter()
                .any(|r| r.uri == "skill://streaming-data-skill/skill/security-compliance-patterns.md")
        );
        assert!(
            resources
                .iter()
                .any(|r| r.uri == "skill://streaming-data-skill/tables/windowing-patterns")
        );
    }

    #[test]
    fn reads_each_kind_and_refuses_the_rest() {
        let lib = library();
        let text = |r: ResourceContents| match r {
            ResourceContents::TextResourceContents { text, .. } => text,
            _ => String::new(),
        };
        assert!(
            text(read(&lib, "skill://streaming-data-skill/SKILL.md").unwrap())
                .starts_with("---\nname: streaming-data-skill")
        );
        assert!(
            text(
                read(
                    &lib,
                    "skill://streaming-data-skill/sections/SKILL.md/windowing-patterns"
                )
                .unwrap()
            )
            .starts_with("## Windowing Patterns")
        );
        assert!(
            text(read(&lib, "skill://streaming-data-skill/tables/monitoring-thresholds").unwrap())
                .contains("\"Consumer Lag\"")
        );
        for bad in [
            "skill://streaming-data-skill/../Cargo.toml",
            "skill://streaming-data-skill/%2e%2e/Cargo.toml",
            "skill://other/SKILL.md",
            "file:///etc/passwd",
            "skill://streaming-data-skill/references/nope.md",
            "skill://streaming-data-skill/sections/SKILL.md/nope",
        ] {
            let err = read(&lib, bad).unwrap_err();
            assert_eq!(err.code, rmcp::model::ErrorCode::RESOURCE_NOT_FOUND, "{bad}");
            assert!(!err.message.contains("/work"), "{}", err.message);
        }
    }
}
