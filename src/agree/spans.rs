//! Matching two coders' spans of one label in one article, and the F1 of the match, with
//! exact boundaries and with overlapping ones; clusters of spans matched across several
//! coders (the claims whose values are compared).
//!
//! The matching rule: a span is matched to at most one span of the other coder. Exact:
//! the same `[start, end)`. Overlapping: spans that share at least one code point; the
//! pairs are taken greedily, the largest shared stretch first (ties: the earlier start of
//! the first coder's span, then of the second's), each span at most once.

use serde::Serialize;

/// A span as `[start, end)` in code points.
pub type Range = (usize, usize);

/// How two coders' spans of one label matched.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct SpanMatch {
    /// Spans of the first coder.
    pub first: usize,
    /// Spans of the second coder.
    pub second: usize,
    /// Pairs matched one to one.
    pub matched: usize,
}

impl SpanMatch {
    /// Adds the counts of another article.
    pub fn add(&mut self, other: Self) {
        self.first += other.first;
        self.second += other.second;
        self.matched += other.matched;
    }

    /// `2 · matched / (first + second)`: the F1 of either coder against the other (it is
    /// symmetric); `None` when neither coder marked a span.
    pub fn f1(self) -> Option<f64> {
        let total = self.first + self.second;
        (total > 0).then(|| 2.0 * self.matched as f64 / total as f64)
    }
}

/// Exact matches: spans with the same boundaries, each used once.
pub fn exact(first: &[Range], second: &[Range]) -> SpanMatch {
    let mut a = first.to_vec();
    let mut b = second.to_vec();
    a.sort_unstable();
    b.sort_unstable();
    let (mut i, mut j, mut matched) = (0, 0, 0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                matched += 1;
                i += 1;
                j += 1;
            }
        }
    }
    SpanMatch {
        first: first.len(),
        second: second.len(),
        matched,
    }
}

/// The one-to-one pairs of overlapping spans, as indices into `first` and `second`, by the
/// rule of this module.
pub fn overlap_pairs(first: &[Range], second: &[Range]) -> Vec<(usize, usize)> {
    let mut candidates: Vec<(usize, usize, usize)> = Vec::new();
    for (i, a) in first.iter().enumerate() {
        for (j, b) in second.iter().enumerate() {
            let shared = a.1.min(b.1).saturating_sub(a.0.max(b.0));
            if shared > 0 {
                candidates.push((shared, i, j));
            }
        }
    }
    candidates.sort_by(|x, y| {
        y.0.cmp(&x.0)
            .then_with(|| first.get(x.1).cmp(&first.get(y.1)))
            .then_with(|| second.get(x.2).cmp(&second.get(y.2)))
            .then_with(|| (x.1, x.2).cmp(&(y.1, y.2)))
    });
    let mut used_first = vec![false; first.len()];
    let mut used_second = vec![false; second.len()];
    let mut pairs = Vec::new();
    for (_, i, j) in candidates {
        let (Some(a), Some(b)) = (used_first.get_mut(i), used_second.get_mut(j)) else {
            continue;
        };
        if *a || *b {
            continue;
        }
        *a = true;
        *b = true;
        pairs.push((i, j));
    }
    pairs.sort_unstable();
    pairs
}

/// Overlapping matches by the rule of this module.
pub fn overlapping(first: &[Range], second: &[Range]) -> SpanMatch {
    SpanMatch {
        first: first.len(),
        second: second.len(),
        matched: overlap_pairs(first, second).len(),
    }
}

/// Clusters of spans matched across coders: `layers[c]` are coder `c`'s spans. The first
/// coder's spans start one cluster each; every next coder's spans are matched (overlap
/// rule) to the clusters' first spans not yet holding a span of that coder, and the spans
/// left over start clusters of their own. Each cluster lists `(coder, span index)`.
pub fn clusters(layers: &[Vec<Range>]) -> Vec<Vec<(usize, usize)>> {
    let mut clusters: Vec<(Range, Vec<(usize, usize)>)> = Vec::new();
    for (coder, spans) in layers.iter().enumerate() {
        let heads: Vec<Range> = clusters.iter().map(|(head, _)| *head).collect();
        let pairs = overlap_pairs(spans, &heads);
        let mut placed = vec![false; spans.len()];
        for (i, c) in pairs {
            if let (Some(cluster), Some(flag)) = (clusters.get_mut(c), placed.get_mut(i)) {
                cluster.1.push((coder, i));
                *flag = true;
            }
        }
        for (i, span) in spans.iter().enumerate() {
            if !placed.get(i).copied().unwrap_or(true) {
                clusters.push((*span, vec![(coder, i)]));
            }
        }
    }
    clusters.sort_by_key(|(head, _)| *head);
    clusters.into_iter().map(|(_, members)| members).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_matching_counts_each_span_once() {
        let m = exact(&[(0, 4), (0, 4), (10, 12)], &[(0, 4), (10, 13)]);
        assert_eq!((m.first, m.second, m.matched), (3, 2, 1));
        assert_eq!(m.f1(), Some(0.4));
        assert_eq!(exact(&[], &[]).f1(), None);
    }

    #[test]
    fn overlap_matching_takes_the_largest_overlap_first_and_each_span_once() {
        // (0, 10) overlaps both (0, 3) and (2, 10); the larger overlap wins, and (0, 3) is
        // left unmatched because (0, 10) is taken.
        let pairs = overlap_pairs(&[(0, 10), (20, 25)], &[(0, 3), (2, 10), (24, 30)]);
        assert_eq!(pairs, [(0, 1), (1, 2)]);
        let m = overlapping(&[(0, 10), (20, 25)], &[(0, 3), (2, 10), (24, 30)]);
        assert_eq!(m.f1(), Some(0.8));
    }

    #[test]
    fn clusters_join_overlapping_spans_of_several_coders() {
        let layers = vec![
            vec![(0, 5), (10, 15)],
            vec![(1, 5)],
            vec![(11, 14), (30, 31)],
        ];
        assert_eq!(
            clusters(&layers),
            [vec![(0, 0), (1, 0)], vec![(0, 1), (2, 0)], vec![(2, 1)]]
        );
    }
}
