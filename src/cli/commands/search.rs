//! `annalist search`: hits of a query, or its facets (counts by label, outlet and year).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use crate::cli::args::SearchArgs;
use crate::cli::opening::open_read;
use crate::cli::output::{self, stdout};
use crate::cli::{EXIT_NOTHING, EXIT_OK};
use crate::model::plural;

/// Prints the hits (or facets) of `args.query`; exit code 1 when nothing matches.
pub(in crate::cli) fn search(dir: Option<PathBuf>, args: &SearchArgs) -> anyhow::Result<u8> {
    let mut archive = open_read(dir)?;
    if args.facets {
        let facets = archive.facets(&args.query)?;
        let mut out = stdout();
        if args.json {
            output::json_line(&mut out, &serde_json::to_value(&facets)?)?;
        } else {
            writeln!(out, "{}", plural(facets.total, "article", "articles"))?;
            let rows = |name: &str, list: Vec<(String, u64)>| {
                let shown: Vec<String> = list
                    .iter()
                    .map(|(k, n)| format!("{} {n}", output::line(k)))
                    .collect();
                format!("{name}: {}", shown.join(", "))
            };
            writeln!(out, "{}", rows("labels", facets.labels.clone()))?;
            writeln!(out, "{}", rows("outlets", facets.sources.clone()))?;
            let years = facets
                .years
                .iter()
                .map(|(y, n)| (y.to_string(), *n))
                .collect();
            writeln!(out, "{}", rows("years", years))?;
        }
        out.flush()?;
        return Ok(if facets.total == 0 {
            EXIT_NOTHING
        } else {
            EXIT_OK
        });
    }
    let page = archive.search(&args.query, args.limit, args.offset)?;
    let mut out = stdout();
    if args.json {
        for hit in &page.hits {
            output::json_line(
                &mut out,
                &serde_json::json!({
                    "id": hit.id,
                    "title": hit.title,
                    "published": hit.published,
                    "source": hit.source,
                    "score": hit.score,
                    "snippet": hit.snippet.marked("<b>", "</b>"),
                    "snippet_text": hit.snippet.text,
                    "highlights": hit.snippet.highlights,
                }),
            )?;
        }
    } else {
        let colour = std::io::stdout().is_terminal();
        output::hits(&mut out, &page, colour)?;
    }
    out.flush()?;
    Ok(if page.total == 0 {
        EXIT_NOTHING
    } else {
        EXIT_OK
    })
}
