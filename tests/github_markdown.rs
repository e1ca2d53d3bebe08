//! The Markdown verdict (PR comment and step summary) as people see it: snapshots of
//! hand-built verdicts, and the size cap.

mod support;

use perfgate::output::markdown::{
    self, MarkdownOptions, render, render_with, render_within, utf16_len,
};
use support::github::{all_unchanged, machine_mismatch, mixed, no_baseline};

#[test]
fn markdown_verdict_puts_regressions_first_and_escapes_names() {
    insta::assert_snapshot!(render(&mixed()));
}

#[test]
fn markdown_verdict_all_unchanged_says_no_regressions() {
    let md = render(&all_unchanged(3));
    assert!(md.starts_with("### ✅ no regressions in 3 benchmarks\n"));
    insta::assert_snapshot!(md);
}

#[test]
fn markdown_verdict_without_baseline_says_nothing_was_compared_and_how_to_bless() {
    let md = render(&no_baseline());
    assert!(md.contains("nothing compared"));
    assert!(md.contains("perfgate bless"));
    insta::assert_snapshot!(md);
}

#[test]
fn markdown_verdict_machine_mismatch_is_a_loud_note() {
    insta::assert_snapshot!(render(&machine_mismatch()));
}

#[test]
fn markdown_verdict_links_the_html_report() {
    let options = MarkdownOptions {
        report_url: Some("https://github.com/o/r/actions/runs/1#artifacts".into()),
        ..MarkdownOptions::default()
    };
    let md = render_with(&all_unchanged(1), &options);
    assert!(md.contains("📊 [Full HTML report](https://github.com/o/r/actions/runs/1#artifacts)"));
}

#[test]
fn headline_counts_regressions_and_inconclusive() {
    assert_eq!(
        markdown::headline(&mixed()),
        "❌ 2 regressions, 1 inconclusive, 1 missing, 1 improvement in 7 benchmarks"
    );
}

/// Every table in `md`: its rows all have the header's number of cells.
fn assert_tables_are_whole(md: &str) {
    let mut columns = None;
    for line in md.lines() {
        if line.starts_with('|') {
            // Escaped pipes do not separate cells.
            let cells = line.replace("\\|", "").matches('|').count();
            let expected = *columns.get_or_insert(cells);
            assert_eq!(cells, expected, "broken table row: {line}");
            assert!(line.ends_with('|'), "row cut in half: {line}");
        } else {
            columns = None;
        }
    }
}

#[test]
fn hostile_names_do_not_break_the_table() {
    assert_tables_are_whole(&render(&mixed()));
}

#[test]
fn size_cap_collapses_details_first() {
    let verdict = all_unchanged(40);
    let full = render(&verdict);
    let limit = utf16_len(&full) - 1;
    let short = render_within(&verdict, &MarkdownOptions::default(), limit);
    assert!(utf16_len(&short) <= limit);
    assert!(!short.contains("<details>"), "details should go first");
    assert_eq!(
        short.matches("| <code>matmul/").count(),
        40,
        "all rows kept"
    );
    assert!(short.contains("shortened to fit GitHub's"));
}

#[test]
fn size_cap_drops_whole_rows_and_says_so() {
    // Inconclusive rows are listed even when unchanged ones are counted: only cutting rows
    // makes 3000 of them fit.
    let mut verdict = all_unchanged(3000);
    for b in &mut verdict.benchmarks {
        b.status = perfgate::verdict::Status::Inconclusive;
    }
    let limit = 65_000;
    let short = render_within(&verdict, &MarkdownOptions::default(), limit);
    assert!(utf16_len(&short) <= limit);
    assert!(utf16_len(&short) > limit - 200, "uses the room it has");
    assert_tables_are_whole(&short);
    let shown = short.matches("| <code>matmul/").count();
    assert!(shown > 100 && shown < 3000, "{shown} rows");
    assert!(short.contains(&format!(
        "… and {} more benchmark(s) not shown.",
        3000 - shown
    )));
    assert!(short.contains("shortened to fit GitHub's 65000-character limit"));
}

#[test]
fn size_cap_keeps_regressions_over_unchanged_rows() {
    let mut verdict = all_unchanged(3000);
    let last = verdict.benchmarks.last_mut().unwrap();
    last.status = perfgate::verdict::Status::Regression;
    last.name = "the/regressed/one".into();
    let short = render_within(&verdict, &MarkdownOptions::default(), 20_000);
    assert!(short.contains("the/regressed/one"));
}

#[test]
fn headline_of_a_pass_with_inconclusive_results_is_a_warning_not_a_check_mark() {
    let mut verdict = all_unchanged(4);
    verdict.benchmarks[2].status = perfgate::verdict::Status::Inconclusive;
    assert_eq!(
        markdown::headline(&verdict),
        "⚠️ no regressions, 1 inconclusive in 4 benchmarks"
    );
}
