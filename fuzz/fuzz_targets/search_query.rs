//! Any text as a search query over the embedded skill: always an answer, never an error.
#![no_main]

use std::sync::{Arc, LazyLock};

use libfuzzer_sys::fuzz_target;
use streaming_skill::library::SkillLibrary;
use streaming_skill::skill::Skill;

static LIBRARY: LazyLock<SkillLibrary> =
    LazyLock::new(|| SkillLibrary::new(vec![Arc::new(Skill::embedded().expect("the embedded skill loads"))]));

fuzz_target!(|query: &str| {
    let reply = LIBRARY.search(query, Some(20), None, None, None);
    assert!(reply.is_ok(), "{:?}", reply.err());
    let reply = LIBRARY.search(query, Some(3), Some("kafka-deep-dive"), None, Some(300));
    assert!(reply.is_ok(), "{:?}", reply.err());
});
