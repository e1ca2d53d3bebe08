//! GitHub Actions outputs: the step summary and the `::error` / `::warning` annotations.

mod support;

use perfgate::output::github_actions::{ActionsEnv, annotations, publish_to};
use perfgate::output::markdown;

#[test]
fn annotations_flag_regressions_as_errors_and_doubtful_results_as_warnings() {
    insta::assert_snapshot!(annotations(&support::github::mixed()).join("\n"));
}

#[test]
fn annotations_warn_about_missing_baseline_and_machine_mismatch() {
    let lines = annotations(&support::github::no_baseline());
    assert_eq!(lines.len(), 1);
    assert!(lines[0].starts_with("::warning title=perfgate%3A no baseline::nothing was compared"));

    let lines = annotations(&support::github::machine_mismatch());
    assert_eq!(lines.len(), 1);
    assert!(lines[0].starts_with("::warning title=perfgate::machine mismatch"));
}

#[test]
fn unchanged_verdict_has_no_annotations() {
    assert!(annotations(&support::github::all_unchanged(5)).is_empty());
}

#[test]
fn step_summary_is_appended_and_annotations_printed_inside_actions() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "earlier step output\n").unwrap();
    let env = ActionsEnv {
        enabled: true,
        step_summary: Some(summary.clone()),
    };
    let verdict = support::github::mixed();
    let mut out = Vec::new();
    publish_to(&verdict, &env, &mut out).unwrap();

    let written = std::fs::read_to_string(&summary).unwrap();
    assert_eq!(
        written,
        format!("earlier step output\n{}\n", markdown::render(&verdict))
    );
    let printed = String::from_utf8(out).unwrap();
    assert_eq!(printed, annotations(&verdict).join("\n") + "\n");
}

#[test]
fn nothing_is_published_outside_actions() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    let env = ActionsEnv {
        enabled: false,
        step_summary: Some(summary.clone()),
    };
    let mut out = Vec::new();
    publish_to(&support::github::mixed(), &env, &mut out).unwrap();
    assert!(out.is_empty());
    assert!(!summary.exists());
}

#[test]
fn unwritable_step_summary_is_an_error_naming_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    let env = ActionsEnv {
        enabled: true,
        step_summary: Some(dir.path().join("no/such/dir/summary.md")),
    };
    let err = publish_to(&support::github::mixed(), &env, &mut Vec::new()).unwrap_err();
    assert!(
        format!("{err:#}").contains("GITHUB_STEP_SUMMARY"),
        "{err:#}"
    );
}
