//! Writing to standard output. A closed pipe (`perfgate list | head -1`) is not an error:
//! the error is passed up and `main` exits quietly with the command's code.

use std::io::Write;

/// Prints `text` and a newline to stdout; fails with `ErrorKind::BrokenPipe` when the
/// reader went away.
pub fn print(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.write_all(b"\n")?;
    out.flush()
}

/// True when `err` (or anything it wraps) is a broken pipe.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
