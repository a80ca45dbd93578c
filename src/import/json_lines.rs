//! Line numbers of the items of a JSON array, so warnings about a record of a pretty-printed
//! export (Label Studio, doccano JSON) can name the line where it starts.

/// The 1-based line on which each top-level item of the JSON array in `text` starts, in
/// order. Meant for text that already parsed as an array: it only follows strings and
/// brackets, it does not validate.
pub(crate) fn array_item_lines(text: &str) -> Vec<u64> {
    let mut lines = Vec::new();
    let mut line = 1u64;
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut expecting_item = false;
    for byte in text.bytes() {
        if byte == b'\n' {
            line += 1;
        }
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        if byte.is_ascii_whitespace() {
            continue;
        }
        if depth == 1 && expecting_item && !matches!(byte, b',' | b']') {
            lines.push(line);
            expecting_item = false;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth == 1 {
                    expecting_item = true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b',' if depth == 1 => expecting_item = true,
            _ => {}
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_start_line_of_each_item() {
        let text = "[\n  {\"a\": \"x, ] \\\" {\"},\n  {\n    \"b\": [1,\n 2]\n  },\n  3, \"s\"\n]";
        assert_eq!(array_item_lines(text), [2, 3, 7, 7]);
        assert_eq!(array_item_lines("[]"), Vec::<u64>::new());
        assert_eq!(array_item_lines("\u{feff}[{}]"), [1]);
    }
}
