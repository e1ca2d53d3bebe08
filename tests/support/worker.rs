//! Stand-in workers for the `perfgate ab` tests: the real binary's path, executable shell
//! scripts, and wrappers that inject faults through `PERFGATE_WORKER_FAULT`.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// The perfgate binary under test.
pub fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("perfgate")
}

/// A shell script at `dir/name` with `body`, executable.
pub fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// A wrapper running the real perfgate with `fault` injected (exec: killing the wrapper's
/// pid kills perfgate itself).
pub fn faulty(dir: &Path, name: &str, fault: &str) -> PathBuf {
    let body = format!(
        "PERFGATE_WORKER_FAULT='{fault}' exec '{}' \"$@\"",
        bin().display()
    );
    script(dir, name, &body)
}
