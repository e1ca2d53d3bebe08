//! Parsing callgrind's output file (`callgrind.out.*`): the `events:` header names the
//! counters, the `totals:` line (or, failing that, the `summary:` line) holds their sums.

use std::path::Path;

/// Why a callgrind output file could not be read.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum CallgrindError {
    /// The file has no `events:` line.
    #[error("no `events:` line")]
    NoEvents,
    /// The file has neither a `totals:` nor a `summary:` line.
    #[error("no `totals:` or `summary:` line")]
    NoTotals,
    /// A value of the totals is not a non-negative integer.
    #[error("bad value {value:?} in line {line}")]
    BadValue {
        /// 1-based line number.
        line: usize,
        /// The offending text.
        value: String,
    },
    /// More values than events.
    #[error("line {line} has {values} values for {events} events")]
    TooManyValues {
        /// 1-based line number.
        line: usize,
        /// Values on the line.
        values: usize,
        /// Events in the header.
        events: usize,
    },
}

/// The event totals of one callgrind output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallgrindTotals {
    /// Event names in header order, e.g. `["Ir"]` or `["Ir", "Dr", …]`.
    pub events: Vec<String>,
    /// The total of each event, same order as `events`.
    pub values: Vec<u64>,
}

impl CallgrindTotals {
    /// Reads and parses a callgrind output file.
    pub fn read(path: &Path) -> Result<CallgrindTotals, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        CallgrindTotals::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Reads the per-thread files callgrind writes with `--separate-threads=yes`
    /// (`<path>-01`, `<path>-02`, …) and adds them up, event by event.
    pub fn read_threads(path: &Path) -> Result<CallgrindTotals, String> {
        let dir = path.parent().unwrap_or(Path::new("."));
        let stem = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .and_then(|n| n.strip_prefix(stem))
                    .and_then(|rest| rest.strip_prefix('-'))
                    .is_some_and(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
            })
            .collect();
        files.sort();
        let mut sum: Option<CallgrindTotals> = None;
        for file in &files {
            let t = CallgrindTotals::read(file)?;
            sum = Some(match sum {
                None => t,
                Some(s) if s.events == t.events => CallgrindTotals {
                    values: s.values.iter().zip(&t.values).map(|(a, b)| a + b).collect(),
                    events: s.events,
                },
                Some(_) => {
                    return Err(format!(
                        "{}: other events than the first thread",
                        file.display()
                    ));
                }
            });
        }
        sum.ok_or_else(|| format!("no per-thread callgrind files {}-NN", path.display()))
    }

    /// Parses the text of a callgrind output file. Values missing at the end of the totals
    /// line are zero (callgrind's compressed notation).
    pub fn parse(text: &str) -> Result<CallgrindTotals, CallgrindError> {
        let mut events = None;
        let mut summary = None;
        let mut totals = None;
        for (i, line) in text.lines().enumerate() {
            if let Some(rest) = line.strip_prefix("events:") {
                events = Some(rest.split_whitespace().map(str::to_string).collect());
            } else if let Some(rest) = line.strip_prefix("summary:") {
                summary = Some((i + 1, rest));
            } else if let Some(rest) = line.strip_prefix("totals:") {
                totals = Some((i + 1, rest));
            }
        }
        let events: Vec<String> = events.ok_or(CallgrindError::NoEvents)?;
        let (line, rest) = totals.or(summary).ok_or(CallgrindError::NoTotals)?;
        let mut values = rest
            .split_whitespace()
            .map(|v| {
                v.parse::<u64>().map_err(|_| CallgrindError::BadValue {
                    line,
                    value: v.to_string(),
                })
            })
            .collect::<Result<Vec<u64>, _>>()?;
        if values.len() > events.len() {
            return Err(CallgrindError::TooManyValues {
                line,
                values: values.len(),
                events: events.len(),
            });
        }
        values.resize(events.len(), 0);
        Ok(CallgrindTotals { events, values })
    }

    /// The total of one event, e.g. `get("Ir")`; `None` when it was not collected.
    pub fn get(&self, event: &str) -> Option<u64> {
        self.events
            .iter()
            .position(|e| e == event)
            .map(|i| self.values[i])
    }

    /// Estimated cycles from the cache simulation (`--cache-sim=yes`):
    /// Ir + 10 · L1 misses + 100 · last-level misses, as iai-callgrind and CodSpeed do.
    /// `None` without the cache-simulation events.
    pub fn estimated_cycles(&self) -> Option<u64> {
        let ir = self.get("Ir")?;
        let l1 = self.get("I1mr")? + self.get("D1mr")? + self.get("D1mw")?;
        let ll = self.get("ILmr")? + self.get("DLmr")? + self.get("DLmw")?;
        Some(ir + 10 * l1 + 100 * ll)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/callgrind");

    #[test]
    fn toggle_collect_output_gives_the_instruction_total() {
        let t = CallgrindTotals::read(&Path::new(FIXTURES).join("gelu-1000-toggle.out")).unwrap();
        assert_eq!(t.events, ["Ir"]);
        assert_eq!(t.get("Ir"), Some(13143));
        assert_eq!(t.get("D1mr"), None);
        assert_eq!(t.estimated_cycles(), None);
    }

    #[test]
    fn cache_simulation_output_fills_left_out_events_with_zero() {
        let path = Path::new(FIXTURES).join("gelu-1000-cache-sim.out");
        let t = CallgrindTotals::read(&path).unwrap();
        assert_eq!(
            t.events,
            [
                "Ir", "Dr", "Dw", "I1mr", "D1mr", "D1mw", "ILmr", "DLmr", "DLmw"
            ]
        );
        // totals: 13143 2553 273 2 0 0 2 (DLmr and DLmw left out = 0).
        assert_eq!(t.values, [13143, 2553, 273, 2, 0, 0, 2, 0, 0]);
        assert_eq!(t.estimated_cycles(), Some(13143 + 10 * 2 + 100 * 2));
    }

    #[test]
    fn per_thread_files_are_added_up() {
        let t =
            CallgrindTotals::read_threads(&Path::new(FIXTURES).join("matmul-mt-512-threads.out"))
                .unwrap();
        // Thread totals in the three files: 27707 + 60670680 + 60685264.
        assert_eq!(t.get("Ir"), Some(27707 + 60670680 + 60685264));
        assert!(CallgrindTotals::read_threads(&Path::new(FIXTURES).join("absent.out")).is_err());
    }

    #[test]
    fn totals_line_wins_over_summary_and_bad_files_are_refused() {
        let t = CallgrindTotals::parse("events: Ir Dr\nsummary: 5 1\nfn=x\n3 5 1\ntotals: 5\n");
        assert_eq!(t.unwrap().values, [5, 0]);
        let t = CallgrindTotals::parse("events: Ir\nsummary: 7\n").unwrap();
        assert_eq!(t.get("Ir"), Some(7));
        assert_eq!(
            CallgrindTotals::parse("summary: 7\n"),
            Err(CallgrindError::NoEvents)
        );
        assert_eq!(
            CallgrindTotals::parse("events: Ir\n"),
            Err(CallgrindError::NoTotals)
        );
        assert_eq!(
            CallgrindTotals::parse("events: Ir\ntotals: 1 2\n"),
            Err(CallgrindError::TooManyValues {
                line: 2,
                values: 2,
                events: 1
            })
        );
        assert!(matches!(
            CallgrindTotals::parse("events: Ir\ntotals: x\n"),
            Err(CallgrindError::BadValue { .. })
        ));
    }
}
