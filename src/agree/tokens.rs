//! Token-level tags of one coder's spans of one label: BIO (IOB2) over token boundaries
//! that the caller gives (the service tokenizes the text).

use serde::Serialize;

/// A token's tag for one label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Tag {
    /// Outside every span of the label.
    O,
    /// The first token of a span.
    B,
    /// A later token of a span.
    I,
}

/// The tag of each token (`[start, end)` code points, in text order) for `spans`: a token
/// that shares a code point with a span is in it; the first such token of a span is `B`,
/// the others `I`. Where spans of the label overlap, the earlier span tags first.
pub fn bio_tags(tokens: &[(usize, usize)], spans: &[(usize, usize)]) -> Vec<Tag> {
    let mut tags = vec![Tag::O; tokens.len()];
    let mut sorted = spans.to_vec();
    sorted.sort_unstable();
    for (start, end) in sorted {
        let first = tokens.partition_point(|t| t.1 <= start);
        let mut begun = false;
        for (tag, token) in tags.iter_mut().zip(tokens).skip(first) {
            if token.0 >= end {
                break;
            }
            if *tag == Tag::O {
                *tag = if begun { Tag::I } else { Tag::B };
            }
            begun = true;
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_in_spans_are_tagged_b_then_i() {
        // "Iran said nine people died": tokens at 0-4, 5-9, 10-14, 15-21, 22-26.
        let tokens = [(0, 4), (5, 9), (10, 14), (15, 21), (22, 26)];
        let tags = bio_tags(&tokens, &[(10, 21), (0, 2)]);
        assert_eq!(tags, [Tag::B, Tag::O, Tag::B, Tag::I, Tag::O]);
        assert_eq!(bio_tags(&tokens, &[]), [Tag::O; 5]);
    }
}
