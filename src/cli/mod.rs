//! The command line: subcommands, progress bars and exit codes.
//!
//! Owns: argument parsing and everything printed to stdout. Must not touch rusqlite or
//! tantivy directly: all work goes through `service::Archive`.

mod output;

use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use crate::export::{CsvCells, Destination, ExportFormat};
use crate::import::{Format, ImportOptions};
use crate::model::{
    AnnotationAttrs, AnnotationId, AnnotationStatus, ArticleId, Edit, LabelDef, PartialDate, plural,
};
use crate::service::{
    Archive, ArchiveError, ExportOptions, HeldBack, LearnScope, ReviewScope, default_archive_dir,
    demo_archive_dir, manual_annotation, open_demo,
};
use crate::suggest::CONFIRM_ABOVE_ARTICLES;

/// Exit code: the command worked.
pub const EXIT_OK: u8 = 0;
/// Exit code: the command worked but found nothing (a search without hits).
pub const EXIT_NOTHING: u8 = 1;
/// Exit code: an error, or some inputs of a batch failed.
pub const EXIT_ERROR: u8 = 2;

/// Annalist: import, search, annotate and export conflict news, offline. Without a
/// command, opens the desktop app.
#[derive(Debug, Parser)]
#[command(name = "annalist", version, about, long_about = None)]
pub struct Cli {
    /// Archive folder (created on first use). Default: $ANNALIST_ARCHIVE, else the
    /// platform data directory.
    #[arg(long, global = true, env = "ANNALIST_ARCHIVE", value_name = "DIR")]
    pub archive: Option<PathBuf>,

    /// What to do; without a command the desktop app opens (on --archive, else the last
    /// archive, else the demo archive).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import files and folders (text, HTML, RSS/Atom, JSON/JSONL, CSV; .gz too).
    Import(ImportArgs),
    /// Search the archive (syntax: docs/search.md).
    Search(SearchArgs),
    /// Show one article with its annotations.
    Show {
        /// Article id.
        id: i64,
        /// Print the native JSON record instead of text.
        #[arg(long)]
        json: bool,
    },
    /// List articles by id.
    List {
        /// How many.
        #[arg(long, default_value_t = 50, value_parser = count_arg)]
        limit: usize,
        /// Skip this many.
        #[arg(long, default_value_t = 0, value_parser = count_arg)]
        offset: usize,
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// Counts: articles, annotations by label, outlets, dates, index state.
    Stats {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Rebuild the search index from the database.
    Reindex,
    /// Add, list and remove annotations (offsets in Unicode code points).
    #[command(subcommand)]
    Annotate(AnnotateCommand),
    /// Show or extend the label schema.
    #[command(subcommand)]
    Labels(LabelsCommand),
    /// Export articles and annotations.
    Export(ExportArgs),
    /// Suggest dates, casualty figures and entities (status "suggested"), and what people
    /// accepted elsewhere; never touches accepted or rejected annotations.
    Suggest {
        /// Article ids.
        #[arg(required_unless_present_any = ["all", "learn"], conflicts_with_all = ["all", "learn"])]
        ids: Vec<i64>,
        /// Every article of the archive.
        #[arg(long, conflicts_with = "learn")]
        all: bool,
        /// Suggest this accepted text with its label in every article that contains it,
        /// however many (learning holds back above 1,000 articles until you confirm).
        #[arg(long, value_name = "TEXT")]
        learn: Option<String>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Verify the database, the index against it and every annotation against its text;
    /// exit code 2 when something is wrong.
    Check {
        /// Rebuild what is derived (the index) and remove annotations of missing articles;
        /// report what could not be fixed.
        #[arg(long)]
        repair: bool,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Copy the archive to DEST (a new or empty folder) with SQLite's online backup; works
    /// while the archive is open elsewhere. Restore: use DEST as the archive folder.
    Backup {
        /// Destination folder.
        dest: PathBuf,
    },
    /// Review suggestions in batches: accept or reject.
    #[command(subcommand)]
    Suggestions(SuggestionsCommand),
    /// Measure quality against gold data.
    #[command(subcommand)]
    Eval(EvalCommand),
    /// Create (once) and show the demo archive of articles shipped with Annalist. It lives
    /// in its own folder, never in your archive; `--archive` chooses another folder.
    Demo {
        /// Folder for the demo archive (default: the platform data directory's `demo`).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// Arguments of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files or folders (folders are read recursively).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Publication date (YYYY, YYYY-MM or YYYY-MM-DD) for articles whose file gives none.
    #[arg(long, value_name = "DATE")]
    pub published: Option<PartialDate>,
    /// Outlet name for articles whose file gives none.
    #[arg(long, value_name = "NAME")]
    pub source: Option<String>,
    /// Read every file as this format instead of guessing from its name: text, html,
    /// feed, json, jsonl, csv, or, with annotations, brat, doccano, label-studio, conll
    /// (jsonl with annotations is the native record).
    #[arg(long)]
    pub format: Option<Format>,
    /// Refuse files larger than this many MiB (and `.gz` files that unpack to more).
    #[arg(long, value_name = "MB", default_value_t = 256)]
    pub max_file_mb: u64,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Query: words (all must match), "phrases", AND/OR/NOT, title:, source:, label:,
    /// entity:, published:[2024-01-01 TO 2024-01-31].
    pub query: String,
    /// Hits to show.
    #[arg(long, default_value_t = 20, value_parser = count_arg)]
    pub limit: usize,
    /// Skip this many hits.
    #[arg(long, default_value_t = 0, value_parser = count_arg)]
    pub offset: usize,
    /// One JSON object per hit and line: id, title, published, source, score, snippet
    /// (highlights as <b>..</b>), snippet_text, highlights (code point ranges).
    #[arg(long)]
    pub json: bool,
    /// Instead of hits, count the matches by label, outlet and publication year.
    #[arg(long)]
    pub facets: bool,
}

/// Subcommands of `annotate`.
#[derive(Debug, Subcommand)]
pub enum AnnotateCommand {
    /// Add an annotation: a label on [start, end) code points of an article's text.
    Add {
        /// Article id.
        id: i64,
        /// Label (see `annalist labels list`).
        #[arg(long)]
        label: String,
        /// First code point (0-based).
        #[arg(long)]
        start: usize,
        /// One past the last code point.
        #[arg(long)]
        end: usize,
        /// Attribute as key=value (repeatable). Numbers, true/false and null are typed;
        /// anything else is a string.
        #[arg(long = "attr", value_name = "KEY=VALUE")]
        attrs: Vec<String>,
        /// Refuse unless the span reads exactly this text.
        #[arg(long, value_name = "TEXT")]
        expect: Option<String>,
        /// Who annotates. Default: $ANNALIST_ANNOTATOR, else $USER.
        #[arg(long, env = "ANNALIST_ANNOTATOR")]
        annotator: Option<String>,
        /// accepted (default) or suggested.
        #[arg(long, default_value = "accepted")]
        status: AnnotationStatus,
        /// Print the stored annotation as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the annotations of an article.
    List {
        /// Article id.
        id: i64,
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// Remove an annotation.
    Remove {
        /// Annotation id.
        annotation_id: i64,
    },
}

/// Subcommands of `suggestions`.
#[derive(Debug, Subcommand)]
pub enum SuggestionsCommand {
    /// Accept suggestions: these annotation ids, or all of an article and/or a label.
    Accept(ReviewArgs),
    /// Reject suggestions (kept as rejected: suggesting again will not bring them back).
    Reject(ReviewArgs),
}

/// Which suggestions `suggestions accept|reject` changes.
#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// Annotation ids.
    #[arg(conflicts_with_all = ["article", "label", "all"])]
    pub ids: Vec<i64>,
    /// Every suggestion of this article.
    #[arg(long, value_name = "ID")]
    pub article: Option<i64>,
    /// Only suggestions with this label.
    #[arg(long, value_name = "LABEL")]
    pub label: Option<String>,
    /// Every suggestion in the archive (with --label: every one of that label).
    #[arg(long)]
    pub all: bool,
}

/// Subcommands of `labels`.
#[derive(Debug, Subcommand)]
pub enum LabelsCommand {
    /// List labels.
    List,
    /// Add a label.
    Add {
        /// Name: letters or digits of any script, '_', '-' or '.', starting with a letter (at
        /// most 64); no spaces.
        name: String,
        /// Colour as #rrggbb.
        #[arg(long, default_value = "#8c8c8c")]
        color: String,
        /// What it is for.
        #[arg(long, default_value = "")]
        description: String,
        /// Key that applies it in the reader.
        #[arg(long, alias = "key")]
        shortcut: Option<char>,
    },
    /// Rename a label; every annotation with it is relabelled.
    Rename {
        /// The label's name now.
        old: String,
        /// Its new name: letters or digits of any script, '_', '-' or '.' (at most 64).
        new: String,
    },
    /// Remove a label; refused while annotations carry it, unless --with-annotations.
    Remove {
        /// Label.
        name: String,
        /// Remove the label's annotations too.
        #[arg(long)]
        with_annotations: bool,
    },
    /// Change a label's colour, key or description.
    Set {
        /// Label.
        name: String,
        /// Colour as #rrggbb.
        #[arg(long)]
        color: Option<String>,
        /// Key that applies it in the reader ("none" to remove it).
        #[arg(long, alias = "shortcut")]
        key: Option<String>,
        /// What it is for.
        #[arg(long)]
        description: Option<String>,
    },
}

/// Arguments of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Format: jsonl, csv, events-csv, conll, brat (a folder), doccano, label-studio,
    /// web-annotation (see docs/formats.md).
    #[arg(long, default_value = "jsonl")]
    pub format: ExportFormat,
    /// Output file, or folder for brat (default: standard output). The manifest is
    /// written beside it as FILE.manifest.json (inside the folder for brat).
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Only articles matching this query.
    #[arg(long, value_name = "QUERY")]
    pub query: Option<String>,
    /// Only annotations with this label (repeatable).
    #[arg(long = "label", value_name = "LABEL")]
    pub labels: Vec<String>,
    /// Only annotations with this status: accepted, suggested or rejected.
    #[arg(long)]
    pub status: Option<AnnotationStatus>,
    /// Only annotations by this annotator (repeatable).
    #[arg(long = "annotator", value_name = "NAME")]
    pub annotators: Vec<String>,
    /// Only articles published on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub from: Option<PartialDate>,
    /// Only articles published on or before this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub to: Option<PartialDate>,
    /// Also export suggested annotations (default: accepted only).
    #[arg(long)]
    pub include_suggestions: bool,
    /// Where to write the manifest when exporting to standard output.
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,
    /// csv and events-csv: write cells exactly as stored. By default a text cell starting
    /// with =, +, -, @, tab or CR gets a leading ' so spreadsheets do not run it as a
    /// formula (numbers such as -5 are left alone).
    #[arg(long)]
    pub csv_raw: bool,
}

/// Subcommands of `eval`.
#[derive(Debug, Subcommand)]
pub enum EvalCommand {
    /// Casualty suggestions against labelled articles: per-article killed and injured totals,
    /// exact-match accuracy and mean absolute error (X: `[{text, publish_date}]`,
    /// Y: `[{n_killed, n_injured, ...}]`).
    Casualties {
        /// Texts file (JSON array of `{text, publish_date}`).
        x: PathBuf,
        /// Labels file (JSON array of `{n_killed, n_injured, ...}`), same order.
        y: PathBuf,
        /// List every article whose totals are wrong.
        #[arg(long)]
        verbose: bool,
    },
    /// HTML article extraction against gold text: token precision, recall, F1
    /// (DIR holds html/*.html.gz and ground-truth.json).
    Extraction {
        /// Benchmark folder.
        dir: PathBuf,
        /// Print every page's scores.
        #[arg(long)]
        verbose: bool,
    },
    /// The date suggester against the DATE timexes of TimeML files: strict and relaxed span
    /// precision, recall, F1 and value accuracy (DIR holds *.tml, e.g. TimeBank).
    Timebank {
        /// Folder of .tml files.
        dir: PathBuf,
        /// Print every file's scores and mismatches.
        #[arg(long)]
        verbose: bool,
    },
}

/// Largest `--limit` or `--offset`: far above any archive, far below what would overflow
/// or allocate absurdly (results are also clamped to what exists).
pub const MAX_COUNT_ARG: usize = 1_000_000_000;

/// Parses a `--limit`/`--offset` count, refusing values past [`MAX_COUNT_ARG`] by name.
fn count_arg(text: &str) -> Result<usize, String> {
    let value: u128 = text
        .trim()
        .parse()
        .map_err(|_| format!("'{text}' is not a whole number of 0 or more"))?;
    usize::try_from(value)
        .ok()
        .filter(|&n| n <= MAX_COUNT_ARG)
        .ok_or_else(|| {
            format!("{text} is more than {MAX_COUNT_ARG}, the most this takes (to see everything, give {MAX_COUNT_ARG})")
        })
}

/// Runs the CLI and maps errors to exit codes.
pub fn run(cli: Cli) -> ExitCode {
    match dispatch(cli) {
        Ok(code) if ROWS_SKIPPED.load(std::sync::atomic::Ordering::Relaxed) => {
            ExitCode::from(code.max(EXIT_ERROR))
        }
        Ok(code) => ExitCode::from(code),
        // A reader that stops early (`annalist export | head`) is not an error.
        Err(e) if is_broken_pipe(&e) => ExitCode::from(EXIT_OK),
        Err(e) => {
            eprintln!(
                "error: {}",
                output::visible(&format!("{e:#}"), output::Layout::Block)
            );
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let io = cause.downcast_ref::<std::io::Error>().or_else(|| {
            match cause.downcast_ref::<crate::service::ArchiveError>() {
                Some(crate::service::ArchiveError::Export(io)) => Some(io),
                _ => None,
            }
        });
        io.is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn archive_dir(cli_dir: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    cli_dir
        .or_else(default_archive_dir)
        .context("no archive folder: pass --archive DIR or set ANNALIST_ARCHIVE")
}

/// An archive opened by a command. When the command is done with it, whatever went wrong
/// after the store had done its part (the search index could not follow) is printed as a
/// warning: the command's own output already said what was stored.
struct Opened(Archive);

impl std::ops::Deref for Opened {
    type Target = Archive;

    fn deref(&self) -> &Archive {
        &self.0
    }
}

impl std::ops::DerefMut for Opened {
    fn deref_mut(&mut self) -> &mut Archive {
        &mut self.0
    }
}

impl Drop for Opened {
    fn drop(&mut self) {
        let damaged = self.0.take_damaged_rows();
        for row in damaged.iter().take(MAX_DAMAGED_ROWS_SHOWN) {
            eprintln!(
                "warning: {row}; it was left out and the rest went on (`annalist check` lists every such row; correct it with sqlite3 or restore a backup)"
            );
        }
        if let Some(more) = damaged.len().checked_sub(MAX_DAMAGED_ROWS_SHOWN)
            && more > 0
        {
            eprintln!(
                "warning: and {} more that cannot be read (`annalist check` lists them all)",
                plural(more, "row", "rows")
            );
        }
        if !damaged.is_empty() {
            ROWS_SKIPPED.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        for warning in self.0.take_warnings() {
            eprintln!("warning: {warning}");
        }
    }
}

/// Rows that cannot be read named one by one on stderr; more are counted.
const MAX_DAMAGED_ROWS_SHOWN: usize = 20;

/// Set when a command skipped stored rows it could not read: its exit code is then 2, like
/// an import some files of which failed, though the rest of its output was written.
static ROWS_SKIPPED: AtomicBool = AtomicBool::new(false);

fn open(dir: Option<PathBuf>) -> anyhow::Result<Opened> {
    let dir = archive_dir(dir)?;
    let archive = Archive::open(&dir)
        .with_context(|| format!("cannot open the archive {}", dir.display()))?;
    for notice in archive.notices() {
        eprintln!("note: {}", output::line(notice));
    }
    Ok(Opened(archive))
}

/// Opens the archive to read: as its writer when it is free, else read-only beside the
/// process that writes it (searches then see what that process last indexed).
fn open_read(dir: Option<PathBuf>) -> anyhow::Result<Opened> {
    let dir = archive_dir(dir)?;
    match Archive::open(&dir) {
        Ok(archive) => {
            for notice in archive.notices() {
                eprintln!("note: {}", output::line(notice));
            }
            Ok(Opened(archive))
        }
        Err(e @ ArchiveError::LockRefused { .. }) => {
            eprintln!("note: reading the archive without taking its lock: {e}");
            Archive::open_reader(&dir)
                .map(Opened)
                .with_context(|| format!("cannot open the archive {}", dir.display()))
        }
        Err(ArchiveError::InUse { pid, .. }) => {
            eprintln!(
                "note: the archive is open in process {pid}; reading it read-only (the search index shows what that process has indexed)"
            );
            let archive = Archive::open_reader(&dir)
                .with_context(|| format!("cannot open the archive {}", dir.display()))?;
            for notice in archive.notices() {
                eprintln!("note: {notice}");
            }
            Ok(Opened(archive))
        }
        Err(e) => Err(e).with_context(|| format!("cannot open the archive {}", dir.display())),
    }
}

fn dispatch(cli: Cli) -> anyhow::Result<u8> {
    let Some(command) = cli.command else {
        bail!("no command given: run `annalist --help` to list them");
    };
    match command {
        Command::Import(args) => import(cli.archive, args),
        Command::Search(args) => search(cli.archive, &args),
        Command::Show { id, json } => {
            let archive = open_read(cli.archive)?;
            let article = archive.article(ArticleId(id))?;
            let annotations = archive.annotations(article.id)?;
            let mut out = stdout();
            if json {
                output::json_line(
                    &mut out,
                    &crate::export::NativeRecord::new(&article, &annotations),
                )?;
            } else {
                output::article(&mut out, &article, &annotations)?;
            }
            out.flush()?;
            Ok(EXIT_OK)
        }
        Command::List {
            limit,
            offset,
            json,
        } => {
            let archive = open_read(cli.archive)?;
            let mut out = stdout();
            for row in archive.list(limit, offset)? {
                if json {
                    output::json_line(
                        &mut out,
                        &serde_json::json!({
                            "id": row.id,
                            "title": row.title,
                            "published": row.published,
                            "source": row.source,
                            "annotations": row.annotation_count,
                        }),
                    )?;
                } else {
                    writeln!(
                        out,
                        "{:>7}  {:<10}  {:<18}  {}  [{}]",
                        row.id,
                        row.published.map(|d| d.to_string()).unwrap_or_default(),
                        output::truncate(&output::line(row.source.as_deref().unwrap_or("")), 18),
                        output::line(&row.title),
                        row.annotation_count
                    )?;
                }
            }
            out.flush()?;
            Ok(EXIT_OK)
        }
        Command::Stats { json } => {
            let archive = open_read(cli.archive)?;
            let stats = archive.stats()?;
            let mut out = stdout();
            if json {
                output::json_line(&mut out, &stats)?;
            } else {
                output::stats(&mut out, &stats)?;
            }
            out.flush()?;
            Ok(EXIT_OK)
        }
        Command::Reindex => {
            let mut archive = open(cli.archive)?;
            let bar = progress_bar("reindex");
            let done = archive.reindex(&mut |done, total| {
                bar.set_length(total);
                bar.set_position(done);
                true
            })?;
            bar.finish_and_clear();
            println!("indexed {}", plural(done, "article", "articles"));
            Ok(EXIT_OK)
        }
        Command::Annotate(command) => annotate(cli.archive, command),
        Command::Labels(command) => labels(cli.archive, command),
        Command::Export(args) => export(cli.archive, args),
        Command::Suggest {
            ids,
            all,
            learn,
            json,
        } => match learn {
            Some(text) => learn_everywhere(cli.archive, &text, json),
            None => suggest(cli.archive, &ids, all, json),
        },
        Command::Suggestions(command) => suggestions(cli.archive, command),
        Command::Check { repair, json } => check(cli.archive, repair, json),
        Command::Backup { dest } => {
            let archive = open_read(cli.archive)?;
            let bar = progress_bar("backup");
            let report = archive.backup(&dest, &mut |done, total| {
                bar.set_length(total);
                bar.set_position(done);
            })?;
            bar.finish_and_clear();
            println!(
                "backed up {} and {} ({:.1} MB) to {}",
                plural(report.articles, "article", "articles"),
                plural(report.annotations, "annotation", "annotations"),
                report.bytes as f64 / 1e6,
                dest.display()
            );
            Ok(EXIT_OK)
        }
        Command::Demo { dir } => demo(dir),
        Command::Eval(EvalCommand::Casualties { x, y, verbose }) => {
            let report = crate::eval::casualties::casualty_benchmark(&x, &y, verbose)
                .with_context(|| format!("casualty evaluation failed: {}", x.display()))?;
            let mut out = stdout();
            write!(out, "{report}")?;
            out.flush()?;
            Ok(EXIT_OK)
        }
        Command::Eval(EvalCommand::Extraction { dir, verbose }) => {
            let report = crate::eval::extraction::extraction_benchmark(&dir)
                .with_context(|| format!("extraction benchmark failed: {}", dir.display()))?;
            let mut out = stdout();
            output::extraction_report(&mut out, &report, verbose)?;
            out.flush()?;
            Ok(EXIT_OK)
        }
        Command::Eval(EvalCommand::Timebank { dir, verbose }) => {
            let report = crate::eval::timebank::timebank_benchmark(&dir, verbose)
                .context("TimeBank benchmark failed")?;
            let mut out = stdout();
            write!(out, "{report}")?;
            out.flush()?;
            Ok(EXIT_OK)
        }
    }
}

fn demo(dir: Option<PathBuf>) -> anyhow::Result<u8> {
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

fn stdout() -> BufWriter<std::io::StdoutLock<'static>> {
    BufWriter::new(std::io::stdout().lock())
}

fn progress_bar(what: &str) -> ProgressBar {
    let bar = ProgressBar::new(0);
    let style = ProgressStyle::with_template(
        "{prefix} [{elapsed_precise}] {wide_bar} {pos}/{len} ({per_sec}, eta {eta}) {msg}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_prefix(what.to_owned());
    bar
}

fn import(dir: Option<PathBuf>, args: ImportArgs) -> anyhow::Result<u8> {
    let mut archive = open(dir)?;
    let options = ImportOptions {
        published: args.published,
        source: args.source,
        format: args.format,
        max_file_bytes: Some(args.max_file_mb.saturating_mul(1024 * 1024)),
    };
    // By bytes: one dump of gigabytes moves the bar as it streams, not only at its end.
    let bar = progress_bar("import");
    bar.set_style(
        ProgressStyle::with_template(
            "{prefix} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, eta {eta}) {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let cancel = AtomicBool::new(false);
    let report = archive.import(
        &args.paths,
        &options,
        &mut |p| {
            bar.set_length(p.bytes_total);
            bar.set_position(p.bytes_done);
            bar.set_message(format!(
                "file {}/{}, {} new, {} duplicate",
                p.files_done, p.files_total, p.imported, p.duplicates
            ));
        },
        &cancel,
    )?;
    bar.finish_and_clear();
    let mut out = stdout();
    if args.json {
        output::json_line(&mut out, &report)?;
    } else {
        for failure in &report.failed_files {
            eprintln!("failed: {}", output::line(&failure.to_string()));
        }
        const SHOWN: usize = 100;
        for warning in report.warnings.iter().take(SHOWN) {
            eprintln!("warning: {}", output::line(&warning.to_string()));
        }
        if report.warning_count() > SHOWN {
            let more = report.warning_count() - SHOWN;
            if report.warnings_not_listed == 0 {
                eprintln!("warning: ... and {more} more (use --json to see all)");
            } else {
                eprintln!(
                    "warning: ... and {more} more (--json lists the first {})",
                    report.warnings.len()
                );
            }
        }
        writeln!(
            out,
            "{}: {} imported, {}, {} failed, {}, {}",
            plural(report.files, "file", "files"),
            report.imported,
            plural(report.duplicates, "duplicate", "duplicates"),
            report.failed_files.len(),
            plural(report.annotations, "annotation", "annotations"),
            plural(report.warning_count(), "warning", "warnings")
        )?;
    }
    out.flush()?;
    Ok(if report.failed_files.is_empty() {
        EXIT_OK
    } else {
        EXIT_ERROR
    })
}

fn search(dir: Option<PathBuf>, args: &SearchArgs) -> anyhow::Result<u8> {
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

/// Parses `key=value` with typed JSON scalars.
fn parse_attrs(pairs: &[String]) -> anyhow::Result<AnnotationAttrs> {
    let mut attrs = AnnotationAttrs::new();
    for pair in pairs {
        let Some((key, value)) = pair.split_once('=') else {
            bail!("attribute '{pair}' is not of the form key=value");
        };
        let key = key.trim();
        if key.is_empty() {
            bail!("attribute '{pair}' has an empty key");
        }
        let typed = match serde_json::from_str::<serde_json::Value>(value) {
            Ok(
                v @ (serde_json::Value::Number(_)
                | serde_json::Value::Bool(_)
                | serde_json::Value::Null),
            ) => v,
            _ => serde_json::Value::String(value.to_owned()),
        };
        attrs.insert(key.to_owned(), typed);
    }
    Ok(attrs)
}

fn annotate(dir: Option<PathBuf>, command: AnnotateCommand) -> anyhow::Result<u8> {
    let mut archive = if matches!(command, AnnotateCommand::List { .. }) {
        open_read(dir)?
    } else {
        open(dir)?
    };
    let mut out = stdout();
    match command {
        AnnotateCommand::Add {
            id,
            label,
            start,
            end,
            attrs,
            expect,
            annotator,
            status,
            json,
        } => {
            let annotator = annotator
                .or_else(|| std::env::var("USER").ok())
                .unwrap_or_else(|| "annalist-cli".to_owned());
            let mut annotation =
                manual_annotation(&label, start, end, parse_attrs(&attrs)?, &annotator);
            annotation.status = status;
            annotation.expected_text = expect;
            // Over a suggestion of the same span this reviews it instead of adding a twin.
            let (stored, edit) = archive.annotate(ArticleId(id), annotation)?;
            let added = match &edit {
                Edit::Batch(edits) => matches!(edits.first(), Some(Edit::AddAnnotation(_))),
                edit => matches!(edit, Edit::AddAnnotation(_)),
            };
            let verb = if added {
                "added annotation"
            } else {
                "reviewed the suggestion"
            };
            archive.sync_index()?;
            // Learning: the same text elsewhere in the archive is suggested with this label.
            if stored.status == AnnotationStatus::Accepted {
                let learned = archive.learn_from(&stored.text, LearnScope::Bounded)?;
                if !learned.created.is_empty() {
                    eprintln!(
                        "suggested {} for {} other occurrences of {}",
                        output::line(&stored.label),
                        learned.created.len(),
                        output::line(&format!("{:?}", stored.text))
                    );
                }
                if let Some(held_back) = learned.held_back {
                    eprintln!("note: {}", output::line(&held_back_advice(&held_back)));
                }
            }
            if json {
                output::json_line(&mut out, &output::annotation_json(&stored))?;
            } else {
                writeln!(
                    out,
                    "{verb} {} in article {}: {} [{}, {}) {}, {}",
                    stored.id,
                    id,
                    output::line(&stored.label),
                    stored.start,
                    stored.end,
                    output::line(&format!("{:?}", stored.text)),
                    stored.status
                )?;
            }
        }
        AnnotateCommand::List { id, json } => {
            for annotation in archive.annotations(ArticleId(id))? {
                if json {
                    output::json_line(&mut out, &output::annotation_json(&annotation))?;
                } else {
                    output::annotation_line(&mut out, &annotation)?;
                }
            }
        }
        AnnotateCommand::Remove { annotation_id } => {
            let removal = archive.remove_annotation(AnnotationId(annotation_id))?;
            archive.sync_index()?;
            let removed = &removal.annotation;
            writeln!(
                out,
                "removed annotation {} ({} {}) from article {}",
                removed.id,
                output::line(&removed.label),
                output::line(&format!("{:?}", removed.text)),
                removed.article_id
            )?;
            if !removal.withdrawn.is_empty() {
                writeln!(
                    out,
                    "withdrew the {} it taught (not reviewed yet)",
                    plural(removal.withdrawn.len(), "suggestion", "suggestions")
                )?;
            }
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}

/// A label key as typed: one character, or "none" (or nothing) for no key.
fn parse_label_key(text: &str) -> anyhow::Result<Option<char>> {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (None, _) => Ok(None),
        _ if text.eq_ignore_ascii_case("none") => Ok(None),
        (Some(key), None) => Ok(Some(key)),
        _ => anyhow::bail!("a label key is one character (or \"none\"), not {text:?}"),
    }
}

fn labels(dir: Option<PathBuf>, command: LabelsCommand) -> anyhow::Result<u8> {
    let mut archive = if matches!(command, LabelsCommand::List) {
        open_read(dir)?
    } else {
        open(dir)?
    };
    match command {
        LabelsCommand::List => {}
        LabelsCommand::Add {
            name,
            color,
            description,
            shortcut,
        } => {
            archive.add_label(&LabelDef {
                name,
                description,
                color,
                shortcut,
            })?;
        }
        LabelsCommand::Rename { old, new } => {
            let usage = archive.label_usage(&old)?;
            archive.rename_label(&old, &new)?;
            eprintln!(
                "renamed {old} to {new}: {} relabelled",
                plural(
                    usage.annotations + usage.rejected,
                    "annotation",
                    "annotations"
                )
            );
        }
        LabelsCommand::Remove {
            name,
            with_annotations,
        } => {
            let usage = archive.label_usage(&name)?;
            archive.remove_label(&name, with_annotations)?;
            eprintln!("removed {name} with {}", usage.describe());
        }
        LabelsCommand::Set {
            name,
            color,
            key,
            description,
        } => {
            let mut label = archive
                .labels()?
                .find(&name)
                .cloned()
                .with_context(|| format!("there is no label '{name}'"))?;
            if let Some(color) = color {
                label.color = color;
            }
            if let Some(description) = description {
                label.description = description;
            }
            if let Some(key) = key {
                label.shortcut = parse_label_key(&key)?;
            }
            archive.update_label(&label)?;
        }
    }
    let mut out = stdout();
    for label in archive.labels()?.labels {
        writeln!(
            out,
            "{:<12} {}  {}  {}",
            output::line(&label.name),
            output::line(&label.color),
            label
                .shortcut
                .map(|key| output::line(&String::from(key)).into_owned())
                .unwrap_or_else(|| "-".to_owned()),
            output::line(&label.description)
        )?;
    }
    out.flush()?;
    Ok(EXIT_OK)
}

/// A held-back learning, with what to do about it.
fn held_back_advice(held_back: &HeldBack) -> String {
    match held_back {
        HeldBack::TooCommon { text, .. } => format!(
            "{held_back}; to suggest it in all of them: annalist suggest --learn {}",
            shell_quote(text)
        ),
        HeldBack::Unlearnable { .. } => held_back.to_string(),
    }
}

/// `text` quoted for a POSIX shell.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// `annalist suggest --learn TEXT`: the user confirms suggesting an accepted text everywhere.
fn learn_everywhere(dir: Option<PathBuf>, text: &str, json: bool) -> anyhow::Result<u8> {
    let mut archive = open(dir)?;
    let learned = archive.learn_from(text, LearnScope::Everywhere)?;
    let mut out = stdout();
    if json {
        let held_back = learned.held_back.as_ref().map(ToString::to_string);
        output::json_line(
            &mut out,
            &serde_json::json!({"learned": learned.created.len(), "held_back": held_back}),
        )?;
    } else if let Some(held_back) = &learned.held_back {
        writeln!(out, "{}", output::line(&held_back.to_string()))?;
    } else if learned.created.is_empty() {
        writeln!(
            out,
            "nothing to suggest: {} is not accepted with one label, or every other occurrence is already decided",
            output::line(&format!("{text:?}"))
        )?;
    } else {
        writeln!(
            out,
            "suggested {} in {}",
            output::line(&format!("{text:?}")),
            plural(learned.created.len(), "more place", "more places")
        )?;
    }
    out.flush()?;
    Ok(EXIT_OK)
}

fn suggest(dir: Option<PathBuf>, ids: &[i64], all: bool, json: bool) -> anyhow::Result<u8> {
    let mut archive = open(dir)?;
    let ids: Vec<ArticleId> = ids.iter().copied().map(ArticleId).collect();
    for &id in &ids {
        archive.article(id)?;
    }
    let bar = progress_bar("suggest");
    let report = archive.suggest((!all).then_some(ids.as_slice()), &mut |done, total| {
        bar.set_length(total);
        bar.set_position(done);
        true
    })?;
    bar.finish_and_clear();
    let mut out = stdout();
    if json {
        output::json_line(&mut out, &serde_json::to_value(report)?)?;
    } else {
        writeln!(
            out,
            "{}: {} from rules, {} learned from accepted spans, {} left out (already decided)",
            plural(report.articles, "article", "articles"),
            plural(report.suggested, "suggestion", "suggestions"),
            report.learned,
            report.already_decided
        )?;
        if report.too_common > 0 {
            writeln!(
                out,
                "held back {} that each occur in more than {CONFIRM_ABOVE_ARTICLES} articles; suggest one everywhere with: annalist suggest --learn TEXT",
                plural(report.too_common, "accepted text", "accepted texts")
            )?;
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}

fn suggestions(dir: Option<PathBuf>, command: SuggestionsCommand) -> anyhow::Result<u8> {
    let (args, status) = match command {
        SuggestionsCommand::Accept(args) => (args, AnnotationStatus::Accepted),
        SuggestionsCommand::Reject(args) => (args, AnnotationStatus::Rejected),
    };
    if args.ids.is_empty() && args.article.is_none() && args.label.is_none() && !args.all {
        bail!("say which suggestions: annotation ids, --article ID, --label LABEL or --all");
    }
    let mut archive = open(dir)?;
    let scope = ReviewScope {
        ids: (!args.ids.is_empty()).then(|| args.ids.iter().copied().map(AnnotationId).collect()),
        article: args.article.map(ArticleId),
        label: args.label,
    };
    let edit = archive.review_suggestions(&scope, status)?;
    archive.sync_index()?;
    let changed = match &edit {
        Edit::Batch(edits) => edits.len(),
        _ => 1,
    };
    let mut learned = 0;
    let mut held_back = Vec::new();
    if status == AnnotationStatus::Accepted
        && let Edit::Batch(edits) = &edit
    {
        let mut texts: Vec<&str> = edits
            .iter()
            .filter_map(|e| match e {
                Edit::UpdateAnnotation { after, .. } => Some(after.text.as_str()),
                _ => None,
            })
            .collect();
        texts.sort_unstable();
        texts.dedup();
        for text in texts {
            let outcome = archive.learn_from(text, LearnScope::Bounded)?;
            learned += outcome.created.len();
            held_back.extend(outcome.held_back);
        }
    }
    println!("{status} {}", plural(changed, "suggestion", "suggestions"));
    if learned > 0 {
        println!("suggested {learned} more occurrences of the accepted texts");
    }
    for held_back in held_back
        .iter()
        .filter(|h| matches!(h, HeldBack::TooCommon { .. }))
    {
        eprintln!("note: {}", output::line(&held_back_advice(held_back)));
    }
    Ok(EXIT_OK)
}

fn check(dir: Option<PathBuf>, repair: bool, json: bool) -> anyhow::Result<u8> {
    let mut archive = if repair { open(dir)? } else { open_read(dir)? };
    let report = archive.check(repair)?;
    let mut out = stdout();
    if json {
        output::json_line(&mut out, &serde_json::to_value(&report)?)?;
    } else {
        writeln!(
            out,
            "{}, {}, {} indexed, {} waiting for the index",
            plural(report.articles, "article", "articles"),
            plural(report.annotations, "annotation", "annotations"),
            report.indexed,
            report.pending_index
        )?;
        for line in &report.repaired {
            writeln!(out, "repaired: {}", output::line(line))?;
        }
        for line in &report.unrepaired {
            writeln!(out, "problem: {}", output::line(line))?;
        }
        if report.is_sound() {
            writeln!(out, "ok")?;
        }
    }
    out.flush()?;
    Ok(if report.is_sound() {
        EXIT_OK
    } else {
        EXIT_ERROR
    })
}

fn export(dir: Option<PathBuf>, args: ExportArgs) -> anyhow::Result<u8> {
    let mut archive = open_read(dir)?;
    let options = ExportOptions {
        query: args.query,
        include_suggestions: args.include_suggestions,
        ids: None,
        labels: args.labels,
        status: args.status,
        annotators: args.annotators,
        published_from: args.from,
        published_to: args.to,
        csv_cells: if args.csv_raw {
            CsvCells::Raw
        } else {
            CsvCells::Neutralised
        },
    };
    let bar = progress_bar("export");
    let mut progress = |done, total| {
        bar.set_length(total);
        bar.set_position(done);
        true
    };
    let summary = match &args.out {
        Some(path) => archive.export_to_path(args.format, path, &options, &mut progress)?,
        None => {
            anyhow::ensure!(
                !args.format.writes_folder(),
                "the {} export is a folder: give it with --out DIR",
                args.format
            );
            let out = Box::new(std::io::stdout());
            match &args.manifest {
                Some(path) => archive.export_with_manifest_file(
                    args.format,
                    out,
                    path,
                    &options,
                    &mut progress,
                )?,
                None => archive.export_to(
                    args.format,
                    Destination::Stream(out),
                    Box::new(std::io::sink()),
                    &options,
                    &mut progress,
                )?,
            }
        }
    };
    bar.finish_and_clear();
    if let Some(path) = &args.out {
        eprintln!(
            "exported {} as {} to {}",
            summary.describe(args.format),
            args.format,
            path.display()
        );
    }
    Ok(EXIT_OK)
}
