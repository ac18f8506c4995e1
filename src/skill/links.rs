//! Resolving the links of a document to files of the skill.

use super::files::normalize_relative;

/// Where a link points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// A URL with a scheme (`https:`, `mailto:` …): not checked.
    External,
    /// An anchor in the same document.
    Anchor(String),
    /// A file of the skill, by path relative to the skill folder, with an optional anchor.
    File {
        /// The path relative to the skill folder.
        path: String,
        /// The `#fragment`, if any.
        anchor: Option<String>,
    },
    /// A path that leaves the skill folder or is absolute.
    Outside,
}

/// Resolves `destination`, written in the document at `from` (relative to the skill folder).
pub fn resolve(from: &str, destination: &str) -> LinkTarget {
    let destination = destination.trim();
    if let Some(anchor) = destination.strip_prefix('#') {
        return LinkTarget::Anchor(anchor.to_string());
    }
    let has_scheme = destination.split_once(':').is_some_and(|(scheme, _)| {
        scheme.len() > 1 && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if has_scheme || destination.starts_with("//") {
        return LinkTarget::External;
    }
    if destination.starts_with('/') {
        return LinkTarget::Outside;
    }
    let (path, anchor) = match destination.split_once('#') {
        Some((p, a)) => (p, Some(a.to_string())),
        None => (destination, None),
    };
    let path = path.split('?').next().unwrap_or_default();
    let base = from.rsplit_once('/').map_or("", |(dir, _)| dir);
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return LinkTarget::Outside;
                }
            }
            p => parts.push(p),
        }
    }
    match normalize_relative(&parts.join("/")) {
        Ok(path) => LinkTarget::File { path, anchor },
        Err(_) => LinkTarget::Outside,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_to_the_document() {
        assert_eq!(
            resolve("SKILL.md", "references/a.md"),
            LinkTarget::File {
                path: "references/a.md".into(),
                anchor: None
            }
        );
        assert_eq!(
            resolve("references/a.md", "../SKILL.md#x"),
            LinkTarget::File {
                path: "SKILL.md".into(),
                anchor: Some("x".into())
            }
        );
        assert_eq!(
            resolve("references/a.md", "b.md"),
            LinkTarget::File {
                path: "references/b.md".into(),
                anchor: None
            }
        );
    }

    #[test]
    fn classifies_the_rest() {
        assert_eq!(resolve("SKILL.md", "../shared/x.md"), LinkTarget::Outside);
        assert_eq!(resolve("SKILL.md", "/etc/passwd"), LinkTarget::Outside);
        assert_eq!(resolve("SKILL.md", "https://kafka.apache.org"), LinkTarget::External);
        assert_eq!(
            resolve("SKILL.md", "#when-to-use"),
            LinkTarget::Anchor("when-to-use".into())
        );
    }
}
