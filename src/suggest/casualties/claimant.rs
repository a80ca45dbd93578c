//! Claimants: who a sentence attributes its figures to ("Iran said ...", "according to the
//! police").

use crate::suggest::text::{TokenKind, Word};

/// Verbs that attribute a figure to someone.
pub(super) const CLAIM_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "reported",
    "reports",
    "claimed",
    "claims",
    "told",
    "announced",
    "stated",
    "confirmed",
];

/// Words a claimant may be made of besides capitalised words.
pub(super) const CLAIMANT_WORDS: &[&str] = &[
    "the",
    "police",
    "officials",
    "official",
    "authorities",
    "ministry",
    "health",
    "interior",
    "defence",
    "defense",
    "foreign",
    "army",
    "military",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "witnesses",
    "sources",
    "media",
    "state",
    "agency",
    "deputies",
    "sheriff",
    "sheriff's",
    "investigators",
    "prosecutors",
    "coroner",
    "hospital",
    "doctors",
    "medics",
    "local",
    "department",
    "office",
    "group",
    "rebels",
    "militants",
    "government",
    "'s",
];

/// Who the sentence attributes its figures to.
pub(super) fn claimant(sentence: &[Word<'_>]) -> Option<String> {
    for (index, token) in sentence.iter().enumerate() {
        if token.is("according") && sentence.get(index + 1).is_some_and(|t| t.is("to")) {
            let words: Vec<&Word<'_>> = sentence
                .iter()
                .skip(index + 2)
                .take(5)
                .take_while(|t| {
                    t.kind == TokenKind::Word
                        && (t.capitalized() || CLAIMANT_WORDS.contains(&t.lower.as_str()))
                })
                .collect();
            if let Some(name) = join(&words) {
                return Some(name);
            }
        }
        if !CLAIM_VERBS.contains(&token.lower.as_str()) {
            continue;
        }
        let mut first = index;
        while first > 0 && index - first < 5 {
            let Some(previous) = sentence.get(first - 1) else {
                break;
            };
            let fits = previous.kind == TokenKind::Word
                && (previous.capitalized() || CLAIMANT_WORDS.contains(&previous.lower.as_str()));
            if !fits {
                break;
            }
            first -= 1;
        }
        let words: Vec<&Word<'_>> = sentence.get(first..index)?.iter().collect();
        // "He said" or a lone article is no claimant.
        let named = words
            .iter()
            .any(|t| !t.is("the") && !t.is("he") && !t.is("she") && !t.is("they"));
        if named && let Some(name) = join(&words) {
            return Some(name);
        }
    }
    None
}

/// The tokens' words joined by single spaces.
pub(super) fn join(words: &[&Word<'_>]) -> Option<String> {
    let mut name = String::new();
    for word in words {
        if !name.is_empty() && !word.text.starts_with('\'') && !word.text.starts_with('’') {
            name.push(' ');
        }
        name.push_str(word.text);
    }
    (!name.is_empty()).then_some(name)
}
