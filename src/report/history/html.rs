//! The HTML trend report: one inline-SVG chart per series (its last commits, change points
//! marked, every point a link to its commit), the change-point table above. No JavaScript.

use std::fmt::Write;

use super::{level, render_markdown, summary_line};
use crate::history::{CheckOutcome, History, Series};
use crate::report::escape::html as esc;

/// How the page is drawn.
#[derive(Debug, Clone)]
pub struct HtmlOptions {
    /// Link of a commit; `{commit}` is replaced by the full hash (None: no links).
    pub commit_url: Option<String>,
    /// Points drawn per series (the most recent).
    pub last: usize,
}

const W: f64 = 900.0;
const H: f64 = 180.0;
const PAD_L: f64 = 80.0;
const PAD_R: f64 = 10.0;
const PAD_Y: f64 = 14.0;

fn chart(history: &History, s: &Series, outcome: &CheckOutcome, opts: &HtmlOptions) -> String {
    let n = s.values.len();
    let from = n.saturating_sub(opts.last.max(2));
    let vals = &s.values[from..];
    let (lo, hi) = vals
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    let span = if hi > lo {
        hi - lo
    } else {
        hi.abs().max(1.0) * 0.01
    };
    let x =
        |i: usize| PAD_L + (W - PAD_L - PAD_R) * (i - from) as f64 / (vals.len().max(2) - 1) as f64;
    let y = |v: f64| H - PAD_Y - (H - 2.0 * PAD_Y) * (v - lo) / span;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {H}\" width=\"{W}\" height=\"{H}\" role=\"img\">\n\
         <text x=\"4\" y=\"{:.1}\" font-size=\"11\">{}</text><text x=\"4\" y=\"{:.1}\" font-size=\"11\">{}</text>\n",
        y(hi) + 4.0,
        esc(&level(&s.key.metric, hi)),
        y(lo),
        esc(&level(&s.key.metric, lo)),
    );
    for f in outcome
        .change_points
        .iter()
        .filter(|f| f.series == s.key && f.index >= from)
    {
        let colour = if !f.regression {
            "#2a7"
        } else if f.acknowledged {
            "#d90"
        } else {
            "#c22"
        };
        let _ = writeln!(
            svg,
            "<line x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"0\" y2=\"{H}\" stroke=\"{colour}\" stroke-dasharray=\"4 3\"><title>{1}</title></line>",
            x(f.index),
            esc(&format!(
                "change point at {}: {:+.1}%",
                f.commit,
                f.change * 100.0
            ))
        );
    }
    let path: Vec<String> = (from..n)
        .map(|i| format!("{:.1},{:.1}", x(i), y(s.values[i])))
        .collect();
    let _ = writeln!(
        svg,
        "<polyline fill=\"none\" stroke=\"#36c\" stroke-width=\"1\" points=\"{}\" />",
        path.join(" ")
    );
    for i in from..n {
        let commit = &history.commits[s.commits[i] as usize].commit;
        let dot = format!(
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\" fill=\"#36c\"><title>{}</title></circle>",
            x(i),
            y(s.values[i]),
            esc(&format!("{commit}: {}", level(&s.key.metric, s.values[i])))
        );
        match &opts.commit_url {
            Some(t) => {
                let _ = writeln!(
                    svg,
                    "<a href=\"{}\">{dot}</a>",
                    esc(&t.replace("{commit}", commit))
                );
            }
            None => svg.push_str(&dot),
        }
    }
    svg.push_str("</svg>\n");
    svg
}

/// The whole trend report page.
pub fn render_html(history: &History, outcome: &CheckOutcome, opts: &HtmlOptions) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n\
         <title>perfgate history</title>\n<style>",
    );
    out.push_str(crate::report::html_css());
    out.push_str("</style>\n</head>\n<body>\n<main>\n<h1>perfgate history</h1>\n");
    let _ = writeln!(out, "<p class=\"meta\">{}</p>", esc(&summary_line(outcome)));
    out.push_str("<h2>Change points</h2>\n<pre>");
    out.push_str(&esc(&render_markdown(outcome)));
    out.push_str("</pre>\n<h2>Series</h2>\n");
    for s in &history.series {
        let _ = writeln!(
            out,
            "<figure>\n{}<figcaption>{} — last {} of {} commits; dashed lines: change points (red regression, orange acknowledged, green improvement)</figcaption>\n</figure>",
            chart(history, s, outcome, opts),
            esc(&s.key.to_string()),
            s.values.len().min(opts.last.max(2)),
            s.values.len()
        );
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}
