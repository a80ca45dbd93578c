//! Krippendorff's α for coded units: the coincidence-matrix form of Krippendorff (2011),
//! "Computing Krippendorff's Alpha-Reliability", with the nominal, ordinal, interval and
//! ratio difference functions.

use std::collections::BTreeMap;

use serde::Serialize;

/// The level of measurement of a variable: which difference function α uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Metric {
    /// Categories: any two different values differ by 1.
    Nominal,
    /// Ranks: the difference counts the values coded between two ranks.
    Ordinal,
    /// Numbers on a scale with a meaningful difference: `(c - k)²`.
    Interval,
    /// Numbers with a meaningful zero: `((c - k) / (c + k))²`.
    Ratio,
}

impl Metric {
    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Nominal => "nominal",
            Self::Ordinal => "ordinal",
            Self::Interval => "interval",
            Self::Ratio => "ratio",
        }
    }
}

/// α with what it rests on.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Alpha {
    /// The coefficient; `None` when it is undefined (no unit with two values, or no
    /// variation at all among the values).
    pub alpha: Option<f64>,
    /// Units with at least two values (the pairable units).
    pub units: usize,
    /// Values in the pairable units (`n..` of the coincidence matrix).
    pub values: usize,
}

/// Krippendorff's α over `units`: each unit lists the values the coders who coded it gave
/// (a coder who did not code a unit gives none; missing values are simply absent). Units
/// with fewer than two values are not pairable and are left out, as in the paper.
pub fn alpha(units: &[Vec<f64>], metric: Metric) -> Alpha {
    // The distinct values, in order, and the coincidences between them.
    let mut distinct: Vec<f64> = units
        .iter()
        .filter(|u| u.len() >= 2)
        .flatten()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    let index = |v: f64| distinct.binary_search_by(|d| d.total_cmp(&v)).ok();
    let size = distinct.len();
    let mut coincidences = vec![0.0_f64; size * size];
    let (mut pairable_units, mut total_values) = (0, 0);
    for unit in units {
        let mut counts: BTreeMap<usize, f64> = BTreeMap::new();
        for at in unit.iter().filter_map(|&v| index(v)) {
            *counts.entry(at).or_default() += 1.0;
        }
        let m: f64 = counts.values().sum();
        if m < 2.0 {
            continue;
        }
        pairable_units += 1;
        total_values += counts.values().map(|&n| n as usize).sum::<usize>();
        for (&c, &n_c) in &counts {
            for (&k, &n_k) in &counts {
                let pairs = if c == k { n_c * (n_c - 1.0) } else { n_c * n_k };
                if let Some(cell) = coincidences.get_mut(c * size + k) {
                    *cell += pairs / (m - 1.0);
                }
            }
        }
    }
    let marginals: Vec<f64> = (0..size)
        .map(|c| coincidences.iter().skip(c * size).take(size).sum())
        .collect();
    let n: f64 = marginals.iter().sum();
    let delta = |c: usize, k: usize| difference(metric, &distinct, &marginals, c, k);
    let (mut observed, mut expected) = (0.0, 0.0);
    for c in 0..size {
        for k in 0..size {
            let d = delta(c, k);
            observed += coincidences.get(c * size + k).copied().unwrap_or(0.0) * d;
            let n_c = marginals.get(c).copied().unwrap_or(0.0);
            let n_k = marginals.get(k).copied().unwrap_or(0.0);
            expected += n_c * n_k * d;
        }
    }
    let value =
        (pairable_units > 0 && expected > 0.0).then(|| 1.0 - (n - 1.0) * observed / expected);
    Alpha {
        alpha: value,
        units: pairable_units,
        values: total_values,
    }
}

/// The squared difference δ²(c, k) between the `c`th and `k`th distinct values.
fn difference(metric: Metric, values: &[f64], marginals: &[f64], c: usize, k: usize) -> f64 {
    if c == k {
        return 0.0;
    }
    let value = |i: usize| values.get(i).copied().unwrap_or(0.0);
    match metric {
        Metric::Nominal => 1.0,
        Metric::Ordinal => {
            let (low, high) = (c.min(k), c.max(k));
            let between: f64 = marginals.iter().skip(low).take(high - low + 1).sum();
            let ends = marginals.get(low).copied().unwrap_or(0.0)
                + marginals.get(high).copied().unwrap_or(0.0);
            (between - ends / 2.0).powi(2)
        }
        Metric::Interval => (value(c) - value(k)).powi(2),
        Metric::Ratio => {
            let sum = value(c) + value(k);
            if sum == 0.0 {
                0.0
            } else {
                ((value(c) - value(k)) / sum).powi(2)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reliability data of Krippendorff (2011), "Computing Krippendorff's
    /// Alpha-Reliability", section C: 4 observers × 12 units with missing values (a row per
    /// observer, `None` where the observer did not code the unit).
    fn krippendorff_2011() -> Vec<Vec<f64>> {
        let rows: [[Option<f64>; 12]; 4] = [
            [
                Some(1.),
                Some(2.),
                Some(3.),
                Some(3.),
                Some(2.),
                Some(1.),
                Some(4.),
                Some(1.),
                Some(2.),
                None,
                None,
                None,
            ],
            [
                Some(1.),
                Some(2.),
                Some(3.),
                Some(3.),
                Some(2.),
                Some(2.),
                Some(4.),
                Some(1.),
                Some(2.),
                Some(5.),
                None,
                Some(3.),
            ],
            [
                None,
                Some(3.),
                Some(3.),
                Some(3.),
                Some(2.),
                Some(3.),
                Some(4.),
                Some(2.),
                Some(2.),
                Some(5.),
                Some(1.),
                None,
            ],
            [
                Some(1.),
                Some(2.),
                Some(3.),
                Some(3.),
                Some(2.),
                Some(4.),
                Some(4.),
                Some(1.),
                Some(2.),
                Some(5.),
                Some(1.),
                None,
            ],
        ];
        (0..12)
            .map(|unit| rows.iter().filter_map(|row| row[unit]).collect())
            .collect()
    }

    fn rounded(value: Option<f64>) -> f64 {
        (value.unwrap() * 1000.0).round() / 1000.0
    }

    #[test]
    fn krippendorff_2011_example_gives_the_published_values() {
        // Source: Krippendorff (2011), section C ("nominal α = 0.743, ordinal 0.815,
        // interval 0.849, ratio 0.797"); the ordinal and ratio values are also asserted by
        // the tests of the Python `krippendorff` package on the same data.
        let data = krippendorff_2011();
        let nominal = alpha(&data, Metric::Nominal);
        assert_eq!(rounded(nominal.alpha), 0.743);
        assert_eq!(rounded(alpha(&data, Metric::Ordinal).alpha), 0.815);
        assert_eq!(rounded(alpha(&data, Metric::Interval).alpha), 0.849);
        assert_eq!(rounded(alpha(&data, Metric::Ratio).alpha), 0.797);
        // Unit 12 has one value only: 11 pairable units, 40 pairable values (n.. = 40).
        assert_eq!((nominal.units, nominal.values), (11, 40));
    }

    #[test]
    fn wikipedia_example_gives_its_nominal_value() {
        // Source: the tests of the Python `krippendorff` package (test_nominal_metric,
        // 0.691358), the data of the worked example of Wikipedia's "Krippendorff's alpha".
        let rows: [[Option<f64>; 15]; 3] = [
            [
                None,
                None,
                None,
                None,
                None,
                Some(3.),
                Some(4.),
                Some(1.),
                Some(2.),
                Some(1.),
                Some(1.),
                Some(3.),
                Some(3.),
                None,
                Some(3.),
            ],
            [
                Some(1.),
                None,
                Some(2.),
                Some(1.),
                Some(3.),
                Some(3.),
                Some(4.),
                Some(3.),
                None,
                None,
                None,
                None,
                None,
                None,
                None,
            ],
            [
                None,
                None,
                Some(2.),
                Some(1.),
                Some(3.),
                Some(4.),
                Some(4.),
                None,
                Some(2.),
                Some(1.),
                Some(1.),
                Some(3.),
                Some(3.),
                None,
                Some(4.),
            ],
        ];
        let data: Vec<Vec<f64>> = (0..15)
            .map(|unit| rows.iter().filter_map(|row| row[unit]).collect())
            .collect();
        let nominal = alpha(&data, Metric::Nominal).alpha.unwrap();
        assert!((nominal - 0.691_358).abs() < 1e-6, "{nominal}");
        let interval = alpha(&data, Metric::Interval).alpha.unwrap();
        assert!((interval - 0.810_845).abs() < 1e-6, "{interval}");
    }

    #[test]
    fn alpha_is_undefined_without_pairs_or_variation() {
        assert_eq!(alpha(&[vec![1.0], vec![2.0]], Metric::Nominal).alpha, None);
        assert_eq!(
            alpha(&[vec![1.0, 1.0], vec![1.0, 1.0]], Metric::Interval).alpha,
            None
        );
        let perfect = alpha(&[vec![1.0, 1.0], vec![2.0, 2.0, 2.0]], Metric::Ratio);
        assert_eq!(perfect.alpha, Some(1.0));
        assert_eq!((perfect.units, perfect.values), (2, 5));
    }
}
