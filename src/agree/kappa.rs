//! Cohen's κ for two coders and Fleiss' κ for many, over categories given per item.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

/// κ with what it rests on.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Kappa {
    /// The coefficient; `None` when it is undefined (no item, or chance agreement of 1:
    /// every coder used one and the same category throughout).
    pub kappa: Option<f64>,
    /// Observed agreement (the share of agreeing pairs).
    pub observed: f64,
    /// Agreement expected by chance.
    pub expected: f64,
    /// Items rated.
    pub items: usize,
}

/// Cohen's κ (Cohen 1960) over the items both coders rated: each pair is the first coder's
/// category and the second's. Chance agreement uses each coder's own marginals.
pub fn cohen<C: Ord>(pairs: &[(C, C)]) -> Kappa {
    let items = pairs.len();
    if items == 0 {
        return Kappa {
            kappa: None,
            observed: 0.0,
            expected: 0.0,
            items,
        };
    }
    let n = items as f64;
    let mut first: BTreeMap<&C, f64> = BTreeMap::new();
    let mut second: BTreeMap<&C, f64> = BTreeMap::new();
    let mut agreeing = 0.0;
    for (a, b) in pairs {
        *first.entry(a).or_default() += 1.0;
        *second.entry(b).or_default() += 1.0;
        if a == b {
            agreeing += 1.0;
        }
    }
    let observed = agreeing / n;
    let expected: f64 = first
        .iter()
        .map(|(c, n_a)| n_a * second.get(c).copied().unwrap_or(0.0))
        .sum::<f64>()
        / (n * n);
    Kappa {
        kappa: chance_corrected(observed, expected),
        observed,
        expected,
        items,
    }
}

/// Fleiss' κ (Fleiss 1971) over items that every one of `raters` coders rated: each item
/// lists the category each coder gave it (in any order). Items with another number of
/// ratings are refused (`None`): the measure assumes the same raters per item.
pub fn fleiss<C: Ord>(items: &[Vec<C>], raters: usize) -> Option<Kappa> {
    if raters < 2 || items.iter().any(|item| item.len() != raters) {
        return None;
    }
    let categories: BTreeSet<&C> = items.iter().flatten().collect();
    let table: Vec<Vec<u64>> = items
        .iter()
        .map(|item| {
            categories
                .iter()
                .map(|c| item.iter().filter(|v| v == c).count() as u64)
                .collect()
        })
        .collect();
    Some(fleiss_table(&table))
}

/// Fleiss' κ over a table of counts: a row per item, a column per category, each cell the
/// number of coders who put the item in the category; every row must sum to the same
/// number of raters (rows that do not are refused by [`fleiss`]; here they count as given).
pub fn fleiss_table<R: AsRef<[u64]>>(table: &[R]) -> Kappa {
    let items = table.len();
    let raters: u64 = table.first().map_or(0, |row| row.as_ref().iter().sum());
    if items == 0 || raters < 2 {
        return Kappa {
            kappa: None,
            observed: 0.0,
            expected: 0.0,
            items,
        };
    }
    let (n, m) = (items as f64, raters as f64);
    let columns = table
        .iter()
        .map(|row| row.as_ref().len())
        .max()
        .unwrap_or(0);
    let mut shares = vec![0.0_f64; columns];
    let mut observed = 0.0;
    for row in table {
        let mut agreeing = 0.0;
        for (share, &count) in shares.iter_mut().zip(row.as_ref()) {
            let count = count as f64;
            *share += count;
            agreeing += count * (count - 1.0);
        }
        observed += agreeing / (m * (m - 1.0));
    }
    let observed = observed / n;
    let expected: f64 = shares.iter().map(|s| (s / (n * m)).powi(2)).sum();
    Kappa {
        kappa: chance_corrected(observed, expected),
        observed,
        expected,
        items,
    }
}

fn chance_corrected(observed: f64, expected: f64) -> Option<f64> {
    (expected < 1.0).then(|| (observed - expected) / (1.0 - expected))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repeated(cells: &[(usize, u8, u8)]) -> Vec<(u8, u8)> {
        cells
            .iter()
            .flat_map(|&(times, a, b)| std::iter::repeat_n((a, b), times))
            .collect()
    }

    #[test]
    fn cohen_1960_second_example_gives_its_kappa() {
        // Source: Cohen (1960), "A Coefficient of Agreement for Nominal Scales", p. 45
        // (200 items, 3 categories): p_o = 0.70, p_c = 0.41, κ = 0.492; the same table and
        // values are asserted by DKPro Statistics' Cohen1960Test.
        let pairs = repeated(&[
            (88, 1, 1),
            (14, 1, 2),
            (18, 1, 3),
            (10, 2, 1),
            (40, 2, 2),
            (10, 2, 3),
            (2, 3, 1),
            (6, 3, 2),
            (12, 3, 3),
        ]);
        let kappa = cohen(&pairs);
        assert_eq!(kappa.items, 200);
        assert!((kappa.observed - 0.70).abs() < 0.005);
        assert!((kappa.expected - 0.41).abs() < 0.005);
        assert!((kappa.kappa.unwrap() - 0.492).abs() < 0.0005, "{kappa:?}");
    }

    #[test]
    fn cohen_wikipedia_example_gives_its_kappa() {
        // Source: Wikipedia, "Cohen's kappa", the simple example: 50 proposals, 20 yes/yes,
        // 5 yes/no, 10 no/yes, 15 no/no; p_o = 0.7, p_e = 0.5, κ = 0.4.
        let pairs = repeated(&[(20, 1, 1), (5, 1, 0), (10, 0, 1), (15, 0, 0)]);
        let kappa = cohen(&pairs);
        assert!((kappa.kappa.unwrap() - 0.4).abs() < 1e-12, "{kappa:?}");
    }

    #[test]
    fn fleiss_1971_example_gives_its_kappa() {
        // Source: Fleiss (1971), "Measuring nominal scale agreement among many raters",
        // p. 379: 30 patients, 6 psychiatrists, 5 diagnoses; P̄ = 0.556, P̄e = 0.220,
        // κ = 0.430 (the table as DKPro Statistics' Fleiss1971Test enters it).
        let items: Vec<Vec<u8>> = [
            [4, 4, 4, 4, 4, 4],
            [2, 2, 2, 5, 5, 5],
            [2, 3, 3, 3, 3, 5],
            [5, 5, 5, 5, 5, 5],
            [2, 2, 2, 4, 4, 4],
            [1, 1, 3, 3, 3, 3],
            [3, 3, 3, 3, 5, 5],
            [1, 1, 3, 3, 3, 4],
            [1, 1, 4, 4, 4, 4],
            [5, 5, 5, 5, 5, 5],
            [1, 4, 4, 4, 4, 4],
            [1, 2, 4, 4, 4, 4],
            [2, 2, 2, 3, 3, 3],
            [1, 4, 4, 4, 4, 4],
            [2, 2, 4, 4, 4, 5],
            [3, 3, 3, 3, 3, 5],
            [1, 1, 1, 4, 5, 5],
            [1, 1, 1, 1, 1, 2],
            [2, 2, 4, 4, 4, 4],
            [1, 3, 3, 5, 5, 5],
            [5, 5, 5, 5, 5, 5],
            [2, 4, 4, 4, 4, 4],
            [2, 2, 4, 5, 5, 5],
            [1, 1, 4, 4, 4, 4],
            [1, 4, 4, 4, 4, 5],
            [2, 2, 2, 2, 2, 4],
            [1, 1, 1, 1, 5, 5],
            [2, 2, 4, 4, 4, 4],
            [1, 3, 3, 3, 3, 3],
            [5, 5, 5, 5, 5, 5],
        ]
        .iter()
        .map(|row| row.to_vec())
        .collect();
        let kappa = fleiss(&items, 6).unwrap();
        assert_eq!(kappa.items, 30);
        assert!((kappa.observed - 0.5556).abs() < 0.0005, "{kappa:?}");
        assert!((kappa.expected - 0.2201).abs() < 0.0005, "{kappa:?}");
        assert!((kappa.kappa.unwrap() - 0.430).abs() < 0.0005, "{kappa:?}");
    }

    #[test]
    fn fleiss_refuses_items_with_another_number_of_raters() {
        assert!(fleiss(&[vec![1, 1], vec![1, 2, 2]], 2).is_none());
        assert!(fleiss(&[vec![1, 1]], 1).is_none());
        // One category throughout: chance agreement is 1, κ undefined.
        assert_eq!(fleiss(&[vec![1, 1], vec![1, 1]], 2).unwrap().kappa, None);
    }
}
