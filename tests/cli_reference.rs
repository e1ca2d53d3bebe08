//! docs/cli.md is generated from the clap definitions (src/cli.rs), so the CLI reference
//! cannot drift from `--help`: this test renders every subcommand's `--help` and compares
//! it with the file, and checks that the binary prints the same. After changing a flag,
//! regenerate the file with `PERFGATE_BLESS_DOCS=1 cargo test --test cli_reference`.

use clap::CommandFactory;
use perfgate::cli::Cli;

const DOC: &str = "docs/cli.md";

/// What `ARGS --help` prints, as clap renders it for the binary.
fn help_of(args: &[&str]) -> String {
    let mut argv = vec!["perfgate"];
    argv.extend_from_slice(args);
    argv.push("--help");
    let err = Cli::command().try_get_matches_from(argv).unwrap_err();
    assert_eq!(err.kind(), clap::error::ErrorKind::DisplayHelp);
    err.render().to_string()
}

/// The `--help` text of `perfgate` and of every visible subcommand, in order.
fn helps() -> Vec<(String, String)> {
    let cli = Cli::command();
    let mut out = vec![("perfgate".to_string(), help_of(&[]))];
    for sub in cli.get_subcommands() {
        if sub.is_hide_set() || sub.get_name() == "help" {
            continue;
        }
        let name = sub.get_name().to_string();
        out.push((format!("perfgate {name}"), help_of(&[&name])));
    }
    out
}

/// docs/cli.md as it should read.
fn render() -> String {
    let mut doc = String::from(
        "# CLI reference\n\n\
         Generated from `src/cli.rs` — do not edit by hand. After changing a flag, run\n\
         `PERFGATE_BLESS_DOCS=1 cargo test --test cli_reference` and commit the result;\n\
         `cargo test` fails while this page and `--help` differ.\n\n\
         Exit codes of every command: `0` pass, `1` regression found, `2` usage or input error.\n\n",
    );
    let helps = helps();
    for (name, _) in &helps[1..] {
        let anchor = name.replace(' ', "-");
        doc.push_str(&format!("- [`{name}`](#{anchor})\n"));
    }
    for (name, help) in helps {
        doc.push_str(&format!(
            "\n## {name}\n\n```text\n{}\n```\n",
            help.trim_end()
        ));
    }
    doc
}

#[test]
fn docs_cli_md_is_the_help_of_every_subcommand() {
    let want = render();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(DOC);
    if std::env::var_os("PERFGATE_BLESS_DOCS").is_some() {
        std::fs::write(&path, &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "{DOC} differs from `--help`; regenerate it with \
         `PERFGATE_BLESS_DOCS=1 cargo test --test cli_reference`"
    );
}

#[test]
fn the_binary_prints_the_same_help_as_the_reference() {
    for (name, help) in helps() {
        let mut args: Vec<&str> = name.split(' ').skip(1).collect();
        args.push("--help");
        let out = assert_cmd::Command::cargo_bin("perfgate")
            .unwrap()
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{name} --help");
        let printed = String::from_utf8(out.stdout).unwrap();
        assert_eq!(printed.trim_end(), help.trim_end(), "{name} --help");
    }
}
