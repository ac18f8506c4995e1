//! Where a skill's bytes come from: the copy embedded in the binary, or a snapshot of a folder
//! on disk, taken once when the skill loads. Taking the folder's files at once (never leaving it:
//! no `..`, no absolute paths, no symlink out of the folder) means every later read returns the
//! same bytes, so digests handed to a client stay true while the folder changes; a reload takes
//! a new snapshot deliberately.

use std::path::{Path, PathBuf};

use super::error::SkillError;
use super::walk::{self, WalkError};

/// One file of the embedded skill.
#[derive(Debug)]
pub struct EmbeddedFile {
    /// Path relative to the skill folder, with `/` separators.
    pub path: &'static str,
    /// The file's bytes.
    pub bytes: &'static [u8],
}

include!(concat!(env!("OUT_DIR"), "/embedded_skill.rs"));

/// The most files a skill folder may hold before listing stops with an error.
pub const MAX_LISTED_FILES: usize = 10_000;

/// The most bytes a folder snapshot may hold.
pub const MAX_SNAPSHOT_BYTES: usize = 256 * 1024 * 1024;

/// The store a skill's files are read from.
#[derive(Debug, Clone)]
pub enum SkillFiles {
    /// Files compiled into the binary.
    Embedded(&'static [EmbeddedFile]),
    /// A snapshot of a folder on disk.
    Directory {
        /// The canonical path of the folder.
        root: PathBuf,
        /// Every file, by relative path, sorted, with its bytes as they were when loaded.
        snapshot: std::sync::Arc<Vec<(String, std::sync::Arc<[u8]>)>>,
        /// Symlinks whose target is outside the folder, by relative path: left out.
        outside_links: std::sync::Arc<Vec<String>>,
    },
}

impl SkillFiles {
    /// The embedded streaming-data skill.
    pub fn embedded() -> Self {
        Self::Embedded(EMBEDDED_FILES)
    }

    /// A skill folder on disk: like [`SkillFiles::directory`], but a folder without a
    /// `SKILL.md` fails before any of it is read.
    pub fn directory_of_skill(dir: &Path) -> Result<Self, SkillError> {
        if dir.is_dir() && !dir.join(super::SKILL_MD).is_file() {
            return Err(SkillError::FileNotFound {
                path: super::SKILL_MD.into(),
            });
        }
        Self::directory(dir)
    }

    /// A folder on disk. Fails if it does not exist or is not a folder.
    pub fn directory(dir: &Path) -> Result<Self, SkillError> {
        let root = dir.canonicalize().map_err(|e| SkillError::Io {
            path: dir.display().to_string(),
            message: e.to_string(),
        })?;
        if !root.is_dir() {
            return Err(SkillError::Io {
                path: dir.display().to_string(),
                message: "not a folder".into(),
            });
        }
        let handle = walk::open(&root).map_err(|e| SkillError::Io {
            path: dir.display().to_string(),
            message: io_reason(&e),
        })?;
        let found = walk::walk(&handle, MAX_LISTED_FILES).map_err(|e| match e {
            WalkError::TooManyFiles { limit } => SkillError::TooManyFiles { limit },
            WalkError::Root(e) => SkillError::Io {
                path: dir.display().to_string(),
                message: io_reason(&e),
            },
        })?;
        if let Some((path, e)) = found.unreadable.first() {
            return Err(SkillError::Io {
                path: path.clone(),
                message: io_reason(e),
            });
        }
        let mut snapshot = Vec::with_capacity(found.files.len());
        let mut total = 0usize;
        for file in found.files {
            // Read through the handle: a file swapped for a symlink out since the walk is refused.
            let bytes = read_inside(&handle, &file.path)?;
            total += bytes.len();
            if total > MAX_SNAPSHOT_BYTES {
                return Err(SkillError::Io {
                    path: dir.display().to_string(),
                    message: format!("the folder holds more than {} MiB", MAX_SNAPSHOT_BYTES >> 20),
                });
            }
            snapshot.push((file.path, std::sync::Arc::from(bytes)));
        }
        Ok(Self::Directory {
            root,
            snapshot: std::sync::Arc::new(snapshot),
            outside_links: std::sync::Arc::new(found.outside_links),
        })
    }

    /// Every file with its bytes, in path order.
    pub fn entries(&self) -> Vec<(&str, &[u8])> {
        match self {
            Self::Embedded(files) => files.iter().map(|f| (f.path, f.bytes)).collect(),
            Self::Directory { snapshot, .. } => snapshot.iter().map(|(p, b)| (p.as_str(), &b[..])).collect(),
        }
    }

    /// Every file of the skill, as relative paths with `/` separators, sorted. Hidden entries,
    /// build folders and symlinks that leave the folder are left out.
    pub fn list(&self) -> Result<Vec<String>, SkillError> {
        match self {
            Self::Embedded(files) => Ok(files.iter().map(|f| f.path.to_string()).collect()),
            Self::Directory { snapshot, .. } => Ok(snapshot.iter().map(|(p, _)| p.clone()).collect()),
        }
    }

    /// Reads one file, given its path relative to the skill folder. The path is checked before
    /// anything is touched, and symlinks are followed only while they stay inside the folder.
    pub fn read(&self, relative: &str) -> Result<Vec<u8>, SkillError> {
        let relative = normalize_relative(relative)?;
        match self {
            Self::Embedded(files) => files
                .iter()
                .find(|f| f.path == relative)
                .map(|f| f.bytes.to_vec())
                .ok_or(SkillError::FileNotFound { path: relative }),
            Self::Directory { snapshot, .. } => snapshot
                .binary_search_by(|(p, _)| p.as_str().cmp(&relative))
                .map(|i| snapshot[i].1.to_vec())
                .map_err(|_| SkillError::FileNotFound { path: relative }),
        }
    }

    /// Whether a file exists at this relative path (inside the folder).
    pub fn exists(&self, relative: &str) -> bool {
        let Ok(relative) = normalize_relative(relative) else {
            return false;
        };
        match self {
            Self::Embedded(files) => files
                .iter()
                .any(|f| f.path == relative || f.path.starts_with(&format!("{relative}/"))),
            Self::Directory { snapshot, .. } => snapshot
                .iter()
                .any(|(p, _)| *p == relative || p.starts_with(&format!("{relative}/"))),
        }
    }

    /// The folder on disk, if the skill is served from one.
    pub fn root(&self) -> Option<&Path> {
        match self {
            Self::Embedded(_) => None,
            Self::Directory { root, .. } => Some(root),
        }
    }

    /// The symlinks of a folder whose target is outside it, by relative path: they were left
    /// out of the skill. Empty for the embedded skill.
    pub fn outside_links(&self) -> &[String] {
        match self {
            Self::Embedded(_) => &[],
            Self::Directory { outside_links, .. } => outside_links,
        }
    }
}

/// Checks a path relative to a skill folder and returns it in canonical `a/b/c` form: no empty
/// path, no NUL, no absolute or drive path, no backslash, no `..`; `.` segments are dropped.
pub fn normalize_relative(path: &str) -> Result<String, SkillError> {
    let unsafe_path = |reason: &str| SkillError::UnsafePath {
        requested: display_name(path),
        reason: reason.to_string(),
    };
    if path.is_empty() {
        return Err(unsafe_path("the path is empty"));
    }
    if path.contains('\0') {
        return Err(unsafe_path("the path contains a NUL byte"));
    }
    if path.starts_with('/') || path.contains('\\') || path.as_bytes().get(1) == Some(&b':') {
        return Err(unsafe_path("only paths relative to the skill folder are allowed"));
    }
    let mut parts = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err(unsafe_path("`..` would leave the skill folder")),
            p => parts.push(p),
        }
    }
    if parts.is_empty() {
        return Err(unsafe_path("the path names no file"));
    }
    Ok(parts.join("/"))
}

/// A requested name made safe to echo in an error: at most 80 characters, control characters
/// replaced.
pub fn display_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .take(80)
        .collect();
    if name.chars().count() > 80 {
        format!("{cleaned}…")
    } else {
        cleaned
    }
}

fn read_inside(handle: &cap_std::fs::Dir, relative: &str) -> Result<Vec<u8>, SkillError> {
    handle.read(relative).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => SkillError::FileNotFound {
            path: relative.to_string(),
        },
        std::io::ErrorKind::PermissionDenied if handle.symlink_metadata(relative).is_ok_and(|m| m.is_symlink()) => {
            SkillError::UnsafePath {
                requested: relative.to_string(),
                reason: "it resolves outside the skill folder".into(),
            }
        }
        _ => SkillError::Io {
            path: relative.to_string(),
            message: io_reason(&e),
        },
    })
}

fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::InvalidData => "not valid UTF-8 text".into(),
        _ => error.kind().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_safe_paths() {
        assert_eq!(normalize_relative("./references//a.md").unwrap(), "references/a.md");
    }

    #[test]
    fn rejects_unsafe_paths() {
        for bad in ["", "/etc/passwd", "../x", "a/../../x", "a\\b", "C:/x", "a\0b", "."] {
            assert!(
                matches!(normalize_relative(bad), Err(SkillError::UnsafePath { .. })),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn embedded_skill_has_its_skill_md() {
        let files = SkillFiles::embedded();
        assert!(files.list().unwrap().iter().any(|p| p == "SKILL.md"));
        assert!(files.read("SKILL.md").unwrap().starts_with(b"---"));
        assert!(matches!(
            files.read("../Cargo.toml"),
            Err(SkillError::UnsafePath { .. })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn directory_reads_never_leave_the_folder() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("SKILL.md"), "---\nname: x\n---\n").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), dir.path().join("leak.md")).unwrap();
        let files = SkillFiles::directory(dir.path()).unwrap();
        assert_eq!(files.list().unwrap(), ["SKILL.md"]);
        // The snapshot never took the file, so it is simply not there.
        let err = files.read("leak.md").unwrap_err();
        assert!(matches!(err, SkillError::FileNotFound { .. }), "{err}");
        assert!(!err.to_string().contains(&outside.path().display().to_string()));
        assert!(matches!(files.read("missing.md"), Err(SkillError::FileNotFound { .. })));
    }

    #[cfg(unix)]
    #[test]
    fn a_file_swapped_for_a_symlink_out_after_the_walk_is_refused() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "a").unwrap();
        let handle = walk::open(dir.path()).unwrap();
        assert_eq!(read_inside(&handle, "a.md").unwrap(), b"a");
        std::fs::remove_file(dir.path().join("a.md")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), dir.path().join("a.md")).unwrap();
        let err = read_inside(&handle, "a.md").unwrap_err();
        assert!(matches!(err, SkillError::UnsafePath { .. }), "{err}");
    }
}
