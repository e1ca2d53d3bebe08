//! Tests of the whole report on the hand-made fixture: the Markdown snapshot, a well-formed
//! self-contained HTML page with every section and a chart per group, escaping.

use std::collections::BTreeMap;

use super::fixture;
use super::input::{BaselineData, ReportInput};
use crate::gate::Limits;
use crate::results::ResultsFile;
use crate::verdict::Verdict;

fn limits(results: &ResultsFile) -> BTreeMap<String, Limits> {
    results
        .benchmarks
        .iter()
        .map(|b| (b.name.clone(), Limits::DEFAULT))
        .collect()
}

fn input<'a>(
    results: &'a ResultsFile,
    baseline: Option<&'a BaselineData>,
    verdict: Option<&'a Verdict>,
) -> ReportInput<'a> {
    ReportInput {
        results,
        results_file: "candidate.json".to_string(),
        baseline,
        verdict,
        limits: limits(results),
    }
}

#[test]
fn markdown_report_with_baseline_matches_snapshot() {
    let (cand, base) = (fixture::candidate(), fixture::baseline());
    let verdict = fixture::verdict(&cand, &base);
    insta::assert_snapshot!(super::markdown(&input(&cand, Some(&base), Some(&verdict))));
}

#[test]
fn markdown_report_without_baseline_matches_snapshot() {
    let cand = fixture::candidate();
    insta::assert_snapshot!(super::markdown(&input(&cand, None, None)));
}

#[test]
fn large_change_the_gate_calls_noise_is_labelled_inconclusive_not_regression() {
    let (cand, base) = (fixture::candidate(), fixture::baseline());
    let verdict = fixture::verdict(&cand, &base);
    let md = super::markdown(&input(&cand, Some(&base), Some(&verdict)));
    let row = md
        .lines()
        .find(|l| l.starts_with("| matmul\\_mt/512 | ") && l.contains("inconclusive"))
        .expect(&md);
    assert!(row.contains("inconclusive: noise ±14.0%"), "{row}");
    let gelu = md
        .lines()
        .find(|l| l.starts_with("| gelu/1000000 | ") && l.contains("+1"))
        .unwrap();
    assert!(gelu.ends_with("| regression |"), "{gelu}");
}

#[test]
fn noisy_benchmark_gets_a_computed_remedy() {
    let (cand, base) = (fixture::candidate(), fixture::baseline());
    let verdict = fixture::verdict(&cand, &base);
    let md = super::markdown(&input(&cand, Some(&base), Some(&verdict)));
    let line = md
        .lines()
        .find(|l| l.starts_with("- matmul\\_mt/512: noise margin"))
        .expect(&md);
    assert!(line.contains("±14.0% > limit 5.0%"), "{line}");
    assert!(line.contains("More runs cannot help"), "{line}");
    assert!(
        line.contains("Gateable only with a P10 limit of at least 14%"),
        "{line}"
    );
}

/// Checks that `text` is well-formed XML-style markup: every element closed in order,
/// attributes quoted, `&` only in entities, no `<` in text. Returns the element names.
fn well_formed(text: &str) -> Result<Vec<String>, String> {
    let mut stack: Vec<String> = Vec::new();
    let mut seen = Vec::new();
    let mut rest = text.strip_prefix("<!DOCTYPE html>").ok_or("no doctype")?;
    while let Some(open) = rest.find(['<', '&']) {
        let (before, at) = rest.split_at(open);
        if before.contains('>') && stack.last().is_none_or(|t| t != "style") {
            // '>' is legal in XML text; nothing to check.
        }
        if at.starts_with('&') {
            let end = at.find(';').ok_or("unterminated entity")?;
            let entity = &at[1..end];
            let known = ["lt", "gt", "amp", "quot", "apos", "#39"].contains(&entity)
                || entity
                    .strip_prefix('#')
                    .is_some_and(|d| d.parse::<u32>().is_ok());
            if !known {
                return Err(format!("bad entity &{entity};"));
            }
            rest = &at[end + 1..];
            continue;
        }
        let close = at.find('>').ok_or("unterminated tag")?;
        let tag = &at[1..close];
        rest = &at[close + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            match stack.pop() {
                Some(open) if open == name => {}
                other => return Err(format!("</{name}> closes {other:?}")),
            }
            continue;
        }
        let self_closing = tag.ends_with('/');
        let body = tag.trim_end_matches('/');
        let name: String = body.chars().take_while(|c| !c.is_whitespace()).collect();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(format!("bad tag <{tag}>"));
        }
        let attrs = &body[name.len()..];
        if attrs.matches('"').count() % 2 != 0 || attrs.contains('<') {
            return Err(format!("bad attributes in <{tag}>"));
        }
        seen.push(name.clone());
        if !self_closing {
            stack.push(name);
        }
    }
    match stack.is_empty() {
        true => Ok(seen),
        false => Err(format!("unclosed: {stack:?}")),
    }
}

#[test]
fn html_is_well_formed_self_contained_with_every_section_and_a_chart_per_group() {
    let (cand, base) = (fixture::candidate(), fixture::baseline());
    let verdict = fixture::verdict(&cand, &base);
    let page = super::html(&input(&cand, Some(&base), Some(&verdict))).unwrap();
    let tags = well_formed(&page).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !tags
            .iter()
            .any(|t| t == "script" || t == "img" || t == "link" || t == "iframe")
    );
    assert_eq!(
        page.matches("http").count(),
        page.matches("xmlns=\"http://www.w3.org/2000/svg\"").count()
    );
    for id in ["profile", "comparison", "models", "kernels", "variability"] {
        assert!(
            page.contains(&format!("<section id=\"{id}\">")),
            "section {id}"
        );
    }
    let groups = ["matmul", "gelu", "softmax", "elementwise", "model"];
    for g in groups {
        let caption = format!(">\n{g} — samples relative to the reference median\n<");
        assert_eq!(
            page.matches(&caption).count(),
            1,
            "distribution chart for {g}"
        );
    }
    assert_eq!(
        page.matches("<svg").count(),
        groups.len() + 4,
        "distributions, matmul, changes, model time and bytes per token"
    );
    assert!(page.contains("matmul GFLOP/s vs size"));
    // To look at the page in a browser: PERFGATE_REPORT_HTML=/tmp/report.html cargo test.
    if let Some(path) = std::env::var_os("PERFGATE_REPORT_HTML") {
        std::fs::write(path, &page).unwrap();
    }
    assert!(page.contains("P50 change per benchmark (95% CI), coloured by the gate"));
}

#[test]
fn text_from_files_is_escaped_in_both_formats() {
    let mut cand = fixture::candidate();
    cand.benchmarks[0].name = "evil|<b>&`x`\nname".to_string();
    let page = super::html(&input(&cand, None, None)).unwrap();
    well_formed(&page).unwrap_or_else(|e| panic!("{e}"));
    assert!(page.contains("evil|&lt;b&gt;&amp;`x`"));
    let md = super::markdown(&input(&cand, None, None));
    let row = md.lines().find(|l| l.contains("evil")).unwrap();
    assert!(row.contains("evil\\|&lt;b>&amp;\\`x\\` name"), "{row}");
}

#[test]
fn checker_rejects_broken_markup() {
    for bad in [
        "<!DOCTYPE html><p>",
        "<!DOCTYPE html><p></b>",
        "<!DOCTYPE html><p>a & b</p>",
    ] {
        assert!(well_formed(bad).is_err(), "{bad}");
    }
}
