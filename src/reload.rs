//! Live reload for `serve --watch`: polls the watched folders, and when their files change and
//! then hold still for one more poll, loads a fresh snapshot of every skill, validates it, and
//! swaps the whole library in at once. Sessions then get `notifications/resources/list_changed`.
//! A reload that fails keeps the library being served and logs why.
//!
//! Polling (every [`POLL_INTERVAL`]) needs no platform file-event API, works the same on every
//! filesystem (network mounts and containers included), and costs one `stat` per file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::cli::SkillSources;
use crate::mcp::LiveLibrary;

/// How often the folders are checked.
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// Path, size and modification time of every file under some folders.
pub type Fingerprint = BTreeMap<PathBuf, (u64, Option<SystemTime>)>;

/// The fingerprint of `folders` now. Hidden entries and build folders are left out, as the
/// skill loader leaves them out.
pub fn fingerprint(folders: &[PathBuf]) -> Fingerprint {
    let mut out = Fingerprint::new();
    for folder in folders {
        collect(folder, 0, &mut out);
    }
    out
}

fn collect(dir: &Path, depth: usize, out: &mut Fingerprint) {
    if depth > 16 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name == "target" || name == "node_modules" {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        if meta.is_dir() {
            collect(&entry.path(), depth + 1, out);
        } else {
            out.insert(entry.path(), (meta.len(), meta.modified().ok()));
        }
    }
}

/// Watches `folders` until the task is dropped, reloading `live` from `sources` on change.
pub async fn watch(live: Arc<LiveLibrary>, sources: SkillSources, folders: Vec<PathBuf>) {
    let scan = |folders: Vec<PathBuf>| async move {
        tokio::task::spawn_blocking(move || fingerprint(&folders))
            .await
            .unwrap_or_default()
    };
    let mut seen = scan(folders.clone()).await;
    let mut pending: Option<Fingerprint> = None;
    loop {
        tokio::time::sleep(POLL_INTERVAL).await;
        let now = scan(folders.clone()).await;
        match pending.take() {
            // Changed, then still for one poll: reload.
            Some(previous) if previous == now => {
                let sources = sources.clone();
                let previous = live.get();
                match tokio::task::spawn_blocking(move || sources.reload(Some(&previous))).await {
                    Ok(Ok(library)) => {
                        let names: Vec<String> = library.skills().iter().map(|s| s.name().to_string()).collect();
                        // Build the new index before the swap, so no request waits on it.
                        let library = tokio::task::spawn_blocking(move || {
                            let _ = library.index();
                            library
                        })
                        .await;
                        match library {
                            Ok(library) => {
                                live.replace(library);
                                tracing::info!(skills = %names.join(", "), "skills reloaded");
                            }
                            Err(e) => tracing::warn!("reload failed while indexing: {e}"),
                        }
                    }
                    Ok(Err(e)) => tracing::warn!("reload failed; still serving the previous skills: {e:#}"),
                    Err(e) => tracing::warn!("reload failed: {e}"),
                }
                seen = now;
            }
            Some(_) => pending = Some(now),
            None if now != seen => pending = Some(now),
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_see_edits_and_skip_hidden_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("SKILL.md"), "a").unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        std::fs::write(dir.path().join(".git").join("HEAD"), "x").unwrap();
        let before = fingerprint(&[dir.path().to_path_buf()]);
        assert_eq!(before.len(), 1);
        std::fs::write(dir.path().join("SKILL.md"), "ab").unwrap();
        assert_ne!(before, fingerprint(&[dir.path().to_path_buf()]));
    }
}
