//! Export benchmark: streams a large annotated archive into every format, with the rate and
//! the peak resident memory of each export.
//!
//! Run: `cargo bench --bench export` (100,000 articles with 5 annotations each, built from the
//! BBC corpus's sentences in a temporary folder first) or `cargo bench --bench export -- N
//! [FORMAT ...]` (only those formats).
//! Each export runs in its own child process (this program again, `measure FORMAT ...`), so
//! its peak resident memory (`VmHWM`, Linux) is the export's alone, not the build's. The
//! first tenth of the archive is exported too: a streaming export's peak stays the same when
//! the archive is ten times larger.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use annalist::export::ExportFormat;
use annalist::model::ArticleId;
use annalist::service::{Archive, ExportOptions};

mod common;
mod disk;
use disk::dir_bytes;

const ANNOTATIONS_PER_ARTICLE: usize = 5;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if args.first().map(String::as_str) == Some("measure") {
        let [_, format, archive, out, limit] = args.as_slice() else {
            anyhow::bail!("usage: measure FORMAT ARCHIVE OUT LIMIT");
        };
        return measure(
            format.parse().map_err(anyhow::Error::msg)?,
            Path::new(archive),
            Path::new(out),
            limit.parse()?,
        );
    }
    let n: usize = args.first().map_or(Ok(100_000), |s| s.parse())?;
    let dir = tempfile::tempdir()?;
    let archive_dir = dir.path().join("archive");
    let built = common::build_archive(&archive_dir, n, ANNOTATIONS_PER_ARTICLE, None)?;
    eprintln!(
        "built an archive of {n} articles in {:.1} s",
        built.as_secs_f64()
    );
    println!(
        "{n} articles, {} annotations ({ANNOTATIONS_PER_ARTICLE} per article, suggestions included); archive {:.0} MB",
        n * ANNOTATIONS_PER_ARTICLE,
        dir_bytes(&archive_dir) as f64 / 1e6
    );
    println!();
    println!("| format | articles | time | articles/s | output | MB/s | peak RSS |");
    println!("|---|---|---|---|---|---|---|");
    // Formats named after N run alone (`-- 100000 parquet`); none named: every format.
    let only = args
        .iter()
        .skip(1)
        .map(|name| name.parse().map_err(anyhow::Error::msg))
        .collect::<anyhow::Result<Vec<ExportFormat>>>()?;
    let chosen = |format: &ExportFormat| only.is_empty() || only.contains(format);
    let runs = [(ExportFormat::Jsonl, n / 10)]
        .into_iter()
        .chain(ExportFormat::ALL.into_iter().map(|f| (f, n)))
        .filter(|(format, _)| chosen(format));
    for (format, limit) in runs {
        let out = dir.path().join(format!("export-{format}"));
        let child = Command::new(std::env::current_exe()?)
            .args(["measure", format.as_str()])
            .arg(&archive_dir)
            .arg(&out)
            .arg(limit.to_string())
            .output()?;
        anyhow::ensure!(
            child.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&child.stderr)
        );
        print!("{}", String::from_utf8_lossy(&child.stdout));
        if out.is_dir() {
            std::fs::remove_dir_all(&out)?;
        } else {
            std::fs::remove_file(&out)?;
        }
    }
    Ok(())
}

/// One export of the first `limit` articles, in this (child) process; prints its table row.
fn measure(
    format: ExportFormat,
    archive_dir: &Path,
    out: &Path,
    limit: usize,
) -> anyhow::Result<()> {
    let mut archive = Archive::open_reader(archive_dir)?;
    let all = usize::try_from(archive.stats()?.store.articles)?;
    let options = ExportOptions {
        include_suggestions: true,
        ids: (limit < all).then(|| {
            (1..=i64::try_from(limit).unwrap_or(i64::MAX))
                .map(ArticleId)
                .collect()
        }),
        ..ExportOptions::default()
    };
    let started = Instant::now();
    let summary = archive.export_to_path(format, out, &options, &mut |_, _| true)?;
    let elapsed = started.elapsed().as_secs_f64();
    let bytes = if out.is_dir() {
        dir_bytes(out)
    } else {
        std::fs::metadata(out)?.len()
    };
    println!(
        "| {format} | {} | {elapsed:.1} s | {:.0} | {:.0} MB | {:.0} | {} |",
        summary.articles,
        summary.articles as f64 / elapsed,
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / elapsed,
        peak_rss_kb().map_or_else(
            || "n/a".to_owned(),
            |kb| format!("{:.0} MB", kb as f64 / 1e3)
        ),
    );
    Ok(())
}

/// The process's resident-memory high-water mark in kB, where the system reports it.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
