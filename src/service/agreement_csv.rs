//! The agreement report as rows, one per figure with the articles, units and coders it
//! rests on, and as CSV (RFC 4180): what `annalist agree --csv` prints and the app's
//! Agreement view saves, written like an export (a temporary file renamed into place,
//! never inside the archive's own folder).

use std::io::Write;
use std::path::Path;

use super::export_files::{
    existing_parent, io_error, persist, refuse_unsafe_destination, temporary_file,
};
use super::{AgreementReport, ArchiveError, Result};

/// The columns of the agreement CSV.
pub const AGREEMENT_CSV_HEADER: [&str; 11] = [
    "measure",
    "label",
    "attribute",
    "metric",
    "coder_a",
    "coder_b",
    "value",
    "articles",
    "units",
    "unit",
    "coders",
];

/// One figure of the report, as the CSV, the CLI's text and the app's table show it.
#[derive(Debug, Clone, PartialEq)]
pub struct AgreementRow<'a> {
    /// `f1_exact`, `f1_overlap`, `cohen_kappa_tokens`, `fleiss_kappa_tokens`,
    /// `unitizing_alpha` or `alpha_values`.
    pub measure: &'static str,
    /// Label of the spans.
    pub label: &'a str,
    /// Attribute key (values only).
    pub attribute: &'a str,
    /// Metric (values only).
    pub metric: &'a str,
    /// The pair of coders; `None` for a figure over all coders.
    pub pair: Option<(&'a str, &'a str)>,
    /// The figure; `None` when it is undefined.
    pub value: Option<f64>,
    /// Articles it rests on.
    pub articles: usize,
    /// Units it rests on.
    pub units: usize,
    /// What a unit is (`spans`, `tokens`, `matched spans`).
    pub unit: &'static str,
    /// Coders it rests on.
    pub coders: usize,
}

/// Every figure of `report`, in the report's order: per pair and label, then per label over
/// all coders, then the values.
pub fn agreement_rows(report: &AgreementReport) -> Vec<AgreementRow<'_>> {
    let mut rows = Vec::new();
    for pair in &report.pairs {
        let coders = Some((pair.coder_a.as_str(), pair.coder_b.as_str()));
        for l in &pair.labels {
            let row = |measure, value, units, unit| AgreementRow {
                measure,
                label: &l.label,
                attribute: "",
                metric: "",
                pair: coders,
                value,
                articles: pair.articles,
                units,
                unit,
                coders: 2,
            };
            rows.push(row(
                "f1_exact",
                l.exact.f1,
                l.exact.spans_a + l.exact.spans_b,
                "spans",
            ));
            rows.push(row(
                "f1_overlap",
                l.overlap.f1,
                l.overlap.spans_a + l.overlap.spans_b,
                "spans",
            ));
            rows.push(row("cohen_kappa_tokens", l.token_kappa, l.tokens, "tokens"));
        }
    }
    for l in &report.labels_all_coders {
        let row = |measure, value, units, unit| AgreementRow {
            measure,
            label: &l.label,
            attribute: "",
            metric: "",
            pair: None,
            value,
            articles: l.articles,
            units,
            unit,
            coders: l.coders,
        };
        rows.push(row(
            "fleiss_kappa_tokens",
            l.fleiss_kappa,
            l.tokens,
            "tokens",
        ));
        rows.push(row("unitizing_alpha", l.unitizing_alpha, l.units, "spans"));
    }
    for v in &report.values {
        rows.push(AgreementRow {
            measure: "alpha_values",
            label: &v.label,
            attribute: &v.attribute,
            metric: v.metric.as_str(),
            pair: None,
            value: v.alpha,
            articles: v.articles,
            units: v.units,
            unit: "matched spans",
            coders: v.coders,
        });
    }
    rows
}

/// Writes `rows` as CSV with [`AGREEMENT_CSV_HEADER`] (values with 6 decimals, empty when
/// undefined).
pub fn write_agreement_csv(out: &mut dyn Write, rows: &[AgreementRow<'_>]) -> csv::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(AGREEMENT_CSV_HEADER)?;
    for row in rows {
        let (a, b) = row.pair.unwrap_or(("", ""));
        writer.write_record([
            row.measure.to_owned(),
            row.label.to_owned(),
            row.attribute.to_owned(),
            row.metric.to_owned(),
            a.to_owned(),
            b.to_owned(),
            row.value.map(|v| format!("{v:.6}")).unwrap_or_default(),
            row.articles.to_string(),
            row.units.to_string(),
            row.unit.to_owned(),
            row.coders.to_string(),
        ])?;
    }
    writer.flush()?;
    Ok(())
}

/// Saves `rows` as the agreement CSV at `path`: refused inside the archive's folder
/// (`archive_dir`), over a link or a device, and into a folder that does not exist; written
/// to a temporary file beside it and renamed into place, so `path` holds the old file or the
/// whole new one.
pub fn save_agreement_csv(
    archive_dir: &Path,
    rows: &[AgreementRow<'_>],
    path: &Path,
) -> Result<()> {
    refuse_unsafe_destination(path, archive_dir)?;
    let folder = existing_parent(path)?;
    let temp = temporary_file(&folder, path)?;
    {
        let mut file = std::io::BufWriter::new(temp.as_file());
        write_agreement_csv(&mut file, rows).map_err(|e| match e.into_kind() {
            csv::ErrorKind::Io(source) => ArchiveError::Io {
                what: "cannot write the agreement CSV",
                source,
                path: path.to_owned(),
            },
            other => ArchiveError::Io {
                what: "cannot write the agreement CSV",
                source: std::io::Error::other(format!("{other:?}")),
                path: path.to_owned(),
            },
        })?;
        file.flush()
            .map_err(io_error("cannot write the agreement CSV", path))?;
    }
    temp.as_file()
        .sync_all()
        .map_err(io_error("cannot write the agreement CSV", path))?;
    persist(temp, path)
}
