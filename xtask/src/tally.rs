//! Pass and fail counts from each suite's own summary lines, for one closing line.

use crate::sh::Result;
use std::{
    io::{BufRead, BufReader},
    process::{Command, Stdio},
};

/// Pass and fail counts gathered from every suite's own summary lines.
#[derive(Default)]
pub struct Tally {
    pub passed: u64,
    pub failed: u64,
    pub suites: Vec<String>,
}

/// Runs a test command, echoing its output, and adds the counts from its summary lines
/// (`test result: ok. N passed; M failed` from cargo, `# pass N` / `# fail M` from node).
pub fn run_counted(c: &mut Command, name: &str, tally: &mut Tally) -> Result {
    let mut child = c
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {name}: {e}"))?;
    let (mut passed, mut failed) = (0, 0);
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(std::result::Result::ok) {
            println!("{line}");
            let t = line.trim();
            if let Some(rest) = t.strip_prefix("test result: ") {
                passed += count_before(rest, " passed");
                failed += count_before(rest, " failed");
            } else if let Some(n) = t.strip_prefix("# pass ") {
                passed += n.trim().parse::<u64>().unwrap_or(0);
            } else if let Some(n) = t.strip_prefix("# fail ") {
                failed += n.trim().parse::<u64>().unwrap_or(0);
            }
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    tally.passed += passed;
    tally.failed += failed;
    tally.suites.push(format!("{name} {passed} passed"));
    if !status.success() || failed > 0 {
        println!("tests: {} passed, {} failed", tally.passed, tally.failed.max(1));
        return Err(format!("{name} failed"));
    }
    if passed == 0 {
        return Err(format!("{name} ran no test"));
    }
    Ok(())
}

/// `"ok. 24 passed; 0 failed; …"` → the number before `label`.
pub fn count_before(s: &str, label: &str) -> u64 {
    s.split(';')
        .find_map(|part| part.trim().strip_suffix(label.trim_start()).map(str::trim))
        .and_then(|n| n.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::count_before;

    #[test]
    fn reads_cargo_summary_counts() {
        let rest = "ok. 24 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s";
        assert_eq!(count_before(rest, " passed"), 24);
        assert_eq!(count_before(rest, " failed"), 0);
        assert_eq!(count_before("FAILED. 3 passed; 2 failed; 0 ignored", " failed"), 2);
    }
}
