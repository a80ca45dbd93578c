//! The averaged structured perceptron: weights per (feature bucket, tag) and per tag
//! transition, Viterbi decoding under the BIO constraints, and seeded training.
//!
//! Owns: scores, decoding and weight updates. Must not: know words, files or the archive.

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

/// Tags are `O` (0), then `B-label` (1 + 2k) and `I-label` (2 + 2k) for label `k`.
pub(super) fn tag_count(labels: usize) -> usize {
    1 + 2 * labels
}

/// Whether `tag` may follow `previous` (`None`: the sentence start) in BIO: `I-X` only after
/// `B-X` or `I-X`.
pub(super) fn allowed(previous: Option<usize>, tag: usize) -> bool {
    if tag == 0 || tag % 2 == 1 {
        return true;
    }
    previous.is_some_and(|p| p != 0 && p.div_ceil(2) == tag / 2)
}

/// The weights of a model: `emission[bucket * tags + tag]`, `transition[(previous + 1) *
/// tags + tag]` (row 0 is the sentence start).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Weights {
    /// Bits of the feature hash: `1 << bits` buckets.
    pub(super) bits: u8,
    /// Tags (`1 + 2 × labels`).
    pub(super) tags: usize,
    /// Per bucket and tag.
    pub(super) emission: Vec<f32>,
    /// Per previous tag (or start) and tag.
    pub(super) transition: Vec<f32>,
}

impl Weights {
    /// All zero.
    pub(super) fn zero(bits: u8, tags: usize) -> Self {
        Self {
            bits,
            tags,
            emission: vec![0.0; (1usize << bits) * tags],
            transition: vec![0.0; (tags + 1) * tags],
        }
    }

    /// The emission scores of every tag for each word.
    pub(super) fn emissions(&self, features: &[Vec<u32>]) -> Vec<Vec<f32>> {
        features
            .iter()
            .map(|word| {
                let mut scores = vec![0.0f32; self.tags];
                for &f in word {
                    let start = usize::try_from(f).unwrap_or(0) * self.tags;
                    if let Some(row) = self.emission.get(start..start + self.tags) {
                        for (score, w) in scores.iter_mut().zip(row) {
                            *score += w;
                        }
                    }
                }
                scores
            })
            .collect()
    }

    fn transition(&self, previous: Option<usize>, tag: usize) -> f32 {
        let row = previous.map_or(0, |p| p + 1);
        self.transition
            .get(row * self.tags + tag)
            .copied()
            .unwrap_or(0.0)
    }

    /// The best tag sequence under the BIO constraints, and for each word the probability
    /// of its tag there ([`Weights::marginals`]).
    pub(super) fn decode(&self, features: &[Vec<u32>]) -> (Vec<usize>, Vec<f32>) {
        let emissions = self.emissions(features);
        let n = emissions.len();
        if n == 0 {
            return (Vec::new(), Vec::new());
        }
        let tags = self.tags;
        let mut score = vec![f32::NEG_INFINITY; n * tags];
        let mut back = vec![0usize; n * tags];
        for (i, emission) in emissions.iter().enumerate() {
            for (tag, e) in emission.iter().enumerate() {
                let (best, from) = if i == 0 {
                    if allowed(None, tag) {
                        (self.transition(None, tag), 0)
                    } else {
                        (f32::NEG_INFINITY, 0)
                    }
                } else {
                    let mut best = (f32::NEG_INFINITY, 0);
                    for previous in 0..tags {
                        if !allowed(Some(previous), tag) {
                            continue;
                        }
                        let s = score.get((i - 1) * tags + previous).copied();
                        let s =
                            s.unwrap_or(f32::NEG_INFINITY) + self.transition(Some(previous), tag);
                        if s > best.0 {
                            best = (s, previous);
                        }
                    }
                    best
                };
                if let Some(cell) = score.get_mut(i * tags + tag) {
                    *cell = best + e;
                }
                if let Some(cell) = back.get_mut(i * tags + tag) {
                    *cell = from;
                }
            }
        }
        let last = score.get((n - 1) * tags..).unwrap_or_default();
        let mut tag = argmax(last);
        let mut path = vec![0usize; n];
        for i in (0..n).rev() {
            if let Some(cell) = path.get_mut(i) {
                *cell = tag;
            }
            tag = back.get(i * tags + tag).copied().unwrap_or(0);
        }
        let confidence = self.marginals(&emissions, &path);
        (path, confidence)
    }
}

impl Weights {
    /// For each word, the probability that it has the tag `path` gives it, over every tag
    /// sequence the BIO constraints allow, each weighted by `exp(score)` (forward-backward):
    /// the sequence's scores read as a linear-chain model's. Unlike the softmax of one
    /// word's scores, it weighs what the neighbours' tags make likely, so a tag the best
    /// sequence chose is never near 0 where the sequence as a whole is sure.
    ///
    /// In probability space with each step's forward values scaled to sum to 1 (the
    /// backward values by the same factors), and each word's scores shifted by their
    /// maximum before `exp`, which the scaling cancels: `tags` exponentials per word.
    fn marginals(&self, emissions: &[Vec<f32>], path: &[usize]) -> Vec<f32> {
        let (n, tags) = (emissions.len(), self.tags);
        let factor = |p: Option<usize>, t: usize| {
            if allowed(p, t) {
                f64::from(self.transition(p, t)).exp()
            } else {
                0.0
            }
        };
        // Row 0: from the sentence start; row p + 1: from tag p.
        let moves: Vec<f64> = (0..=tags)
            .flat_map(|row| (0..tags).map(move |t| (row, t)))
            .map(|(row, t)| factor(row.checked_sub(1), t))
            .collect();
        let odds: Vec<f64> = emissions
            .iter()
            .flat_map(|e| {
                let max = e.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                (0..tags).map(move |t| {
                    let s = e.get(t).copied().unwrap_or(f32::NEG_INFINITY);
                    if max.is_finite() {
                        f64::from(s - max).exp()
                    } else {
                        1.0
                    }
                })
            })
            .collect();
        let mut alpha = vec![0.0f64; n * tags];
        let mut scale = vec![1.0f64; n];
        for i in 0..n {
            for t in 0..tags {
                let into = if i == 0 {
                    moves[t]
                } else {
                    (0..tags)
                        .map(|p| alpha[(i - 1) * tags + p] * moves[(p + 1) * tags + t])
                        .sum()
                };
                alpha[i * tags + t] = into * odds[i * tags + t];
            }
            let total: f64 = alpha[i * tags..(i + 1) * tags].iter().sum();
            if total > 0.0 && total.is_finite() {
                scale[i] = total;
                for a in &mut alpha[i * tags..(i + 1) * tags] {
                    *a /= total;
                }
            }
        }
        let mut beta = vec![1.0f64; n * tags];
        for i in (0..n.saturating_sub(1)).rev() {
            for t in 0..tags {
                beta[i * tags + t] = (0..tags)
                    .map(|x| {
                        moves[(t + 1) * tags + x]
                            * odds[(i + 1) * tags + x]
                            * beta[(i + 1) * tags + x]
                    })
                    .sum::<f64>()
                    / scale[i + 1];
            }
        }
        path.iter()
            .enumerate()
            .map(|(i, &t)| {
                let p = alpha[i * tags + t] * beta[i * tags + t];
                if p.is_finite() {
                    p.clamp(0.0, 1.0) as f32
                } else {
                    0.0
                }
            })
            .collect()
    }
}

fn argmax(scores: &[f32]) -> usize {
    let mut best = (f32::NEG_INFINITY, 0);
    for (index, &s) in scores.iter().enumerate() {
        if s > best.0 {
            best = (s, index);
        }
    }
    best.1
}

/// One training sentence: the bucket ids of each word and the gold tag of each word.
#[derive(Debug, Clone)]
pub(super) struct Example {
    pub(super) features: Vec<Vec<u32>>,
    pub(super) gold: Vec<usize>,
}

/// Running sums for averaging: the classic trick, `average = w - u / c`, where each update
/// `δ` made at step `c` adds `c × δ` to `u`.
struct Averaged {
    weights: Weights,
    emission_sum: Vec<f32>,
    transition_sum: Vec<f32>,
    step: f32,
}

impl Averaged {
    fn update(&mut self, features: &[Vec<u32>], gold: &[usize], predicted: &[usize]) {
        let tags = self.weights.tags;
        let step = self.step;
        for (i, (&g, &p)) in gold.iter().zip(predicted).enumerate() {
            let previous = |path: &[usize]| i.checked_sub(1).and_then(|j| path.get(j).copied());
            let (gp, pp) = (previous(gold), previous(predicted));
            if g != p {
                for &f in features.get(i).map_or(&[][..], Vec::as_slice) {
                    let base = usize::try_from(f).unwrap_or(0) * tags;
                    for (tag, delta) in [(g, 1.0f32), (p, -1.0)] {
                        if let Some(w) = self.weights.emission.get_mut(base + tag) {
                            *w += delta;
                        }
                        if let Some(u) = self.emission_sum.get_mut(base + tag) {
                            *u += step * delta;
                        }
                    }
                }
            }
            if g != p || gp != pp {
                for (from, tag, delta) in [(gp, g, 1.0f32), (pp, p, -1.0)] {
                    let at = from.map_or(0, |f| f + 1) * tags + tag;
                    if let Some(w) = self.weights.transition.get_mut(at) {
                        *w += delta;
                    }
                    if let Some(u) = self.transition_sum.get_mut(at) {
                        *u += step * delta;
                    }
                }
            }
        }
    }

    fn averaged(mut self) -> Weights {
        let c = self.step.max(1.0);
        for (w, u) in self.weights.emission.iter_mut().zip(&self.emission_sum) {
            *w -= u / c;
        }
        for (w, u) in self.weights.transition.iter_mut().zip(&self.transition_sum) {
            *w -= u / c;
        }
        self.weights
    }
}

/// Trains from `start` (zero weights or a model to refine) over `examples` for `epochs`
/// passes in an order shuffled by `seed`. `progress(done, total)` is called after every
/// 256 sentences and returns `false` to stop (then `None`).
pub(super) fn train(
    start: Weights,
    examples: &[Example],
    epochs: usize,
    seed: u64,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Option<Weights> {
    let emission_sum = vec![0.0; start.emission.len()];
    let transition_sum = vec![0.0; start.transition.len()];
    let mut model = Averaged {
        weights: start,
        emission_sum,
        transition_sum,
        step: 1.0,
    };
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let total = u64::try_from(examples.len() * epochs).unwrap_or(u64::MAX);
    let mut done = 0u64;
    for _ in 0..epochs {
        order.shuffle(&mut rng);
        for &index in &order {
            let Some(example) = examples.get(index) else {
                continue;
            };
            let (predicted, _) = model.weights.decode(&example.features);
            if predicted != example.gold {
                model.update(&example.features, &example.gold, &predicted);
            }
            model.step += 1.0;
            done += 1;
            if done.is_multiple_of(256) && !progress(done, total) {
                return None;
            }
        }
    }
    progress(done, total);
    Some(model.averaged())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The marginals equal the brute-force sum over every allowed sequence, with scores
    /// large enough that a naive `exp` would overflow f32.
    #[test]
    fn marginals_are_the_sums_over_every_allowed_sequence() {
        let tags = tag_count(2);
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let mut weights = Weights::zero(1, tags);
        let mut next = move || {
            f32::from(u8::try_from(rand::Rng::random_range(&mut rng, 0..200u32)).unwrap_or(0))
                - 100.0
        };
        for w in &mut weights.transition {
            *w = next() / 10.0;
        }
        let emissions: Vec<Vec<f32>> = (0..4)
            .map(|_| (0..tags).map(|_| next()).collect())
            .collect();
        let n = emissions.len();
        // Every sequence, its weight relative to the best.
        let mut sequences = Vec::new();
        for code in 0..tags.pow(4) {
            let seq: Vec<usize> = (0..n).map(|i| code / tags.pow(i as u32) % tags).collect();
            let ok = seq
                .iter()
                .enumerate()
                .all(|(i, &t)| allowed(i.checked_sub(1).map(|p| seq[p]), t));
            if !ok {
                continue;
            }
            let score: f64 = seq
                .iter()
                .enumerate()
                .map(|(i, &t)| {
                    f64::from(
                        weights.transition(i.checked_sub(1).map(|p| seq[p]), t) + emissions[i][t],
                    )
                })
                .sum();
            sequences.push((seq, score));
        }
        let best = sequences
            .iter()
            .map(|s| s.1)
            .fold(f64::NEG_INFINITY, f64::max);
        let z: f64 = sequences.iter().map(|s| (s.1 - best).exp()).sum();
        for (path, _) in sequences.iter().step_by(7) {
            let got = weights.marginals(&emissions, path);
            for i in 0..n {
                let want: f64 = sequences
                    .iter()
                    .filter(|s| s.0[i] == path[i])
                    .map(|s| (s.1 - best).exp())
                    .sum::<f64>()
                    / z;
                assert!(
                    (f64::from(got[i]) - want).abs() < 1e-4,
                    "{path:?} at {i}: {} vs {want}",
                    got[i]
                );
            }
        }
    }
}
