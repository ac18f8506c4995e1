//! Synthetic skill folders N times the size of the embedded skill. Copy 0 is the embedded skill
//! as it is; copies 1 to N-1 of every document go to `references/<name>-c<k>.md`, and in each
//! copy about a third of the words of four letters or more are renamed to made-up words drawn
//! from a pool whose size grows with the square root of N. Every copy so has words of its own,
//! and the vocabulary grows the way a real corpus's does (Heaps' law with an exponent of about
//! 0.5) instead of staying flat (identical copies) or growing linearly (a new word per copy).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::Context;
use streaming_skill::skill::SkillFiles;

/// What was generated.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// The skill folder.
    pub dir: PathBuf,
    /// Multiple of the embedded skill.
    pub factor: usize,
    /// Markdown documents.
    pub documents: usize,
    /// Bytes of markdown.
    pub bytes: usize,
    /// Whitespace-separated words.
    pub words: usize,
    /// Distinct words (runs of letters, lowercased).
    pub distinct_words: usize,
}

/// Writes a skill folder `factor` times the embedded skill under `root`.
pub fn generate(root: &Path, factor: usize) -> anyhow::Result<Corpus> {
    let dir = root.join(format!("skill-{factor}x"));
    let files = SkillFiles::embedded();
    let mut markdown: Vec<(String, String)> = Vec::new();
    for path in files.list().context("the embedded files")? {
        let bytes = files.read(&path).context("an embedded file")?;
        write(&dir.join(&path), &bytes)?;
        if path.ends_with(".md") {
            markdown.push((path, String::from_utf8(bytes).context("markdown that is not UTF-8")?));
        }
    }
    let base_vocabulary: HashSet<String> = markdown.iter().flat_map(|(_, t)| long_words(t)).collect();
    let pool = ((base_vocabulary.len() as f64) * ((factor as f64).sqrt() - 1.0)).ceil() as u64;
    let mut texts: Vec<String> = markdown.iter().map(|(_, t)| t.clone()).collect();
    for copy in 1..factor {
        for (path, text) in &markdown {
            let renamed = rename_words(strip_front_matter(text), copy as u64, pool.max(1));
            let stem = path.rsplit('/').next().unwrap_or(path).trim_end_matches(".md");
            let stem = if stem == "SKILL" { "skill-md" } else { stem };
            write(&dir.join(format!("references/{stem}-c{copy}.md")), renamed.as_bytes())?;
            texts.push(renamed);
        }
    }
    let distinct: HashSet<String> = texts.iter().flat_map(|t| letter_runs(t)).collect();
    Ok(Corpus {
        dir,
        factor,
        documents: texts.len(),
        bytes: texts.iter().map(String::len).sum(),
        words: texts.iter().map(|t| t.split_whitespace().count()).sum(),
        distinct_words: distinct.len(),
    })
}

fn write(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

/// The text after a leading `---` front matter block, if any.
fn strip_front_matter(text: &str) -> &str {
    text.strip_prefix("---\n")
        .and_then(|rest| rest.find("\n---\n").map(|end| &rest[end + 5..]))
        .unwrap_or(text)
}

/// Runs of ASCII letters, lowercased.
fn letter_runs(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
}

/// Runs of four ASCII letters or more, lowercased: the words a copy may rename.
fn long_words(text: &str) -> impl Iterator<Item = String> + '_ {
    letter_runs(text).filter(|w| w.len() >= 4)
}

/// Copy `copy` of a text: a word is renamed when a hash of (word, copy) falls in the first
/// third, always to the same made-up word within the copy; code-fence lines are kept.
fn rename_words(text: &str, copy: u64, pool: u64) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with("```") {
            out.push_str(line);
            continue;
        }
        let mut rest = line;
        while !rest.is_empty() {
            let letters = rest.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(rest.len());
            if letters == 0 {
                let other = rest.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(rest.len());
                out.push_str(&rest[..other]);
                rest = &rest[other..];
                continue;
            }
            let word = &rest[..letters];
            out.push_str(&renamed(word, copy, pool).unwrap_or_else(|| word.to_string()));
            rest = &rest[letters..];
        }
    }
    out
}

/// The made-up word that replaces `word` in copy `copy`, if it is replaced.
fn renamed(word: &str, copy: u64, pool: u64) -> Option<String> {
    if word.len() < 4 {
        return None;
    }
    let lower = word.to_ascii_lowercase();
    let hash = fnv1a(lower.as_bytes(), copy);
    if !hash.is_multiple_of(3) {
        return None;
    }
    let mut made_up = made_up_word((hash / 3) % pool);
    if word.starts_with(|c: char| c.is_ascii_uppercase()) {
        made_up[..1].make_ascii_uppercase();
    }
    Some(made_up)
}

/// A pronounceable word for a number: three syllables or more of consonant and vowel.
fn made_up_word(number: u64) -> String {
    const CONSONANTS: &[u8] = b"bdfgklmnprstvz";
    const VOWELS: &[u8] = b"aeiou";
    let base = (CONSONANTS.len() * VOWELS.len()) as u64;
    let mut n = number + base * base;
    let mut word = String::new();
    while n > 0 {
        let syllable = (n % base) as usize;
        word.push(CONSONANTS[syllable / VOWELS.len()] as char);
        word.push(VOWELS[syllable % VOWELS.len()] as char);
        n /= base;
    }
    word
}

/// FNV-1a over the bytes and a seed: stable across Rust versions, unlike the std hasher.
fn fnv1a(bytes: &[u8], seed: u64) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325 ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}
