//! The integration tests, linked into one binary (`cargo test --test it`; add a name to run one
//! file's tests, e.g. `cargo test --test it routing_eval`). Each module drives the real binary
//! or the library from outside the crate; fixtures are under `tests/fixtures/`, snapshots under
//! `tests/snapshots/`.

mod bad_input;
mod cli;
mod content;
mod context_budget;
mod declared;
mod http;
mod index_cache;
mod install_paths;
mod layers;
mod long_run;
mod mcp_stdio;
mod paths;
mod properties;
mod reply_sizes;
mod review_cases;
mod review_tool;
mod routing_eval;
mod schema_compat;
mod search_eval;
mod search_ranking;
mod skills;
mod snapshots;
mod token_estimate;
