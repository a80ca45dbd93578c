//! The `conll` export: CoNLL-2003 style `TOKEN\tTAG` lines with IOB2 tags, a blank line
//! after each sentence and a `-DOCSTART-` line before each article.

use std::cmp::Reverse;
use std::io::{self, Write};

use super::tokenize::{Token, sentences};
use super::{Output, RecordSink};
use crate::model::{Annotation, Article};

/// The line CoNLL-2003 puts before each document.
const DOCSTART: &str = "-DOCSTART- -X- O O\n\n";

/// The article importer name of text that came from a CoNLL file.
const CONLL_ORIGIN: &str = "conll";

/// Writes every article, annotated or not (untagged sentences are negative examples).
pub(super) struct ConllSink {
    out: Output,
}

impl ConllSink {
    pub(super) fn new(out: Output) -> Self {
        Self { out }
    }
}

impl RecordSink for ConllSink {
    fn write(&mut self, article: &Article, annotations: &[Annotation]) -> io::Result<()> {
        let chars: Vec<char> = article.text.chars().collect();
        let sentences = sentences(&chars, article.origin_format == CONLL_ORIGIN);
        let tokens: Vec<Token> = sentences.iter().flatten().copied().collect();
        let (tags, _lost) = tag_tokens(&tokens, annotations);
        let mut tags = tags.into_iter();
        let mut block = String::from(DOCSTART);
        for sentence in &sentences {
            let mut previous: Option<&str> = None;
            for token in sentence {
                let tag = tags.next().flatten();
                block.extend(chars.get(token.start..token.end).into_iter().flatten());
                block.push('\t');
                previous = match tag {
                    None => {
                        block.push('O');
                        None
                    }
                    Some(Tag { label, begins }) => {
                        // An annotation that runs over a sentence end starts again with B-,
                        // so every I- follows a B- or I- of its label.
                        let inside = !begins && previous == Some(label);
                        block.push_str(if inside { "I-" } else { "B-" });
                        block.extend(
                            label
                                .chars()
                                .map(|c| if c.is_whitespace() { '_' } else { c }),
                        );
                        Some(label)
                    }
                };
                block.push('\n');
            }
            block.push('\n');
        }
        self.out.write_all(block.as_bytes())
    }

    fn finish(mut self: Box<Self>) -> io::Result<()> {
        self.out.flush()
    }
}

/// The tag of one token: the label of the annotation covering its first character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Tag<'a> {
    pub(super) label: &'a str,
    /// First token of its annotation.
    pub(super) begins: bool,
}

/// Tags tokens (in text order) with the annotations: a token takes the label of the
/// annotation covering its first character. Overlaps cannot be expressed in IOB2, so
/// annotations are taken by start, longer first, then label and id; one that starts inside
/// an already tagged run of tokens, or covers no token's first character, is left out.
/// Returns the tags and how many annotations were left out.
pub(super) fn tag_tokens<'a>(
    tokens: &[Token],
    annotations: &'a [Annotation],
) -> (Vec<Option<Tag<'a>>>, usize) {
    let mut tags = vec![None; tokens.len()];
    let mut order: Vec<&Annotation> = annotations.iter().collect();
    order.sort_by_key(|a| (a.span.start(), Reverse(a.span.end()), &a.label, a.id));
    let mut tagged_until = 0;
    let mut lost = 0;
    for annotation in order {
        let first = tokens.partition_point(|t| t.start < annotation.span.start());
        let last = tokens.partition_point(|t| t.start < annotation.span.end());
        if first >= last || first < tagged_until {
            lost += 1;
            continue;
        }
        for (index, tag) in tags.iter_mut().enumerate().take(last).skip(first) {
            *tag = Some(Tag {
                label: &annotation.label,
                begins: index == first,
            });
        }
        tagged_until = last;
    }
    (tags, lost)
}
