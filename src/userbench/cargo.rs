//! Building a cargo bench target (`--cargo-bench NAME`) and finding its executable in
//! cargo's JSON messages.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Why a bench target could not be built.
#[derive(Debug, thiserror::Error)]
pub enum CargoError {
    /// cargo could not be started.
    #[error("--cargo-bench: cannot run cargo: {0}")]
    Spawn(std::io::Error),
    /// cargo failed (its messages went to stderr).
    #[error(
        "--cargo-bench {name}: `cargo bench --no-run` failed ({status}); see cargo's messages above"
    )]
    Failed {
        /// The bench target.
        name: String,
        /// cargo's exit status.
        status: String,
    },
    /// cargo built nothing of that name.
    #[error(
        "--cargo-bench {0}: cargo built no bench target of that name (see `[[bench]]` in Cargo.toml, or the files in benches/)"
    )]
    NotFound(String),
}

/// Builds bench target `name` of the package in `dir` (release profile, as `cargo bench`
/// does; into `target_dir` when given) and returns the path of its executable.
pub fn build_bench(
    dir: &Path,
    name: &str,
    target_dir: Option<&Path>,
) -> Result<PathBuf, CargoError> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    if let Some(t) = target_dir {
        cmd.env("CARGO_TARGET_DIR", t);
    }
    let output = cmd
        .current_dir(dir)
        .args(["bench", "--no-run", "--bench", name])
        .arg("--message-format=json-render-diagnostics")
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(CargoError::Spawn)?;
    if !output.status.success() {
        return Err(CargoError::Failed {
            name: name.to_string(),
            status: output.status.to_string(),
        });
    }
    executable(&String::from_utf8_lossy(&output.stdout), name)
        .ok_or_else(|| CargoError::NotFound(name.to_string()))
}

/// The executable of bench target `name` among cargo's JSON messages.
pub fn executable(messages: &str, name: &str) -> Option<PathBuf> {
    messages
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == name)
        .filter(|m| {
            m["target"]["kind"]
                .as_array()
                .is_some_and(|k| k.iter().any(|k| k == "bench"))
        })
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bench_executable_is_found_among_other_artifacts() {
        let messages = concat!(
            r#"{"reason":"compiler-artifact","target":{"name":"parse","kind":["lib"]},"executable":null}"#,
            "\n",
            r#"{"reason":"compiler-artifact","target":{"name":"parse","kind":["bench"]},"executable":"/t/release/deps/parse-1a2b"}"#,
            "\n",
            r#"{"reason":"build-finished","success":true}"#,
            "\nnot json\n",
        );
        assert_eq!(
            executable(messages, "parse"),
            Some(PathBuf::from("/t/release/deps/parse-1a2b"))
        );
        assert_eq!(executable(messages, "encode"), None);
    }
}
