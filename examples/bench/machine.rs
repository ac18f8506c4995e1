//! What the figures were measured on, and how much memory a process holds (Linux `/proc`).

use std::process::Command;

/// Resident memory of a process, in KiB.
#[derive(Debug, Clone, Copy, Default)]
pub struct Rss {
    /// Resident set size now (`VmRSS`).
    pub current_kib: u64,
    /// Peak resident set size so far (`VmHWM`).
    pub peak_kib: u64,
    /// Of `VmRSS`, pages mapped from files (`RssFile`): the executable's code and read-only data,
    /// with the index and skill compiled into it, and the shared libraries.
    pub file_kib: u64,
    /// Of `VmRSS`, anonymous pages (`RssAnon`): heap, stacks and the allocator's arenas.
    pub anon_kib: u64,
}

/// Reads `VmRSS`, `VmHWM`, `RssFile` and `RssAnon` of process `pid` from `/proc/<pid>/status`.
pub fn rss(pid: u32) -> std::io::Result<Rss> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let field = |name: &str| -> u64 {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|kib| kib.parse().ok())
            .unwrap_or(0)
    };
    Ok(Rss {
        current_kib: field("VmRSS:"),
        peak_kib: field("VmHWM:"),
        file_kib: field("RssFile:"),
        anon_kib: field("RssAnon:"),
    })
}

/// A one-paragraph description of the machine and build, for the report.
pub fn describe() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, usize::from);
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or("unknown CPU".to_string(), |(_, m)| m.trim().to_string());
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|l| l.split_whitespace().next())
                .and_then(|kib| kib.parse::<f64>().ok())
        })
        .map_or("unknown".to_string(), |kib| format!("{:.0} GiB", kib / 1024.0 / 1024.0));
    let rustc = command_line("rustc", &["--version"]).unwrap_or_else(|| "rustc unknown".into());
    let commit = command_line(
        "git",
        &["-C", env!("CARGO_MANIFEST_DIR"), "rev-parse", "--short", "HEAD"],
    )
    .unwrap_or_else(|| "unknown".into());
    format!(
        "{cpus} CPUs ({model}), {memory} of memory, Linux {}, {rustc}, release profile, commit {commit}; load average at start {}",
        kernel.trim(),
        load_average()
    )
}

/// The 1, 5 and 15 minute load averages, as `/proc/loadavg` gives them.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// The first line a command prints, if it runs.
fn command_line(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    output
        .status
        .success()
        .then(|| text.lines().next().unwrap_or_default().trim().to_string())
}
