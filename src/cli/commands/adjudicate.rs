//! `annalist adjudicate ID [take UNIT CODER | both UNIT | reject UNIT | agreements | edit ..]`:
//! the units of a double-coded article between its coders, and resolving them into the
//! adjudicated layer.

use std::io::Write;
use std::path::PathBuf;

use crate::cli::args::{AdjudicateAction, AdjudicateArgs};
use crate::cli::commands::annotate::parse_attrs;
use crate::cli::opening::{open, open_read};
use crate::cli::output::{self, stdout};
use crate::cli::{EXIT_NOTHING, EXIT_OK};
use crate::model::{Annotation, AnnotationId, ArticleId, CharSpan, plural};
use crate::service::{
    AdjudicatedChange, Adjudication, AdjudicationAction, AdjudicationUnit, UnitState,
};

/// Lists an article's units, or resolves one and lists them as they are then. Exit code 1
/// when the article has no unit (neither coder marked a span).
pub(in crate::cli) fn adjudicate(
    dir: Option<PathBuf>,
    args: &AdjudicateArgs,
) -> anyhow::Result<u8> {
    let article = ArticleId(args.id);
    let coders: Vec<String> = args
        .coders
        .iter()
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty())
        .collect();
    let Some(action) = &args.action else {
        let archive = open_read(dir)?;
        let adjudication = archive.adjudication(article, &coders)?;
        return print(&adjudication, args.json);
    };
    let mut archive = open(dir)?;
    let action = match action {
        AdjudicateAction::Take { unit, whose } => {
            Some((unit, AdjudicationAction::Take(whose.trim().to_owned())))
        }
        AdjudicateAction::Both { unit } => Some((unit, AdjudicationAction::All)),
        AdjudicateAction::Reject { unit } => Some((unit, AdjudicationAction::Reject)),
        AdjudicateAction::Agreements => {
            let resolved = archive.accept_agreements(article, &coders)?;
            eprintln!(
                "accepted {} into the adjudicated layer",
                plural(resolved, "agreement", "agreements")
            );
            None
        }
        AdjudicateAction::Edit {
            annotation,
            label,
            start,
            end,
            attrs,
        } => {
            let span = match (start, end) {
                (Some(start), Some(end)) => Some(
                    CharSpan::ordered(*start, *end)
                        .map_err(|e| anyhow::anyhow!("--start {start} --end {end}: {e}"))?,
                ),
                _ => None,
            };
            let change = AdjudicatedChange {
                label: label.clone(),
                span,
                attrs: if attrs.is_empty() {
                    None
                } else {
                    Some(parse_attrs(attrs)?)
                },
            };
            let after = archive.edit_adjudicated(article, AnnotationId(*annotation), &change)?;
            eprintln!(
                "adjudicated annotation {annotation} changed (now {}, marked edited)",
                after.id
            );
            None
        }
    };
    if let Some((unit, action)) = action {
        let after = archive.adjudicate(article, &coders, unit, &action)?;
        let open = after.open_disagreements().count();
        eprintln!(
            "unit {} resolved; {} open",
            output::line(unit),
            plural(open, "disagreement", "disagreements")
        );
        archive.sync_index()?;
        return print(&after, args.json);
    }
    archive.sync_index()?;
    let after = archive.adjudication(article, &coders)?;
    print(&after, args.json)
}

fn print(adjudication: &Adjudication, json: bool) -> anyhow::Result<u8> {
    let mut out = stdout();
    for unit in &adjudication.units {
        if json {
            output::json_line(&mut out, &unit_json(adjudication, unit))?;
        } else {
            unit_lines(&mut out, unit)?;
        }
    }
    out.flush()?;
    if adjudication.units.is_empty() {
        eprintln!(
            "note: article {} has no span by {}",
            adjudication.article_id,
            adjudication.coders.join(", ")
        );
        return Ok(EXIT_NOTHING);
    }
    Ok(EXIT_OK)
}

fn state(unit: &AdjudicationUnit) -> (&'static str, Option<String>) {
    match &unit.state {
        UnitState::Open => ("open", None),
        UnitState::Resolved(r) => ("resolved", Some(format!("{} (by {})", r.decision, r.by))),
        UnitState::Reopened(r) => ("reopened", Some(format!("{} (by {})", r.decision, r.by))),
    }
}

fn unit_lines(out: &mut impl Write, unit: &AdjudicationUnit) -> anyhow::Result<()> {
    let (state, decision) = state(unit);
    writeln!(
        out,
        "unit {} [{}, {}) {} {}{}  (key {})",
        unit.number,
        unit.start,
        unit.end,
        if unit.agreement {
            "agreement"
        } else {
            "disagreement"
        },
        state,
        decision
            .map(|d| format!(": {}", output::line(&d)))
            .unwrap_or_default(),
        unit.key
    )?;
    for (coder, spans) in &unit.spans {
        if spans.is_empty() {
            writeln!(out, "  {:<12} (no span)", output::line(coder))?;
        }
        for span in spans {
            writeln!(out, "  {:<12} {}", output::line(coder), span_text(span))?;
        }
    }
    for span in &unit.result {
        writeln!(out, "  {:<12} {}", "adjudicated", span_text(span))?;
    }
    Ok(())
}

fn span_text(span: &Annotation) -> String {
    let attrs = if span.attrs.is_empty() {
        String::new()
    } else {
        format!("  {}", serde_json::Value::Object(span.attrs.clone()))
    };
    output::line(&format!(
        "{} {} [{}, {}) {:?}{attrs}",
        span.id,
        span.label,
        span.span.start(),
        span.span.end(),
        output::truncate(&span.text, 60)
    ))
    .into_owned()
}

fn unit_json(adjudication: &Adjudication, unit: &AdjudicationUnit) -> serde_json::Value {
    let (state, decision) = state(unit);
    let coders: serde_json::Map<String, serde_json::Value> = unit
        .spans
        .iter()
        .map(|(coder, spans)| {
            (
                coder.clone(),
                spans.iter().map(output::annotation_json).collect(),
            )
        })
        .collect();
    let result: Vec<serde_json::Value> = unit
        .result
        .iter()
        .map(|a| {
            let mut json = output::annotation_json(a);
            if let Some(p) = adjudication.provenance_of(a.id) {
                json["adjudicated"] = serde_json::json!({
                    "by": p.by, "from": p.from, "edited": p.edited, "at": p.at
                });
            }
            json
        })
        .collect();
    serde_json::json!({
        "article_id": adjudication.article_id,
        "unit": unit.number,
        "key": unit.key,
        "start": unit.start,
        "end": unit.end,
        "agreement": unit.agreement,
        "state": state,
        "decision": decision,
        "coders": coders,
        "result": result,
    })
}
