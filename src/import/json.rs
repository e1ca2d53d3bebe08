//! Typed JSON reading for the importers: serde structs describe each tool's format, and a
//! failure names the path of the offending field (`results[0].times[3]`).

use serde::Deserialize;
use serde_json::error::Category;

use super::ImportError;
use crate::stats::{Sample, SampleError};

/// Parses `bytes` as the serde struct `T`; `file` names the input and `expected` the
/// tool output it should be (used when the file looks foreign).
pub fn from_json<'de, T: Deserialize<'de>>(
    bytes: &'de [u8],
    file: &str,
    expected: &str,
) -> Result<T, ImportError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        match inner.classify() {
            Category::Data => {
                let top = path == ".";
                ImportError::Field {
                    file: file.to_string(),
                    field: if top { "(top level)".to_string() } else { path },
                    reason: inner.to_string(),
                    hint: if top {
                        format!(" — is this {expected}?")
                    } else {
                        String::new()
                    },
                }
            }
            _ => not_json(file, expected, &inner),
        }
    })?;
    de.end().map_err(|e| not_json(file, expected, &e))?;
    Ok(value)
}

fn not_json(file: &str, expected: &str, err: &serde_json::Error) -> ImportError {
    ImportError::NotJson {
        file: file.to_string(),
        expected: expected.to_string(),
        reason: err.to_string(),
    }
}

/// Validates per-iteration nanoseconds read from `field` (an array) of `file`: at least one
/// value, all finite and non-negative. The error names the offending element.
pub fn samples(values: Vec<f64>, file: &str, field: &str) -> Result<Vec<f64>, ImportError> {
    match Sample::new(values) {
        Ok(sample) => Ok(sample.values().to_vec()),
        Err(SampleError::Empty) => Err(ImportError::field(file, field, "no samples")),
        Err(e @ (SampleError::NotFinite { index, .. } | SampleError::Negative { index, .. })) => {
            Err(ImportError::field(
                file,
                format!("{field}[{index}]"),
                e.to_string(),
            ))
        }
    }
}
