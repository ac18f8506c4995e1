//! The one walk over a skill folder, shared by the loader, live reload and `build.rs`: every
//! file under a folder, listed through a capability handle on the folder (`cap_std::fs::Dir`).
//! Every path is resolved by the handle, never by the ambient filesystem, so no lookup can leave
//! the folder: `..` past the top, absolute symlinks and symlinks out are refused by the handle at
//! the moment of the lookup, and a file swapped for such a symlink after the walk cannot be read
//! through it later either.
//!
//! Hidden entries and build folders (`target`, `node_modules`) are left out. Symlinks to files
//! inside the folder are listed under the link's own path; symlinks to folders are not walked (a
//! link back up the tree would loop); symlinks that lead outside are listed apart.

use std::path::Path;
use std::time::SystemTime;

use cap_std::fs::Dir;

/// Folders never walked.
pub const SKIPPED_DIRS: [&str; 2] = ["target", "node_modules"];

/// Why a walk stopped.
#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    /// The folder itself could not be opened or listed.
    #[error("cannot read the folder: {0}")]
    Root(#[source] std::io::Error),
    /// More files than allowed.
    #[error("more than {limit} files")]
    TooManyFiles {
        /// The limit.
        limit: usize,
    },
}

/// One file found by a walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkedFile {
    /// Path relative to the folder, with `/` separators.
    pub path: String,
    /// Size in bytes.
    pub len: u64,
    /// Last modification, where the platform records it.
    pub modified: Option<SystemTime>,
}

/// What a walk found, every list sorted by path.
#[derive(Debug, Default)]
pub struct Walk {
    /// The files, symlinks to files inside the folder included.
    pub files: Vec<WalkedFile>,
    /// The subfolders walked.
    pub folders: Vec<String>,
    /// Symlinks whose target is outside the folder: left out.
    pub outside_links: Vec<String>,
    /// Subfolders that could not be listed, with the reason: left out.
    pub unreadable: Vec<(String, std::io::Error)>,
}

/// Opens a folder as a handle that every later lookup stays inside.
pub fn open(folder: &Path) -> std::io::Result<Dir> {
    Dir::open_ambient_dir(folder, cap_std::ambient_authority())
}

/// Walks everything under `root`, stopping with an error past `max_files` files.
pub fn walk(root: &Dir, max_files: usize) -> Result<Walk, WalkError> {
    let mut out = Walk::default();
    let top = root.entries().map_err(WalkError::Root)?;
    let mut pending: Vec<(String, cap_std::fs::ReadDir)> = vec![(String::new(), top)];
    while let Some((prefix, listing)) = pending.pop() {
        let mut names: Vec<(String, cap_std::fs::FileType)> = listing
            .flatten()
            .filter_map(|entry| Some((entry.file_name().into_string().ok()?, entry.file_type().ok()?)))
            .filter(|(name, _)| !name.starts_with('.'))
            .collect();
        names.sort_by(|a, b| a.0.cmp(&b.0));
        for (name, kind) in names {
            let path = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}/{name}")
            };
            if kind.is_dir() {
                if SKIPPED_DIRS.contains(&name.as_str()) {
                    continue;
                }
                match root.read_dir(&path) {
                    Ok(listing) => {
                        out.folders.push(path.clone());
                        pending.push((path, listing));
                    }
                    Err(e) => out.unreadable.push((path, e)),
                }
                continue;
            }
            // `metadata` follows a symlink, through the handle: a target outside is refused.
            let meta = match root.metadata(&path) {
                Ok(meta) => meta,
                Err(e) if kind.is_symlink() && e.kind() != std::io::ErrorKind::NotFound => {
                    out.outside_links.push(path);
                    continue;
                }
                Err(_) => continue,
            };
            if !meta.is_file() {
                continue;
            }
            out.files.push(WalkedFile {
                path,
                len: meta.len(),
                modified: meta.modified().ok().map(cap_std::time::SystemTime::into_std),
            });
            if out.files.len() > max_files {
                return Err(WalkError::TooManyFiles { limit: max_files });
            }
        }
    }
    out.files.sort_by(|a, b| a.path.cmp(&b.path));
    out.folders.sort();
    out.outside_links.sort();
    out.unreadable.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(walk: &Walk) -> Vec<&str> {
        walk.files.iter().map(|f| f.path.as_str()).collect()
    }

    #[test]
    fn lists_files_in_path_order_and_skips_hidden_and_build_folders() {
        let dir = tempfile::tempdir().unwrap();
        for folder in ["a", "a-b", ".git", "target", "node_modules", "a/deep"] {
            std::fs::create_dir_all(dir.path().join(folder)).unwrap();
        }
        for file in [
            "SKILL.md",
            "a/x.md",
            "a-b/y.md",
            ".git/HEAD",
            "target/t",
            "node_modules/n",
            "a/deep/z.md",
            ".hidden",
        ] {
            std::fs::write(dir.path().join(file), file).unwrap();
        }
        let walk = walk(&open(dir.path()).unwrap(), 100).unwrap();
        assert_eq!(paths(&walk), ["SKILL.md", "a-b/y.md", "a/deep/z.md", "a/x.md"]);
        assert_eq!(walk.folders, ["a", "a-b", "a/deep"]);
        assert_eq!(walk.files[0].len, "SKILL.md".len() as u64);
        assert!(walk.outside_links.is_empty() && walk.unreadable.is_empty());
    }

    #[test]
    fn stops_past_the_file_limit() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..4 {
            std::fs::write(dir.path().join(format!("{i}.md")), "").unwrap();
        }
        let handle = open(dir.path()).unwrap();
        assert!(matches!(walk(&handle, 3), Err(WalkError::TooManyFiles { limit: 3 })));
        assert_eq!(walk(&handle, 4).unwrap().files.len(), 4);
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_followed_only_inside_the_folder() {
        use std::os::unix::fs::symlink;
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.md"), "secret").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("refs")).unwrap();
        std::fs::write(root.join("refs/real.md"), "real").unwrap();
        symlink("real.md", root.join("refs/alias.md")).unwrap();
        symlink(root.join("refs/real.md"), root.join("absolute.md")).unwrap();
        symlink(outside.path().join("secret.md"), root.join("leak.md")).unwrap();
        symlink("../../secret.md", root.join("refs/up.md")).unwrap();
        symlink(outside.path(), root.join("out")).unwrap();
        symlink("refs", root.join("loop")).unwrap();
        symlink("missing.md", root.join("dangling.md")).unwrap();
        let handle = open(root).unwrap();
        let walk = walk(&handle, 100).unwrap();
        assert_eq!(paths(&walk), ["refs/alias.md", "refs/real.md"]);
        // An absolute symlink is refused even when it names a file inside: the handle cannot
        // tell where the folder sits in the wider filesystem.
        assert_eq!(walk.outside_links, ["absolute.md", "leak.md", "out", "refs/up.md"]);
        assert!(handle.read("leak.md").is_err());
        assert!(handle.read("../secret.md").is_err());
    }
}
