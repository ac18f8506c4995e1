//! The token estimate used for budgets must not undercount: checked against the real o200k and
//! cl100k tokenizers over every section and document of the embedded skill and over typical
//! JSON replies.

use std::sync::Arc;

use streaming_skill::library::{SkillLibrary, reply_tokens};
use streaming_skill::skill::Skill;
use streaming_skill::tokens::estimate;

#[test]
fn estimate_never_undercounts_the_real_tokenizers() {
    let o200k = tiktoken_rs::o200k_base().unwrap();
    let cl100k = tiktoken_rs::cl100k_base().unwrap();
    let skill = Skill::embedded().unwrap();
    let mut texts: Vec<String> = Vec::new();
    for doc in skill.documents().unwrap() {
        texts.push(doc.source.clone());
        for i in 0..doc.markdown.sections.len() {
            texts.push(doc.section_own_markdown(i).to_string());
        }
    }
    let library = SkillLibrary::new(vec![Arc::new(Skill::embedded().unwrap())]);
    for query in [
        "consumer lag",
        "exactly once",
        "watermark late data",
        "snowpipe streaming",
    ] {
        texts.push(serde_json::to_string(&library.search(query, Some(10), None, None, None).unwrap()).unwrap());
    }
    let (mut estimated, mut real) = (0usize, 0usize);
    for text in &texts {
        let e = estimate(text);
        let o = o200k.encode_with_special_tokens(text).len();
        let c = cl100k.encode_with_special_tokens(text).len();
        assert!(
            e >= o && e >= c,
            "estimate {e} < real ({o} o200k, {c} cl100k) for:\n{}",
            &text[..text.len().min(300)]
        );
        estimated += e;
        real += o;
    }
    let ratio = estimated as f64 / real as f64;
    println!("estimate / o200k over {} texts: {ratio:.2}", texts.len());
    assert!(ratio < 1.8, "the estimate wastes too much budget: {ratio:.2}x");
    let reply = library.read(None, "kafka-deep-dive", None, Some(1000)).unwrap();
    let json = serde_json::to_string(&reply).unwrap();
    assert!(o200k.encode_with_special_tokens(&json).len() <= 1000);
    assert!(reply_tokens(&reply) <= 1000);
}
