//! The library being served, and live reload for `serve --watch`.
//!
//! [`LiveLibrary`] holds the library that requests read; a reload swaps in a whole new one.
//! [`watch`] polls the watched folders, and when their files change and then hold still for one
//! more poll, loads a fresh snapshot of every skill, validates it, and swaps the whole library in
//! at once; sessions then get `notifications/resources/list_changed`. A reload that fails keeps
//! the library being served and logs why.
//!
//! Polling (every [`POLL_INTERVAL`]) needs no platform file-event API, works the same on every
//! filesystem (network mounts and containers included), and costs one `stat` per file.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::{SkillLibrary, SkillSources};
use crate::skill::walk::{self, WalkError};

/// The library being served, which a reload can replace while sessions run. Each request
/// reads the current library once and uses it to the end, so a swap is atomic per request.
#[derive(Debug)]
pub struct LiveLibrary {
    current: std::sync::RwLock<Arc<SkillLibrary>>,
    changes: tokio::sync::watch::Sender<u64>,
}

impl LiveLibrary {
    /// Serves `library` until it is replaced.
    pub fn new(library: Arc<SkillLibrary>) -> Arc<Self> {
        Arc::new(Self {
            current: std::sync::RwLock::new(library),
            changes: tokio::sync::watch::channel(0).0,
        })
    }

    /// The library now.
    pub fn get(&self) -> Arc<SkillLibrary> {
        self.current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Replaces the library and tells every session (which sends `resources/list_changed`).
    pub fn replace(&self, library: SkillLibrary) {
        *self.current.write().unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(library);
        self.changes.send_modify(|generation| *generation += 1);
    }

    /// Changes from now on.
    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<u64> {
        self.changes.subscribe()
    }
}

/// How often the folders are checked.
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// Path, size and modification time of every file under some folders.
pub type Fingerprint = BTreeMap<PathBuf, (u64, Option<SystemTime>)>;

/// The fingerprint of `folders` now, walked as the skill loader walks a skill folder (hidden
/// entries and build folders left out, symlinks followed only inside). A folder that cannot be
/// read adds nothing; a subfolder that cannot be read is recorded as such, so a change in what
/// can be read is a change too.
pub fn fingerprint(folders: &[PathBuf]) -> Fingerprint {
    let mut out = Fingerprint::new();
    for folder in folders {
        let Ok(found) = walk::open(folder)
            .map_err(WalkError::Root)
            .and_then(|d| walk::walk(&d, usize::MAX))
        else {
            continue;
        };
        for file in found.files {
            out.insert(folder.join(&file.path), (file.len, file.modified));
        }
        for (path, _) in found.unreadable {
            out.insert(folder.join(path), (0, None));
        }
    }
    out
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
                    Ok(Err(e)) => {
                        tracing::warn!("reload failed; still serving the previous skills: {}", with_causes(&e))
                    }
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

/// An error and each of its causes, as `error: cause: cause`.
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(e) = cause {
        text.push_str(": ");
        text.push_str(&e.to_string());
        cause = e.source();
    }
    text
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

    #[test]
    fn a_failed_reload_is_logged_with_its_causes() {
        let missing = std::env::temp_dir().join("streaming-skill-no-such-folder");
        let sources = SkillSources {
            skill_dir: Some(missing.clone()),
            ..SkillSources::default()
        };
        let text = with_causes(&sources.load().unwrap_err());
        assert!(
            text.starts_with(&format!("cannot load the skill in {}: ", missing.display())),
            "{text}"
        );
    }
}
