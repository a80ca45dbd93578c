//! `annalist events suggest|list|accept|merge|split|detach|set`: events across articles in
//! the coder's layer (`--coder`), as the app builds them.

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::bail;
use clap::Subcommand;

use crate::cli::EXIT_OK;
use crate::cli::opening::{open, open_read};
use crate::cli::output::stdout;
use crate::model::{AnnotationId, Event, EventField, EventId, plural};

/// Subcommands of `events`.
#[derive(Debug, Subcommand)]
pub enum EventsCommand {
    /// Group the claims (CASUALTY annotations) that are in no event yet into suggested
    /// events: same date (±1 day, per precision), same place or region, compatible figures.
    Suggest {
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List events with their fields (with --json: each field's value, evidence and by_hand).
    List {
        /// Only these event ids (default: all of the layer).
        ids: Vec<i64>,
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// Accept suggested events: these ids, or --all.
    Accept {
        /// Event ids.
        #[arg(conflicts_with = "all")]
        ids: Vec<i64>,
        /// Every suggested event of the layer.
        #[arg(long)]
        all: bool,
    },
    /// Merge events into the first (lowest id) of them.
    Merge {
        /// Two event ids or more.
        #[arg(required = true, num_args = 2..)]
        ids: Vec<i64>,
    },
    /// Move some claims of an event into a new event.
    Split {
        /// The event.
        id: i64,
        /// The claims (annotation ids) to move.
        #[arg(required = true)]
        claims: Vec<i64>,
    },
    /// Take claims out of their events.
    Detach {
        /// Claims (annotation ids).
        #[arg(required = true)]
        claims: Vec<i64>,
    },
    /// Set a field of an event by hand (`none` clears it); derived values no longer replace it.
    Set {
        /// The event.
        id: i64,
        /// The field (violence, event_type, sub_event_type, date_start, date_end, date_prec,
        /// place, country, country_code, adm1, lat, lon, where_prec, side_a, side_b,
        /// deaths_best, deaths_low, deaths_high, deaths_civilians, fatalities).
        field: String,
        /// The value.
        value: String,
    },
}

/// Runs one `events` subcommand.
pub(in crate::cli) fn events(dir: Option<PathBuf>, command: EventsCommand) -> anyhow::Result<u8> {
    if let EventsCommand::List { ids, json } = command {
        // A reading command: it works beside the app or another writer.
        let mut archive = open_read(dir)?;
        let events = if ids.is_empty() {
            archive.events()?
        } else {
            ids.into_iter()
                .map(|id| archive.event(EventId(id)))
                .collect::<Result<Vec<_>, _>>()?
        };
        let mut out = stdout();
        for event in &events {
            if json {
                writeln!(out, "{}", serde_json::to_string(&event_json(event))?)?;
            } else {
                writeln!(out, "{}", event_line(event))?;
            }
        }
        out.flush()?;
        return Ok(EXIT_OK);
    }
    let mut archive = open(dir)?;
    match command {
        EventsCommand::Suggest { json } => {
            let report = archive.suggest_events()?;
            if json {
                println!("{}", serde_json::to_string(&report)?);
            } else {
                println!(
                    "{} grouped into {}",
                    plural(report.claims, "claim", "claims"),
                    plural(report.events.len(), "suggested event", "suggested events")
                );
            }
        }
        EventsCommand::List { .. } => {}
        EventsCommand::Accept { ids, all } => {
            if ids.is_empty() && !all {
                bail!("say which events: event ids or --all");
            }
            let ids: Vec<EventId> = ids.into_iter().map(EventId).collect();
            let accepted = archive.accept_events((!all).then_some(ids.as_slice()))?;
            println!("accepted {}", plural(accepted.len(), "event", "events"));
        }
        EventsCommand::Merge { ids } => {
            let ids: Vec<EventId> = ids.into_iter().map(EventId).collect();
            let event = archive.merge_events(&ids)?;
            println!("merged into event {}: {}", event.id, event_line(&event));
        }
        EventsCommand::Split { id, claims } => {
            let claims: Vec<AnnotationId> = claims.into_iter().map(AnnotationId).collect();
            let event = archive.split_event(EventId(id), &claims)?;
            println!("split off event {}: {}", event.id, event_line(&event));
        }
        EventsCommand::Detach { claims } => {
            let claims: Vec<AnnotationId> = claims.into_iter().map(AnnotationId).collect();
            let changed = archive.detach_claims(&claims)?;
            println!(
                "detached {} from {}",
                plural(claims.len(), "claim", "claims"),
                plural(changed.len(), "event", "events")
            );
        }
        EventsCommand::Set { id, field, value } => {
            let field: EventField = field.parse().map_err(|e: String| anyhow::anyhow!(e))?;
            let event = archive.set_event_field(EventId(id), field, &value)?;
            println!("event {}: {field} set by hand", event.id);
        }
    }
    Ok(EXIT_OK)
}

/// An event as JSON: its identity, claims and sources, and each field with its value,
/// evidence (`from`) and `by_hand`.
fn event_json(event: &Event) -> serde_json::Value {
    let fields: serde_json::Map<String, serde_json::Value> = event
        .fields()
        .into_iter()
        .map(|(field, value)| {
            (
                field.as_str().to_owned(),
                serde_json::to_value(value).unwrap_or_default(),
            )
        })
        .collect();
    serde_json::json!({
        "id": event.id,
        "status": event.status,
        "coder": event.coder,
        "claims": event.claims,
        "sources": event.sources,
        "number_of_sources": event.sources.len(),
        "fields": fields,
    })
}

/// One line per event: id, status, dates, place, deaths.
fn event_line(event: &Event) -> String {
    let text = |field: EventField| match event.field(field).value {
        serde_json::Value::Null => "-".to_owned(),
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    };
    format!(
        "{}\t{}\t{}..{}\t{}, {}\tdeaths {} ({}-{})\t{}",
        event.id,
        event.status,
        text(EventField::DateStart),
        text(EventField::DateEnd),
        text(EventField::Place),
        text(EventField::Country),
        text(EventField::DeathsBest),
        text(EventField::DeathsLow),
        text(EventField::DeathsHigh),
        plural(event.claims.len(), "claim", "claims"),
    )
}
