//! Small conversions the export formats share: attribute values as text cells, links between
//! annotations, and code point slicing of an article's text that stays linear however many
//! spans it has.

use serde_json::Value;

use super::CsvCells;

/// An attribute value as a table cell: strings as they are, numbers and booleans as JSON
/// writes them (`9`, `2.5`, `true`), absent and null empty, arrays and objects as compact JSON.
pub(super) fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    }
}

/// A CSV cell as [`CsvCells`] says: neutralised, a cell a spreadsheet would run as a
/// formula (starting with `=`, `+`, `-`, `@`, tab or CR) gets a leading `'`. A number (`-5`,
/// `+2.5e3`) is no formula and stays as it is, so numeric columns stay numeric.
pub(super) fn csv_cell(cell: String, cells: CsvCells) -> String {
    let risky = cell
        .chars()
        .next()
        .is_some_and(|c| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r'));
    if cells == CsvCells::Raw || !risky || is_number(&cell) {
        return cell;
    }
    let mut safe = String::with_capacity(cell.len() + 1);
    safe.push('\'');
    safe.push_str(&cell);
    safe
}

/// Whether `text` is a plain decimal number: a sign, digits with at most one point, and an
/// optional exponent.
fn is_number(text: &str) -> bool {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, Some(exponent)),
        None => (unsigned, None),
    };
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((whole, fraction)) => {
            (digits(whole) || whole.is_empty())
                && (digits(fraction) || fraction.is_empty())
                && !(whole.is_empty() && fraction.is_empty())
        }
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)));
    mantissa_ok && exponent_ok
}

/// An article's text indexed by code point, so every span is sliced without walking the
/// text from its start (one index per article, an eighth of a byte per code point).
pub(super) type CodePoints<'a> = crate::model::CharOffsets<'a>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_and_numbers_kept() {
        let neutral = |text: &str| csv_cell(text.to_owned(), CsvCells::Neutralised);
        for risky in [
            "=HYPERLINK(\"http://x\")",
            "+1+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "-",
            "+",
            "-e5",
            "--5",
        ] {
            assert_eq!(neutral(risky), format!("'{risky}"), "{risky:?}");
        }
        for kept in [
            "-5", "+3", "-2.5", "-.5", "1e-3", "-1E+9", "plain", "", "5-3", "a=b",
        ] {
            assert_eq!(neutral(kept), kept);
        }
        assert_eq!(csv_cell("=1+1".to_owned(), CsvCells::Raw), "=1+1");
    }

    #[test]
    fn cells_keep_numbers_as_numbers() {
        assert_eq!(cell(Some(&serde_json::json!(9))), "9");
        assert_eq!(cell(Some(&serde_json::json!(2.5))), "2.5");
        assert_eq!(cell(Some(&serde_json::json!("at least"))), "at least");
        assert_eq!(cell(Some(&serde_json::json!([1, 2]))), "[1,2]");
        assert_eq!(cell(Some(&Value::Null)), "");
        assert_eq!(cell(None), "");
    }

    #[test]
    fn slices_by_code_point_and_clamps() {
        let text = CodePoints::new("a👨‍👩‍👧b پاکستان");
        assert_eq!(text.len(), 15);
        assert_eq!(text.slice(1, 6), "👨‍👩‍👧");
        assert_eq!(text.slice(8, 15), "پاکستان");
        assert_eq!(text.slice(8, 99), "پاکستان");
        assert_eq!(text.slice(5, 2), "");
        assert_eq!(CodePoints::new("").slice(0, 1), "");
    }
}
