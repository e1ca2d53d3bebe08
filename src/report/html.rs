//! Renders the report document as one self-contained HTML page: inline CSS and inline SVG
//! charts, no scripts, nothing fetched from the network. Written as XHTML-style markup
//! (every element closed) so it also parses as XML.

use std::fmt::Write;

use super::charts::{self, ChartError};
use super::doc::{Block, Section, Table};
use super::escape::html as esc;

/// The page's style sheet.
pub(super) const CSS: &str = "
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#222;background:#fafafa}
main{max-width:1040px;margin:0 auto;padding:16px 24px 48px;background:#fff}
h1{font-size:1.7em;margin-bottom:.2em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}
h3{margin-top:1.4em}p.meta{color:#555;margin:.1em 0}
nav ul{list-style:none;padding:0;display:flex;gap:1.2em;flex-wrap:wrap}
table{border-collapse:collapse;margin:.6em 0;font-size:.92em}
th,td{border:1px solid #ddd;padding:4px 8px;vertical-align:top}th{background:#f0f0f0;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr:nth-child(even) td{background:#fafafa}
figure{margin:1em 0}figure svg{max-width:100%;height:auto;border:1px solid #eee}
figcaption{color:#555;font-size:.9em}
";

/// Renders a titled report of `sections` as an HTML page.
pub fn render(title: &str, intro: &[String], sections: &[Section]) -> Result<String, ChartError> {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n\
         <title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n",
        esc(title),
        esc(title)
    );
    for line in intro {
        let _ = writeln!(out, "<p class=\"meta\">{}</p>", esc(line));
    }
    out.push_str("<nav><ul>\n");
    for s in sections {
        let _ = writeln!(out, "<li><a href=\"#{}\">{}</a></li>", s.id, esc(&s.title));
    }
    out.push_str("</ul></nav>\n");
    for s in sections {
        let _ = writeln!(out, "<section id=\"{}\">\n<h2>{}</h2>", s.id, esc(&s.title));
        for block in &s.blocks {
            render_block(&mut out, block)?;
        }
        out.push_str("</section>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    Ok(out)
}

fn render_block(out: &mut String, block: &Block) -> Result<(), ChartError> {
    match block {
        Block::Subheading(text) => {
            let _ = writeln!(out, "<h3>{}</h3>", esc(text));
        }
        Block::Text(text) => {
            let _ = writeln!(out, "<p>{}</p>", esc(text));
        }
        Block::List(items) => {
            out.push_str("<ul>\n");
            for item in items {
                let _ = writeln!(out, "<li>{}</li>", esc(item));
            }
            out.push_str("</ul>\n");
        }
        Block::Table(table) => render_table(out, table),
        Block::Chart(chart) => {
            let svg = charts::draw(chart)?;
            let _ = writeln!(out, "<figure class=\"chart\">\n{}</figure>", svg.trim());
        }
    }
    Ok(())
}

fn render_table(out: &mut String, table: &Table) {
    out.push_str("<table>\n<thead><tr>");
    for h in &table.header {
        let _ = write!(out, "<th>{}</th>", esc(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &table.rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            if table.right.contains(&i) {
                let _ = write!(out, "<td class=\"num\">{}</td>", esc(cell));
            } else {
                let _ = write!(out, "<td>{}</td>", esc(cell));
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}
