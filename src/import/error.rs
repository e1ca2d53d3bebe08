//! What can be wrong with a file handed to `perfgate import`. Every variant names the file,
//! and the field where one is at fault; all map to exit code 2.

/// Why a file could not be imported.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImportError {
    /// The file (or directory) could not be read.
    #[error("{file}: cannot read: {reason}")]
    Read {
        /// The file at fault.
        file: String,
        /// The operating system's reason.
        reason: String,
    },
    /// The bytes are not JSON at all.
    #[error("{file}: not {expected} (invalid JSON: {reason})")]
    NotJson {
        /// The file at fault.
        file: String,
        /// What the importer expected, e.g. "hyperfine --export-json output".
        expected: String,
        /// The parser's message, with line and column.
        reason: String,
    },
    /// A field is missing, has the wrong type, or holds a value that cannot be a duration.
    #[error("{file}: field {field}: {reason}{hint}")]
    Field {
        /// The file at fault.
        file: String,
        /// Path of the field, e.g. `results[0].times[3]` (`(top level)` for the root).
        field: String,
        /// What is wrong with it.
        reason: String,
        /// For a foreign file: which tool's output was expected (empty otherwise).
        hint: String,
    },
    /// The file parsed but holds no benchmark.
    #[error("{file}: no benchmarks found ({what})")]
    Empty {
        /// The file or directory at fault.
        file: String,
        /// What was looked for.
        what: String,
    },
    /// Two imported benchmarks have the same name.
    #[error("benchmark {name:?} appears twice: in {first} and in {second}")]
    Duplicate {
        /// The repeated name.
        name: String,
        /// Where it appeared first.
        first: String,
        /// Where it appeared again.
        second: String,
    },
}

impl ImportError {
    /// A field error without a hint.
    pub fn field(file: &str, field: impl Into<String>, reason: impl Into<String>) -> Self {
        ImportError::Field {
            file: file.to_string(),
            field: field.into(),
            reason: reason.into(),
            hint: String::new(),
        }
    }
}
