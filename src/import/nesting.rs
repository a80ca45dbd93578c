//! How deep a page's elements nest, counted on the source before anything parses it: HTML
//! parsing and extraction take time growing with the square of the depth, so pages (and
//! feed items' HTML) nested deeper than [`MAX_HTML_DEPTH`] are refused first.

use super::bytes::find;

/// Deepest element nesting a page may have. Real pages stay below a few hundred; parsing and
/// extraction take time growing with the square of the depth (10,000 levels took minutes).
pub(crate) const MAX_HTML_DEPTH: usize = 1000;

/// Elements whose end tag may be left out (or that have none): they do not count as
/// nesting, since the parser closes them itself.
const NOT_NESTING: [&str; 33] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead",
    "tbody", "tfoot", "colgroup", "caption", "rb", "rt", "rp", "html", "head",
];

/// Whether the elements open at once (outside comments, scripts and styles) ever exceed
/// `limit`, counted as an HTML5 parser counts them: `<div/>` opens a `div` (only void
/// elements and SVG or MathML ones close themselves), an end tag closes only an element that
/// is open (a stray `</span>` closes nothing), and a comment also ends at `--!>`. A linear
/// scan of the source, before anything parses it.
pub(crate) fn nesting_exceeds(html: &str, limit: usize) -> bool {
    let bytes = html.as_bytes();
    let mut open: Vec<Vec<u8>> = Vec::new();
    let mut foreign = 0usize;
    let mut at = 0usize;
    while let Some(offset) = bytes
        .get(at..)
        .and_then(|rest| rest.iter().position(|&b| b == b'<'))
    {
        at += offset + 1;
        let rest = bytes.get(at..).unwrap_or_default();
        if rest.starts_with(b"!--") {
            at += comment_end(rest).unwrap_or(rest.len());
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = usize::from(closing);
        let name: Vec<u8> = rest
            .iter()
            .skip(name_start)
            .take_while(|b| b.is_ascii_alphanumeric())
            .map(u8::to_ascii_lowercase)
            .collect();
        if name.is_empty()
            || NOT_NESTING
                .iter()
                .any(|tag| tag.as_bytes() == name.as_slice())
        {
            continue;
        }
        let tag_end = find(rest, b">").unwrap_or(rest.len());
        if closing {
            // Closes the innermost open element of that name and all inside it; a stray
            // end tag closes nothing. Bounded: at most `limit` elements are open.
            if let Some(index) = open.iter().rposition(|n| *n == name) {
                for closed in open.drain(index..) {
                    if closed == b"svg" || closed == b"math" {
                        foreign = foreign.saturating_sub(1);
                    }
                }
            }
            continue;
        }
        let self_closing = rest.get(..tag_end).is_some_and(|tag| tag.ends_with(b"/"));
        if self_closing && (foreign > 0 || name == b"svg" || name == b"math") {
            continue;
        }
        if name == b"script" || name == b"style" {
            let end_tag: &[u8] = if name == b"script" {
                b"</script"
            } else {
                b"</style"
            };
            at += rest
                .windows(end_tag.len())
                .position(|window| window.eq_ignore_ascii_case(end_tag))
                .unwrap_or(rest.len());
            continue;
        }
        if name == b"svg" || name == b"math" {
            foreign += 1;
        }
        open.push(name);
        if open.len() > limit {
            return true;
        }
    }
    false
}

/// Where a comment that starts `rest` (`!--...`) ends, past its `-->` or `--!>`: one scan.
fn comment_end(rest: &[u8]) -> Option<usize> {
    let body = rest.get(3..)?;
    (0..body.len()).find_map(|i| {
        let tail = body.get(i..)?;
        if tail.starts_with(b"-->") {
            Some(3 + i + 3)
        } else if tail.starts_with(b"--!>") {
            Some(3 + i + 4)
        } else {
            None
        }
    })
}

#[cfg(test)]
mod nesting_tests {
    use super::*;

    #[test]
    fn depth_is_counted_as_an_html5_parser_opens_elements() {
        let deep = |piece: &str| piece.repeat(2_000);
        // Each of these opens a div that stays open for the parser.
        assert!(nesting_exceeds(&deep("<div/>"), 1000), "<div/> opens a div");
        assert!(
            nesting_exceeds(&deep("<div></span>"), 1000),
            "a stray end tag closes nothing"
        );
        assert!(
            nesting_exceeds(&format!("<!-- x --!>{}", deep("<div>")), 1000),
            "a comment ends at --!>"
        );
        // These do not nest.
        assert!(!nesting_exceeds(&deep("<div></div>"), 1000));
        assert!(!nesting_exceeds(&deep("<br/><img src=x>"), 1000));
        assert!(!nesting_exceeds(
            &format!("<svg>{}</svg>", deep("<path d='M0'/>")),
            1000
        ));
        assert!(!nesting_exceeds(
            &format!("<!-- {} -->", deep("<div>")),
            1000
        ));
        assert!(
            !nesting_exceeds(&deep("<div><span></div>"), 1000),
            "the div's end closes the span"
        );
    }
}
