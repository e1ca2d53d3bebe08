//! `perfgate init`: set a project up for perfgate — a starting perfgate.toml (or, for a
//! criterion crate, the dev-dependency line to change), thresholds.toml and the
//! pull-request workflow using the perfgate action. Nothing existing is overwritten
//! without `force`.

pub mod detect;
pub mod templates;

use std::path::{Path, PathBuf};

pub use detect::{CargoPackage, Project, detect};
pub use templates::{DEFAULT_ACTION, Gated};

/// Where the workflow goes, relative to the project.
pub const WORKFLOW_PATH: &str = ".github/workflows/perfgate.yml";

/// Why `perfgate init` could not set the project up.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// A file it would write exists and `--force` was not given.
    #[error("{}: already exists; pass --force to overwrite it", path.display())]
    Exists {
        /// The existing file.
        path: PathBuf,
    },
    /// The project's Cargo.toml cannot be read as TOML.
    #[error("{}: {reason}", path.display())]
    Manifest {
        /// The manifest.
        path: PathBuf,
        /// The parser's message.
        reason: String,
    },
    /// A file could not be written.
    #[error("{}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// What to set up.
#[derive(Debug, Clone)]
pub struct InitOptions {
    /// The project directory.
    pub dir: PathBuf,
    /// Shell commands to benchmark (non-Cargo projects); empty: a placeholder.
    pub commands: Vec<String>,
    /// The action the workflow uses, e.g. `perfgate/perfgate@v1`.
    pub action: String,
    /// Overwrite existing files.
    pub force: bool,
}

/// One file `init` writes: its path relative to the project and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedFile {
    /// Relative path.
    pub path: PathBuf,
    /// Contents.
    pub text: String,
}

/// Everything `init` will do in a project: the files, and what to tell the user.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The project found.
    pub project: Project,
    /// Files to write, in order.
    pub files: Vec<PlannedFile>,
    /// Lines to print after the list of files (next steps, the line to change).
    pub notes: Vec<String>,
}

/// Decides what to write for the project in `opts.dir`.
pub fn plan(opts: &InitOptions) -> Result<Plan, InitError> {
    let project = detect(&opts.dir)?;
    let mut files = Vec::new();
    let mut notes = Vec::new();
    let gated = match &project {
        Project::Cargo(pkg) if !pkg.criterion_benches.is_empty() && opts.commands.is_empty() => {
            let bench = pkg.criterion_benches[0].clone();
            let old = pkg
                .criterion_line
                .clone()
                .unwrap_or_else(|| "criterion = \"…\"".into());
            notes.push(format!(
                "criterion benches found ({}). In Cargo.toml [dev-dependencies], change\n    {old}\n  to\n    criterion = {{ package = \"perfgate-bench\", version = \"0.1\" }}",
                pkg.criterion_benches.join(", ")
            ));
            notes.push(format!(
                "the workflow gates `cargo bench --bench {bench}` against baselines/ci.json: bless it from runs on the CI runner (docs/github.md)"
            ));
            Gated::CargoBench(bench)
        }
        Project::Cargo(pkg) if !pkg.bins.is_empty() && opts.commands.is_empty() => {
            files.push(planned("perfgate.toml", templates::suite_for_cargo(pkg)));
            notes.push(format!(
                "perfgate.toml runs {} once per sample; add arguments or more [[bench]]es",
                pkg.bins
                    .iter()
                    .map(|b| format!("./target/release/{b}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            Gated::Suite
        }
        _ => {
            files.push(planned(
                "perfgate.toml",
                templates::suite_for_commands(&opts.commands),
            ));
            if opts.commands.is_empty() {
                notes.push(
                    "perfgate.toml holds a placeholder command: replace it with yours".into(),
                );
            }
            Gated::Suite
        }
    };
    files.push(planned("thresholds.toml", templates::thresholds()));
    files.push(planned(
        WORKFLOW_PATH,
        templates::workflow(&opts.action, &gated),
    ));
    if gated == Gated::Suite {
        notes.push("try it: perfgate list, then perfgate run --no-compare --quick".into());
    }
    notes.push("commit these files; every pull request is then gated and commented on".into());
    Ok(Plan {
        project,
        files,
        notes,
    })
}

fn planned(path: &str, text: String) -> PlannedFile {
    PlannedFile {
        path: PathBuf::from(path),
        text,
    }
}

/// Writes the plan's files under `dir` (each atomically: a temporary file, then a rename).
/// Without `force`, refuses before writing anything when any of them exists.
pub fn write(dir: &Path, plan: &Plan, force: bool) -> Result<(), InitError> {
    if !force && let Some(file) = plan.files.iter().find(|f| dir.join(&f.path).exists()) {
        return Err(InitError::Exists {
            path: file.path.clone(),
        });
    }
    for file in &plan.files {
        let path = dir.join(&file.path);
        let err = |source| InitError::Write {
            path: file.path.clone(),
            source,
        };
        let parent = path.parent().unwrap_or(dir);
        std::fs::create_dir_all(parent).map_err(err)?;
        let mut tmp = tempfile::NamedTempFile::new_in(parent).map_err(err)?;
        std::io::Write::write_all(&mut tmp, file.text.as_bytes()).map_err(err)?;
        tmp.persist(&path).map_err(|e| err(e.error))?;
    }
    Ok(())
}

/// The text `perfgate init` prints: each file written, then the notes.
pub fn render(plan: &Plan) -> String {
    let mut out = String::new();
    for file in &plan.files {
        let lines = file.text.lines().count();
        out.push_str(&format!("wrote {} ({lines} lines)\n", file.path.display()));
    }
    for note in &plan.notes {
        out.push_str(&format!("- {note}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(dir: &Path) -> InitOptions {
        InitOptions {
            dir: dir.to_path_buf(),
            commands: vec!["sleep 0.01".into()],
            action: DEFAULT_ACTION.into(),
            force: false,
        }
    }

    #[test]
    fn refuses_to_overwrite_and_writes_nothing_then_force_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("thresholds.toml"), "mine").unwrap();
        let plan = plan(&opts(dir.path())).unwrap();
        let err = write(dir.path(), &plan, false).unwrap_err().to_string();
        assert_eq!(
            err,
            "thresholds.toml: already exists; pass --force to overwrite it"
        );
        assert!(
            !dir.path().join("perfgate.toml").exists(),
            "nothing written"
        );
        write(dir.path(), &plan, true).unwrap();
        let written = std::fs::read_to_string(dir.path().join("thresholds.toml")).unwrap();
        assert_eq!(written, templates::thresholds());
        assert!(dir.path().join(WORKFLOW_PATH).exists());
    }

    #[test]
    fn the_written_suite_and_thresholds_load_with_perfgate_itself() {
        let dir = tempfile::tempdir().unwrap();
        let plan = plan(&opts(dir.path())).unwrap();
        write(dir.path(), &plan, false).unwrap();
        let suite = crate::suite::commands::load_suite(&dir.path().join("perfgate.toml")).unwrap();
        assert_eq!(suite.benches.len(), 1);
        crate::gate::Thresholds::load(&dir.path().join("thresholds.toml")).unwrap();
    }

    #[test]
    fn a_criterion_crate_gets_the_dev_dependency_line_and_no_suite_file() {
        let dir = tempfile::tempdir().unwrap();
        let manifest = "[package]\nname = \"lib\"\n\n[dev-dependencies]\ncriterion = \"0.5\"\n";
        std::fs::write(dir.path().join("Cargo.toml"), manifest).unwrap();
        std::fs::create_dir(dir.path().join("benches")).unwrap();
        std::fs::write(dir.path().join("benches/parse.rs"), "").unwrap();
        let mut o = opts(dir.path());
        o.commands.clear();
        let plan = plan(&o).unwrap();
        let paths: Vec<_> = plan.files.iter().map(|f| f.path.clone()).collect();
        assert_eq!(
            paths,
            [
                PathBuf::from("thresholds.toml"),
                PathBuf::from(WORKFLOW_PATH)
            ]
        );
        let text = render(&plan);
        assert!(text.contains("criterion = \"0.5\""), "{text}");
        assert!(text.contains("package = \"perfgate-bench\""), "{text}");
        assert!(plan.files[1].text.contains("cargo-bench: parse"));
    }
}
