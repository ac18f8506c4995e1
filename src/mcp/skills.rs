//! The MCP skills extension (`io.modelcontextprotocol/skills`, SEP-2640): `skills/list`,
//! `skills/get` and `resources/directory/read` over the loaded skills. A manifest lists every
//! file with the sha256 digest and size of the bytes `resources/read` returns; both come from
//! the skill's snapshot, so they agree until a deliberate reload.

use rmcp::ErrorData as McpError;
use rmcp::model::{
    DIRECTORY_MIME_TYPE, GetSkillResult, ListResourcesResult, ListSkillsResult, Resource, Skill as SkillEntry,
    SkillFrontmatter, SkillResource, SkillResources,
};

use crate::library::SkillLibrary;
use crate::skill::{SKILL_MD, Skill, frontmatter, uri};

/// The most files a skill may hold to be listed (the extension's limit).
pub const MAX_SKILL_FILES: usize = 512;
/// The most bytes a skill may hold to be listed (16 MiB, the extension's limit).
pub const MAX_SKILL_BYTES: u64 = 16 * 1024 * 1024;
/// Skills per `skills/list` page.
pub const PAGE_SIZE: usize = 50;

/// The URI of a skill's `SKILL.md`, which names the skill in the extension.
pub fn skill_uri(skill: &Skill) -> String {
    uri::file_uri(skill.name(), SKILL_MD)
}

/// A skill's manifest, or why it cannot be served through the extension.
pub fn manifest(skill: &Skill) -> Result<SkillEntry, String> {
    let entries = skill.files().entries();
    if entries.len() > MAX_SKILL_FILES {
        return Err(format!(
            "{} has {} files; the limit is {MAX_SKILL_FILES}",
            skill.name(),
            entries.len()
        ));
    }
    let total: u64 = entries.iter().map(|(_, b)| b.len() as u64).sum();
    if total > MAX_SKILL_BYTES {
        return Err(format!(
            "{} holds {total} bytes; the limit is {MAX_SKILL_BYTES}",
            skill.name()
        ));
    }
    let resources = entries
        .iter()
        .map(|(path, bytes)| SkillResource::from_bytes(uri::file_uri(skill.name(), path), bytes))
        .collect();
    Ok(SkillEntry::new(
        skill_uri(skill),
        frontmatter_json(skill)?,
        SkillResources::Files(resources),
    ))
}

/// The front matter exactly as written, as JSON.
fn frontmatter_json(skill: &Skill) -> Result<SkillFrontmatter, String> {
    let source = &skill.skill_md().source;
    let (yaml, _) = frontmatter::split(source).map_err(|e| e.message)?;
    let value: serde_json::Value = serde_saphyr::from_str(yaml).map_err(|e| e.to_string())?;
    let serde_json::Value::Object(map) = value else {
        return Err("the front matter is not a mapping".into());
    };
    let text = |key: &str| map.get(key).and_then(|v| v.as_str()).unwrap_or_default().to_string();
    let mut out = SkillFrontmatter::new(text("name"), text("description"));
    for (key, value) in map {
        if key != "name" && key != "description" {
            out = out.with_field(key, value);
        }
    }
    Ok(out)
}

/// One page of `skills/list`. The cursor is the index of the page's first skill.
pub fn list(library: &SkillLibrary, cursor: Option<&str>) -> Result<ListSkillsResult, McpError> {
    let start = match cursor {
        None => 0,
        Some(c) => c.parse::<usize>().map_err(|_| {
            McpError::invalid_params(
                format!("invalid cursor {:?}", crate::skill::files::display_name(c)),
                None,
            )
        })?,
    };
    let servable: Vec<SkillEntry> = library
        .skills()
        .iter()
        .filter_map(|skill| match manifest(skill) {
            Ok(entry) => Some(entry),
            Err(reason) => {
                tracing::warn!("not listing skill {}: {reason}", skill.name());
                None
            }
        })
        .collect();
    if start > servable.len() {
        return Err(McpError::invalid_params(
            format!("cursor {start} is past the end"),
            None,
        ));
    }
    let end = (start + PAGE_SIZE).min(servable.len());
    let mut result = ListSkillsResult::with_all_items(servable[start..end].to_vec());
    if end < servable.len() {
        result.next_cursor = Some(end.to_string());
    }
    Ok(result)
}

/// `skills/get`: the manifest of the skill whose `SKILL.md` is at `uri`; `-32602` otherwise.
pub fn get(library: &SkillLibrary, requested: &str) -> Result<GetSkillResult, McpError> {
    let skill = library
        .skills()
        .iter()
        .find(|s| skill_uri(s) == requested)
        .ok_or_else(|| unknown(requested, "no skill here has that SKILL.md URI"))?;
    let entry = manifest(skill).map_err(|reason| unknown(requested, &reason))?;
    Ok(GetSkillResult::new(entry))
}

/// `resources/directory/read`: the direct children of a folder of a skill (`skill://name/` or
/// `skill://name/references/`); `-32602` for anything that is not such a folder.
pub fn read_directory(
    library: &SkillLibrary,
    requested: &str,
    cursor: Option<&str>,
) -> Result<ListResourcesResult, McpError> {
    if cursor.is_some() {
        return Err(McpError::invalid_params(
            "this directory listing has a single page; no cursor applies",
            None,
        ));
    }
    let (name, folder) = uri::parse_folder(requested).ok_or_else(|| unknown(requested, "not a skill:// URI"))?;
    let name = name.as_str();
    let skill = library
        .skills()
        .iter()
        .find(|s| s.name() == name)
        .ok_or_else(|| unknown(requested, "no skill has that name"))?;
    let folder = folder.trim_end_matches('/');
    let prefix = if folder.is_empty() {
        String::new()
    } else {
        format!("{folder}/")
    };
    let mut children: Vec<Resource> = Vec::new();
    let mut folders: Vec<String> = Vec::new();
    let mut found = folder.is_empty();
    for (path, bytes) in skill.files().entries() {
        let Some(relative) = path.strip_prefix(&prefix) else {
            continue;
        };
        found = true;
        match relative.split_once('/') {
            None => children.push(
                Resource::new(uri::file_uri(name, path), relative.to_string())
                    .with_mime_type(super::resources::mime_type(path))
                    .with_size(bytes.len() as u64),
            ),
            Some((sub, _)) if !folders.iter().any(|f| f == sub) => folders.push(sub.to_string()),
            Some(_) => {}
        }
    }
    if !found || skill.files().entries().iter().any(|(p, _)| *p == folder) {
        return Err(unknown(requested, "not a folder of the skill"));
    }
    let mut out: Vec<Resource> = folders
        .into_iter()
        .map(|sub| {
            Resource::new(uri::file_uri(name, &format!("{prefix}{sub}/")), sub).with_mime_type(DIRECTORY_MIME_TYPE)
        })
        .collect();
    out.extend(children);
    Ok(ListResourcesResult::with_all_items(out))
}

fn unknown(requested: &str, why: &str) -> McpError {
    McpError::invalid_params(
        format!("{}: {why}", crate::skill::files::display_name(requested)),
        Some(serde_json::json!({ "uri": crate::skill::files::display_name(requested) })),
    )
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn library() -> SkillLibrary {
        SkillLibrary::new(vec![Arc::new(Skill::embedded().unwrap())])
    }

    #[test]
    fn the_embedded_manifest_verifies() {
        let lib = library();
        let listed = list(&lib, None).unwrap();
        assert_eq!(listed.skills.len(), 1);
        let entry = &listed.skills[0];
        assert_eq!(entry.uri, "skill://streaming-data-skill/SKILL.md");
        assert_eq!(entry.frontmatter.name, "streaming-data-skill");
        assert_eq!(entry.frontmatter.extra["metadata"]["version"], "1.0.0");
        let SkillResources::Files(files) = &entry.resources else {
            panic!("files")
        };
        assert!(files.iter().any(|f| f.uri == "skill://streaming-data-skill/SKILL.md"));
        let skill = lib.primary();
        for file in files {
            let path = file.uri.strip_prefix("skill://streaming-data-skill/").unwrap();
            file.verify(&skill.files().read(path).unwrap()).unwrap();
        }
        entry.validate().unwrap();
    }

    #[test]
    fn skills_list_pages_through_every_skill() {
        let root = tempfile::tempdir().unwrap();
        let mut skills = vec![Arc::new(Skill::embedded().unwrap())];
        for i in 0..PAGE_SIZE + 10 {
            let dir = root.path().join(format!("s-{i:03}"));
            std::fs::create_dir(&dir).unwrap();
            std::fs::write(
                dir.join("SKILL.md"),
                format!("---\nname: s-{i:03}\ndescription: Skill {i}.\n---\n\n# S\n\nText.\n"),
            )
            .unwrap();
            skills.push(Arc::new(Skill::from_dir(&dir).unwrap()));
        }
        let lib = SkillLibrary::new(skills);
        let first = list(&lib, None).unwrap();
        assert_eq!(first.skills.len(), PAGE_SIZE);
        let cursor = first.next_cursor.clone().expect("a second page");
        let second = list(&lib, Some(&cursor)).unwrap();
        assert_eq!(second.skills.len(), 11);
        assert!(second.next_cursor.is_none());
        assert_eq!(
            second.skills.last().unwrap().frontmatter.name,
            format!("s-{:03}", PAGE_SIZE + 9)
        );
        assert_eq!(list(&lib, Some("999")).unwrap_err().code.0, -32602);
    }

    #[test]
    fn get_and_directory_errors_are_invalid_params() {
        let lib = library();
        assert!(get(&lib, "skill://streaming-data-skill/SKILL.md").is_ok());
        let err = get(&lib, "skill://other/SKILL.md").unwrap_err();
        assert_eq!(err.code.0, -32602);
        let root = read_directory(&lib, "skill://streaming-data-skill/", None).unwrap();
        let names: Vec<_> = root.resources.iter().map(|r| r.name.as_str()).collect();
        assert!(
            names.contains(&"references") && names.contains(&"SKILL.md"),
            "{names:?}"
        );
        let refs = read_directory(&lib, "skill://streaming-data-skill/references", None).unwrap();
        let reference_files = lib
            .primary()
            .file_paths()
            .iter()
            .filter(|p| p.starts_with("references/"))
            .count();
        assert!(reference_files >= 4);
        assert_eq!(refs.resources.len(), reference_files);
        assert_eq!(
            read_directory(&lib, "skill://streaming-data-skill/SKILL.md", None)
                .unwrap_err()
                .code
                .0,
            -32602
        );
        assert_eq!(
            read_directory(&lib, "skill://streaming-data-skill/nope", None)
                .unwrap_err()
                .code
                .0,
            -32602
        );
        assert_eq!(list(&lib, Some("x")).unwrap_err().code.0, -32602);
    }
}
