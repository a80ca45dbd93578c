//! The bundled country outlines (`assets/map/countries-110m.txt`, Natural Earth 1:110m via
//! world-atlas; see `assets/map/SOURCE.md`), parsed once into polylines of (lon, lat).

use std::sync::OnceLock;

/// The asset, built into the binary (about 100 KB).
const OUTLINES: &str = include_str!("../../../assets/map/countries-110m.txt");

/// Every border and coast, each once.
pub(crate) fn outlines() -> &'static [Vec<(f32, f32)>] {
    static PARSED: OnceLock<Vec<Vec<(f32, f32)>>> = OnceLock::new();
    PARSED.get_or_init(|| parse(OUTLINES))
}

/// One polyline per line; pairs that do not read as two numbers are left out (the asset is
/// made by a script, so there are none).
fn parse(text: &str) -> Vec<Vec<(f32, f32)>> {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            line.split_ascii_whitespace()
                .filter_map(|pair| {
                    let (lon, lat) = pair.split_once(',')?;
                    Some((lon.parse().ok()?, lat.parse().ok()?))
                })
                .collect::<Vec<_>>()
        })
        .flat_map(split_at_the_antimeridian)
        .filter(|line| line.len() >= 2)
        .collect()
}

/// Cuts a polyline where it jumps across the map (from 180° to -180°), which drawn whole
/// would cross the world.
fn split_at_the_antimeridian(line: Vec<(f32, f32)>) -> Vec<Vec<(f32, f32)>> {
    let mut parts = vec![Vec::new()];
    for point in line {
        let jump = parts
            .last()
            .and_then(|part: &Vec<(f32, f32)>| part.last())
            .is_some_and(|last| (last.0 - point.0).abs() > 180.0);
        if jump {
            parts.push(Vec::new());
        }
        if let Some(part) = parts.last_mut() {
            part.push(point);
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_asset_holds_the_worlds_borders_within_the_globe() {
        let lines = outlines();
        assert!(lines.len() > 500, "{} polylines", lines.len());
        let points: Vec<&(f32, f32)> = lines.iter().flatten().collect();
        assert!(points.len() > 5_000);
        assert!(
            points
                .iter()
                .all(|(lon, lat)| (-180.0..=180.0).contains(lon) && (-90.0..=90.0).contains(lat))
        );
        // Saravan (62.3 E, 27.4 N) lies between the Iranian and Pakistani border points.
        assert!(
            points
                .iter()
                .any(|(lon, lat)| (lon - 62.8).abs() < 1.0 && (lat - 27.4).abs() < 1.0)
        );
    }

    #[test]
    fn a_line_across_the_antimeridian_is_cut_in_two() {
        assert_eq!(
            parse("170,1 179.9,2 -179.9,3 -170,4\n"),
            vec![
                vec![(170.0, 1.0), (179.9, 2.0)],
                vec![(-179.9, 3.0), (-170.0, 4.0)]
            ]
        );
        assert!(
            outlines()
                .iter()
                .all(|line| line.windows(2).all(|w| (w[0].0 - w[1].0).abs() <= 180.0))
        );
    }

    #[test]
    fn bad_pairs_are_left_out() {
        assert_eq!(
            parse("# c\n1,2 x 3,4\n5,6\n"),
            vec![vec![(1.0, 2.0), (3.0, 4.0)]]
        );
    }
}
