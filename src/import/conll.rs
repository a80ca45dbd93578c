//! CoNLL-style token-per-line files with BIO tags (IOB1, IOB2, and BIOES/BILOU's `E-`/`S-`/
//! `L-`/`U-`): the token is the first column, the tag the last, columns split by tabs or
//! spaces, blank lines between sentences, `-DOCSTART-` lines between documents.
//!
//! Each document becomes one article: its sentences, tokens joined by single spaces and
//! sentences by `\n`. A file without `-DOCSTART-` lines makes one article per sentence
//! (WNUT-17: one tweet, one sentence, one article). Spans are the tag runs, in code points of
//! that text, with their text to check.

use crate::model::{AnnotationStatus, CharSpan, NewAnnotation, NewArticle};

use super::Format;
use super::batch::{Batch, Place};
use super::encoding::decode_text;
use super::format::is_conll_tag;
use super::plain::{one_line, shorten};
use super::spans::{default_annotator, line_place};

/// Longest title taken from the start of a CoNLL article's text, in characters.
const TITLE_CHARS: usize = 80;

/// The first column of a line that separates documents.
const DOCSTART: &str = "-DOCSTART-";

/// Reads every document (or sentence) of the file; bad lines are warnings.
pub(crate) fn import(bytes: &[u8], batch: &mut Batch<'_>) {
    let (text, _) = decode_text(bytes, None);
    let lines: Vec<&str> = text
        .split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .collect();
    let has_docstart = lines.iter().any(|line| is_docstart(line));
    let mut document = Document::new(default_annotator(batch, Format::Conll));
    for (index, line) in lines.iter().enumerate() {
        let place = line_place(index);
        let fields: Vec<&str> = line.split_ascii_whitespace().collect();
        match fields.as_slice() {
            [] => {
                document.end_sentence();
                if !has_docstart {
                    document.flush(batch);
                }
            }
            [first, ..] if *first == DOCSTART => {
                document.end_sentence();
                document.flush(batch);
            }
            [token] => batch.warn(
                place,
                format!("token '{token}' has no tag column; the token is left out"),
            ),
            [token, .., tag] => {
                let tag = parse_tag(tag).unwrap_or_else(|| {
                    batch.warn(
                        place,
                        format!(
                            "tag '{tag}' is not O or B-, I-, E-, S-, L-, U- and a label; read as O"
                        ),
                    );
                    Tag::Outside
                });
                document.token(token, tag, place);
            }
        }
    }
    document.end_sentence();
    document.flush(batch);
}

fn is_docstart(line: &str) -> bool {
    line.split_ascii_whitespace().next() == Some(DOCSTART)
}

// ---

/// What a tag says about its token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag<'a> {
    /// `O`.
    Outside,
    /// `B-X`: starts a span.
    Begin(&'a str),
    /// `I-X`: continues a span of `X`, or starts one (IOB1) after `O` or another label.
    Inside(&'a str),
    /// `E-X`/`L-X`: continues like `I-X`, then ends the span.
    End(&'a str),
    /// `S-X`/`U-X`: a span of one token.
    Single(&'a str),
}

fn parse_tag(tag: &str) -> Option<Tag<'_>> {
    if !is_conll_tag(tag) {
        return None;
    }
    if tag == "O" {
        return Some(Tag::Outside);
    }
    let (position, label) = tag.split_once('-')?;
    Some(match position {
        "B" => Tag::Begin(label),
        "I" => Tag::Inside(label),
        "E" | "L" => Tag::End(label),
        _ => Tag::Single(label),
    })
}

/// A span whose end is not known yet.
struct OpenSpan {
    label: String,
    /// First code point.
    start: usize,
    /// Byte offset of `start` in the text.
    start_byte: usize,
}

/// The document being built: its text, its finished spans and the open one.
struct Document {
    annotator: String,
    text: String,
    /// Length of `text` in code points.
    len: usize,
    /// Whether the current sentence has a token yet.
    in_sentence: bool,
    annotations: Vec<NewAnnotation>,
    /// The span still open.
    open: Option<OpenSpan>,
    /// Line of the first token, where the article comes from.
    first_line: Option<Place>,
}

impl Document {
    fn new(annotator: String) -> Self {
        Self {
            annotator,
            text: String::new(),
            len: 0,
            in_sentence: false,
            annotations: Vec::new(),
            open: None,
            first_line: None,
        }
    }

    fn token(&mut self, token: &str, tag: Tag<'_>, place: Place) {
        // Spans end before the separator, so close them first.
        let starts = match tag {
            Tag::Outside => {
                self.close();
                None
            }
            Tag::Begin(label) | Tag::Single(label) => {
                self.close();
                Some(label)
            }
            Tag::Inside(label) | Tag::End(label) => {
                let continues = self.open.as_ref().is_some_and(|open| open.label == label);
                if continues {
                    None
                } else {
                    self.close();
                    Some(label)
                }
            }
        };
        if self.in_sentence {
            self.push_text(" ");
        } else if !self.text.is_empty() {
            self.push_text("\n");
        }
        self.in_sentence = true;
        self.first_line.get_or_insert(place);
        if let Some(label) = starts {
            self.open = Some(OpenSpan {
                label: label.to_owned(),
                start: self.len,
                start_byte: self.text.len(),
            });
        }
        self.push_text(token);
        if matches!(tag, Tag::End(_) | Tag::Single(_)) {
            self.close();
        }
    }

    /// Adds to the text what the stored text keeps of `piece` (no NUL, no byte order mark
    /// at the very start: `model::normalize_text`), so the spans counted here stay on it.
    fn push_text(&mut self, piece: &str) {
        let piece = piece.replace('\0', "");
        let piece = if self.text.is_empty() {
            piece.trim_start_matches('\u{feff}')
        } else {
            &piece
        };
        self.text.push_str(piece);
        self.len += piece.chars().count();
    }

    /// Ends the open span at the end of the text so far.
    fn close(&mut self) {
        let Some(open) = self.open.take() else {
            return;
        };
        let Ok(span) = CharSpan::ordered(open.start, self.len) else {
            return; // its tokens were only NULs: nothing of them is in the text
        };
        let text = self.text.get(open.start_byte..).unwrap_or_default();
        self.annotations.push(NewAnnotation {
            requested_id: None,
            label: open.label,
            span,
            expected_text: Some(text.to_owned()),
            attrs: serde_json::Map::new(),
            status: AnnotationStatus::Accepted,
            annotator: self.annotator.clone(),
            coder: String::new(),
        });
    }

    /// A blank line: spans do not run over it.
    fn end_sentence(&mut self) {
        self.close();
        self.in_sentence = false;
    }

    /// Hands the document to the batch as an article and starts the next one.
    fn flush(&mut self, batch: &mut Batch<'_>) {
        let Some(place) = self.first_line.take() else {
            return;
        };
        let head: String = self.text.chars().take(TITLE_CHARS * 2).collect();
        let title = shorten(&one_line(&head), TITLE_CHARS);
        let mut article = NewArticle::new(&title, &self.text, "");
        article.annotations = std::mem::take(&mut self.annotations);
        batch.push(article, place);
        self.text.clear();
        self.len = 0;
        self.in_sentence = false;
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::import::{FileOutcome, Format, ImportOptions, parse_bytes};
    use crate::model::slice_chars;

    fn import(name: &str, text: &str) -> FileOutcome {
        parse_bytes(text.as_bytes(), Path::new(name), &ImportOptions::default()).unwrap()
    }

    /// `(label, start, end, text)` of every span, checked against the article text.
    fn spans(outcome: &FileOutcome, article: usize) -> Vec<(String, usize, usize, String)> {
        let article = &outcome.articles[article];
        article
            .annotations
            .iter()
            .map(|a| {
                let text = slice_chars(&article.text, a.span.start(), a.span.end()).to_owned();
                assert_eq!(a.expected_text.as_deref(), Some(text.as_str()));
                (a.label.clone(), a.span.start(), a.span.end(), text)
            })
            .collect()
    }

    fn span(label: &str, start: usize, end: usize, text: &str) -> (String, usize, usize, String) {
        (label.to_owned(), start, end, text.to_owned())
    }

    /// Found by the `import_conll` fuzz target: a NUL inside a token left the text (the
    /// stored text has none) but not the offsets after it.
    #[test]
    fn nul_and_a_leading_byte_order_mark_in_tokens_do_not_move_later_spans() {
        // UTF-16 (as the fuzzer's file was), where a NUL is a character like another; its
        // BOM is read as the encoding's, the second U+FEFF is the first token's.
        let file = "\u{feff}\u{feff}Two\0\tO\nkilled\tO\n\0\tB-LOC\nin\tO\nKhar\0kiv\tB-LOC\n";
        let bytes: Vec<u8> = file.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let options = ImportOptions {
            format: Some(Format::Conll),
            ..ImportOptions::default()
        };
        let outcome = parse_bytes(&bytes, Path::new("nul.conll"), &options).unwrap();
        let article = &outcome.articles[0];
        assert_eq!(article.text, "Two killed  in Kharkiv");
        assert_eq!(spans(&outcome, 0), [span("LOC", 15, 22, "Kharkiv")]);
    }

    #[test]
    fn sentences_are_articles_without_docstart_and_offsets_count_code_points() {
        let file = "👨‍👩‍👧\tO\nعمران\tB-person\nخان\tI-person\nin\tO\n北京\tB-location\n\n\
                    Watching\tO\nStar\tB-creative-work\nWars\tI-creative-work\n\t\n";
        let outcome = import("wnut.conll", file);
        assert_eq!(outcome.format, Format::Conll);
        assert!(outcome.warnings.is_empty(), "{:?}", outcome.warnings);
        assert_eq!(outcome.articles.len(), 2);
        let first = &outcome.articles[0];
        assert_eq!(first.text, "👨‍👩‍👧 عمران خان in 北京");
        assert_eq!(first.title, first.text);
        assert_eq!(first.origin_format, "conll");
        // The family emoji is five code points: the person starts at 6.
        assert_eq!(
            spans(&outcome, 0),
            [
                span("person", 6, 15, "عمران خان"),
                span("location", 19, 21, "北京")
            ]
        );
        assert_eq!(
            spans(&outcome, 1),
            [span("creative-work", 9, 18, "Star Wars")]
        );
        let annotation = &first.annotations[0];
        assert_eq!(annotation.annotator, "conll:wnut.conll");
        assert_eq!(annotation.status, crate::model::AnnotationStatus::Accepted);
    }

    #[test]
    fn docstart_documents_join_sentences_with_line_breaks() {
        let file = "-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n\n\
                    Peter NNP B-NP B-PER\nBlackburn NNP I-NP I-PER\n\n-DOCSTART- -X- -X- O\n\n\
                    BRUSSELS NNP B-NP B-LOC\n";
        let outcome = import("eng.iob", file);
        assert!(outcome.warnings.is_empty(), "{:?}", outcome.warnings);
        assert_eq!(outcome.articles.len(), 2);
        assert_eq!(outcome.articles[0].text, "EU rejects\nPeter Blackburn");
        assert_eq!(
            spans(&outcome, 0),
            [
                span("ORG", 0, 2, "EU"),
                span("PER", 11, 26, "Peter Blackburn")
            ]
        );
        assert_eq!(outcome.articles[1].text, "BRUSSELS");
    }

    #[test]
    fn iob1_and_iob2_runs() {
        // IOB1: I- after O or after another label starts a span; B- only splits two
        // adjacent spans of one label. IOB2 starts every span with B-.
        let iob1 = "a I-LOC\nb I-LOC\nc B-LOC\nd O\ne I-PER\nf I-ORG\ng I-ORG\n";
        let iob2 = "a B-LOC\nb I-LOC\nc B-LOC\nd O\ne B-PER\nf B-ORG\ng I-ORG\n";
        let expected = [
            span("LOC", 0, 3, "a b"),
            span("LOC", 4, 5, "c"),
            span("PER", 8, 9, "e"),
            span("ORG", 10, 13, "f g"),
        ];
        assert_eq!(spans(&import("x.bio", iob1), 0), expected);
        assert_eq!(spans(&import("x.bio", iob2), 0), expected);
        // A span never runs over a sentence break, and BIOES singles and ends close it.
        let bioes = "a B-PER\n\nb I-PER\n-DOCSTART-\nc S-LOC\nd I-LOC\ne E-LOC\nf I-LOC\n";
        let outcome = import("x.conll", bioes);
        assert_eq!(outcome.articles.len(), 2);
        assert_eq!(
            spans(&outcome, 0),
            [span("PER", 0, 1, "a"), span("PER", 2, 3, "b")]
        );
        assert_eq!(
            spans(&outcome, 1),
            [
                span("LOC", 0, 1, "c"),
                span("LOC", 2, 5, "d e"),
                span("LOC", 6, 7, "f")
            ]
        );
    }

    #[test]
    fn lines_without_a_tag_and_unknown_tags_are_warnings_with_lines() {
        let file = "Kabul\tB-LOC\nalone\nnews\tNEWS\ntoday\tO\n\u{feff}\n";
        let outcome = import("bad.conll", file);
        assert_eq!(outcome.articles.len(), 1);
        assert_eq!(outcome.articles[0].text, "Kabul news today");
        assert_eq!(spans(&outcome, 0), [span("LOC", 0, 5, "Kabul")]);
        let warnings: Vec<(Option<u64>, &str)> = outcome
            .warnings
            .iter()
            .map(|w| (w.line, w.reason.as_str()))
            .collect();
        assert_eq!(
            warnings,
            [
                (
                    Some(2),
                    "token 'alone' has no tag column; the token is left out"
                ),
                (
                    Some(3),
                    "tag 'NEWS' is not O or B-, I-, E-, S-, L-, U- and a label; read as O"
                ),
                (
                    Some(5),
                    "token '\u{feff}' has no tag column; the token is left out"
                ),
            ]
        );
    }

    #[test]
    fn titles_are_cut_at_a_word_within_80_characters() {
        let words: String = (0..40).map(|i| format!("word{i}\tO\n")).collect();
        let outcome = import("long.conll", &words);
        let title = &outcome.articles[0].title;
        assert!(title.chars().count() <= 80, "{title}");
        assert!(title.starts_with("word0 word1 ") && title.ends_with(char::is_numeric));
        assert!(outcome.articles[0].text.starts_with(title.as_str()));
    }

    #[test]
    fn crlf_files_and_space_columns_read_the_same() {
        let outcome = import("crlf.conll", "Gaza NNP B-LOC\r\nstrike NN O\r\n\r\n");
        assert_eq!(outcome.articles[0].text, "Gaza strike");
        assert_eq!(spans(&outcome, 0), [span("LOC", 0, 4, "Gaza")]);
    }
}
