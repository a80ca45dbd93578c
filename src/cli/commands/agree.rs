//! `annalist agree`: agreement between coders, as text, one JSON object, or CSV rows (one
//! per figure, each with the articles, units and coders it rests on).

use std::io::Write;
use std::path::PathBuf;

use crate::cli::args::AgreeArgs;
use crate::cli::opening::open_read;
use crate::cli::output::{self, stdout};
use crate::cli::{EXIT_NOTHING, EXIT_OK};
use crate::model::plural;
use crate::service::{AgreementOptions, AgreementReport as Report};

/// The columns of `--csv`.
const CSV_HEADER: [&str; 11] = [
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

/// One figure of the report as a CSV row.
struct Row<'a> {
    measure: &'static str,
    label: &'a str,
    attribute: &'a str,
    metric: &'a str,
    pair: Option<(&'a str, &'a str)>,
    value: Option<f64>,
    articles: usize,
    units: usize,
    unit: &'static str,
    coders: usize,
}

/// Prints the agreement of the chosen coders; exit code 1 when no article was coded by two
/// of them.
pub(in crate::cli) fn agree(dir: Option<PathBuf>, args: &AgreeArgs) -> anyhow::Result<u8> {
    let mut archive = open_read(dir)?;
    let options = AgreementOptions {
        coders: args
            .coders
            .iter()
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty())
            .collect(),
        label: args.label.clone(),
        query: args.query.clone(),
    };
    let report = archive.agreement(&options)?;
    let mut out = stdout();
    if args.json {
        output::json_line(&mut out, &report)?;
    } else if args.csv {
        write_csv(&mut out, &report)?;
    } else {
        write_text(&mut out, &report)?;
    }
    out.flush()?;
    if report.articles == 0 {
        eprintln!("note: no article was coded by two or more of the coders");
        return Ok(EXIT_NOTHING);
    }
    Ok(EXIT_OK)
}

fn rows(report: &Report) -> Vec<Row<'_>> {
    let mut rows = Vec::new();
    for pair in &report.pairs {
        let coders = Some((pair.coder_a.as_str(), pair.coder_b.as_str()));
        for l in &pair.labels {
            let row = |measure, value, units, unit| Row {
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
        let row = |measure, value, units, unit| Row {
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
        rows.push(Row {
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

fn write_csv(out: &mut impl Write, report: &Report) -> anyhow::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(CSV_HEADER)?;
    for row in rows(report) {
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

fn write_text(out: &mut impl Write, report: &Report) -> anyhow::Result<()> {
    let shown = |v: Option<f64>| v.map_or_else(|| "-".to_owned(), |v| format!("{v:.3}"));
    writeln!(
        out,
        "coders: {} · {} coded by two or more ({} by all, {} by one only, not measured)",
        output::line(&report.coders.join(", ")),
        plural(report.articles, "article", "articles"),
        report.complete_articles,
        report.single_coder_articles
    )?;
    if report.partial.articles > 0 {
        writeln!(
            out,
            "{} ({}) coded by only some coders: in the pairs' figures and the values' α, not in Fleiss' κ nor α_u",
            plural(report.partial.articles, "article", "articles"),
            plural(report.partial.tokens, "token", "tokens")
        )?;
    }
    for row in rows(report) {
        let who = match row.pair {
            Some((a, b)) => format!("{} ~ {}", output::line(a), output::line(b)),
            None => format!("{} coders", row.coders),
        };
        let what = [row.label, row.attribute, row.metric]
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| output::line(s).into_owned())
            .collect::<Vec<_>>()
            .join(" ");
        writeln!(
            out,
            "{:<20} {:<28} {:<18} {:>7}  ({}, {})",
            row.measure,
            what,
            who,
            shown(row.value),
            plural(row.articles, "article", "articles"),
            plural(row.units, row.unit.trim_end_matches('s'), row.unit)
        )?;
    }
    if !report.disagreements.is_empty() {
        writeln!(out, "values that differ on matched spans:")?;
    }
    for d in &report.disagreements {
        let sides: Vec<String> = d
            .spans
            .iter()
            .map(|s| {
                format!(
                    "{} \"{}\" [{}, {}) = {}",
                    output::line(&s.coder),
                    output::line(&output::truncate(&s.text, 40)),
                    s.start,
                    s.end,
                    output::line(s.value.as_deref().unwrap_or("(none)"))
                )
            })
            .collect();
        writeln!(
            out,
            "  article {} {} {}: {}",
            d.article_id.0,
            d.label,
            d.attribute,
            sides.join(" | ")
        )?;
    }
    Ok(())
}
