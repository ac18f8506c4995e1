//! The on-disk index cache under stress, driven through the real binary: a process killed while
//! it writes the cache, two processes that build the same index at once, and damaged files. In
//! every case the next search must answer correctly and never from a half-written index.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

const QUERY: &str = "idempotent producer";
const EXPECTED: &str = "idempotent-producer-enableidempotence-and-maxinflightrequestsperconnection";

/// A copy of the repository's skill (the embedded one) in a folder of its own.
fn skill_folder(root: &Path) -> PathBuf {
    let source = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("skill");
    copy(&source.join("SKILL.md"), &dir.join("SKILL.md"));
    for sub in ["references", "skill"] {
        copy_dir(&source.join(sub), &dir.join(sub));
    }
    dir
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(from, to).unwrap();
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let path = entry.path();
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&path, &to.join(entry.file_name()));
        } else {
            copy(&path, &to.join(entry.file_name()));
        }
    }
}

fn search_command(skill: &Path, cache: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_streaming-skill"));
    command
        .arg("--skill-dir")
        .arg(skill)
        .arg("--index-cache")
        .arg(cache)
        .args(["search", QUERY, "--limit", "1", "--json"])
        .env_remove("STREAMING_SKILL_DIR")
        .env_remove("STREAMING_SKILL_INDEX_CACHE")
        .env("RUST_LOG", "warn,streaming_skill::search::cache=debug");
    command
}

/// Runs a search and checks its answer; returns stderr.
fn search(skill: &Path, cache: &Path) -> String {
    let output = search_command(skill, cache).output().expect("the binary runs");
    check(&output)
}

fn check(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    assert_eq!(json["hits"][0]["section"], EXPECTED, "{stderr}");
    stderr
}

/// The cache entries (folders named by a key), and other entries.
fn listing(cache: &Path) -> (Vec<PathBuf>, Vec<String>) {
    let mut keys = Vec::new();
    let mut others = Vec::new();
    for entry in std::fs::read_dir(cache).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.len() == 32 && name.bytes().all(|b| b.is_ascii_hexdigit()) {
            keys.push(entry.path());
        } else {
            others.push(name);
        }
    }
    (keys, others)
}

#[test]
fn a_process_killed_while_writing_the_cache_leaves_nothing_that_is_served() {
    let tmp = tempfile::tempdir().unwrap();
    let skill = skill_folder(tmp.path());
    let cache = tmp.path().join("cache");
    // Kill at several points of the build; whatever is left, the next run answers correctly,
    // from an index that is whole.
    for delay_ms in [5u64, 40, 120, 300, 600] {
        let mut child = search_command(&skill, &cache)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let stderr = search(&skill, &cache);
        assert!(!stderr.contains("damaged"), "a half-written index was found: {stderr}");
        let (keys, _) = listing(&cache);
        assert_eq!(keys.len(), 1, "{keys:?}");
        let again = search(&skill, &cache);
        assert!(again.contains("opened from the cache"), "{again}");
        std::fs::remove_dir_all(&keys[0]).unwrap();
    }
}

#[test]
fn two_processes_building_at_once_agree_and_leave_one_index() {
    let tmp = tempfile::tempdir().unwrap();
    let skill = skill_folder(tmp.path());
    let cache = tmp.path().join("cache");
    for _ in 0..3 {
        let children: Vec<_> = (0..2)
            .map(|_| {
                search_command(&skill, &cache)
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let stderr = check(&child.wait_with_output().unwrap());
            assert!(!stderr.contains("damaged"), "{stderr}");
        }
        let (keys, others) = listing(&cache);
        assert_eq!(keys.len(), 1, "{keys:?}");
        assert!(others.iter().all(|n| !n.starts_with(".tmp-")), "{others:?}");
        assert!(search(&skill, &cache).contains("opened from the cache"));
        std::fs::remove_dir_all(&keys[0]).unwrap();
    }
}

#[test]
fn a_damaged_file_is_detected_and_the_index_rebuilt() {
    let tmp = tempfile::tempdir().unwrap();
    let skill = skill_folder(tmp.path());
    let cache = tmp.path().join("cache");
    search(&skill, &cache);
    for extension in ["term", "bin", "idx"] {
        let (keys, _) = listing(&cache);
        let file = std::fs::read_dir(&keys[0])
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|e| e == extension))
            .unwrap();
        let mut bytes = std::fs::read(&file).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] = bytes[middle].wrapping_add(1);
        std::fs::write(&file, &bytes).unwrap();
        let stderr = search(&skill, &cache);
        assert!(stderr.contains("damaged"), ".{extension}: {stderr}");
        assert!(search(&skill, &cache).contains("opened from the cache"));
    }
}

#[test]
fn no_index_cache_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let skill = skill_folder(tmp.path());
    let cache = tmp.path().join("cache");
    let output = Command::new(env!("CARGO_BIN_EXE_streaming-skill"))
        .arg("--skill-dir")
        .arg(&skill)
        .args(["--no-index-cache", "search", QUERY, "--limit", "1", "--json"])
        .env("STREAMING_SKILL_INDEX_CACHE", &cache)
        .env("XDG_CACHE_HOME", &cache)
        .output()
        .unwrap();
    check(&output);
    assert!(!cache.exists());
}
