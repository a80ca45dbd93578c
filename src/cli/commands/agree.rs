//! `annalist agree`: agreement between coders, as text, one JSON object, or CSV rows (one
//! per figure, each with the articles, units and coders it rests on).

use std::io::Write;
use std::path::PathBuf;

use crate::cli::args::AgreeArgs;
use crate::cli::opening::open_read;
use crate::cli::output::{self, stdout};
use crate::cli::{EXIT_NOTHING, EXIT_OK};
use crate::model::plural;
use crate::service::{
    AgreementOptions, AgreementReport as Report, agreement_rows, write_agreement_csv,
};

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

fn write_csv(out: &mut impl Write, report: &Report) -> anyhow::Result<()> {
    write_agreement_csv(out, &agreement_rows(report))?;
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
    for row in agreement_rows(report) {
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
