//! `annalist assign`, `queue` and `done`: a coding team's articles and each coder's queue.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};

use crate::cli::EXIT_OK;
use crate::cli::args::AssignArgs;
use crate::cli::opening::{open, open_read};
use crate::cli::output::{self, stdout};
use crate::model::{ArticleId, Coder};
use crate::service::{AssignRequest, coder_from_environment};

/// The coder a command works as: `--coder`, else `$ANNALIST_CODER`, else nobody.
pub(in crate::cli) fn coder(flag: Option<&str>) -> anyhow::Result<Option<Coder>> {
    match flag {
        Some(name) => Coder::new(name)
            .map(Some)
            .map_err(|e| anyhow::anyhow!("--coder: {e}")),
        None => Ok(coder_from_environment()?),
    }
}

pub(in crate::cli) fn required_coder(flag: Option<&str>, what: &str) -> anyhow::Result<Coder> {
    coder(flag)?.with_context(|| {
        format!("say whose {what}: --coder NAME, or set ANNALIST_CODER to your name")
    })
}

/// Spreads unassigned articles over coders and prints the report.
pub(in crate::cli) fn assign(dir: Option<PathBuf>, args: AssignArgs) -> anyhow::Result<u8> {
    let mut seen: Vec<&Coder> = Vec::new();
    for coder in &args.coders {
        if seen.contains(&coder) {
            bail!("--coders: coder '{coder}' is named twice");
        }
        seen.push(coder);
    }
    let seed = args.seed.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    });
    let mut archive = open(dir)?;
    let report = archive.assign(&AssignRequest {
        coders: args.coders,
        overlap: args.overlap,
        seed,
        query: args.query,
    })?;
    println!("{}", output::line(&report.to_string()));
    Ok(EXIT_OK)
}

/// Prints a coder's queue (to do, then done), or every coder's counts.
pub(in crate::cli) fn queue(
    dir: Option<PathBuf>,
    coder_flag: Option<&str>,
    all: bool,
    json: bool,
) -> anyhow::Result<u8> {
    let archive = open_read(dir)?;
    let mut out = stdout();
    if all {
        for work in archive.coder_work()? {
            if json {
                output::json_line(
                    &mut out,
                    &serde_json::json!({"coder": work.coder, "assigned": work.assigned, "done": work.done}),
                )?;
            } else {
                writeln!(
                    out,
                    "{}\t{} assigned\t{} done\t{} to do",
                    output::line(&work.coder),
                    work.assigned,
                    work.done,
                    work.assigned.saturating_sub(work.done)
                )?;
            }
        }
        out.flush()?;
        return Ok(EXIT_OK);
    }
    let coder = required_coder(coder_flag, "queue")?;
    let queue = archive.queue(&coder)?;
    for entry in &queue {
        if json {
            output::json_line(&mut out, entry)?;
        } else {
            let state = if entry.done_at.is_some() {
                "done"
            } else {
                "to do"
            };
            let others: Vec<&str> = entry
                .coders
                .iter()
                .map(String::as_str)
                .filter(|c| *c != coder.as_str())
                .collect();
            let double = if others.is_empty() {
                String::new()
            } else {
                format!("\t(also coded by {})", output::line(&others.join(", ")))
            };
            writeln!(
                out,
                "{}\t{state}\t{}{double}",
                entry.article_id,
                output::line(&output::truncate(&entry.title, 80)),
            )?;
        }
    }
    out.flush()?;
    if !json {
        let done = queue.iter().filter(|e| e.done_at.is_some()).count();
        eprintln!(
            "{coder}: {} to do, {done} done",
            queue.len().saturating_sub(done)
        );
    }
    Ok(EXIT_OK)
}

/// Marks an article done (or to do again) in the coder's queue.
pub(in crate::cli) fn done(
    dir: Option<PathBuf>,
    coder_flag: Option<&str>,
    id: i64,
    undo: bool,
) -> anyhow::Result<u8> {
    let coder = required_coder(coder_flag, "queue")?;
    let mut archive = open(dir)?;
    archive.mark_done(ArticleId(id), &coder, !undo)?;
    if undo {
        println!("article {id} is to do again for {coder}");
    } else {
        println!("article {id} is done for {coder}");
    }
    Ok(EXIT_OK)
}
