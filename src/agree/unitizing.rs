//! Krippendorff's unitizing α (α_u) for one category over a continuum: how well coders
//! agree on where units of the category begin and end (Krippendorff 1995, "On the
//! reliability of unitizing continuous data"; Krippendorff 2004, *Content Analysis*, §12.4),
//! computed as DKPro Statistics' `KrippendorffAlphaUnitizingAgreement` does.

use serde::Serialize;

/// One unit a coder marked: `[start, end)` on the continuum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Unit {
    /// First position.
    pub start: u64,
    /// One past the last position.
    pub end: u64,
}

/// α_u of one category with its observed and expected disagreement.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct UnitizingAlpha {
    /// `1 - observed / expected`; `None` when nobody marked a unit (expected is 0).
    pub alpha: Option<f64>,
    /// Observed disagreement `D_o`.
    pub observed: f64,
    /// Expected disagreement `D_e`.
    pub expected: f64,
    /// Units marked, all coders together (after merging a coder's overlapping units).
    pub units: usize,
}

/// The units of one coder sorted, with overlapping ones merged into one: α_u assumes a
/// coder's units of one category never overlap.
pub fn merged(mut units: Vec<Unit>) -> Vec<Unit> {
    units.retain(|u| u.end > u.start);
    units.sort_unstable();
    let mut out: Vec<Unit> = Vec::with_capacity(units.len());
    for unit in units {
        match out.last_mut() {
            Some(last) if unit.start < last.end => last.end = last.end.max(unit.end),
            _ => out.push(unit),
        }
    }
    out
}

/// α_u of one category on a continuum `[0, length)`: `coders[r]` are the units coder `r`
/// marked (each coder unitized the whole continuum; merge overlapping units first with
/// [`merged`]). Positions outside every unit are the coder's gaps.
pub fn unitizing_alpha(length: u64, coders: &[Vec<Unit>]) -> UnitizingAlpha {
    let observed = observed_disagreement(length, coders);
    let expected = expected_disagreement(length, coders);
    UnitizingAlpha {
        alpha: (expected > 0.0).then(|| 1.0 - observed / expected),
        observed,
        expected,
        units: coders.iter().map(Vec::len).sum(),
    }
}

/// α_u over several categories at once: the mean observed over the mean expected
/// disagreement, as DKPro Statistics' `calculateAgreement` does.
pub fn combined(categories: &[UnitizingAlpha]) -> Option<f64> {
    if categories.is_empty() {
        return None;
    }
    let count = categories.len() as f64;
    let observed: f64 = categories.iter().map(|c| c.observed).sum::<f64>() / count;
    let expected: f64 = categories.iter().map(|c| c.expected).sum::<f64>() / count;
    (expected > 0.0).then(|| 1.0 - observed / expected)
}

/// `D_o`: for every pair of coders, the squared distances of the boundaries of overlapping
/// units, plus the squared length of each unit that falls wholly in the other coder's gap.
fn observed_disagreement(length: u64, coders: &[Vec<Unit>]) -> f64 {
    let raters = coders.len() as f64;
    if coders.len() < 2 || length == 0 {
        return 0.0;
    }
    let mut sum = 0.0;
    for (r1, first) in coders.iter().enumerate() {
        for second in coders.iter().skip(r1 + 1) {
            sum += pair_disagreement(first, second);
        }
    }
    let length = length as f64;
    2.0 * sum / (raters * (raters - 1.0) * length * length)
}

fn pair_disagreement(first: &[Unit], second: &[Unit]) -> f64 {
    let squared = |x: f64| x * x;
    let mut sum = 0.0;
    let mut overlapped_first = vec![false; first.len()];
    let mut overlapped_second = vec![false; second.len()];
    let mut from = 0;
    for (i, a) in first.iter().enumerate() {
        // Both lists are sorted and free of overlaps, so the units of `second` that end
        // before `a` starts end before every later unit of `first` starts too.
        while second.get(from).is_some_and(|b| b.end <= a.start) {
            from += 1;
        }
        for (j, b) in second.iter().enumerate().skip(from) {
            if b.start >= a.end {
                break;
            }
            sum += squared(a.start as f64 - b.start as f64) + squared(a.end as f64 - b.end as f64);
            for seen in [overlapped_first.get_mut(i), overlapped_second.get_mut(j)]
                .into_iter()
                .flatten()
            {
                *seen = true;
            }
        }
    }
    let alone = |units: &[Unit], overlapped: &[bool]| -> f64 {
        units
            .iter()
            .zip(overlapped)
            .filter(|(_, seen)| !**seen)
            .map(|(u, _)| squared((u.end - u.start) as f64))
            .sum()
    };
    sum + alone(first, &overlapped_first) + alone(second, &overlapped_second)
}

/// `D_e`: the disagreement expected when every unit of the category could lie anywhere in
/// every coder's gaps (Krippendorff 2004, §12.4).
fn expected_disagreement(length: u64, coders: &[Vec<Unit>]) -> f64 {
    let units: Vec<f64> = coders
        .iter()
        .flatten()
        .map(|u| (u.end - u.start) as f64)
        .collect();
    let count = units.len() as f64;
    if units.is_empty() || length == 0 {
        return 0.0;
    }
    let mut gaps: Vec<f64> = coders.iter().flat_map(|c| gaps(length, c)).collect();
    gaps.sort_by(f64::total_cmp);
    // Sums of the gaps from each index to the end, to add up `g - l + 1` over the gaps
    // `g >= l` in one search per unit.
    let mut tail_sums: Vec<f64> = gaps
        .iter()
        .rev()
        .scan(0.0, |sum, g| {
            *sum += g;
            Some(*sum)
        })
        .collect();
    tail_sums.reverse();
    let mut sum = 0.0;
    for &l in &units {
        let within = (count - 1.0) * (2.0 * l * l * l - 3.0 * l * l + l) / 3.0;
        let first = gaps.partition_point(|&g| g < l);
        let fitting = (gaps.len() - first) as f64;
        let placements = tail_sums.get(first).copied().unwrap_or(0.0) - (l - 1.0) * fitting;
        sum += within + l * l * placements;
    }
    let raters = coders.len() as f64;
    let length = length as f64;
    let squared_lengths: f64 = units.iter().map(|l| l * (l - 1.0)).sum();
    let denominator = raters * length * (raters * length - 1.0) - squared_lengths;
    if denominator <= 0.0 {
        return 0.0;
    }
    sum * 2.0 / length / denominator
}

/// The lengths of the stretches of `[0, length)` outside a coder's units.
fn gaps(length: u64, units: &[Unit]) -> Vec<f64> {
    let mut out = Vec::with_capacity(units.len() + 1);
    let mut at = 0;
    for unit in units {
        if unit.start > at {
            out.push((unit.start - at) as f64);
        }
        at = at.max(unit.end);
    }
    if length > at {
        out.push((length - at) as f64);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(list: &[(u64, u64)], shift: u64) -> Vec<Unit> {
        list.iter()
            .map(|&(start, len)| Unit {
                start: start - shift,
                end: start - shift + len,
            })
            .collect()
    }

    #[test]
    fn krippendorff_2004_example_gives_dkpro_values() {
        // Source: Krippendorff (2004), *Content Analysis*, p. 254, as DKPro Statistics'
        // unitizing/Krippendorff2004Test enters it (continuum 150..450, two coders, units
        // given as offset and length) and asserts: category c D_o = 0.0144, D_e = 0.0532,
        // α_u = 0.7286; category k D_o = 0, D_e = 0.0490, α_u = 1; both together 0.8591.
        let c = [
            units(&[(225, 70), (370, 30)], 150),
            units(&[(220, 80), (355, 20), (400, 20)], 150),
        ];
        let k = [
            units(&[(180, 60), (300, 50)], 150),
            units(&[(180, 60), (300, 50)], 150),
        ];
        let c = unitizing_alpha(300, &c);
        assert!((c.observed - 0.0144).abs() < 0.0001, "{c:?}");
        assert!((c.expected - 0.0532).abs() < 0.0001, "{c:?}");
        assert!((c.alpha.unwrap() - 0.7286).abs() < 0.0001, "{c:?}");
        let k = unitizing_alpha(300, &k);
        assert!(k.observed.abs() < 0.0001, "{k:?}");
        assert!((k.expected - 0.0490).abs() < 0.0001, "{k:?}");
        assert!((k.alpha.unwrap() - 1.0).abs() < 0.0001, "{k:?}");
        assert!((combined(&[c, k]).unwrap() - 0.8591).abs() < 0.0005);
    }

    #[test]
    fn krippendorff_1995_example_gives_dkpro_observed_disagreements() {
        // Source: Krippendorff (1995), "On the reliability of unitizing continuous data",
        // p. 57, as DKPro Statistics' unitizing/Krippendorff1995Test enters it (a continuum of
        // 24) and asserts: D_o of A = 0.03125, B = 2.26736, C = 0.02777, D = 0.38715; on the
        // example stretched 50,000 times, α_u of A = 0.553, B = -0.926, C = 0.679,
        // D = 0.066 (within 0.02).
        let example = |stretch: u64| {
            let s = |list: &[(u64, u64)]| -> Vec<Unit> {
                list.iter()
                    .map(|&(start, len)| Unit {
                        start: start * stretch,
                        end: (start + len) * stretch,
                    })
                    .collect()
            };
            [
                [s(&[(2, 8), (14, 6)]), s(&[(4, 4), (15, 2)])],
                [
                    s(&[(0, 18)]),
                    s(&[(0, 2), (2, 1), (3, 1), (4, 1), (5, 1), (6, 3), (9, 1)]),
                ],
                [
                    s(&[(2, 6), (10, 2), (14, 4), (20, 2)]),
                    s(&[(0, 2), (4, 4), (10, 4), (16, 2), (20, 2)]),
                ],
                [
                    s(&[(0, 2), (2, 8), (10, 4), (14, 6), (20, 4)]),
                    s(&[(0, 4), (4, 4), (8, 7), (15, 2), (17, 7)]),
                ],
            ]
        };
        let observed: Vec<f64> = example(1)
            .iter()
            .map(|coders| unitizing_alpha(24, coders).observed)
            .collect();
        for (got, want) in observed.iter().zip([0.03125, 2.26736, 0.02777, 0.38715]) {
            assert!((got - want).abs() < 0.00001, "{observed:?}");
        }
        let alphas: Vec<f64> = example(50_000)
            .iter()
            .map(|coders| unitizing_alpha(24 * 50_000, coders).alpha.unwrap())
            .collect();
        for (got, want) in alphas.iter().zip([0.553, -0.926, 0.679, 0.066]) {
            assert!((got - want).abs() < 0.02, "{alphas:?}");
        }
    }

    #[test]
    fn overlapping_units_of_one_coder_are_merged_and_nobody_marking_is_undefined() {
        let list = merged(vec![
            Unit { start: 5, end: 9 },
            Unit { start: 0, end: 3 },
            Unit { start: 3, end: 4 },
            Unit { start: 7, end: 12 },
        ]);
        assert_eq!(
            list,
            [
                Unit { start: 0, end: 3 },
                Unit { start: 3, end: 4 },
                Unit { start: 5, end: 12 }
            ]
        );
        assert_eq!(unitizing_alpha(10, &[vec![], vec![]]).alpha, None);
    }
}
