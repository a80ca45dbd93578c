//! `annalist demo`: the demo archive, created once, with a search and commands to try.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context;

use crate::cli::EXIT_OK;
use crate::cli::output::{self, stdout};
use crate::model::plural;
use crate::service::{demo_archive_dir, open_demo};

/// Opens (creating it once) the demo archive and shows what to try on it.
pub(in crate::cli) fn demo(dir: Option<PathBuf>) -> anyhow::Result<u8> {
    let dir = dir
        .or_else(demo_archive_dir)
        .context("no folder for the demo archive: pass --dir DIR")?;
    let mut archive = open_demo(&dir)
        .with_context(|| format!("cannot open the demo archive {}", dir.display()))?;
    let stats = archive.stats()?;
    let page = archive.search("killed OR wounded OR injured", 5, 0)?;
    let mut out = stdout();
    writeln!(
        out,
        "Demo archive: {} ({})",
        dir.display(),
        plural(stats.store.articles, "article", "articles")
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "$ annalist search 'killed OR wounded OR injured' --limit 5"
    )?;
    output::hits(&mut out, &page, std::io::stdout().is_terminal())?;
    writeln!(out)?;
    let archive_arg = format!("--archive '{}'", dir.display());
    writeln!(out, "Try:")?;
    writeln!(out, "  annalist {archive_arg} search '\"nine people\"'")?;
    writeln!(
        out,
        "  annalist {archive_arg} search 'published:[2024-01 TO 2024-03]'"
    )?;
    writeln!(out, "  annalist {archive_arg} show 1")?;
    writeln!(
        out,
        "  annalist {archive_arg} annotate add 1 --label CASUALTY --start S --end E --attr count=9"
    )?;
    writeln!(out, "  annalist {archive_arg} export --out demo.jsonl")?;
    out.flush()?;
    Ok(EXIT_OK)
}
