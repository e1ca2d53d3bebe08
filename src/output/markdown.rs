//! The verdict as GitHub-flavoured Markdown: what the PR comment and the step summary carry.
//!
//! A headline that says it all, loud notes, one table row per benchmark (regressions first),
//! every check with its p-values in a collapsible block, the thresholds used. Text that comes
//! from files (benchmark names, notes, messages, file names) is escaped so it cannot break
//! the table or the page. [`render_within`] shortens the whole to a size limit without ever
//! cutting a table in half.

use std::fmt::Write;

use super::units::{bytes, duration, signed_percent, three_digits};
use crate::verdict::{BenchmarkVerdict, Check, Metric, Outcome, Status, Verdict, headline_check};

/// What to include when rendering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkdownOptions {
    /// Include the collapsible block with every check (P95, P99, allocations, p-values).
    pub details: bool,
    /// Link to the HTML report, shown under the table.
    pub report_url: Option<String>,
    /// Show at most this many benchmark rows (regressions first); `None`: all of them.
    pub max_rows: Option<usize>,
    /// Show at most this many notes; `None`: all of them.
    pub max_notes: Option<usize>,
    /// Set when content was left out, with the limit that forced it (in characters).
    pub shortened_to: Option<usize>,
    /// List only the benchmarks that need a look (regressions, improvements, inconclusive,
    /// failed, missing) and count the unchanged and new ones in one line.
    pub summarise_unchanged: bool,
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        MarkdownOptions {
            details: true,
            report_url: None,
            max_rows: None,
            max_notes: None,
            shortened_to: None,
            summarise_unchanged: false,
        }
    }
}

/// Longest piece of free text (a note, a message, a file name) shown before it is cut.
const MAX_TEXT_CHARS: usize = 600;

/// Renders the whole verdict with details.
pub fn render(verdict: &Verdict) -> String {
    render_with(verdict, &MarkdownOptions::default())
}

/// Renders the verdict with the given options.
pub fn render_with(verdict: &Verdict, options: &MarkdownOptions) -> String {
    let mut out = String::new();
    let mut rows = ordered(verdict);
    let _ = writeln!(out, "### {}\n", headline(verdict));
    write_notes(&mut out, verdict, options.max_notes);
    if options.summarise_unchanged {
        let listed = rows.iter().take_while(|b| !summarised(b.status)).count();
        write_summarised(&mut out, &rows[listed..], options.report_url.as_deref());
        rows.truncate(listed);
    }
    let shown = options.max_rows.unwrap_or(rows.len()).min(rows.len());
    if !rows.is_empty() {
        write_table(&mut out, &rows[..shown]);
        if shown < rows.len() {
            let _ = writeln!(
                out,
                "\n… and {} more benchmark(s) not shown.",
                rows.len() - shown
            );
        }
        write_messages(&mut out, &rows[..shown]);
        if options.details {
            write_details(&mut out, &rows[..shown]);
        }
    }
    write_footer(&mut out, verdict, options);
    out
}

/// Renders the verdict in at most `max_chars` characters (counted as UTF-16 code units, the
/// way GitHub counts). Shortens step by step — details block first; then unchanged and new
/// benchmarks are counted instead of listed (with the details of the listed ones back if
/// they fit); then notes beyond the first ten, then table rows from the bottom (the least
/// important, since regressions come first) — and says that it was shortened. Tables are
/// always complete.
pub fn render_within(verdict: &Verdict, options: &MarkdownOptions, max_chars: usize) -> String {
    let full = render_with(verdict, options);
    if utf16_len(&full) <= max_chars {
        return full;
    }
    let mut opts = MarkdownOptions {
        details: false,
        shortened_to: Some(max_chars),
        ..options.clone()
    };
    let fits = |o: &MarkdownOptions| utf16_len(&render_with(verdict, o)) <= max_chars;
    if fits(&opts) {
        return render_with(verdict, &opts);
    }
    opts.summarise_unchanged = true;
    for details in [options.details, false] {
        opts.details = details;
        if fits(&opts) {
            return render_with(verdict, &opts);
        }
    }
    opts.max_notes = Some(verdict.notes.len().min(10));
    // More rows never make the text shorter: binary search the largest count that fits.
    let (mut lo, mut hi) = (0, verdict.benchmarks.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        opts.max_rows = Some(mid);
        if fits(&opts) { lo = mid } else { hi = mid - 1 }
    }
    opts.max_rows = Some(lo);
    if !fits(&opts) {
        opts.max_notes = Some(0);
    }
    render_with(verdict, &opts)
}

/// Length of `text` in UTF-16 code units.
pub fn utf16_len(text: &str) -> usize {
    text.encode_utf16().count()
}

/// The first line: an emoji and the counts that matter, e.g. "❌ 2 regressions, 1
/// inconclusive in 23 benchmarks".
pub fn headline(verdict: &Verdict) -> String {
    // The suite-wide row is a check over the others, not a benchmark of its own.
    let n = verdict
        .benchmarks
        .iter()
        .filter(|b| b.name != crate::gate::SUITE_WIDE)
        .count();
    let benchmarks = plural(n, "benchmark", "benchmarks");
    if verdict.baseline.is_none() {
        return format!("⚠️ nothing compared: no baseline ({n} {benchmarks} measured)");
    }
    let count = |s: Status| verdict.benchmarks.iter().filter(|b| b.status == s).count();
    let regressions = count(Status::Regression);
    let mut parts = Vec::new();
    if regressions == 0 {
        parts.push("no regressions".to_string());
    } else {
        parts.push(format!(
            "{regressions} {}",
            plural(regressions, "regression", "regressions")
        ));
    }
    let mut doubtful = false;
    for (status, one, many) in [
        (Status::Failed, "failed", "failed"),
        (Status::Inconclusive, "inconclusive", "inconclusive"),
        (Status::Missing, "missing", "missing"),
    ] {
        let k = count(status);
        if k > 0 {
            doubtful = true;
            parts.push(format!("{k} {}", plural(k, one, many)));
        }
    }
    let improvements = count(Status::Improvement);
    if improvements > 0 {
        parts.push(format!(
            "{improvements} {}",
            plural(improvements, "improvement", "improvements")
        ));
    }
    let emoji = match (verdict.verdict, doubtful) {
        (Outcome::Fail, _) => "❌",
        (Outcome::Pass, true) => "⚠️",
        (Outcome::Pass, false) => "✅",
    };
    format!("{emoji} {} in {n} {benchmarks}", parts.join(", "))
}

/// Benchmarks in display order: regressions, improvements, then the rest (suite order
/// within each status).
fn ordered(verdict: &Verdict) -> Vec<&BenchmarkVerdict> {
    let mut rows: Vec<&BenchmarkVerdict> = verdict.benchmarks.iter().collect();
    rows.sort_by_key(|b| b.status);
    rows
}

/// Statuses counted rather than listed when unchanged rows are summarised.
fn summarised(status: Status) -> bool {
    matches!(status, Status::Unchanged | Status::New)
}

/// The line that stands for the rows not listed: their counts, and where the full table is.
fn write_summarised(out: &mut String, rows: &[&BenchmarkVerdict], url: Option<&str>) {
    let count = |s: Status| rows.iter().filter(|b| b.status == s).count();
    let mut parts = Vec::new();
    for (status, word) in [(Status::Unchanged, "unchanged"), (Status::New, "new")] {
        let n = count(status);
        if n > 0 {
            parts.push(format!("{} {n} {word}", emoji(status)));
        }
    }
    if parts.is_empty() {
        return;
    }
    let where_ = match url {
        Some(url) => format!(
            "the full table is in [the run's summary and report]({})",
            escape_url(url)
        ),
        None => "the full table is in the job's step summary and the verdict JSON".to_string(),
    };
    let _ = writeln!(
        out,
        "{} benchmark(s) not listed here; {where_}.\n",
        parts.join(", ")
    );
}

fn write_notes(out: &mut String, verdict: &Verdict, max_notes: Option<usize>) {
    let mut notes: Vec<String> = Vec::new();
    if verdict.baseline.is_none() {
        notes.push(
            "**No baseline: nothing was compared.** Bless one for this machine with \
             `perfgate bless` (several runs, e.g. `perfgate bless --from results-*.json` \
             on results downloaded from CI) and commit `baselines/`."
                .to_string(),
        );
    }
    notes.extend(verdict.notes.iter().map(|n| escape_text(n)));
    let total = notes.len();
    let shown = max_notes.unwrap_or(total).min(total);
    if total == 0 {
        return;
    }
    out.push_str("> [!WARNING]\n");
    for note in &notes[..shown] {
        let _ = writeln!(out, "> - {note}");
    }
    if shown < total {
        let _ = writeln!(out, "> - … and {} more note(s) not shown.", total - shown);
    }
    out.push('\n');
}

fn write_table(out: &mut String, rows: &[&BenchmarkVerdict]) {
    out.push_str("| Benchmark | Stat | Baseline | Candidate | Change | 95% CI | Verdict |\n");
    out.push_str("|:--|:-:|--:|--:|--:|:-:|:--|\n");
    for b in rows {
        let (stat, base, cand, change, ci) = match headline_check(&b.checks) {
            Some(c) => (
                c.metric.label(),
                value(c.metric, c.baseline),
                value(c.metric, c.candidate),
                signed_percent(c.decided_change()),
                ci(c),
            ),
            None => ("—", "—".into(), "—".into(), "—".into(), "—".into()),
        };
        let _ = writeln!(
            out,
            "| {} | {stat} | {base} | {cand} | {change} | {ci} | {} |",
            monospace(&b.name),
            verdict_cell(b)
        );
    }
}

/// Status word with an emoji; names the deciding check when it is not the headline one, and the
/// detectable change of an inconclusive result.
fn verdict_cell(b: &BenchmarkVerdict) -> String {
    let mut cell = format!("{} {}", emoji(b.status), b.status.as_str());
    let shown = headline_check(&b.checks).map(|c| c.metric);
    let deciding = b
        .checks
        .iter()
        .find(|c| c.status == b.status && Some(c.metric) != shown);
    let headline_decides = b
        .checks
        .iter()
        .any(|c| c.status == b.status && Some(c.metric) == shown);
    if let (Some(c), false) = (deciding, headline_decides) {
        let _ = write!(
            cell,
            " ({} {})",
            metric_name(c.metric),
            signed_percent(c.decided_change())
        );
    }
    if b.status == Status::Inconclusive
        && let Some(d) = b
            .checks
            .iter()
            .filter_map(|c| c.detectable)
            .reduce(f64::max)
    {
        let _ = write!(cell, " (could only detect ±{:.1}% or more)", d * 100.0);
    }
    cell
}

fn write_messages(out: &mut String, rows: &[&BenchmarkVerdict]) {
    let with_message: Vec<_> = rows
        .iter()
        .filter_map(|b| b.message.as_ref().map(|m| (b, m)))
        .collect();
    if with_message.is_empty() {
        return;
    }
    out.push('\n');
    for (b, m) in with_message {
        let _ = writeln!(
            out,
            "- {} {} — {}",
            emoji(b.status),
            monospace(&b.name),
            escape_text(m)
        );
    }
}

fn write_details(out: &mut String, rows: &[&BenchmarkVerdict]) {
    if rows.iter().all(|b| b.checks.is_empty()) {
        return;
    }
    out.push_str("\n<details><summary>All checks: timing quantiles and allocations</summary>\n\n");
    out.push_str(
        "| Benchmark | Metric | Baseline | Candidate | Change | 95% CI | p | p (Holm) | Limit | Status |\n",
    );
    out.push_str("|:--|:--|--:|--:|--:|:-:|--:|--:|--:|:--|\n");
    for b in rows {
        for c in &b.checks {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {}% | {} {} |",
                monospace(&b.name),
                metric_cell(c),
                value(c.metric, c.baseline),
                value(c.metric, c.candidate),
                signed_percent(c.decided_change()),
                ci(c),
                p_value(c.p_value),
                p_value(c.p_adjusted),
                three_digits(c.limit * 100.0),
                emoji(c.status),
                c.status.as_str()
            );
        }
    }
    out.push_str("\n</details>\n");
}

fn write_footer(out: &mut String, verdict: &Verdict, options: &MarkdownOptions) {
    let t = &verdict.thresholds;
    let _ = writeln!(
        out,
        "\nThresholds from {}: {}; family-wise α = {} (Holm–Bonferroni).",
        monospace(&t.file),
        escape_text(&t.limits),
        t.alpha
    );
    let candidate = &verdict.candidate;
    match &verdict.baseline {
        Some(b) => {
            let _ = writeln!(
                out,
                "Baseline {} ({} run(s), {}) vs candidate {} ({}).",
                monospace(&b.file),
                b.runs,
                escape_text(&b.env),
                monospace(&candidate.file),
                escape_text(&candidate.env)
            );
        }
        None => {
            let _ = writeln!(
                out,
                "Candidate {} ({}).",
                monospace(&candidate.file),
                escape_text(&candidate.env)
            );
        }
    }
    if let Some(url) = &options.report_url {
        let _ = writeln!(out, "\n📊 [Full HTML report]({})", escape_url(url));
    }
    if let Some(limit) = options.shortened_to {
        let _ = writeln!(
            out,
            "\n_This comment was shortened to fit GitHub's {limit}-character limit; the \
             verdict JSON and the report artifacts have everything._"
        );
    }
}

fn emoji(status: Status) -> &'static str {
    match status {
        Status::Regression => "❌",
        Status::Improvement => "🚀",
        Status::Inconclusive => "❔",
        Status::Failed => "💥",
        Status::Missing => "⚠️",
        Status::New => "🆕",
        Status::Unchanged => "✅",
    }
}

fn metric_name(metric: Metric) -> &'static str {
    metric.label()
}

/// The metric's name, with the paired rounds of an A/B check: "P50 (20 rounds)".
fn metric_cell(c: &Check) -> String {
    match c.rounds {
        Some(n) => format!(
            "{} ({n} {})",
            metric_name(c.metric),
            plural(n, "round", "rounds")
        ),
        None => metric_name(c.metric).to_string(),
    }
}

/// A value in the metric's unit.
fn value(metric: Metric, v: f64) -> String {
    match metric {
        Metric::P10 | Metric::P50 | Metric::P95 | Metric::P99 => duration(v),
        Metric::AllocBytes => bytes(v),
        Metric::Allocs | Metric::Instructions => three_digits(v),
    }
}

fn ci(c: &Check) -> String {
    match c.decided_ci() {
        Some((lo, hi)) => format!("{} … {}", signed_percent(lo), signed_percent(hi)),
        _ => "—".to_string(),
    }
}

fn p_value(p: Option<f64>) -> String {
    match p {
        Some(p) if p < 0.001 => format!("{p:.1e}"),
        Some(p) => format!("{p:.3}"),
        None => "—".to_string(),
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// A benchmark or file name: monospace (so GitHub does not turn `@x` into a mention) and
/// escaped.
fn monospace(text: &str) -> String {
    format!("<code>{}</code>", escape_text(text))
}

/// Escapes free text for a Markdown table cell or list item: HTML-significant characters
/// become entities, Markdown punctuation is backslash-escaped (`|` included, which would
/// otherwise end a table cell), line breaks become spaces, `@` cannot start a mention, and
/// anything longer than [`MAX_TEXT_CHARS`] is cut with "…".
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, ch) in text.chars().enumerate() {
        if i == MAX_TEXT_CHARS {
            out.push('…');
            break;
        }
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '@' => out.push_str("@&#8203;"),
            '\n' | '\r' | '\t' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '#' | '!' | '$' => {
                out.push('\\');
                out.push(ch);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes the characters of a URL that would end a Markdown link or break the line.
fn escape_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for ch in url.chars() {
        match ch {
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            ' ' => out.push_str("%20"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '"' => out.push_str("%22"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_text_cannot_break_a_table_cell_or_open_html() {
        let hostile = "a|b\nc`d<script>&e*f_[g](h)";
        let escaped = escape_text(hostile);
        assert_eq!(escaped, "a\\|b c\\`d&lt;script&gt;&amp;e\\*f\\_\\[g\\](h)");
        assert!(!escaped.contains('\n') && !escaped.contains('<'));
    }

    #[test]
    fn escaped_text_cannot_mention_anyone() {
        assert_eq!(escape_text("@octocat"), "@&#8203;octocat");
    }

    #[test]
    fn escaped_text_is_cut_when_very_long() {
        let long = "x".repeat(MAX_TEXT_CHARS + 50);
        assert_eq!(escape_text(&long).chars().count(), MAX_TEXT_CHARS + 1);
    }

    #[test]
    fn report_url_cannot_end_the_link_early() {
        assert_eq!(
            escape_url("https://x/a (b).html"),
            "https://x/a%20%28b%29.html"
        );
    }

    #[test]
    fn utf16_length_counts_emoji_as_two() {
        assert_eq!(utf16_len("✅"), 1);
        assert_eq!(utf16_len("🚀"), 2);
    }
}
