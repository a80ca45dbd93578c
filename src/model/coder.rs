//! Coders: who codes an article (a validated name) and how articles are spread over a team
//! with a share coded twice (the assignment plan, random but reproducible from its seed).

use std::fmt;

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use super::ArticleId;

/// Longest coder name, in code points.
pub const MAX_CODER_CHARS: usize = 64;

/// A coder's name: the identity whose layer an annotation is in.
///
/// Any script is allowed (a name is data); it is trimmed, holds no control characters, no
/// `,` (lists of coders are comma-separated on the command line) and does not start with
/// `@`, which names the layers that are nobody's (see [`ADJUDICATED`]).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Coder(String);

/// The adjudicated layer's name where a coder's would stand: no coder can take it.
pub const ADJUDICATED: &str = "@adjudicated";

impl Coder {
    /// Checks and trims `name`.
    pub fn new(name: &str) -> Result<Self, String> {
        let name = name.trim();
        let count = name.chars().count();
        if count == 0 {
            return Err("a coder's name cannot be empty".to_owned());
        }
        if count > MAX_CODER_CHARS {
            return Err(format!(
                "coder name '{name}' is {count} characters long: at most {MAX_CODER_CHARS}"
            ));
        }
        if let Some(c) = name
            .chars()
            .find(|c| c.is_control() || is_bidi_control(*c) || *c == ',')
        {
            return Err(format!(
                "coder name '{}' holds {}: use letters, digits, spaces and punctuation other than ','",
                name.escape_debug(),
                if c == ',' {
                    "a ','".to_owned()
                } else if is_bidi_control(c) {
                    format!(
                        "the direction control U+{:04X}, which would make the name read as another",
                        u32::from(c)
                    )
                } else {
                    format!("the control character U+{:04X}", u32::from(c))
                }
            ));
        }
        if name.starts_with('@') {
            return Err(format!(
                "coder name '{name}' starts with '@', which names layers that are nobody's (such as {ADJUDICATED})"
            ));
        }
        Ok(Self(name.to_owned()))
    }

    /// Reads a comma-separated list (`a,b,c`), refusing a name given twice.
    pub fn parse_list(list: &str) -> Result<Vec<Self>, String> {
        let mut coders: Vec<Self> = Vec::new();
        for name in list.split(',') {
            let coder = Self::new(name)?;
            if coders.contains(&coder) {
                return Err(format!("coder '{coder}' is named twice"));
            }
            coders.push(coder);
        }
        Ok(coders)
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Coder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One article given to one coder, and whether the coder marked it done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// The article.
    pub article_id: ArticleId,
    /// Who codes it.
    pub coder: String,
    /// When it was assigned, RFC 3339 UTC.
    pub assigned_at: String,
    /// When the coder marked it done, RFC 3339 UTC; `None` while it is to do.
    pub done_at: Option<String>,
}

/// Which coders code which articles: every article one coder, a share of them two.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignmentPlan {
    /// `(article, coder)` pairs, by article then coder position.
    pub pairs: Vec<(ArticleId, Coder)>,
    /// How many articles have two coders.
    pub double_coded: usize,
    /// The seed the plan was drawn with: the same articles, coders, overlap and seed give
    /// the same plan.
    pub seed: u64,
}

impl AssignmentPlan {
    /// Spreads `articles` over `coders`: the articles are shuffled with `seed`, the first
    /// `round(overlap × n)` of the shuffled order are double-coded, and coders are dealt in
    /// turn so that each codes as many articles as the others, within one (a double-coded
    /// article takes two coders that follow each other in the turn, so never the same one
    /// twice). With one coder nothing can be double-coded.
    pub fn draw(
        articles: &[ArticleId],
        coders: &[Coder],
        overlap: f64,
        seed: u64,
    ) -> Result<Self, String> {
        if coders.is_empty() {
            return Err("name at least one coder".to_owned());
        }
        if !(0.0..=1.0).contains(&overlap) || overlap.is_nan() {
            return Err(format!(
                "overlap {overlap} is not a share between 0 and 1 (0.2 double-codes a fifth of the articles)"
            ));
        }
        let mut order: Vec<ArticleId> = articles.to_vec();
        order.sort_unstable();
        order.dedup();
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        order.shuffle(&mut rng);
        let double = if coders.len() < 2 {
            0
        } else {
            share_of(order.len(), overlap)
        };
        let mut pairs = Vec::with_capacity(order.len() + double);
        let mut turn = 0usize;
        for (position, article) in order.iter().enumerate() {
            let takes = if position < double { 2 } else { 1 };
            for _ in 0..takes {
                if let Some(coder) = coders.get(turn % coders.len()) {
                    pairs.push((*article, coder.clone()));
                }
                turn += 1;
            }
        }
        pairs.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
        Ok(Self {
            pairs,
            double_coded: double,
            seed,
        })
    }
}

/// The bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069):
/// they reorder what follows them, so a name holding one can show as another name. Joiners
/// (U+200C, common in Persian and Urdu names) are letters' business and stay allowed.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `round(share × n)`, for a share in `0..=1`.
fn share_of(n: usize, share: f64) -> usize {
    let wanted = (share * n as f64).round();
    if wanted <= 0.0 {
        0
    } else {
        (wanted as usize).min(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coders(names: &str) -> Vec<Coder> {
        Coder::parse_list(names).unwrap()
    }

    fn ids(n: i64) -> Vec<ArticleId> {
        (1..=n).map(ArticleId).collect()
    }

    #[test]
    fn names_are_trimmed_and_any_script_is_a_name() {
        assert_eq!(Coder::new("  Ayesha ").unwrap().as_str(), "Ayesha");
        assert_eq!(Coder::new("عائشہ خان").unwrap().as_str(), "عائشہ خان");
        assert!(Coder::new("   ").is_err());
        assert!(Coder::new("a,b").unwrap_err().contains("','"));
        assert!(Coder::new("a\u{1b}[2J").unwrap_err().contains("U+001B"));
        assert!(
            Coder::new("ana\u{202e}neb")
                .unwrap_err()
                .contains("direction control U+202E")
        );
        assert_eq!(
            Coder::new("مهر\u{200c}ناز").unwrap().as_str(),
            "مهر\u{200c}ناز"
        );
        assert!(Coder::new(ADJUDICATED).unwrap_err().contains("'@'"));
        assert!(
            Coder::new(&"x".repeat(65))
                .unwrap_err()
                .contains("at most 64")
        );
        assert!(Coder::parse_list("a, b,a").unwrap_err().contains("twice"));
    }

    #[test]
    fn a_plan_gives_every_article_a_coder_and_the_overlap_a_second_one() {
        let team = coders("a,b,c");
        let plan = AssignmentPlan::draw(&ids(100), &team, 0.2, 7).unwrap();
        assert_eq!(plan.double_coded, 20);
        assert_eq!(plan.pairs.len(), 120);
        let mut per_article = std::collections::BTreeMap::<ArticleId, Vec<&Coder>>::new();
        for (article, coder) in &plan.pairs {
            per_article.entry(*article).or_default().push(coder);
        }
        assert_eq!(per_article.len(), 100);
        assert_eq!(per_article.values().filter(|c| c.len() == 2).count(), 20);
        assert!(per_article.values().all(|c| c.len() < 2 || c[0] != c[1]));
        for coder in &team {
            let load = plan.pairs.iter().filter(|(_, c)| c == coder).count();
            assert_eq!(load, 40, "{coder} codes a third of 120 assignments");
        }
    }

    #[test]
    fn the_same_seed_draws_the_same_plan_and_another_seed_another() {
        let team = coders("a,b");
        let one = AssignmentPlan::draw(&ids(50), &team, 0.3, 42).unwrap();
        let again = AssignmentPlan::draw(&ids(50), &team, 0.3, 42).unwrap();
        let other = AssignmentPlan::draw(&ids(50), &team, 0.3, 43).unwrap();
        assert_eq!(one, again);
        assert_ne!(one.pairs, other.pairs);
    }

    #[test]
    fn bad_overlaps_and_teams_are_refused_and_one_coder_double_codes_nothing() {
        assert!(AssignmentPlan::draw(&ids(3), &[], 0.2, 1).is_err());
        assert!(AssignmentPlan::draw(&ids(3), &coders("a,b"), 1.5, 1).is_err());
        assert!(AssignmentPlan::draw(&ids(3), &coders("a,b"), f64::NAN, 1).is_err());
        let solo = AssignmentPlan::draw(&ids(3), &coders("a"), 1.0, 1).unwrap();
        assert_eq!((solo.pairs.len(), solo.double_coded), (3, 0));
        let all = AssignmentPlan::draw(&ids(4), &coders("a,b"), 1.0, 1).unwrap();
        assert_eq!((all.pairs.len(), all.double_coded), (8, 4));
    }
}
