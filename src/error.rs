//! Domain errors and the exit codes they map to.

use std::path::PathBuf;

/// Exit code: the gate passed (or the command succeeded).
pub const EXIT_PASS: i32 = 0;
/// Exit code: at least one regression was found.
pub const EXIT_REGRESSION: i32 = 1;
/// Exit code: usage or input error.
pub const EXIT_USAGE: i32 = 2;

/// Errors a user can fix: bad flags, bad or missing files. All map to exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// A command-line flag has a value that cannot be used.
    #[error("{flag}: {reason}")]
    Flag {
        /// The flag as the user typed it, e.g. `--samples`.
        flag: String,
        /// Why the value cannot be used.
        reason: String,
    },
    /// A file could not be read, parsed or validated.
    #[error("{}: {reason}", path.display())]
    File {
        /// The file at fault.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
}

impl InputError {
    /// A flag error.
    pub fn flag(flag: impl Into<String>, reason: impl Into<String>) -> Self {
        InputError::Flag {
            flag: flag.into(),
            reason: reason.into(),
        }
    }

    /// A file error.
    pub fn file(path: impl Into<PathBuf>, reason: impl Into<String>) -> Self {
        InputError::File {
            path: path.into(),
            reason: reason.into(),
        }
    }
}

/// Reads a file whole; a failure is an input error naming the file.
pub fn read_file(path: &std::path::Path) -> Result<Vec<u8>, InputError> {
    std::fs::read(path).map_err(|e| InputError::file(path, format!("cannot read: {e}")))
}

/// Reads a UTF-8 text file whole; a failure is an input error naming the file.
pub fn read_text(path: &std::path::Path) -> Result<String, InputError> {
    std::fs::read_to_string(path).map_err(|e| InputError::file(path, format!("cannot read: {e}")))
}
