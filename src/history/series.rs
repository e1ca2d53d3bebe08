//! The store (or an Otava CSV) as series: one per benchmark × metric × machine class,
//! its points in commit order.

use std::collections::HashMap;

use serde::Serialize;

use super::record::{Metric, RunRecord};
use super::store::{AckRecord, HistoryError, Store};

/// What a series is of.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct SeriesKey {
    /// Benchmark name.
    pub benchmark: String,
    /// Metric name (`p50_ns`, `instructions`, … or a CSV column).
    pub metric: String,
    /// Machine class.
    pub machine: String,
}

impl std::fmt::Display for SeriesKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} @ {}", self.benchmark, self.metric, self.machine)
    }
}

/// One commit of the history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommitInfo {
    /// The commit as stored.
    pub commit: String,
    /// Time of its (earliest) run.
    pub time: String,
}

/// One series: `values[i]` was measured at `commits[i]` (an index into [`History::commits`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// What it is of.
    pub key: SeriesKey,
    /// Commit of each point, ascending.
    pub commits: Vec<u32>,
    /// The values (the median when a commit was run more than once).
    pub values: Vec<f64>,
}

/// Everything `history check` and `history report` need.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// Commits in order (time of first run, then name).
    pub commits: Vec<CommitInfo>,
    /// Series sorted by key.
    pub series: Vec<Series>,
    /// Acknowledged changes.
    pub acks: Vec<AckRecord>,
}

/// Sort key of a time: the parsed instant when RFC 3339, else the text.
fn time_key(time: &str) -> (i64, String) {
    match chrono::DateTime::parse_from_rfc3339(time) {
        Ok(t) => (t.timestamp_micros(), String::new()),
        Err(_) => (i64::MAX, time.to_string()),
    }
}

/// Median of a non-empty slice.
fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

/// Collects points as they come and orders them at the end.
#[derive(Default)]
pub(crate) struct Builder {
    commit_ids: HashMap<String, u32>,
    commits: Vec<CommitInfo>,
    series_ids: HashMap<SeriesKey, usize>,
    points: Vec<(SeriesKey, Vec<u32>, Vec<f64>)>,
}

impl Builder {
    /// The id of `commit`, keeping the earliest time seen.
    pub fn commit(&mut self, commit: &str, time: &str) -> u32 {
        if let Some(&id) = self.commit_ids.get(commit) {
            let info = &mut self.commits[id as usize];
            if time_key(time) < time_key(&info.time) {
                info.time = time.to_string();
            }
            return id;
        }
        let id = self.commits.len() as u32;
        self.commit_ids.insert(commit.to_string(), id);
        self.commits.push(CommitInfo {
            commit: commit.to_string(),
            time: time.to_string(),
        });
        id
    }

    /// Adds one point.
    pub fn point(&mut self, key: SeriesKey, commit: u32, value: f64) {
        let next = self.points.len();
        let i = *self.series_ids.entry(key.clone()).or_insert(next);
        if i == next {
            self.points.push((key, Vec::new(), Vec::new()));
        }
        self.points[i].1.push(commit);
        self.points[i].2.push(value);
    }

    /// Adds every point of one run.
    pub fn run(&mut self, record: &RunRecord) {
        let commit = self.commit(&record.commit, &record.time);
        for (bench, points) in &record.benchmarks {
            for metric in Metric::ALL {
                if let Some(v) = metric.of(points) {
                    let key = SeriesKey {
                        benchmark: bench.clone(),
                        metric: metric.name().to_string(),
                        machine: record.machine_of(metric).to_string(),
                    };
                    self.point(key, commit, v);
                }
            }
        }
    }

    /// Orders commits and points; several points of one commit become their median.
    pub fn finish(self, acks: Vec<AckRecord>) -> History {
        let mut order: Vec<u32> = (0..self.commits.len() as u32).collect();
        let keys: Vec<_> = self
            .commits
            .iter()
            .map(|c| (time_key(&c.time), c.commit.clone()))
            .collect();
        order.sort_by(|a, b| keys[*a as usize].cmp(&keys[*b as usize]));
        let mut rank = vec![0u32; order.len()];
        for (pos, &id) in order.iter().enumerate() {
            rank[id as usize] = pos as u32;
        }
        let commits = order
            .iter()
            .map(|&id| self.commits[id as usize].clone())
            .collect();
        let mut series: Vec<Series> = self
            .points
            .into_iter()
            .map(|(key, ids, values)| {
                let mut pts: Vec<(u32, f64)> =
                    ids.iter().map(|&c| rank[c as usize]).zip(values).collect();
                pts.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
                let (mut commits, mut values) = (Vec::new(), Vec::new());
                let mut i = 0;
                while i < pts.len() {
                    let mut j = i;
                    while j < pts.len() && pts[j].0 == pts[i].0 {
                        j += 1;
                    }
                    let mut same: Vec<f64> = pts[i..j].iter().map(|p| p.1).collect();
                    commits.push(pts[i].0);
                    values.push(median(&mut same));
                    i = j;
                }
                Series {
                    key,
                    commits,
                    values,
                }
            })
            .collect();
        series.sort_by(|a, b| a.key.cmp(&b.key));
        History {
            commits,
            series,
            acks,
        }
    }
}

impl History {
    /// Reads the whole store.
    pub fn load(store: &Store) -> Result<History, HistoryError> {
        let mut builder = Builder::default();
        store.for_each_run(|record| builder.run(&record))?;
        Ok(builder.finish(store.acks()?))
    }
}
