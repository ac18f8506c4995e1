//! Where an index comes from: the embedded skill's is compiled in; skills served from folders get
//! an index kept on disk, in one folder per snapshot, so a second process over the same files
//! opens it (memory-mapped) instead of building it.
//!
//! - The folder's name is a digest of every loaded file (path and bytes), of the skills' names,
//!   of [`INDEX_VERSION`] and of tantivy's version: a changed file, analyzer or schema is a new
//!   folder, never a stale index. The digest is XXH3-128: any change to any byte changes it
//!   (two different snapshots share a key with odds of about 2^-128, as for a SHA-256 cut to the
//!   same 128 bits), and it reads the bytes many times faster than SHA-256, which took a third
//!   of a later process's time over a 40 MB corpus. It is not meant to withstand someone who
//!   crafts files to collide; such a person could write to the cache folder anyway.
//! - An index is written to a temporary folder and renamed into place in one step. Two processes
//!   that build the same index at once each write their own temporary folder; the second rename
//!   fails, and that process opens the first one's. A process killed while writing leaves only a
//!   temporary folder, which is never opened and is removed later.
//! - Before an index is served, its catalog's CRC-32 and tantivy's own per-file checksums are
//!   checked and its documents are compared with the loaded skills; a folder that fails is logged,
//!   removed and built again.
//! - At most [`MAX_CACHED_INDEXES`] indexes are kept; the least recently opened go first.
//! - The cache folder is created readable by its owner only. A cache path that is a symlink, not a
//!   folder, or not writable is not used: the index is built in RAM, with a warning.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use tantivy::directory::MmapDirectory;
use tantivy::{Directory, Index};
use xxhash_rust::xxh3::Xxh3;

use super::catalog::{CATALOG_FILE, Catalog};
use super::schema::{self, INDEX_VERSION};
use super::{IndexOrigin, SearchError, SearchIndex, catalog_matches};
use crate::skill::Skill;

/// The most indexes the cache keeps.
pub const MAX_CACHED_INDEXES: usize = 8;
/// A temporary folder older than this is left over from a process that died while writing it.
const STALE_TEMPORARY: Duration = Duration::from_secs(15 * 60);
/// The name of the cache's folder under the platform's cache directory.
const CACHE_FOLDER: &str = "streaming-skill";
/// The prefix of folders being written.
const TEMPORARY_PREFIX: &str = ".tmp-";
/// The prefix of folders being removed.
const TRASH_PREFIX: &str = ".trash-";

/// Whether, and where, indexes of skill folders are kept on disk.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum IndexCache {
    /// In RAM only.
    #[default]
    Off,
    /// In this folder.
    Dir(PathBuf),
}

impl IndexCache {
    /// The cache the command line asks for: `--no-index-cache`, else `--index-cache DIR`, else the
    /// platform's cache directory (off when there is none).
    pub fn from_options(dir: Option<PathBuf>, off: bool) -> Self {
        if off {
            return Self::Off;
        }
        dir.or_else(default_dir).map_or(Self::Off, Self::Dir)
    }
}

/// The platform's cache folder for this program: `$XDG_CACHE_HOME/streaming-skill` (else
/// `~/.cache/streaming-skill`) on Linux and other Unixes, `~/Library/Caches/streaming-skill` on
/// macOS, `%LOCALAPPDATA%\streaming-skill` on Windows.
pub fn default_dir() -> Option<PathBuf> {
    let from_env = |name: &str| std::env::var_os(name).map(PathBuf::from).filter(|p| p.is_absolute());
    let base = if cfg!(windows) {
        from_env("LOCALAPPDATA")
    } else if cfg!(target_os = "macos") {
        from_env("HOME").map(|home| home.join("Library").join("Caches"))
    } else {
        from_env("XDG_CACHE_HOME").or_else(|| from_env("HOME").map(|home| home.join(".cache")))
    };
    base.map(|b| b.join(CACHE_FOLDER))
}

/// The index for `skills`: the prebuilt one for the embedded skill, else the cached one when
/// `cache` is a folder (built and stored when missing or damaged), else one built in RAM.
pub fn open(skills: &[&Skill], cache: &IndexCache) -> Result<SearchIndex, SearchError> {
    if let Some(prebuilt) = SearchIndex::prebuilt(skills) {
        match prebuilt {
            Ok(index) => return Ok(index),
            Err(e) => tracing::warn!("the prebuilt index cannot be used ({e}); building it"),
        }
        return SearchIndex::build(skills);
    }
    match cache {
        IndexCache::Off => SearchIndex::build(skills),
        IndexCache::Dir(dir) => match usable_dir(dir) {
            Ok(()) => open_cached(dir, skills),
            Err(reason) => {
                tracing::warn!("not using the index cache {}: {reason}; indexing in RAM", dir.display());
                SearchIndex::build(skills)
            }
        },
    }
}

/// The cache key of `skills`: an XXH3-128 digest of the index version and every file, as hex.
pub fn key(skills: &[&Skill]) -> String {
    let mut hash = Xxh3::new();
    let mut field = |bytes: &[u8]| {
        hash.update(&(bytes.len() as u64).to_le_bytes());
        hash.update(bytes);
    };
    field(b"streaming-skill index");
    field(&INDEX_VERSION.to_le_bytes());
    field(tantivy::version_string().as_bytes());
    for skill in skills {
        field(skill.name().as_bytes());
        let entries = skill.files().entries();
        field(&(entries.len() as u64).to_le_bytes());
        for (path, bytes) in entries {
            field(path.as_bytes());
            field(bytes);
        }
    }
    format!("{:032x}", hash.digest128())
}

/// Checks the cache folder, creating it (owner-only) when missing.
fn usable_dir(dir: &Path) -> Result<(), String> {
    match std::fs::symlink_metadata(dir) {
        Ok(meta) if meta.file_type().is_symlink() => return Err("it is a symbolic link".into()),
        Ok(meta) if !meta.is_dir() => return Err("it is not a folder".into()),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(parent) = dir.parent() {
                std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
            }
            private_dir_builder().create(dir).map_err(|e| e.to_string())?;
        }
        Err(e) => return Err(e.to_string()),
    }
    restrict_to_owner(dir)?;
    Ok(())
}

#[cfg(unix)]
fn private_dir_builder() -> std::fs::DirBuilder {
    use std::os::unix::fs::DirBuilderExt;
    let mut builder = std::fs::DirBuilder::new();
    builder.mode(0o700);
    builder
}

#[cfg(not(unix))]
fn private_dir_builder() -> std::fs::DirBuilder {
    std::fs::DirBuilder::new()
}

/// Makes `dir` readable, writable and listable by its owner only; fails if it cannot be, or if
/// it cannot be written.
#[cfg(unix)]
fn restrict_to_owner(dir: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(dir).map_err(|e| e.to_string())?;
    if meta.permissions().mode() & 0o777 != 0o700 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| format!("cannot make it private: {e}"))?;
    }
    writable(dir)
}

#[cfg(not(unix))]
fn restrict_to_owner(dir: &Path) -> Result<(), String> {
    writable(dir)
}

fn writable(dir: &Path) -> Result<(), String> {
    let probe = dir.join(format!("{TEMPORARY_PREFIX}probe-{}", std::process::id()));
    std::fs::write(&probe, b"").map_err(|e| format!("it is not writable: {e}"))?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

/// Opens the cached index of `skills` in `dir`, or builds and stores it.
fn open_cached(dir: &Path, skills: &[&Skill]) -> Result<SearchIndex, SearchError> {
    let started = Instant::now();
    let key = key(skills);
    let entry = dir.join(&key);
    if entry.exists() || entry.is_symlink() {
        match open_entry(&entry, skills, started) {
            Ok(index) => {
                touch(&entry);
                tracing::debug!(
                    key,
                    ms = started.elapsed().as_secs_f64() * 1e3,
                    "search index opened from the cache"
                );
                return Ok(index);
            }
            Err(e) => {
                tracing::warn!(
                    "the cached index {} is damaged ({e}); building it again",
                    entry.display()
                );
                discard(dir, &entry);
            }
        }
    }
    let index = match build_entry(dir, &entry, &key, skills, started) {
        Ok(index) => index,
        Err(e) => {
            tracing::warn!("cannot store the index in {} ({e}); indexing in RAM", dir.display());
            SearchIndex::build(skills)?
        }
    };
    evict(dir, &key);
    Ok(index)
}

/// Opens and checks a cache entry.
fn open_entry(entry: &Path, skills: &[&Skill], started: Instant) -> Result<SearchIndex, SearchError> {
    let meta = std::fs::symlink_metadata(entry).map_err(|e| SearchError::Mismatch(e.to_string()))?;
    if !meta.is_dir() {
        return Err(SearchError::Mismatch("not a folder".into()));
    }
    let directory = MmapDirectory::open(entry).map_err(|e| SearchError::Mismatch(e.to_string()))?;
    let catalog = read_catalog(&directory, skills)?;
    let index = Index::open(directory)?;
    let damaged = index.validate_checksum()?;
    if !damaged.is_empty() {
        let mut names: Vec<String> = damaged.iter().map(|p| p.display().to_string()).collect();
        names.sort();
        return Err(SearchError::Mismatch(format!(
            "checksum mismatch in {}",
            names.join(", ")
        )));
    }
    SearchIndex::from_parts(index, catalog, IndexOrigin::Cached, started)
}

/// Builds the index in a temporary folder, renames it to `entry` and opens it there. When
/// another process renamed its copy first, opens that one.
fn build_entry(
    dir: &Path,
    entry: &Path,
    key: &str,
    skills: &[&Skill],
    started: Instant,
) -> Result<SearchIndex, SearchError> {
    let io = |what: &str, e: std::io::Error| SearchError::Mismatch(format!("{what}: {e}"));
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    let temporary = dir.join(format!("{TEMPORARY_PREFIX}{key}-{}-{nanos}", std::process::id()));
    private_dir_builder()
        .create(&temporary)
        .map_err(|e| io("temporary folder", e))?;
    let written = (|| -> Result<(), SearchError> {
        let documents = super::skill_documents(skills)?;
        let directory = MmapDirectory::open(&temporary).map_err(|e| SearchError::Mismatch(e.to_string()))?;
        let source_checksum = super::catalog::source_checksum(skills.iter().flat_map(|skill| skill.files().entries()));
        let (index, catalog) = schema::write_index(
            directory,
            super::to_indexed(&documents),
            source_checksum,
            super::thesaurus_of(skills),
        )?;
        drop(index);
        write_synced(&temporary.join(CATALOG_FILE), catalog.bytes()).map_err(|e| io("catalog", e))?;
        for lock in [".tantivy-writer.lock", ".tantivy-meta.lock"] {
            let _ = std::fs::remove_file(temporary.join(lock));
        }
        Ok(())
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_dir_all(&temporary);
        return Err(e);
    }
    if let Err(e) = std::fs::rename(&temporary, entry) {
        let _ = std::fs::remove_dir_all(&temporary);
        if !entry.is_dir() {
            return Err(io("rename", e));
        }
        tracing::debug!("another process stored this index first; opening its copy");
        return open_entry(entry, skills, started);
    }
    let index = open_entry_unchecked(entry, skills, started)?;
    tracing::debug!(
        key,
        ms = started.elapsed().as_secs_f64() * 1e3,
        "search index built and stored in the cache"
    );
    Ok(index)
}

/// Opens an entry this process has just written (its checksums were computed moments ago).
fn open_entry_unchecked(entry: &Path, skills: &[&Skill], started: Instant) -> Result<SearchIndex, SearchError> {
    let directory = MmapDirectory::open(entry).map_err(|e| SearchError::Mismatch(e.to_string()))?;
    let catalog = read_catalog(&directory, skills)?;
    let mut index = SearchIndex::from_parts(Index::open(directory)?, catalog, IndexOrigin::Built, started)?;
    index.build_time = started.elapsed();
    Ok(index)
}

/// The catalog of an entry, memory-mapped and checked against the loaded skills.
fn read_catalog(directory: &MmapDirectory, skills: &[&Skill]) -> Result<Catalog, SearchError> {
    let bytes = directory
        .open_read(Path::new(CATALOG_FILE))
        .map_err(|e| SearchError::Mismatch(format!("catalog: {e}")))?
        .read_bytes()
        .map_err(|e| SearchError::Mismatch(format!("catalog: {e}")))?;
    let catalog = Catalog::open(bytes)?;
    if !catalog_matches(&catalog, skills) {
        return Err(SearchError::Mismatch("it lists other documents".into()));
    }
    Ok(catalog)
}

fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut file = std::fs::File::create(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Marks an entry as just used, for eviction.
fn touch(entry: &Path) {
    if let Ok(dir) = std::fs::File::open(entry) {
        let _ = dir.set_modified(SystemTime::now());
    }
}

/// Removes an entry: renamed out of the way first, so no process opens it half deleted.
fn discard(dir: &Path, entry: &Path) {
    if std::fs::symlink_metadata(entry).is_ok_and(|m| m.file_type().is_symlink()) {
        let _ = std::fs::remove_file(entry);
        return;
    }
    let name = entry
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let trash = dir.join(format!("{TRASH_PREFIX}{name}-{}", std::process::id()));
    match std::fs::rename(entry, &trash) {
        Ok(()) => {
            let _ = std::fs::remove_dir_all(&trash);
        }
        Err(_) => {
            let _ = std::fs::remove_dir_all(entry);
        }
    }
}

/// Keeps the [`MAX_CACHED_INDEXES`] most recently used entries (`current` always), and removes
/// temporary folders left by processes that died while writing.
fn evict(dir: &Path, current: &str) {
    let Ok(listing) = std::fs::read_dir(dir) else { return };
    let now = SystemTime::now();
    let mut entries: Vec<(SystemTime, PathBuf)> = Vec::new();
    for item in listing.flatten() {
        let name = item.file_name().to_string_lossy().into_owned();
        let Ok(meta) = item.metadata() else { continue };
        let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
        let stale = now.duration_since(modified).unwrap_or_default() > STALE_TEMPORARY;
        if name.starts_with(TEMPORARY_PREFIX) || name.starts_with(TRASH_PREFIX) {
            if stale {
                let _ = std::fs::remove_dir_all(item.path()).or_else(|_| std::fs::remove_file(item.path()));
            }
        } else if is_key(&name) && name != current {
            entries.push((modified, item.path()));
        }
    }
    entries.sort_by_key(|e| std::cmp::Reverse(e.0));
    for (_, path) in entries.into_iter().skip(MAX_CACHED_INDEXES - 1) {
        tracing::debug!(path = %path.display(), "evicting a cached index");
        discard(dir, &path);
    }
}

/// Whether a folder name is a cache key.
fn is_key(name: &str) -> bool {
    name.len() == 32 && name.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skill_in(dir: &Path, extra: &str) -> Skill {
        std::fs::create_dir_all(dir.join("references")).unwrap();
        std::fs::write(
            dir.join("SKILL.md"),
            "---\nname: cache-test\ndescription: A skill for cache tests.\n---\n\n# Cache test\n\nIntro.\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("references/notes.md"),
            format!("# Notes\n\n## Watermarks\n\nEvent time and lateness. {extra}\n"),
        )
        .unwrap();
        Skill::from_dir(dir).unwrap()
    }

    #[test]
    fn second_open_uses_the_cache_and_a_change_builds_a_new_entry() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = IndexCache::Dir(tmp.path().join("cache"));
        let skill = skill_in(&tmp.path().join("skill"), "");
        let first = open(&[&skill], &cache).unwrap();
        assert_eq!(first.origin(), &IndexOrigin::Built);
        let second = open(&[&skill], &cache).unwrap();
        assert_eq!(second.origin(), &IndexOrigin::Cached);
        let outcome = second
            .search(&super::super::SearchRequest {
                query: "watermarks",
                limit: 3,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(outcome.hits[0].section, "watermarks");
        let changed = skill_in(&tmp.path().join("skill"), "Kappa architecture.");
        assert_ne!(key(&[&skill]), key(&[&changed]));
        assert_eq!(open(&[&changed], &cache).unwrap().origin(), &IndexOrigin::Built);
    }

    #[test]
    fn a_damaged_entry_is_rebuilt() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("cache");
        let cache = IndexCache::Dir(dir.clone());
        let skill = skill_in(&tmp.path().join("skill"), "");
        open(&[&skill], &cache).unwrap();
        let entry = dir.join(key(&[&skill]));
        // Flip a byte in the middle of each kind of file in turn (segment files get new names at
        // each build, so they are found by extension), then cut files short or remove them.
        let file_with = |extension: &str| -> PathBuf {
            std::fs::read_dir(&entry)
                .unwrap()
                .flatten()
                .map(|e| e.path())
                .find(|p| p.extension().is_some_and(|e| e == extension))
                .unwrap_or_else(|| panic!("no .{extension} file"))
        };
        type Damage = fn(&Path);
        let flip: Damage = |file| {
            let mut bytes = std::fs::read(file).unwrap();
            let middle = bytes.len() / 2;
            bytes[middle] ^= 0x55;
            std::fs::write(file, &bytes).unwrap();
        };
        let cut: Damage = |file| {
            let bytes = std::fs::read(file).unwrap();
            std::fs::write(file, &bytes[..bytes.len() / 2]).unwrap();
        };
        let remove: Damage = |file| std::fs::remove_file(file).unwrap();
        let cases: [(&str, Damage); 11] = [
            ("term", flip),
            ("idx", flip),
            ("pos", flip),
            ("store", flip),
            ("fast", flip),
            ("fieldnorm", flip),
            ("bin", flip),
            ("bin", cut),
            ("json", cut),
            ("term", cut),
            ("idx", remove),
        ];
        for (extension, damage) in cases {
            damage(&file_with(extension));
            let reopened = open(&[&skill], &cache).unwrap();
            assert_eq!(
                reopened.origin(),
                &IndexOrigin::Built,
                ".{extension} damage was not caught"
            );
            assert_eq!(open(&[&skill], &cache).unwrap().origin(), &IndexOrigin::Cached);
        }
    }

    #[test]
    fn a_symlinked_or_unwritable_cache_falls_back_to_ram() {
        let tmp = tempfile::tempdir().unwrap();
        let skill = skill_in(&tmp.path().join("skill"), "");
        let target = tmp.path().join("elsewhere");
        std::fs::create_dir(&target).unwrap();
        #[cfg(unix)]
        {
            let link = tmp.path().join("link");
            std::os::unix::fs::symlink(&target, &link).unwrap();
            let index = open(&[&skill], &IndexCache::Dir(link)).unwrap();
            assert_eq!(index.origin(), &IndexOrigin::Built);
            assert_eq!(std::fs::read_dir(&target).unwrap().count(), 0);
        }
        let file = tmp.path().join("a-file");
        std::fs::write(&file, "x").unwrap();
        assert_eq!(
            open(&[&skill], &IndexCache::Dir(file)).unwrap().origin(),
            &IndexOrigin::Built
        );
    }

    #[cfg(unix)]
    #[test]
    fn the_cache_folder_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("deep").join("cache");
        let skill = skill_in(&tmp.path().join("skill"), "");
        open(&[&skill], &IndexCache::Dir(dir.clone())).unwrap();
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
    }

    #[test]
    fn eviction_keeps_the_most_recent_entries() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("cache");
        let cache = IndexCache::Dir(dir.clone());
        for n in 0..MAX_CACHED_INDEXES + 3 {
            let skill = skill_in(&tmp.path().join("skill"), &format!("Version {n}."));
            open(&[&skill], &cache).unwrap();
        }
        let kept = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .filter(|e| is_key(&e.file_name().to_string_lossy()))
            .count();
        assert_eq!(kept, MAX_CACHED_INDEXES);
        // A temporary folder of a process that died is never opened, and goes once stale.
        let skill = skill_in(&tmp.path().join("skill"), "Version 0.");
        let leftover = dir.join(format!("{TEMPORARY_PREFIX}{}-1-1", key(&[&skill])));
        std::fs::create_dir(&leftover).unwrap();
        std::fs::File::open(&leftover)
            .unwrap()
            .set_modified(SystemTime::now() - STALE_TEMPORARY * 2)
            .unwrap();
        open(&[&skill], &cache).unwrap();
        assert!(!leftover.exists());
    }
}
