//! Escaping of text taken from files (benchmark names, notes, errors) so it cannot break
//! the Markdown or HTML around it.

/// Escapes text for a Markdown paragraph or table cell: Markdown punctuation gets a
/// backslash, `|` cannot end a cell, `<` and `&` become entities (no HTML tags), line breaks
/// become spaces.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes text for HTML/XML element content and attribute values.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escape_keeps_table_cells_intact() {
        assert_eq!(markdown("a|b\n`c`"), "a\\|b \\`c\\`");
        assert_eq!(markdown("<b>&"), "&lt;b>&amp;");
        assert_eq!(
            markdown("broadcast_add/1000x1000"),
            "broadcast\\_add/1000x1000"
        );
    }

    #[test]
    fn html_escape_covers_markup_and_quotes() {
        assert_eq!(
            html(r#"<script>"x"&'y'</script>"#),
            "&lt;script&gt;&quot;x&quot;&amp;&#39;y&#39;&lt;/script&gt;"
        );
    }
}
