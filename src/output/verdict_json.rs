//! The verdict JSON (`--format json`, `--out FILE`): the serde structs of
//! [`crate::verdict`] are the schema, so this file only renders and writes them.

use std::path::Path;

use crate::results::write_json_atomic;
use crate::verdict::Verdict;

/// The verdict as pretty JSON with a trailing newline.
pub fn render(verdict: &Verdict) -> String {
    let mut text = serde_json::to_string_pretty(verdict).expect("a verdict always serializes");
    text.push('\n');
    text
}

/// Writes the verdict JSON to `path` atomically.
pub fn write(path: &Path, verdict: &Verdict) -> anyhow::Result<()> {
    write_json_atomic(path, verdict)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::{Outcome, Side, ThresholdsUsed, VERDICT_SCHEMA};

    #[test]
    fn verdict_json_round_trips_with_the_documented_names() {
        let v = Verdict {
            schema: VERDICT_SCHEMA.into(),
            verdict: Outcome::Pass,
            headline: "no regressions in 0 benchmarks".into(),
            baseline: None,
            candidate: Side {
                file: "-".into(),
                env: "x".into(),
                git_commit: None,
                runs: 1,
            },
            notes: vec![],
            thresholds: ThresholdsUsed {
                file: "t".into(),
                alpha: 0.05,
                limits: "p50 5%".into(),
            },
            benchmarks: vec![],
        };
        let text = render(&v);
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["verdict"], "pass");
        assert_eq!(serde_json::from_str::<Verdict>(&text).unwrap(), v);
    }
}
