//! What kind of project `perfgate init` is set up in: a Cargo package (with a binary, with
//! criterion benches) or anything else.

use std::path::Path;

use super::InitError;

/// The project found in the directory `perfgate init` runs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Project {
    /// A Cargo package (`Cargo.toml` with a `[package]`).
    Cargo(CargoPackage),
    /// Anything else: the suite is a list of shell commands.
    Other,
}

/// What `perfgate init` needs to know about a Cargo package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CargoPackage {
    /// `package.name`.
    pub name: String,
    /// Binary targets (`src/main.rs` is the package's name; `[[bin]]` names).
    pub bins: Vec<String>,
    /// Bench targets when criterion is a dev-dependency (`[[bench]]` names, else
    /// `benches/*.rs`), empty otherwise.
    pub criterion_benches: Vec<String>,
    /// The criterion dev-dependency line as written in Cargo.toml, when there is one.
    pub criterion_line: Option<String>,
}

/// Reads `dir/Cargo.toml` when there is one; a workspace root without `[package]` counts
/// as `Other` (its members are set up one by one).
pub fn detect(dir: &Path) -> Result<Project, InitError> {
    let path = dir.join("Cargo.toml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(Project::Other);
    };
    let doc: toml::Table = toml::from_str(&text).map_err(|e| InitError::Manifest {
        path: path.clone(),
        reason: e.message().to_string(),
    })?;
    let Some(name) = doc
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())
    else {
        return Ok(Project::Other);
    };
    let targets = |key: &str| -> Vec<String> {
        doc.get(key)
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|t| t.get("name").and_then(|n| n.as_str()))
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut bins = targets("bin");
    if bins.is_empty() && dir.join("src/main.rs").exists() {
        bins.push(name.to_string());
    }
    let has_criterion = doc
        .get("dev-dependencies")
        .and_then(|d| d.as_table())
        .is_some_and(|d| d.contains_key("criterion"));
    let mut criterion_benches = Vec::new();
    let mut criterion_line = None;
    if has_criterion {
        criterion_benches = targets("bench");
        if criterion_benches.is_empty() {
            criterion_benches = bench_files(&dir.join("benches"));
        }
        criterion_line = text
            .lines()
            .find(|l| l.trim_start().starts_with("criterion"))
            .map(|l| l.trim().to_string());
    }
    Ok(Project::Cargo(CargoPackage {
        name: name.to_string(),
        bins,
        criterion_benches,
        criterion_line,
    }))
}

/// The stems of `benches/*.rs`, sorted.
fn bench_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let path = e.path();
            (path.extension()? == "rs").then(|| path.file_stem()?.to_str().map(str::to_string))?
        })
        .collect();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, file: &str, text: &str) {
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn a_directory_without_cargo_toml_is_other() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(detect(dir.path()).unwrap(), Project::Other);
    }

    #[test]
    fn a_package_with_main_rs_has_one_binary_named_after_it() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "Cargo.toml",
            "[package]\nname = \"tiny\"\nversion = \"0.1.0\"\n",
        );
        write(dir.path(), "src/main.rs", "fn main() {}\n");
        let Project::Cargo(pkg) = detect(dir.path()).unwrap() else {
            panic!("a Cargo package")
        };
        assert_eq!(pkg.bins, ["tiny"]);
        assert!(pkg.criterion_benches.is_empty());
    }

    #[test]
    fn criterion_benches_are_found_in_the_benches_directory() {
        let dir = tempfile::tempdir().unwrap();
        let manifest = "[package]\nname = \"lib\"\n\n[dev-dependencies]\ncriterion = \"0.5\"\n";
        write(dir.path(), "Cargo.toml", manifest);
        write(dir.path(), "benches/parse.rs", "");
        write(dir.path(), "benches/encode.rs", "");
        let Project::Cargo(pkg) = detect(dir.path()).unwrap() else {
            panic!("a Cargo package")
        };
        assert!(pkg.bins.is_empty());
        assert_eq!(pkg.criterion_benches, ["encode", "parse"]);
        assert_eq!(pkg.criterion_line.as_deref(), Some("criterion = \"0.5\""));
    }

    #[test]
    fn a_malformed_cargo_toml_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "Cargo.toml", "[package\n");
        let err = detect(dir.path()).unwrap_err().to_string();
        assert!(err.contains("Cargo.toml"), "{err}");
    }

    #[test]
    fn a_workspace_root_without_package_is_other() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "Cargo.toml", "[workspace]\nmembers = [\"a\"]\n");
        assert_eq!(detect(dir.path()).unwrap(), Project::Other);
    }
}
