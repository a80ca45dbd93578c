//! Learning from the user: span texts people accepted with a label are proposed with that
//! label wherever else they occur, ranked by how consistently they were labelled.

use std::collections::BTreeMap;

use crate::model::AnnotationAttrs;
use crate::model::attrs;

/// What people accepted for one span text.
#[derive(Debug, Clone, PartialEq)]
pub struct VocabularyEntry {
    /// The span text, exactly as accepted.
    pub text: String,
    /// The label it was accepted with most often.
    pub label: String,
    /// Share of its accepted annotations that carry `label` (1.0: always this label).
    pub consistency: f64,
    /// How many accepted annotations have this text.
    pub support: u64,
    /// Attributes of the latest accepted annotation with this text and label, without links
    /// (a place's `country_code` travels, a link to another article's span does not).
    pub attrs: AnnotationAttrs,
}

/// Accepted span texts by text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Vocabulary {
    entries: BTreeMap<String, VocabularyEntry>,
}

/// Removes the attributes that point at other annotations of the article they came from:
/// a place's `country_code` travels to another article, a link to a span of this one does
/// not.
pub fn drop_links(attrs: &mut AnnotationAttrs) {
    attrs.retain(|key, _| !attrs::LINKS.contains(&key.as_str()));
}

/// Below this share of agreement a text is not proposed: people disagree on it.
pub const MIN_CONSISTENCY: f64 = 0.5;

/// Learning a text that occurs in more articles than this waits for the user to confirm it:
/// one accepted "Tiny" must not put a suggestion into every article of the archive.
pub const CONFIRM_ABOVE_ARTICLES: usize = 1_000;

/// Function words of the languages the corpora carry (English, Arabic, Persian, Urdu):
/// accepted by mistake, one of them would be suggested everywhere and name nothing.
const STOPWORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
    "before", "but", "by", "can", "could", "did", "do", "for", "from", "had", "has", "have", "he",
    "her", "him", "his", "i", "if", "in", "into", "is", "it", "its", "may", "more", "most", "mr",
    "mrs", "ms", "no", "not", "now", "of", "on", "one", "or", "other", "our", "out", "over",
    "said", "says", "she", "so", "some", "than", "that", "the", "their", "them", "then", "there",
    "these", "they", "this", "those", "to", "two", "up", "us", "was", "we", "were", "what", "when",
    "which", "while", "who", "will", "with", "would", "you", // Arabic
    "في", "من", "على", "إلى", "الى", "عن", "مع", "أن", "ان", "إن", "هذا", "هذه", "التي", "الذي",
    "كان", "قال", "بعد", "قبل", "ما", "لا", "أو", "ثم", // Persian
    "از", "به", "در", "با", "که", "این", "آن", "را", "برای", "تا", "است", "بود", "شد",
    // Urdu
    "اور", "کے", "کی", "کا", "میں", "سے", "نے", "کو", "پر", "ہے", "ہیں", "تھا", "یہ", "وہ",
];

/// Why `text` is never learned, or `None` when it may be proposed elsewhere: fewer than two
/// letters, or a function word, occurs everywhere and names nothing.
pub fn unlearnable(text: &str) -> Option<&'static str> {
    if text.chars().filter(|c| c.is_alphabetic()).take(2).count() < 2 {
        return Some("it has fewer than two letters");
    }
    let lower = text.trim().to_lowercase();
    STOPWORDS
        .contains(&lower.as_str())
        .then_some("it is a common word")
}

impl Vocabulary {
    /// Builds the vocabulary from `(text, label, count, attrs JSON)` rows.
    pub fn from_rows(rows: impl IntoIterator<Item = (String, String, u64, String)>) -> Self {
        let mut by_text: BTreeMap<String, Vec<(String, u64, String)>> = BTreeMap::new();
        for (text, label, count, attrs) in rows {
            by_text.entry(text).or_default().push((label, count, attrs));
        }
        let mut entries = BTreeMap::new();
        for (text, labels) in by_text {
            if unlearnable(&text).is_some() {
                continue;
            }
            let support: u64 = labels.iter().map(|(_, n, _)| n).sum();
            let Some((label, count, attrs)) = labels
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            else {
                continue;
            };
            let mut attrs: AnnotationAttrs = serde_json::from_str(&attrs).unwrap_or_default();
            drop_links(&mut attrs);
            let consistency = count as f64 / support.max(1) as f64;
            if consistency >= MIN_CONSISTENCY {
                entries.insert(
                    text.clone(),
                    VocabularyEntry {
                        text,
                        label,
                        consistency,
                        support,
                        attrs,
                    },
                );
            }
        }
        Self { entries }
    }

    /// Entries, most consistent and best supported first.
    pub fn ranked(&self) -> Vec<&VocabularyEntry> {
        let mut out: Vec<&VocabularyEntry> = self.entries.values().collect();
        out.sort_by(|a, b| {
            b.consistency
                .total_cmp(&a.consistency)
                .then(b.support.cmp(&a.support))
                .then_with(|| a.text.cmp(&b.text))
        });
        out
    }

    /// The entry for exactly this text.
    pub fn get(&self, text: &str) -> Option<&VocabularyEntry> {
        self.entries.get(text)
    }

    /// Number of texts.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// No texts.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// `[start, end)` in code points of every whole-word occurrence of `phrase` in `text`
/// (case-sensitive: "Saravan" the place, not "saravan" in a URL slug).
pub fn occurrences(text: &str, phrase: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if phrase.is_empty() {
        return out;
    }
    let phrase_chars = phrase.chars().count();
    let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    // Walk byte matches and count code points incrementally.
    let mut chars_before = 0;
    let mut counted_to = 0;
    for (at, _) in text.match_indices(phrase) {
        chars_before += text[counted_to..at].chars().count();
        counted_to = at;
        let before = text[..at].chars().next_back();
        let after = text[at + phrase.len()..].chars().next();
        let edge_ok = |edge: Option<char>, inner: Option<char>| !(is_word(edge) && is_word(inner));
        if edge_ok(before, phrase.chars().next()) && edge_ok(after, phrase.chars().next_back()) {
            out.push((chars_before, chars_before + phrase_chars));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_words_and_single_letters_are_never_learned() {
        for text in [
            "the", "The", " and ", "x", "9", "42 ", "—", "في", "اور", "از",
        ] {
            assert!(unlearnable(text).is_some(), "{text:?}");
        }
        for text in ["Tiny", "Saravan", "UN", "کراچی", "Ahmed Khan", "Theresa"] {
            assert_eq!(unlearnable(text), None, "{text:?}");
        }
        let vocabulary = Vocabulary::from_rows([
            ("the".to_owned(), "PER".to_owned(), 1, "{}".to_owned()),
            ("Tiny".to_owned(), "PER".to_owned(), 1, "{}".to_owned()),
        ]);
        assert!(vocabulary.get("the").is_none());
        assert!(vocabulary.get("Tiny").is_some());
    }

    #[test]
    fn occurrences_are_whole_words_in_code_points() {
        let text = "😀 Saravan, not Saravani; in Saravan.";
        let found = occurrences(text, "Saravan");
        assert_eq!(found, [(2, 9), (28, 35)]);
        for (s, e) in found {
            assert_eq!(
                text.chars().skip(s).take(e - s).collect::<String>(),
                "Saravan"
            );
        }
        assert!(occurrences(text, "").is_empty());
    }

    #[test]
    fn the_most_common_label_wins_when_people_mostly_agree() {
        let vocabulary = Vocabulary::from_rows([
            (
                "Saravan".to_owned(),
                "LOC".to_owned(),
                3,
                r#"{"country_code":"IR","place":4}"#.to_owned(),
            ),
            ("Saravan".to_owned(), "ORG".to_owned(), 1, "{}".to_owned()),
            ("Jordan".to_owned(), "LOC".to_owned(), 1, "{}".to_owned()),
            ("Jordan".to_owned(), "PER".to_owned(), 1, "{}".to_owned()),
            (
                "Washington".to_owned(),
                "LOC".to_owned(),
                1,
                "{}".to_owned(),
            ),
            (
                "Washington".to_owned(),
                "PER".to_owned(),
                2,
                "{}".to_owned(),
            ),
            (
                "Washington".to_owned(),
                "ORG".to_owned(),
                2,
                "{}".to_owned(),
            ),
        ]);
        let saravan = vocabulary.get("Saravan").unwrap();
        assert_eq!(saravan.label, "LOC");
        assert!((saravan.consistency - 0.75).abs() < 1e-9);
        assert_eq!(
            saravan.attrs.get("country_code").and_then(|v| v.as_str()),
            Some("IR")
        );
        assert!(saravan.attrs.get("place").is_none(), "links do not travel");
        assert_eq!(vocabulary.get("Jordan").unwrap().consistency, 0.5);
        assert!(
            vocabulary.get("Washington").is_none(),
            "2 of 5 is no agreement"
        );
        assert_eq!(vocabulary.ranked()[0].text, "Saravan");
    }
}
