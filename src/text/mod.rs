//! Text as the domain reads it, in one place: words with their stem and the form they were
//! written in ([`Word`]), the analyzers that make them (the search index's and routing's), one
//! sentence splitter, and the edit distance that tolerates typos.
//!
//! This module imports nothing from the rest of the crate: `build.rs` includes it by path to
//! build the embedded search index with the same analyzer the server queries with.

pub mod analyzer;
pub mod distance;
pub mod sentences;
pub mod word;

pub use word::Word;
