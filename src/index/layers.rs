//! Coder layers in the index: the terms that let a blind coder's `label:`, `entity:` and
//! `state:` queries, and the label counts, see only that coder's own layer.
//!
//! Every article document holds, besides the terms of all layers together (`label`,
//! `entity`, `state`), the same terms once per coder, each prefixed with the coder's tag
//! (`ana\u{1f}per`). A query read in a layer is parsed with tokenizers that put the tag in
//! front of every term, after the field names are turned into their layer fields: the
//! query language stays the same, and another coder's terms can never match.

use tantivy::TantivyDocument;
use tantivy::tokenizer::{
    BoxTokenStream, LowerCaser, PreTokenizedString, RawTokenizer, RemoveLongFilter, TextAnalyzer,
    Token, TokenStream, Tokenizer, TokenizerManager,
};

use super::normalize::NormalizingTokenizer;
use super::schema::{
    Fields, LAYER_RAW, LAYER_WORDS, LOWER_RAW, MAX_WORD_BYTES, ReviewState, SpanParts, WORDS,
    review_state,
};
use crate::model::AnnotationStatus;

/// The `layer_state` term every coder with something in an article has, so that
/// `state:unannotated` read in a layer is "not this term".
const ANY: &str = "any";

/// Which annotations a query sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope<'a> {
    /// Every layer (a reviewer, or an archive without coders).
    #[default]
    AllLayers,
    /// One coder's layer (a blind coder).
    Layer(&'a str),
}

/// What a coder's terms start with. The unit separator cannot be in a coder's name
/// (control characters are refused), so one coder's tag is never the start of another's.
pub(super) fn tag(coder: &str) -> String {
    format!("{coder}\u{1f}")
}

/// Registers the index's tokenizers; those of the layer fields put `tag` in front of
/// every term (`""` outside a layer).
pub(super) fn register_tokenizers(manager: &TokenizerManager, tag: &str) {
    let words = || {
        TextAnalyzer::builder(NormalizingTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
            .filter(LowerCaser)
            .build()
    };
    let lower_raw = || {
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(LowerCaser)
            .build()
    };
    manager.register(WORDS, words());
    manager.register(LOWER_RAW, lower_raw());
    manager.register(LAYER_WORDS, InLayer::new(words(), tag.to_owned()));
    manager.register(LAYER_RAW, InLayer::new(lower_raw(), tag.to_owned()));
}

/// Wraps a tokenizer: every token it makes starts with a coder's tag.
#[derive(Clone)]
pub(super) struct InLayer {
    inner: TextAnalyzer,
    tag: String,
}

impl InLayer {
    pub(super) fn new(inner: TextAnalyzer, tag: String) -> Self {
        Self { inner, tag }
    }
}

/// The token stream of [`InLayer`].
pub(super) struct InLayerStream<'a> {
    inner: BoxTokenStream<'a>,
    tag: &'a str,
}

impl Tokenizer for InLayer {
    type TokenStream<'a> = InLayerStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> InLayerStream<'a> {
        InLayerStream {
            inner: self.inner.token_stream(text),
            tag: &self.tag,
        }
    }
}

impl TokenStream for InLayerStream<'_> {
    fn advance(&mut self) -> bool {
        if !self.inner.advance() {
            return false;
        }
        let tag = self.tag;
        self.inner.token_mut().text.insert_str(0, tag);
        true
    }

    fn token(&self) -> &Token {
        self.inner.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.inner.token_mut()
    }
}

/// Adds the layer terms of an article's spans to its document. `words` is the text
/// fields' analyzer, so that an entity word is the same term as in the text.
pub(super) fn add_layer_terms(
    fields: Fields,
    doc: &mut TantivyDocument,
    spans: &[SpanParts<'_>],
    words: &mut TextAnalyzer,
) {
    let mut coders: Vec<&str> = spans.iter().map(|s| s.coder).collect();
    coders.sort_unstable();
    coders.dedup();
    let mut labels = Vec::new();
    let mut facets = Vec::new();
    let mut entity = Vec::new();
    let mut states = Vec::new();
    for coder in coders {
        let tag = tag(coder);
        let own = || spans.iter().filter(move |s| s.coder == coder);
        let state = review_state(own().map(|s| s.status));
        if state != ReviewState::Unannotated {
            states.push(format!("{tag}{ANY}"));
            states.push(format!("{tag}{}", state.as_str()));
        }
        let mut names: Vec<&str> = own()
            .filter(|s| s.status != AnnotationStatus::Rejected)
            .map(|s| s.label)
            .collect();
        names.sort_unstable();
        names.dedup();
        for label in names {
            labels.push(format!("{tag}{}", label.to_lowercase()));
            facets.push(format!("{tag}{label}"));
        }
        for span in own().filter(|s| s.status != AnnotationStatus::Rejected) {
            let mut stream = words.token_stream(span.text);
            // A gap between spans, so a phrase never runs from one span into the next.
            let base = entity.last().map_or(0, |t: &Token| t.position + 2);
            while let Some(token) = stream.next() {
                entity.push(Token {
                    position: base + token.position,
                    text: format!("{tag}{}", token.text),
                    ..Token::default()
                });
            }
        }
    }
    add_terms(doc, fields.layer_label, labels);
    add_terms(doc, fields.layer_state, states);
    for facet in facets {
        doc.add_text(fields.layer_label_facet, facet);
    }
    if !entity.is_empty() {
        doc.add_pre_tokenized_text(
            fields.layer_entity,
            PreTokenizedString {
                text: String::new(),
                tokens: entity,
            },
        );
    }
}

/// Whole terms, one position each.
fn add_terms(doc: &mut TantivyDocument, field: tantivy::schema::Field, terms: Vec<String>) {
    if terms.is_empty() {
        return;
    }
    let tokens = terms
        .into_iter()
        .enumerate()
        .map(|(position, text)| Token {
            position,
            text,
            ..Token::default()
        })
        .collect();
    doc.add_pre_tokenized_text(
        field,
        PreTokenizedString {
            text: String::new(),
            tokens,
        },
    );
}

/// The field names a query in a layer reads instead of the all-layer ones.
const RENAMES: [(&str, &str); 3] = [
    ("label:", "layer_label:"),
    ("entity:", "layer_entity:"),
    ("state:", "layer_state:"),
];

/// Turns `label:`, `entity:` and `state:` (at a word start, outside quotes) into their
/// layer fields; `state:unannotated` becomes "has nothing in this layer". Linear in the
/// query.
pub(super) fn rewrite_for_layer(query: &str) -> String {
    let mut out = String::with_capacity(query.len() + 16);
    let mut in_quotes = false;
    let mut at_word_start = true;
    let mut i = 0;
    while let Some(c) = query[i..].chars().next() {
        if !in_quotes
            && at_word_start
            && let Some((from, to)) = RENAMES
                .iter()
                .find(|(from, _)| query[i..].starts_with(from))
        {
            let value = &query[i + from.len()..];
            if *from == "state:"
                && let Some(len) = unannotated(value)
            {
                out.push_str("(* -layer_state:");
                out.push_str(ANY);
                out.push(')');
                i += from.len() + len;
            } else {
                out.push_str(to);
                i += from.len();
            }
            at_word_start = false;
            continue;
        }
        if c == '\\' {
            // An escaped character (`\"` inside a phrase, `\:` in a word) is text: it
            // neither opens nor closes quotes.
            let escaped = query[i + 1..].chars().next().map_or(0, char::len_utf8);
            out.push_str(&query[i..i + 1 + escaped]);
            i += 1 + escaped;
            at_word_start = false;
            continue;
        }
        if c == '"' {
            in_quotes = !in_quotes;
        }
        at_word_start = c.is_whitespace() || matches!(c, '(' | '+' | '-');
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// The length of an `unannotated` value (bare or quoted, any case) at the start of `value`.
fn unannotated(value: &str) -> Option<usize> {
    let word = "unannotated";
    let quoted = value.starts_with('"');
    let body = if quoted { &value[1..] } else { value };
    let head = body.get(..word.len())?;
    if !head.eq_ignore_ascii_case(word) {
        return None;
    }
    let len = usize::from(quoted) + word.len();
    let rest = &value[len..];
    match (quoted, rest.chars().next()) {
        (true, Some('"')) => Some(len + 1),
        (false, None) => Some(len),
        (false, Some(c)) if c.is_whitespace() || c == ')' => Some(len),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_become_layer_fields_outside_quotes_only() {
        assert_eq!(
            rewrite_for_layer("label:PER -entity:\"Aleppo\" \"label:x\" (state:done)"),
            "layer_label:PER -layer_entity:\"Aleppo\" \"label:x\" (layer_state:done)"
        );
        assert_eq!(rewrite_for_layer("mylabel:x"), "mylabel:x");
        assert_eq!(rewrite_for_layer("killed"), "killed");
        assert_eq!(
            rewrite_for_layer("Бейрут label:LOC"),
            "Бейрут layer_label:LOC"
        );
    }

    #[test]
    fn unannotated_in_a_layer_is_nothing_of_that_layer() {
        assert_eq!(
            rewrite_for_layer("state:unannotated raid"),
            "(* -layer_state:any) raid"
        );
        assert_eq!(
            rewrite_for_layer("(state:\"Unannotated\")"),
            "((* -layer_state:any))"
        );
        assert_eq!(
            rewrite_for_layer("state:unannotatedness"),
            "layer_state:unannotatedness"
        );
    }

    #[test]
    fn one_coders_tag_never_starts_anothers() {
        assert!(!tag("ana").starts_with(&tag("an")));
        assert!(!tag("an").starts_with(&tag("ana")));
    }
}
