//! The texts `perfgate init` writes: a starting perfgate.toml, thresholds.toml and the
//! pull-request workflow that uses the perfgate action.

use super::detect::CargoPackage;

/// The action the written workflow uses (`uses:`), unless `--action` names another.
pub const DEFAULT_ACTION: &str = "perfgate/perfgate@v1";

/// Quotes a string as a TOML basic string.
fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// perfgate.toml for a Cargo package with binaries: build once per side, run each binary.
pub fn suite_for_cargo(pkg: &CargoPackage) -> String {
    let mut text = String::from(
        "# perfgate command suite (written by `perfgate init`; reference: docs/formats.md).\n\
         # Each [[bench]] is a command; every run of it is one sample. Edit the commands so\n\
         # that each does the work you want to keep fast (arguments, input files).\n\
         build = [\"cargo\", \"build\", \"--release\"]   # once per side by `perfgate ab`\n",
    );
    for bin in &pkg.bins {
        text.push_str(&format!(
            "\n[[bench]]\nname = {}\ncommand = [{}]\nwarmup_runs = 1\n",
            toml_str(&format!("{bin}/run")),
            toml_str(&format!("./target/release/{bin}")),
        ));
    }
    text
}

/// perfgate.toml for any other project: the given shell commands, or one placeholder.
pub fn suite_for_commands(commands: &[String]) -> String {
    let mut text = String::from(
        "# perfgate command suite (written by `perfgate init`; reference: docs/formats.md).\n\
         # Each [[bench]] is a command; every run of it is one sample. Optional keys:\n\
         # build (once per side before measuring), setup, prepare, cleanup, cwd, env,\n\
         # warmup_runs, timeout_s.\n",
    );
    if commands.is_empty() {
        text.push_str(
            "\n# Replace this placeholder with a command of your project.\n\
             [[bench]]\nname = \"example/true\"\ncommand = [\"true\"]\n",
        );
    }
    for (i, command) in commands.iter().enumerate() {
        let name = format!("command-{}", i + 1);
        text.push_str(&format!(
            "\n[[bench]]\nname = {}\ncommand = {}\nshell = true\nwarmup_runs = 1\n",
            toml_str(&name),
            toml_str(command)
        ));
    }
    text
}

/// A starting thresholds.toml: the A/B limits and the committed-baseline defaults.
pub fn thresholds() -> String {
    "# perfgate thresholds (written by `perfgate init`; every key: docs/formats.md).\n\
     \n\
     # Pull requests measured against their base (`perfgate ab`, the action's mode: ab):\n\
     # a regression is a paired change above p50 with p_adjusted below alpha.\n\
     [ab]\n\
     p50 = \"2%\"\n\
     alpha = 0.01\n\
     \n\
     # Runs gated against a committed baseline (`perfgate run`, mode: baseline).\n\
     [gate]\n\
     alpha = 0.01\n\
     \n\
     [defaults]\n\
     p10 = \"5%\"\n\
     missing = \"fail\"\n\
     new = \"pass\"\n"
        .to_string()
}

/// What the workflow's action step gates: a suite file, or a criterion bench target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gated {
    /// perfgate.toml, A/B against the pull request's base.
    Suite,
    /// `cargo bench --bench NAME`, imported and gated against a committed baseline.
    CargoBench(String),
}

/// .github/workflows/perfgate.yml: checkout with history, then the perfgate action.
pub fn workflow(action: &str, gated: &Gated) -> String {
    let with = match gated {
        Gated::Suite => "          suite: perfgate.toml\n          mode: ab\n".to_string(),
        Gated::CargoBench(name) => format!(
            "          cargo-bench: {name}\n          mode: baseline\n          baseline: baselines/ci.json\n"
        ),
    };
    format!(
        "# Gate every pull request on its benchmarks (written by `perfgate init`).\n\
         name: perfgate\n\
         on: pull_request\n\
         permissions:\n\
         \x20 contents: read\n\
         \x20 pull-requests: write\n\
         jobs:\n\
         \x20 perfgate:\n\
         \x20   runs-on: ubuntu-24.04\n\
         \x20   steps:\n\
         \x20     - uses: actions/checkout@v6\n\
         \x20       with:\n\
         \x20         fetch-depth: 0\n\
         \x20     - uses: {action}\n\
         \x20       with:\n\
         {with}\
         \x20         thresholds: thresholds.toml\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_suite_of_commands_parses_and_quotes_each_command() {
        let text = suite_for_commands(&["sleep 0.1".into(), "echo \"hi\" | wc -c".into()]);
        let doc: toml::Table = toml::from_str(&text).unwrap();
        let benches = doc["bench"].as_array().unwrap();
        assert_eq!(benches.len(), 2);
        assert_eq!(benches[1]["command"].as_str(), Some("echo \"hi\" | wc -c"));
        assert_eq!(benches[1]["shell"].as_bool(), Some(true));
    }

    #[test]
    fn the_workflow_is_at_most_25_lines_and_uses_the_action() {
        for gated in [Gated::Suite, Gated::CargoBench("parse".into())] {
            let text = workflow(DEFAULT_ACTION, &gated);
            assert!(text.lines().count() <= 25, "{text}");
            assert!(
                text.contains("      - uses: perfgate/perfgate@v1\n"),
                "{text}"
            );
            assert!(text.ends_with("thresholds: thresholds.toml\n"), "{text}");
        }
    }

    #[test]
    fn thresholds_parse_as_toml() {
        let doc: toml::Table = toml::from_str(&thresholds()).unwrap();
        assert_eq!(doc["ab"]["p50"].as_str(), Some("2%"));
    }
}
