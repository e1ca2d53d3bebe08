//! Otava's CSV input (`--csv FILE`): a header row, a `time` column, an optional `commit`
//! column, and one column per metric. Rows stay in file order; empty cells are filled as
//! Otava's `fill_missing` does (forward, then backward for leading gaps).

use std::path::Path;

use super::series::{CommitInfo, History, Series, SeriesKey};
use crate::error::InputError;

/// Splits one CSV line on `delim`, removing surrounding quotes and blanks.
fn cells(line: &str, delim: char) -> Vec<String> {
    line.split(delim)
        .map(|c| c.trim().trim_matches('"').trim().to_string())
        .collect()
}

/// Reads an Otava CSV file into a history (machine class `csv`; benchmark = column name).
pub fn read_otava_csv(path: &Path) -> Result<History, InputError> {
    let text = crate::error::read_text(path)?;
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let (_, header) = lines
        .next()
        .ok_or_else(|| InputError::file(path, "empty file, expected a header row"))?;
    let delim = if !header.contains(',') && header.contains(';') {
        ';'
    } else {
        ','
    };
    let names = cells(header, delim);
    let time_col = names
        .iter()
        .position(|n| n.eq_ignore_ascii_case("time"))
        .ok_or_else(|| InputError::file(path, "no `time` column in the header"))?;
    let commit_col = names.iter().position(|n| n.eq_ignore_ascii_case("commit"));
    let metric_cols: Vec<usize> = (0..names.len())
        .filter(|&i| i != time_col && Some(i) != commit_col)
        .collect();
    if metric_cols.is_empty() {
        return Err(InputError::file(
            path,
            "no metric columns besides time and commit",
        ));
    }
    let mut commits = Vec::new();
    let mut columns: Vec<Vec<Option<f64>>> = vec![Vec::new(); metric_cols.len()];
    for (lineno, line) in lines {
        let row = cells(line, delim);
        if row.len() != names.len() {
            return Err(InputError::file(
                path,
                format!(
                    "line {}: {} cells, the header has {}",
                    lineno + 1,
                    row.len(),
                    names.len()
                ),
            ));
        }
        let time = row[time_col].clone();
        let commit = commit_col.map_or_else(|| time.clone(), |c| row[c].clone());
        commits.push(CommitInfo { commit, time });
        for (k, &c) in metric_cols.iter().enumerate() {
            let cell = &row[c];
            let value = if cell.is_empty() {
                None
            } else {
                let v: f64 = cell.parse().map_err(|_| {
                    InputError::file(
                        path,
                        format!(
                            "line {}, column {:?}: {cell:?} is not a number",
                            lineno + 1,
                            names[c]
                        ),
                    )
                })?;
                if !v.is_finite() {
                    return Err(InputError::file(
                        path,
                        format!(
                            "line {}, column {:?}: {cell:?} is not finite",
                            lineno + 1,
                            names[c]
                        ),
                    ));
                }
                Some(v)
            };
            columns[k].push(value);
        }
    }
    let series = metric_cols
        .iter()
        .zip(columns)
        .filter_map(|(&c, col)| {
            let values = fill_missing(&col)?;
            Some(Series {
                key: SeriesKey {
                    benchmark: names[c].clone(),
                    metric: "value".into(),
                    machine: "csv".into(),
                },
                commits: (0..values.len() as u32).collect(),
                values,
            })
        })
        .collect();
    Ok(History {
        commits,
        series,
        acks: Vec::new(),
    })
}

/// Otava's `fill_missing`; `None` when the column has no value at all.
fn fill_missing(col: &[Option<f64>]) -> Option<Vec<f64>> {
    let first = col.iter().flatten().next().copied()?;
    let mut prev = first;
    Some(
        col.iter()
            .map(|v| {
                if let Some(v) = v {
                    prev = *v;
                }
                prev
            })
            .collect(),
    )
}
