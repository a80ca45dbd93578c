//! Article-extraction quality: the HTML importer against the Zyte (Scrapinghub) article
//! extraction benchmark, scored by token precision, recall and F1.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::import::{Format, ImportOptions, read_file};

/// Precision, recall and F1 of one extracted text against its reference.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TokenScores {
    /// Share of extracted tokens that are in the reference.
    pub precision: f64,
    /// Share of reference tokens that were extracted.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
}

impl TokenScores {
    /// All zero: what a failed page scores.
    pub const ZERO: Self = Self {
        precision: 0.0,
        recall: 0.0,
        f1: 0.0,
    };
}

/// The score of one benchmark page.
#[derive(Debug, Clone, PartialEq)]
pub struct PageScore {
    /// The page's id (the SHA-256 its file is named after).
    pub page: String,
    /// The page's address from the ground truth.
    pub url: Option<String>,
    /// Token scores; zero when the page failed.
    pub scores: TokenScores,
    /// True when no article was found and the whole page text was scored.
    pub whole_page: bool,
    /// Why the page produced no article, if it did not.
    pub error: Option<String>,
}

/// Scores of a whole benchmark run.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtractionReport {
    /// One entry per ground-truth page, sorted by page id.
    pub pages: Vec<PageScore>,
    /// Mean over all pages (failed pages count as zero).
    pub mean: TokenScores,
    /// Pages that produced no article, with the reason: `page: reason`.
    pub failed: Vec<String>,
}

impl ExtractionReport {
    /// How many pages fell back to the whole page text.
    pub fn whole_page_count(&self) -> usize {
        self.pages.iter().filter(|page| page.whole_page).count()
    }
}

impl fmt::Display for ExtractionReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "pages {}  mean precision {:.4}  recall {:.4}  F1 {:.4}  (whole-page fallbacks {}, failed {})",
            self.pages.len(),
            self.mean.precision,
            self.mean.recall,
            self.mean.f1,
            self.whole_page_count(),
            self.failed.len()
        )?;
        for failure in &self.failed {
            writeln!(f, "failed: {failure}")?;
        }
        Ok(())
    }
}

/// Why a benchmark could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// The ground-truth file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// The ground-truth file is not `{sha256: {"articleBody", "url"}}`.
    #[error("{path}: not a ground-truth file: {reason}")]
    GroundTruth {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
}

/// One ground-truth entry.
#[derive(Debug, serde::Deserialize)]
struct Truth {
    #[serde(rename = "articleBody")]
    article_body: String,
    url: Option<String>,
}

/// Runs the HTML importer over `DIR/html/<sha256>.html.gz` for every page of
/// `DIR/ground-truth.json` and scores each text against its `articleBody`. Pages that fail
/// to import or are missing score zero and are listed in `failed`.
pub fn extraction_benchmark(dir: &Path) -> Result<ExtractionReport, EvalError> {
    let truth_path = dir.join("ground-truth.json");
    let truth_bytes = std::fs::read(&truth_path).map_err(|source| EvalError::Read {
        path: truth_path.clone(),
        source,
    })?;
    let truth: HashMap<String, Truth> =
        serde_json::from_slice(&truth_bytes).map_err(|error| EvalError::GroundTruth {
            path: truth_path.clone(),
            reason: error.to_string(),
        })?;
    let mut ids: Vec<&String> = truth.keys().collect();
    ids.sort();
    let options = ImportOptions {
        format: Some(Format::Html),
        ..ImportOptions::default()
    };
    let mut pages = Vec::with_capacity(ids.len());
    for id in ids {
        let Some(expected) = truth.get(id) else {
            continue;
        };
        let html_path = dir.join("html").join(format!("{id}.html.gz"));
        pages.push(score_page(id, expected, &html_path, &options));
    }
    Ok(report(pages))
}

fn score_page(id: &str, expected: &Truth, html_path: &Path, options: &ImportOptions) -> PageScore {
    let mut page = PageScore {
        page: id.to_owned(),
        url: expected.url.clone(),
        scores: TokenScores::ZERO,
        whole_page: false,
        error: None,
    };
    match read_file(html_path, options) {
        Ok(outcome) => {
            page.whole_page = outcome
                .warnings
                .iter()
                .any(|warning| warning.reason.contains("no article found"));
            match outcome.articles.first() {
                Some(article) => page.scores = token_scores(&expected.article_body, &article.text),
                None => {
                    let reasons: Vec<String> =
                        outcome.warnings.iter().map(|w| w.reason.clone()).collect();
                    page.error = Some(format!("no article ({})", reasons.join("; ")));
                }
            }
        }
        Err(error) => page.error = Some(error.to_string()),
    }
    page
}

fn report(pages: Vec<PageScore>) -> ExtractionReport {
    let count = pages.len().max(1) as f64;
    let sum = |pick: fn(&TokenScores) -> f64| {
        pages.iter().map(|page| pick(&page.scores)).sum::<f64>() / count
    };
    let mean = TokenScores {
        precision: sum(|s| s.precision),
        recall: sum(|s| s.recall),
        f1: sum(|s| s.f1),
    };
    let failed = pages
        .iter()
        .filter_map(|page| {
            page.error
                .as_ref()
                .map(|error| format!("{}: {error}", page.page))
        })
        .collect();
    ExtractionReport {
        pages,
        mean,
        failed,
    }
}

/// Bag-of-tokens overlap, as in the Zyte benchmark's token scores: each token counts as many
/// times as it occurs in both texts. Two empty texts agree perfectly; one empty text scores 0.
pub fn token_scores(reference: &str, extracted: &str) -> TokenScores {
    let reference = counts(tokenize(reference));
    let extracted = counts(tokenize(extracted));
    let reference_total: usize = reference.values().sum();
    let extracted_total: usize = extracted.values().sum();
    if reference_total == 0 && extracted_total == 0 {
        return TokenScores {
            precision: 1.0,
            recall: 1.0,
            f1: 1.0,
        };
    }
    let common: usize = extracted
        .iter()
        .map(|(token, &n)| n.min(reference.get(token).copied().unwrap_or(0)))
        .sum();
    let ratio = |part: usize, whole: usize| {
        if whole == 0 {
            0.0
        } else {
            part as f64 / whole as f64
        }
    };
    let precision = ratio(common, extracted_total);
    let recall = ratio(common, reference_total);
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    TokenScores {
        precision,
        recall,
        f1,
    }
}

fn counts(tokens: Vec<String>) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for token in tokens {
        *counts.entry(token).or_insert(0) += 1;
    }
    counts
}

/// Lower-cased word tokens: runs of letters, digits, combining marks and joiners, split at
/// whitespace and punctuation. Chinese and Japanese characters, written without spaces, are
/// one token each so those pages are not scored as a few sentence-long "words".
pub fn tokenize(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        if is_ideograph_or_kana(c) {
            flush(&mut current, &mut tokens);
            tokens.extend(c.to_lowercase().map(String::from));
        } else if is_word_char(c) {
            current.extend(c.to_lowercase());
        } else {
            flush(&mut current, &mut tokens);
        }
    }
    flush(&mut current, &mut tokens);
    tokens
}

fn flush(current: &mut String, tokens: &mut Vec<String>) {
    if !current.is_empty() {
        tokens.push(std::mem::take(current));
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || is_joining_mark(c)
}

/// Marks and joiners that sit inside words but are not alphanumeric themselves.
fn is_joining_mark(c: char) -> bool {
    match c {
        // Dandas end sentences in Indic scripts.
        '\u{0964}' | '\u{0965}' => false,
        '\u{0300}'..='\u{036f}' // Combining diacritics.
        | '\u{200c}' | '\u{200d}' // ZWNJ, ZWJ.
        | '\u{0610}'..='\u{061a}' | '\u{064b}'..='\u{065f}' | '\u{0670}' // Arabic marks.
        | '\u{06d6}'..='\u{06ed}'
        | '\u{0900}'..='\u{0dff}' => true, // Indic vowel signs, viramas, nuktas.
        _ => false,
    }
}

fn is_ideograph_or_kana(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30ff}' // Hiragana, Katakana.
        | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' // Han.
        | '\u{20000}'..='\u{2ffff}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_lowercase_words() {
        assert_eq!(
            tokenize("Hello, World! It's 2024."),
            ["hello", "world", "it", "s", "2024"]
        );
        assert_eq!(tokenize("Zürich—café"), ["zürich", "café"]);
        assert_eq!(tokenize("北京发布"), ["北", "京", "发", "布"]);
        assert_eq!(
            tokenize("پرترافیک‌ترین جاده"),
            ["پرترافیک\u{200c}ترین", "جاده"]
        );
        assert_eq!(tokenize("हिन्दी समाचार"), ["हिन्दी", "समाचार"]);
        assert!(tokenize(" \n ... ").is_empty());
    }

    #[test]
    fn scores_count_repeated_tokens_once_per_occurrence() {
        let perfect = token_scores("a b c", "C b A");
        assert_eq!(
            (perfect.precision, perfect.recall, perfect.f1),
            (1.0, 1.0, 1.0)
        );
        let half = token_scores("a b c d", "a b x y");
        assert_eq!((half.precision, half.recall), (0.5, 0.5));
        assert!((half.f1 - 0.5).abs() < 1e-12);
        let repeated = token_scores("a a b", "a a a a");
        assert_eq!((repeated.precision, repeated.recall), (0.5, 2.0 / 3.0));
        assert_eq!(token_scores("a", ""), TokenScores::ZERO);
        assert_eq!(token_scores("", "").f1, 1.0);
    }

    #[test]
    fn failed_pages_count_as_zero() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("html")).unwrap();
        std::fs::write(
            dir.path().join("ground-truth.json"),
            r#"{"p1": {"articleBody": "Body text here", "url": "https://x.org"}, "p2": {"articleBody": "x", "url": null}}"#,
        )
        .unwrap();
        let page = "<html><head><title>T</title></head><body><p>Body text here</p></body></html>";
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut encoder, page.as_bytes()).unwrap();
        std::fs::write(
            dir.path().join("html/p1.html.gz"),
            encoder.finish().unwrap(),
        )
        .unwrap();
        let report = extraction_benchmark(dir.path()).unwrap();
        assert_eq!(report.pages.len(), 2);
        assert_eq!(report.pages[0].scores.f1, 1.0);
        assert_eq!(report.pages[1].scores, TokenScores::ZERO);
        assert_eq!(report.failed.len(), 1);
        assert!(
            report.failed[0].starts_with("p2: cannot read "),
            "{}",
            report.failed[0]
        );
        assert!((report.mean.f1 - 0.5).abs() < 1e-12);
    }

    /// The real benchmark (about 4 s in a debug build). See the scores with
    /// `cargo test --lib eval::extraction -- --nocapture`.
    #[test]
    #[cfg_attr(
        not(feature = "corpora"),
        ignore = "needs ../shared/corpora: cargo test --features corpora"
    )]
    fn zyte_benchmark_mean_f1() {
        let dir = Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/corpora/html-news/article-extraction-benchmark"
        ));
        assert!(dir.exists(), "corpus missing: {}", dir.display());
        let started = std::time::Instant::now();
        let report = extraction_benchmark(dir).unwrap();
        println!("{report}");
        println!("took {:.1} s", started.elapsed().as_secs_f64());
        let mut worst: Vec<&PageScore> = report.pages.iter().collect();
        worst.sort_by(|a, b| a.scores.f1.total_cmp(&b.scores.f1));
        for page in worst.iter().take(12) {
            println!(
                "{:.3} P {:.3} R {:.3} {}",
                page.scores.f1,
                page.scores.precision,
                page.scores.recall,
                page.url.as_deref().unwrap_or(&page.page)
            );
        }
        assert_eq!(report.pages.len(), 181);
        assert!(report.mean.f1 > 0.9, "{report}");
        assert!(report.failed.is_empty(), "{report}");
    }
}
