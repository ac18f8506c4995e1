//! The `streaming-skill` binary: logging to stderr, the command line, exit codes.

use std::process::ExitCode;

use clap::Parser;
use streaming_skill::cli::{self, Cli};

fn main() -> ExitCode {
    forget_unset_folder_variables();
    init_tracing();
    let cli = Cli::parse();
    match cli::run(cli) {
        Ok(code) => code,
        Err(error) => {
            if is_broken_pipe(&error) {
                return ExitCode::SUCCESS;
            }
            eprintln!("streaming-skill: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// A skill-folder variable that is blank, or an MCP Bundle placeholder the host did not fill,
/// means "not set": drop it before clap reads the environment, which would refuse a blank value.
fn forget_unset_folder_variables() {
    for name in cli::FOLDER_VARIABLES {
        if std::env::var_os(name).is_some_and(|value| cli::is_unset_setting(&value)) {
            // SAFETY: the first thing main does, before any other thread exists.
            unsafe { std::env::remove_var(name) }
        }
    }
}

/// Logs go to stderr, filtered by `RUST_LOG` (default `warn`, plus the HTTP access log), and to MCP clients that asked
/// for them with `logging/setLevel`.
fn init_tracing() {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    use tracing_subscriber::{EnvFilter, Layer};

    let stderr_filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn,streaming_skill::access=info"));
    let stderr = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_filter(stderr_filter);
    let to_clients = streaming_skill::mcp::logging::ClientLogLayer
        .with_filter(tracing_subscriber::filter::Targets::new().with_target("streaming_skill", tracing::Level::DEBUG));
    tracing_subscriber::registry().with(stderr).with(to_clients).init();
}

/// A reader that closed our stdout early (`streaming-skill search x | head`) is not an error.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
