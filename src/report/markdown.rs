//! Renders the report document as GitHub-flavoured Markdown. Charts are HTML-only; the
//! tables next to them carry the same numbers.

use std::fmt::Write;

use super::doc::{Block, Section, Table};
use super::escape;

/// Renders a titled report of `sections` as Markdown.
pub fn render(title: &str, intro: &[String], sections: &[Section]) -> String {
    let mut out = format!("# {}\n\n", escape::markdown(title));
    for line in intro {
        let _ = writeln!(out, "{}  ", escape::markdown(line));
    }
    for section in sections {
        let _ = write!(out, "\n## {}\n", escape::markdown(&section.title));
        for block in &section.blocks {
            render_block(&mut out, block);
        }
    }
    out
}

fn render_block(out: &mut String, block: &Block) {
    match block {
        Block::Subheading(text) => {
            let _ = write!(out, "\n### {}\n", escape::markdown(text));
        }
        Block::Text(text) => {
            let _ = write!(out, "\n{}\n", escape::markdown(text));
        }
        Block::List(items) => {
            out.push('\n');
            for item in items {
                let _ = writeln!(out, "- {}", escape::markdown(item));
            }
        }
        Block::Table(table) => render_table(out, table),
        Block::Chart(_) => {}
    }
}

fn render_table(out: &mut String, table: &Table) {
    out.push('\n');
    let row = |cells: &[String]| {
        let cells: Vec<String> = cells.iter().map(|c| escape::markdown(c)).collect();
        format!("| {} |\n", cells.join(" | "))
    };
    out.push_str(&row(&table.header));
    let rule: Vec<&str> = (0..table.header.len())
        .map(|i| {
            if table.right.contains(&i) {
                "---:"
            } else {
                "---"
            }
        })
        .collect();
    let _ = writeln!(out, "|{}|", rule.join("|"));
    for cells in &table.rows {
        out.push_str(&row(cells));
    }
}
