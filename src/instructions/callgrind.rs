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
