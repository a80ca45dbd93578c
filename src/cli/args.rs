//! The command line's flags: clap types for every subcommand and the parsers of their values.
//!
//! Owns: what can be typed after `annalist` and how it reads. Must not run anything: the
//! commands are in `commands/`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::export::ExportFormat;
use crate::import::Format;
use crate::model::{AnnotationStatus, Coder, PartialDate};

/// Annalist: import, search, annotate and export conflict news, offline. Without a
/// command, opens the desktop app.
#[derive(Debug, Parser)]
#[command(name = "annalist", version = version_text(), about, long_about = None)]
pub struct Cli {
    /// Archive folder (created on first use). Default: $ANNALIST_ARCHIVE, else the
    /// platform data directory.
    #[arg(long, global = true, env = "ANNALIST_ARCHIVE", value_name = "DIR")]
    pub archive: Option<PathBuf>,

    /// Who is coding: the coder whose layer and queue a command works in. Default:
    /// $ANNALIST_CODER; nobody (the layer of an archive without coders) when neither is set.
    #[arg(long, global = true, value_name = "NAME")]
    pub coder: Option<String>,

    /// Show only the coder's own layer (blind coding; the default once some article is
    /// double-coded).
    #[arg(long, global = true, conflicts_with = "all_layers")]
    pub blind: bool,

    /// Show every coder's accepted spans (a reviewer), even when the corpus is double-coded.
    #[arg(long, global = true)]
    pub all_layers: bool,

    /// Learn from what every coder accepted, not only from the coder's own acceptances.
    #[arg(long, global = true)]
    pub learn_from_everyone: bool,

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
    /// Change an article's metadata (an empty value clears a field). On a team replica
    /// the edit is sent with the version it was based on: when someone changed the field
    /// on the server meanwhile, the server keeps its value and this says so.
    Edit {
        /// Article id.
        id: i64,
        /// New headline.
        #[arg(long)]
        title: Option<String>,
        /// New publication date (YYYY, YYYY-MM or YYYY-MM-DD).
        #[arg(long)]
        published: Option<String>,
        /// New online address.
        #[arg(long)]
        url: Option<String>,
        /// New outlet.
        #[arg(long)]
        source: Option<String>,
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
    /// Events across articles, in the coder's layer: suggest (group claims), list, accept,
    /// merge, split, detach, set a field by hand (docs/events.md).
    #[command(subcommand)]
    Events(super::commands::events::EventsCommand),
    /// Measure quality against gold data.
    #[command(subcommand)]
    Eval(EvalCommand),
    /// The entity tagger's model: train it (on CoNLL files into a file), show what it was
    /// trained on (docs/tagger.md).
    #[command(subcommand)]
    Model(super::commands::model::ModelCommand),
    /// Spread the articles that have no coder yet over coders, a share of them given to
    /// two (double-coded, for agreement); reports the seed that reproduces the draw.
    Assign(AssignArgs),
    /// A coder's articles (--coder, or $ANNALIST_CODER): to do first, then done.
    Queue {
        /// Every coder's counts instead of one coder's articles.
        #[arg(long)]
        all: bool,
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// Mark an article done in your queue (--coder, or $ANNALIST_CODER).
    Done {
        /// Article id.
        id: i64,
        /// Put it back among the articles to do.
        #[arg(long)]
        undo: bool,
    },
    /// Agreement between coders on the articles two or more of them coded: span F1, κ
    /// over tokens, unitizing α_u, α of the values (docs/agreement.md).
    Agree(AgreeArgs),
    /// Carry a coder's layer between laptops: export it to one file, import (merge) such
    /// files into any archive holding the same texts (docs/coders.md, "Bundles").
    #[command(subcommand)]
    Bundle(BundleCommand),
    /// Adjudicate a double-coded article as the coder named (--coder): list its units
    /// (agreements and disagreements between the coders), or resolve one into the
    /// adjudicated layer (docs/coders.md).
    Adjudicate(AdjudicateArgs),
    /// The team archive on PostgreSQL: create its schema, add members, push a local
    /// archive up, show its state (docs/team.md).
    #[command(subcommand)]
    Team(TeamCommand),
    /// Create (once) and show the demo archive of articles shipped with Annalist. It lives
    /// in its own folder, never in your archive; `--archive` chooses another folder.
    Demo {
        /// Folder for the demo archive (default: the platform data directory's `demo`).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Shell completions and the man page, made from these definitions (for packagers).
    #[command(subcommand, hide = true)]
    Generate(GenerateCommand),
}

/// What `annalist --version` prints after the name: the crate version and the version of
/// the archive schema this build reads and writes, so a bug report names both.
pub(super) fn version_text() -> &'static str {
    static TEXT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "{} (archive schema {})",
            env!("CARGO_PKG_VERSION"),
            crate::service::SCHEMA_VERSION
        )
    });
    TEXT.as_str()
}

/// Subcommands of the hidden `generate`: files a package installs beside the binary.
#[derive(Debug, Subcommand)]
pub enum GenerateCommand {
    /// Print the completion script for SHELL to standard output.
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// Write the man pages (annalist.1 and one per subcommand) into DIR (created).
    Man {
        /// Folder for the pages.
        dir: PathBuf,
    },
}

/// Arguments of `assign`.
#[derive(Debug, Args)]
pub struct AssignArgs {
    /// The coders, comma-separated (`ana,ben,chen`); any script, no commas in a name.
    #[arg(long, value_name = "A,B,...", required = true, value_delimiter = ',', value_parser = coder_arg)]
    pub coders: Vec<Coder>,
    /// Share of the articles given to two coders, from 0 to 1 (0.2: a fifth).
    #[arg(long, default_value_t = 0.0, value_parser = share_arg)]
    pub overlap: f64,
    /// Seed of the random draw (default: drawn now, and reported).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Only articles matching this query (search syntax).
    #[arg(long, value_name = "QUERY")]
    pub query: Option<String>,
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

/// Arguments of `agree`.
#[derive(Debug, Args)]
pub struct AgreeArgs {
    /// Only these coders, comma-separated (default: every coder with accepted annotations).
    #[arg(long, value_name = "A,B", value_delimiter = ',')]
    pub coders: Vec<String>,
    /// Only spans of this label.
    #[arg(long, value_name = "LABEL")]
    pub label: Option<String>,
    /// Only articles matching this query (syntax: docs/search.md).
    #[arg(long, value_name = "QUERY")]
    pub query: Option<String>,
    /// Print the whole report as one JSON object.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print one CSV row per figure (with the articles, units and coders it rests on).
    #[arg(long)]
    pub csv: bool,
}

/// Arguments of `adjudicate`.
#[derive(Debug, Args)]
pub struct AdjudicateArgs {
    /// Article id.
    pub id: i64,
    /// The coders compared, comma-separated (default: every coder with accepted spans in the
    /// article or assigned to it).
    #[arg(long, value_name = "A,B", value_delimiter = ',', global = true)]
    pub coders: Vec<String>,
    /// Print the units as one JSON object per line.
    #[arg(long, global = true)]
    pub json: bool,
    /// What to do with a unit; without one, the units are listed.
    #[command(subcommand)]
    pub action: Option<AdjudicateAction>,
}

/// What `adjudicate` does with a unit (named by its number in the list, or its key).
#[derive(Debug, Subcommand)]
pub enum AdjudicateAction {
    /// Take one coder's spans of the unit.
    Take {
        /// The unit: its number (`3`) or key (`12,15`).
        unit: String,
        /// The coder whose spans are taken.
        #[arg(value_name = "CODER")]
        whose: String,
    },
    /// Take every coder's spans of the unit (spans that are the same, once).
    #[command(alias = "all")]
    Both {
        /// The unit: its number or key.
        unit: String,
    },
    /// Resolve the unit with nothing taken.
    Reject {
        /// The unit: its number or key.
        unit: String,
    },
    /// Take every open agreement at once.
    Agreements,
    /// Change an annotation of the adjudicated layer (it is marked edited).
    Edit {
        /// The adjudicated annotation's id.
        annotation: i64,
        /// Another label.
        #[arg(long)]
        label: Option<String>,
        /// Another first code point (with --end).
        #[arg(long, requires = "end")]
        start: Option<usize>,
        /// Another end, one past the last code point (with --start).
        #[arg(long, requires = "start")]
        end: Option<usize>,
        /// The attributes instead of the ones it has (repeat; `key=value`).
        #[arg(long = "attr", value_name = "KEY=VALUE")]
        attrs: Vec<String>,
    },
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
    /// Which coder layer: `all` (every layer, with the coder in a column: the default),
    /// a coder's name (or `coder:NAME`), `adjudicated`, or `unnamed` (the layer of no coder).
    #[arg(long, value_name = "LAYER", default_value = "all", value_parser = layer_arg)]
    pub layer: LayerArg,
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
    /// The place suggester against UCDP GED events (FILE: a GED CSV): each headline with
    /// where_prec <= 3 suggested, the best-ranked place's distance from UCDP's point.
    Geocode {
        /// UCDP GED CSV file.
        file: PathBuf,
        /// List every event whose place is missing or more than 50 km off.
        #[arg(long)]
        verbose: bool,
    },
    /// The entity tagger against a CoNLL column file (token first, tag last; IOB1 or IOB2):
    /// exact-span precision, recall and F1 per label and micro, as conlleval counts them.
    Ner {
        /// Test file (CoNLL columns).
        file: PathBuf,
        /// Train a model on this CoNLL file first (default: the bundled model).
        #[arg(long, value_name = "FILE")]
        train: Option<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// Write `token gold predicted` lines here (for conlleval or seqeval).
        #[arg(long, value_name = "OUT")]
        predictions: Option<PathBuf>,
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

/// Reads one coder's name.
fn coder_arg(name: &str) -> Result<Coder, String> {
    Coder::new(name)
}

/// Reads a share from 0 to 1.
fn share_arg(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(share) if (0.0..=1.0).contains(&share) => Ok(share),
        _ => Err(format!(
            "'{text}' is not a share from 0 to 1 (0.2 double-codes a fifth of the articles)"
        )),
    }
}

/// `--layer`: every layer, or one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LayerArg {
    /// Every layer.
    All,
    /// One layer, by the name stored in annotations (`""`: no coder's).
    One(String),
}

/// Reads `all`, `adjudicated`, `unnamed`, `coder:NAME` or a coder's name.
fn layer_arg(text: &str) -> Result<LayerArg, String> {
    match text.trim() {
        "all" => Ok(LayerArg::All),
        "adjudicated" => Ok(LayerArg::One(crate::model::ADJUDICATED.to_owned())),
        "unnamed" => Ok(LayerArg::One(String::new())),
        name => {
            let name = name.strip_prefix("coder:").unwrap_or(name);
            Coder::new(name).map(|c| LayerArg::One(c.to_string()))
        }
    }
}

/// Subcommands of `bundle`.
#[derive(Debug, Subcommand)]
pub enum BundleCommand {
    /// Write the coder's layer (--coder, or $ANNALIST_CODER) to one file: annotations of
    /// every status by global id, deletions, and each article's content hash.
    Export {
        /// The bundle file to write (replaced atomically when complete).
        out: PathBuf,
        /// Carry each article's text and details too, so an archive without the article
        /// can add it.
        #[arg(long)]
        with_texts: bool,
    },
    /// Merge bundles into the archive; the same bundles in any order give the same archive.
    Import {
        /// Bundle files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

/// Subcommands of `team`. The server is named by `--url` or $ANNALIST_TEAM_URL: a
/// `postgres://` URL or libpq `key=value` string; what it leaves out comes from the `PG*`
/// variables, the password from `PGPASSWORD` or `~/.pgpass` (never from a settings file).
#[derive(Debug, Subcommand)]
pub enum TeamCommand {
    /// Create the team schema, its roles and row-level security policies (running it again
    /// on an up-to-date server changes nothing; a newer schema is refused).
    Init {
        /// The team server.
        url: String,
    },
    /// Add a member (or change their role and password): a PostgreSQL login role in the
    /// team role's group. The new password is read from $ANNALIST_MEMBER_PASSWORD, else as
    /// a line from standard input.
    AddCoder {
        /// The member's login, which is also their coder name.
        name: String,
        /// What the member may write.
        #[arg(long, value_parser = ["coder", "adjudicator", "admin"], default_value = "coder")]
        role: String,
        /// The team server.
        #[arg(long, env = "ANNALIST_TEAM_URL")]
        url: String,
    },
    /// Upload the archive's labels, articles and every layer's annotations (idempotent:
    /// what the server has is skipped, so an interrupted push is simply run again).
    Push {
        /// The team server.
        #[arg(long, env = "ANNALIST_TEAM_URL")]
        url: String,
    },
    /// Make the archive (--archive DIR, a new folder) the local replica of the team archive
    /// and copy it, with a progress bar; run again, it catches up only what changed.
    Join {
        /// The team server.
        url: String,
    },
    /// The team archive's schema version, counts, change log head and members; on a
    /// replica also its edits waiting to be sent ("offline, N edits waiting") and those
    /// the server refused.
    Status {
        /// The team server (default: the one this replica copies).
        #[arg(long, env = "ANNALIST_TEAM_URL")]
        url: Option<String>,
        /// One JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Send this replica's waiting edits to its server, in order (every edit command
    /// also sends right after it when the server can be reached).
    Send,
    /// Send this replica's waiting edits, then catch it up with the server's changes;
    /// with --follow, keep doing so whenever the server announces a change (LISTEN), and
    /// at least every --interval-ms, until stopped.
    Sync {
        /// Keep following the server until stopped.
        #[arg(long)]
        follow: bool,
        /// The slow fallback timer of --follow, in milliseconds.
        #[arg(long, default_value_t = 5000)]
        interval_ms: u64,
    },
}
