//! Any text as a request to route: a decision with a confidence in 0..=1, never a panic.
#![no_main]

use std::sync::{Arc, LazyLock};

use libfuzzer_sys::fuzz_target;
use streaming_skill::library::SkillLibrary;
use streaming_skill::skill::Skill;

static LIBRARY: LazyLock<SkillLibrary> =
    LazyLock::new(|| SkillLibrary::new(vec![Arc::new(Skill::embedded().expect("the embedded skill loads"))]));

fuzz_target!(|request: &str| {
    match LIBRARY.route(request) {
        Ok(decision) => assert!((0.0..=1.0).contains(&decision.confidence)),
        Err(_) => assert!(request.trim().is_empty()),
    }
    let decision = LIBRARY.router().expect("the router builds").route(request);
    assert!((0.0..=1.0).contains(&decision.confidence));
});
