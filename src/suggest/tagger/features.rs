//! The tagger's features: what it looks at around each word, hashed into a fixed number of
//! buckets (no string table to ship or grow).
//!
//! Owns: turning one sentence of words and the rules' proposals on them into bucket ids.
//! Must not: know weights, tags or how a model is trained.

/// What the rules (and their gazetteer) said about one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RuleHint {
    /// The rules' label on this word (`PER`, `ORG`, `LOC`), if any.
    pub label: Option<&'static str>,
    /// Whether the word starts the rules' span.
    pub begin: bool,
    /// Whether the rules' span is a gazetteer entry (a known place or organisation).
    pub gazetteer: bool,
}

impl RuleHint {
    fn tag(self) -> &'static str {
        match (self.label, self.begin) {
            (None, _) => "O",
            (Some("PER"), true) => "B-PER",
            (Some("PER"), false) => "I-PER",
            (Some("ORG"), true) => "B-ORG",
            (Some("ORG"), false) => "I-ORG",
            (Some("LOC"), true) => "B-LOC",
            (Some("LOC"), false) => "I-LOC",
            (Some(_), true) => "B-X",
            (Some(_), false) => "I-X",
        }
    }
}

/// One word as the tagger sees it.
#[derive(Debug, Clone, Copy)]
pub struct TagWord<'a> {
    /// The word as written.
    pub text: &'a str,
    /// What the rules said about it.
    pub hint: RuleHint,
}

/// Templates, one byte each, so that the same string in two templates hashes apart.
mod template {
    pub(super) const BIAS: u8 = 0;
    pub(super) const WORD: u8 = 1;
    pub(super) const SHAPE: u8 = 2;
    pub(super) const PREFIX: u8 = 3;
    pub(super) const SUFFIX: u8 = 7;
    pub(super) const CASE_CONTEXT: u8 = 11;
    pub(super) const NEIGHBOUR: u8 = 12;
    pub(super) const NEIGHBOUR_SHAPE: u8 = 16;
    pub(super) const BIGRAM: u8 = 18;
    pub(super) const RULE: u8 = 20;
    pub(super) const RULE_NEIGHBOUR: u8 = 21;
    pub(super) const RULE_SHAPE: u8 = 23;
    pub(super) const RULE_WORD: u8 = 24;
}

/// FNV-1a over a template byte and the parts, each part closed by a 0xff byte (never in
/// UTF-8), then folded into `bits` bits.
fn bucket(bits: u8, template: u8, parts: &[&str]) -> u32 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |byte: u8| {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    };
    eat(template);
    for part in parts {
        for &byte in part.as_bytes() {
            eat(byte);
        }
        eat(0xff);
    }
    // Fold the high bits in: FNV's low bits alone mix poorly.
    let folded = hash ^ (hash >> 29) ^ (hash >> 43);
    let mask = (1u64 << bits) - 1;
    u32::try_from(folded & mask).unwrap_or(0)
}

/// The shape of a word, runs collapsed: `Iran` → `Xx`, `BBC` → `X`, `1,200` → `d,d`,
/// `al-Shabab` → `x-Xx`. At most 8 characters of shape.
pub(super) fn shape(word: &str) -> String {
    let mut out = String::with_capacity(8);
    let mut last = '\0';
    for c in word.chars() {
        let class = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else if c.is_alphabetic() {
            'a'
        } else {
            c
        };
        if class != last {
            out.push(class);
            last = class;
            if out.len() >= 8 {
                break;
            }
        }
    }
    out
}

/// The first and last `n` characters of `lower` (whole words shorter than `n` give none).
fn affixes(lower: &str, n: usize) -> Option<(&str, &str)> {
    let count = lower.chars().count();
    if count <= n {
        return None;
    }
    let prefix_end = lower
        .char_indices()
        .nth(n)
        .map_or(lower.len(), |(at, _)| at);
    let suffix_start = lower.char_indices().nth(count - n).map_or(0, |(at, _)| at);
    Some((lower.get(..prefix_end)?, lower.get(suffix_start..)?))
}

fn capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

fn has_letters(word: &str) -> bool {
    word.chars().any(char::is_alphabetic)
}

/// How the sentence is written: a headline in capitals, a title-case headline, or prose.
fn sentence_case(words: &[TagWord<'_>]) -> &'static str {
    let lettered: Vec<&str> = words
        .iter()
        .map(|w| w.text)
        .filter(|w| has_letters(w))
        .collect();
    if lettered.len() < 3 {
        return "short";
    }
    let upper = lettered
        .iter()
        .filter(|w| !w.chars().any(char::is_lowercase))
        .count();
    if upper * 10 >= lettered.len() * 8 {
        return "caps";
    }
    let titled = lettered.iter().filter(|w| capitalised(w)).count();
    if titled * 10 >= lettered.len() * 7 {
        return "title";
    }
    "prose"
}

/// The bucket ids of every word of one sentence (`bits` bits each), in word order.
pub(super) fn sentence_features(bits: u8, words: &[TagWord<'_>]) -> Vec<Vec<u32>> {
    let lowers: Vec<String> = words
        .iter()
        .map(|w| w.text.to_lowercase().replace('’', "'"))
        .collect();
    let shapes: Vec<String> = words.iter().map(|w| shape(w.text)).collect();
    let case = sentence_case(words);
    fn at(i: isize, of: &[String]) -> &str {
        usize::try_from(i)
            .ok()
            .and_then(|i| of.get(i))
            .map_or(if i < 0 { "<s>" } else { "</s>" }, String::as_str)
    }
    let hint_at = |i: isize| -> &'static str {
        usize::try_from(i)
            .ok()
            .and_then(|i| words.get(i))
            .map_or("-", |w| w.hint.tag())
    };
    let mut out = Vec::with_capacity(words.len());
    for (index, word) in words.iter().enumerate() {
        let i = isize::try_from(index).unwrap_or(isize::MAX);
        let lower = lowers.get(index).map_or("", String::as_str);
        let word_shape = shapes.get(index).map_or("", String::as_str);
        let mut f = Vec::with_capacity(40);
        let mut add = |template: u8, parts: &[&str]| f.push(bucket(bits, template, parts));
        add(template::BIAS, &[]);
        add(template::WORD, &[lower]);
        add(template::SHAPE, &[word_shape]);
        for n in 1..=4u8 {
            if let Some((prefix, suffix)) = affixes(lower, usize::from(n)) {
                add(template::PREFIX + n - 1, &[prefix]);
                add(template::SUFFIX + n - 1, &[suffix]);
            }
        }
        let position = if index == 0 { "first" } else { "inner" };
        let cap = if capitalised(word.text) { "cap" } else { "low" };
        add(template::CASE_CONTEXT, &[case, position, cap]);
        add(template::CASE_CONTEXT, &[case, position, cap, lower]);
        for (k, offset) in [-2isize, -1, 1, 2].into_iter().enumerate() {
            let k = u8::try_from(k).unwrap_or(0);
            add(template::NEIGHBOUR + k, &[at(i + offset, &lowers)]);
        }
        add(template::NEIGHBOUR_SHAPE, &[at(i - 1, &shapes), word_shape]);
        add(
            template::NEIGHBOUR_SHAPE + 1,
            &[word_shape, at(i + 1, &shapes)],
        );
        add(template::BIGRAM, &[at(i - 1, &lowers), lower]);
        add(template::BIGRAM + 1, &[lower, at(i + 1, &lowers)]);
        let hint = word.hint.tag();
        let gazetteer = if word.hint.gazetteer { "gaz" } else { "rule" };
        add(template::RULE, &[hint, gazetteer]);
        add(template::RULE_NEIGHBOUR, &[hint_at(i - 1), hint]);
        add(template::RULE_NEIGHBOUR + 1, &[hint, hint_at(i + 1)]);
        add(template::RULE_SHAPE, &[hint, word_shape, position]);
        if word.hint.label.is_some() {
            add(template::RULE_WORD, &[hint, at(i - 1, &lowers)]);
            add(template::RULE_WORD + 1, &[hint, at(i + 1, &lowers)]);
        }
        out.push(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_collapse_runs() {
        assert_eq!(shape("Iran"), "Xx");
        assert_eq!(shape("BBC"), "X");
        assert_eq!(shape("1,200"), "d,d");
        assert_eq!(shape("al-Shabab"), "x-Xx");
        assert_eq!(shape(""), "");
    }

    #[test]
    fn features_stay_in_their_buckets_and_differ_by_word() {
        let words = |text: &'static str| TagWord {
            text,
            hint: RuleHint::default(),
        };
        let a = sentence_features(12, &[words("Chelsea"), words("won")]);
        let b = sentence_features(12, &[words("Arsenal"), words("won")]);
        assert_eq!(a.len(), 2);
        assert!(a.iter().flatten().all(|&f| f < 1 << 12));
        assert_ne!(a[0], b[0]);
        assert!(sentence_features(12, &[]).is_empty());
    }
}
