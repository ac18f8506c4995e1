//! Times the phases of start-up in-process: loading the embedded skill, building the tool list
//! and building the instructions. Run: `cargo run --release --example startup_phases`.

use std::sync::Arc;
use std::time::Instant;

fn main() {
    for _ in 0..3 {
        let t = Instant::now();
        let skill = streaming_skill::skill::Skill::embedded().unwrap();
        let load = t.elapsed();
        let t = Instant::now();
        let tools = streaming_skill::mcp::tools::definitions();
        let defs = t.elapsed();
        let library = streaming_skill::library::SkillLibrary::new(vec![Arc::new(skill)]);
        let t = Instant::now();
        let text = streaming_skill::mcp::instructions(&library);
        let instr = t.elapsed();
        println!(
            "skill load {:?}, tool definitions {:?} ({} tools), instructions {:?} ({} bytes)",
            load,
            defs,
            tools.len(),
            instr,
            text.len()
        );
    }
}
