//! Casualty-figure quality: per-article killed and injured totals from the casualty suggester
//! against labelled articles (the gun-violence news set: `X.json` texts, `Y.json` labels).

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::suggest::casualties::{CasualtyMention, article_totals, find_casualties};

/// One article of `X.json`.
#[derive(Debug, Deserialize)]
struct Article {
    text: String,
}

/// One label of `Y.json`.
#[derive(Debug, Deserialize)]
struct Label {
    n_killed: u64,
    n_injured: u64,
}

/// Predicted and gold totals of one article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleScore {
    /// Position in the files.
    pub index: usize,
    /// Killed: (predicted, gold).
    pub killed: (u64, u64),
    /// Injured: (predicted, gold).
    pub injured: (u64, u64),
    /// The figures found, as `span=count outcome` (only in verbose runs).
    pub figures: Vec<String>,
}

/// Scores of one outcome over a run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OutcomeScores {
    /// Share of articles whose total is exactly the gold one.
    pub exact: f64,
    /// The same over articles whose gold total is not zero.
    pub exact_nonzero: f64,
    /// How many articles have a non-zero gold total.
    pub nonzero_articles: usize,
    /// Mean absolute error of the total.
    pub mean_absolute_error: f64,
}

/// The result of a casualty evaluation run.
#[derive(Debug, Clone, PartialEq)]
pub struct CasualtyReport {
    /// One entry per article, in file order.
    pub articles: Vec<ArticleScore>,
    /// Killed totals.
    pub killed: OutcomeScores,
    /// Injured totals.
    pub injured: OutcomeScores,
    /// Whether `Display` lists the articles with a wrong total.
    pub verbose: bool,
    /// Article texts' first characters, for the verbose listing (same order as `articles`).
    pub previews: Vec<String>,
}

/// Why an evaluation could not run.
#[derive(Debug, thiserror::Error)]
pub enum CasualtyEvalError {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// A file is not the expected JSON array.
    #[error("not a casualty data file: {reason}: {path}")]
    Format {
        /// The file.
        path: PathBuf,
        /// What the parser said.
        reason: String,
    },
    /// The two files have different lengths.
    #[error("{texts} texts but {labels} labels")]
    Mismatch {
        /// Entries in the texts file.
        texts: usize,
        /// Entries in the labels file.
        labels: usize,
    },
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T, CasualtyEvalError> {
    let bytes = std::fs::read(path).map_err(|source| CasualtyEvalError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_slice(&bytes).map_err(|error| CasualtyEvalError::Format {
        path: path.to_path_buf(),
        reason: error.to_string(),
    })
}

/// Runs the casualty suggester on every text of `texts` (`[{text, publish_date}]`) and
/// compares its per-article totals with `labels` (`[{n_killed, n_injured, ...}]`).
pub fn casualty_benchmark(
    texts: &Path,
    labels: &Path,
    verbose: bool,
) -> Result<CasualtyReport, CasualtyEvalError> {
    let articles: Vec<Article> = read_json(texts)?;
    let gold: Vec<Label> = read_json(labels)?;
    if articles.len() != gold.len() {
        return Err(CasualtyEvalError::Mismatch {
            texts: articles.len(),
            labels: gold.len(),
        });
    }
    let scores: Vec<ArticleScore> = articles
        .iter()
        .zip(&gold)
        .enumerate()
        .map(|(index, (article, label))| {
            let mentions = find_casualties(&article.text);
            let (killed, injured) = article_totals(&mentions);
            let figures = if verbose {
                mentions
                    .iter()
                    .map(|mention| describe(&article.text, mention))
                    .collect()
            } else {
                Vec::new()
            };
            ArticleScore {
                index,
                killed: (killed, label.n_killed),
                injured: (injured, label.n_injured),
                figures,
            }
        })
        .collect();
    let previews = if verbose {
        articles
            .iter()
            .map(|article| article.text.chars().take(160).collect())
            .collect()
    } else {
        Vec::new()
    };
    Ok(CasualtyReport {
        killed: outcome_scores(scores.iter().map(|score| score.killed)),
        injured: outcome_scores(scores.iter().map(|score| score.injured)),
        articles: scores,
        verbose,
        previews,
    })
}

/// One mention as `"span"=count outcome` (`<part` for sub-counts).
fn describe(text: &str, mention: &CasualtyMention) -> String {
    let span: String = text
        .chars()
        .skip(mention.start)
        .take(mention.end.saturating_sub(mention.start))
        .collect();
    let count = mention
        .count
        .map_or_else(|| "?".to_owned(), |count| count.to_string());
    let part = if mention.part_of.is_some() {
        " <part"
    } else {
        ""
    };
    format!("\"{span}\"={count} {}{part}", mention.outcome)
}

#[expect(
    clippy::cast_precision_loss,
    reason = "article counts and totals are far below 2^52"
)]
fn outcome_scores(pairs: impl Iterator<Item = (u64, u64)>) -> OutcomeScores {
    let (mut total, mut exact, mut nonzero, mut exact_nonzero, mut error) = (0, 0, 0, 0, 0);
    for (predicted, gold) in pairs {
        total += 1;
        error += predicted.abs_diff(gold);
        if predicted == gold {
            exact += 1;
        }
        if gold != 0 {
            nonzero += 1;
            if predicted == gold {
                exact_nonzero += 1;
            }
        }
    }
    let share = |part: usize, whole: usize| {
        if whole == 0 {
            0.0
        } else {
            part as f64 / whole as f64
        }
    };
    OutcomeScores {
        exact: share(exact, total),
        exact_nonzero: share(exact_nonzero, nonzero),
        nonzero_articles: nonzero,
        mean_absolute_error: if total == 0 {
            0.0
        } else {
            error as f64 / total as f64
        },
    }
}

impl fmt::Display for CasualtyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "articles: {}", self.articles.len())?;
        for (name, scores) in [("killed", &self.killed), ("injured", &self.injured)] {
            writeln!(
                f,
                "{name:<8} exact {:.3}  exact where gold != 0 {:.3} ({} articles)  MAE {:.3}",
                scores.exact,
                scores.exact_nonzero,
                scores.nonzero_articles,
                scores.mean_absolute_error
            )?;
        }
        if !self.verbose {
            return Ok(());
        }
        for score in &self.articles {
            if score.killed.0 == score.killed.1 && score.injured.0 == score.injured.1 {
                continue;
            }
            let preview = self.previews.get(score.index).map_or("", String::as_str);
            writeln!(
                f,
                "#{} killed {}/{} injured {}/{} (predicted/gold): {preview}",
                score.index, score.killed.0, score.killed.1, score.injured.0, score.injured.1
            )?;
            writeln!(f, "    {}", score.figures.join("; "))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_exact_and_nonzero_shares() {
        let scores = outcome_scores([(1, 1), (0, 0), (2, 1), (0, 0)].into_iter());
        assert!((scores.exact - 0.75).abs() < 1e-9);
        assert!((scores.exact_nonzero - 0.5).abs() < 1e-9);
        assert_eq!(scores.nonzero_articles, 2);
        assert!((scores.mean_absolute_error - 0.25).abs() < 1e-9);
    }

    #[test]
    fn runs_on_small_files() {
        let dir = tempfile::tempdir().expect("temp dir");
        let texts = dir.path().join("x.json");
        let labels = dir.path().join("y.json");
        std::fs::write(
            &texts,
            r#"[{"text": "Two people were shot, one fatally, police said.", "publish_date": "2018-01-01"},
                {"text": "The council met on Monday.", "publish_date": "2018-01-02"}]"#,
        )
        .expect("write");
        std::fs::write(
            &labels,
            r#"[{"n_killed": 1, "n_injured": 1, "shooting_date": "", "address": ""},
                {"n_killed": 0, "n_injured": 0, "shooting_date": "", "address": ""}]"#,
        )
        .expect("write");
        let report = casualty_benchmark(&texts, &labels, true).expect("report");
        assert_eq!(report.articles.len(), 2);
        assert!((report.killed.exact - 1.0).abs() < 1e-9);
        assert!((report.injured.exact - 1.0).abs() < 1e-9);
        assert!(report.to_string().starts_with("articles: 2\n"));
    }
}
