//! Text made safe for XML and HTML, in one place for every format: region names and the
//! paragraph are data, and a `<` or `&` in them must print, not break the document.

/// `text` for element content or a double- or single-quoted attribute value in XML or HTML.
/// Characters XML 1.0 forbids (control characters other than tab, line feed and carriage
/// return) are dropped: Word refuses to open a document holding one.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}
