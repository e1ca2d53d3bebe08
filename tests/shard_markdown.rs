//! The PR comment of a large (sharded) suite: regressions, improvements and inconclusive
//! results listed in full, unchanged benchmarks counted, a link to the full table.

mod support;

use perfgate::github::comment::{COMMENT_MAX_CHARS, comment_body};
use perfgate::output::markdown::{MarkdownOptions, render_within, utf16_len};
use perfgate::verdict::Verdict;

/// `mixed()` (every kind of result) plus `extra` unchanged benchmarks.
fn large(extra: usize) -> Verdict {
    let mut verdict = support::github::mixed();
    let filler = support::github::all_unchanged(extra);
    verdict.benchmarks.extend(filler.benchmarks);
    verdict
}

#[test]
fn large_suite_comment_lists_what_changed_and_counts_the_unchanged() {
    let verdict = large(400);
    let options = MarkdownOptions {
        report_url: Some("https://github.com/octo/repo/actions/runs/42".into()),
        ..MarkdownOptions::default()
    };
    let md = render_within(&verdict, &options, 8_000);
    assert!(utf16_len(&md) <= 8_000);
    insta::assert_snapshot!(md);
}

#[test]
fn comment_of_2000_benchmarks_stays_under_the_limit_and_keeps_every_regression() {
    let mut verdict = large(2000);
    // Ten more regressions spread through the suite.
    for i in (100..2000).step_by(190) {
        verdict.benchmarks[i].status = perfgate::verdict::Status::Regression;
        verdict.benchmarks[i].name = format!("regressed/{i}");
    }
    let body = comment_body(&verdict, "perfgate", Some("https://example.invalid/run"));
    assert!(utf16_len(&body) <= COMMENT_MAX_CHARS);
    for i in (100..2000).step_by(190) {
        assert!(
            body.contains(&format!("regressed/{i}")),
            "regressed/{i} listed"
        );
    }
    assert!(!body.contains("more benchmark(s) not shown"), "no row cut");
    assert!(body.contains("benchmark(s) not listed here"));
    assert!(body.contains("(https://example.invalid/run)"));
}
