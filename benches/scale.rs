//! Scale benchmark (issue #6): Annalist against SQLite FTS5 and ripgrep on one synthetic
//! corpus of N articles built from real BBC sentences.
//!
//! Run it through `scripts/bench-scale.sh N`, which builds the release binary and calls:
//!
//! - `cargo bench --bench scale -- gen N DIR`: writes the corpus, one `.txt` per article
//!   (`DIR/txt/YEAR/BLOCK/NNNNNNN.txt`, headline on the first line) and the same texts as
//!   `DIR/fts.csv` (title, body, year) for FTS5;
//! - `cargo bench --bench scale -- run DIR ANNALIST RUNS`: times, as whole processes, the
//!   Annalist import (one `annalist import --published YEAR` per year folder), the FTS5 build
//!   (`sqlite3` CLI, `.import` into an fts5 table) and every query through `annalist search`,
//!   `sqlite3` (bm25 order + snippet, LIMIT 20) and `rg -l`; then, in this process, reopen
//!   time, search p50/p99 by query class, facet counts, JSONL export and annotation edits.
//!   Prints one Markdown table with the ratios against the targets.
//!
//! Also `inproc DIR RUNS` (the in-process figures alone on `DIR/archive`) and `merge DIR`
//! (merges the archive's tantivy segments into one, an experiment for `docs/benchmarks.md`).

#![expect(
    clippy::too_many_lines,
    reason = "two benchmark scripts that time and print whole runs; not shipped code"
)]

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use annalist::export::ExportFormat;
use annalist::model::{ArticleId, CharSpan, NewAnnotation};
use annalist::service::{Archive, ExportOptions, manual_annotation};

#[expect(
    dead_code,
    reason = "the scale bench uses the sentence source and the generator, not the archive builder"
)]
mod common;
use common::{Lcg, sentences};
mod disk;
use disk::dir_bytes;

/// Years the articles are spread over (one folder each).
const FIRST_YEAR: usize = 2000;
const YEARS: usize = 25;
/// In-process search rounds per query class.
const SEARCH_ROUNDS: usize = 100;
/// Annotation edits timed.
const EDITS: usize = 1000;

/// One query in the three dialects. `fts_where` is appended to the FTS5 `WHERE` clause;
/// `rg` is `None` where grep cannot express it.
struct Query {
    class: &'static str,
    annalist: &'static str,
    fts: &'static str,
    fts_where: &'static str,
    rg: Option<&'static [&'static str]>,
    rg_years: Option<(usize, usize)>,
}

const fn q(
    class: &'static str,
    annalist: &'static str,
    fts: &'static str,
    fts_where: &'static str,
    rg: Option<&'static [&'static str]>,
    rg_years: Option<(usize, usize)>,
) -> Query {
    Query {
        class,
        annalist,
        fts,
        fts_where,
        rg,
        rg_years,
    }
}

const QUERIES: &[Query] = &[
    q("term", "economy", "economy", "", Some(&["economy"]), None),
    q(
        "term",
        "election",
        "election",
        "",
        Some(&["election"]),
        None,
    ),
    q("term", "film", "film", "", Some(&["film"]), None),
    q("term", "mobile", "mobile", "", Some(&["mobile"]), None),
    q("term", "chelsea", "chelsea", "", Some(&["chelsea"]), None),
    q(
        "phrase",
        "\"prime minister\"",
        "\"prime minister\"",
        "",
        Some(&["prime minister"]),
        None,
    ),
    q(
        "phrase",
        "\"interest rates\"",
        "\"interest rates\"",
        "",
        Some(&["interest rates"]),
        None,
    ),
    q(
        "phrase",
        "\"world cup\"",
        "\"world cup\"",
        "",
        Some(&["world cup"]),
        None,
    ),
    q(
        "boolean",
        "(blair OR brown) AND tax",
        "(blair OR brown) AND tax",
        "",
        None,
        None,
    ),
    q(
        "boolean",
        "game NOT football",
        "game NOT football",
        "",
        None,
        None,
    ),
    q(
        "boolean",
        "euro OR dollar",
        "euro OR dollar",
        "",
        Some(&["euro", "dollar"]),
        None,
    ),
    q(
        "date-filtered",
        "election AND published:[2005 TO 2009]",
        "election",
        " AND year BETWEEN '2005' AND '2009'",
        Some(&["election"]),
        Some((2005, 2009)),
    ),
    q(
        "date-filtered",
        "film AND published:2010",
        "film",
        " AND year = '2010'",
        Some(&["film"]),
        Some((2010, 2010)),
    ),
];

/// Whole-process medians of one query class: Annalist, FTS5, rg.
type ClassTimes = (&'static str, Vec<Duration>, Vec<Duration>, Vec<Duration>);

/// Query classes in table order.
const CLASSES: &[&str] = &["term", "phrase", "boolean", "date-filtered"];

fn main() -> anyhow::Result<()> {
    // `cargo bench` appends `--bench`; the subcommand and its operands are the rest.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["gen", n, dir] => generate(n.parse()?, Path::new(dir)),
        ["run", dir, annalist, runs] => run(Path::new(dir), Path::new(annalist), runs.parse()?),
        ["inproc", dir, runs] => {
            print!(
                "{}",
                in_process(
                    &Path::new(dir).join("archive"),
                    Path::new(dir),
                    runs.parse()?,
                    None
                )?
            );
            Ok(())
        }
        ["merge", dir] => merge_segments(&Path::new(dir).join("archive").join("index")),
        _ => anyhow::bail!(
            "usage: scale gen N DIR | scale run DIR ANNALIST_BIN RUNS | scale inproc DIR RUNS | scale merge DIR"
        ),
    }
}

// --- Corpus

/// Writes `n` articles of 8 to 41 real sentences (about 4 KB each) under `dir`.
fn generate(n: usize, dir: &Path) -> anyhow::Result<()> {
    let sentences = sentences()?;
    let mut rng = Lcg(2026);
    let started = Instant::now();
    let mut csv = std::io::BufWriter::new(std::fs::File::create(dir.join("fts.csv"))?);
    writeln!(csv, "title,body,year")?;
    let mut bytes = 0u64;
    for i in 0..n {
        let year = FIRST_YEAR + i % YEARS;
        let folder = dir
            .join("txt")
            .join(year.to_string())
            .join(format!("{:04}", i / 1000));
        if i % 1000 < YEARS {
            std::fs::create_dir_all(&folder)?;
        }
        let title = headline(&sentences[rng.next(sentences.len())], 5 + rng.next(6));
        let mut body = String::new();
        for k in 0..(8 + rng.next(34)) {
            if k > 0 {
                body.push(if k % 6 == 0 { '\n' } else { ' ' });
            }
            body.push_str(&sentences[rng.next(sentences.len())]);
        }
        let text = format!("{title}\n\n{body}\n");
        bytes += text.len() as u64;
        std::fs::write(folder.join(format!("{i:07}.txt")), &text)?;
        writeln!(
            csv,
            "\"{}\",\"{}\",{year}",
            title.replace('"', "\"\""),
            body.replace('"', "\"\"")
        )?;
    }
    csv.flush()?;
    eprintln!(
        "wrote {n} articles ({:.0} MB of text) in {:.1} s",
        bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    std::fs::write(
        dir.join("corpus.json"),
        format!("{{\"n\":{n},\"bytes\":{bytes}}}"),
    )?;
    Ok(())
}

/// The first `words` words of a sentence, without its closing punctuation.
fn headline(sentence: &str, words: usize) -> String {
    let head: Vec<&str> = sentence.split_whitespace().take(words).collect();
    head.join(" ")
        .trim_end_matches(|c: char| !c.is_alphanumeric())
        .to_owned()
}

// --- Whole-process figures

/// Median and the collected output of `runs` runs (after one warm-up).
fn time_runs(mut make: impl FnMut() -> Command, runs: usize) -> anyhow::Result<(Duration, usize)> {
    let mut times = Vec::with_capacity(runs);
    let mut lines = 0;
    for round in 0..=runs {
        let started = Instant::now();
        let out = make()
            .stderr(Stdio::piped())
            .stdout(Stdio::piped())
            .output()?;
        let elapsed = started.elapsed();
        // rg and annalist exit 1 when nothing matched; anything else is a failure.
        if out.status.code().is_none_or(|c| c > 1) {
            anyhow::bail!(
                "{:?} failed: {}",
                make(),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        if round > 0 {
            times.push(elapsed);
        }
        lines = out
            .stdout
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .count();
    }
    Ok((median(&mut times), lines))
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

fn percentile(times: &mut [Duration], q: f64) -> Duration {
    times.sort();
    let i = ((times.len() as f64 * q) as usize).min(times.len().saturating_sub(1));
    times.get(i).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn fts_sql(query: &Query) -> String {
    format!(
        "SELECT rowid, title, snippet(docs, 1, '[', ']', '…', 32) FROM docs \
         WHERE docs MATCH '{}'{} ORDER BY bm25(docs) LIMIT 20;",
        query.fts.replace('\'', "''"),
        query.fts_where
    )
}

/// Rows of the final table: figure, Annalist, FTS5, rg, ratios, target.
struct Table(String);

impl Table {
    fn row(&mut self, cells: &[&str]) {
        let _ = writeln!(self.0, "| {} |", cells.join(" | "));
    }
}

fn ratio(a: Duration, b: Duration) -> String {
    format!("{:.3}×", a.as_secs_f64() / b.as_secs_f64().max(1e-9))
}

fn run(dir: &Path, annalist: &Path, runs: usize) -> anyhow::Result<()> {
    let txt = dir.join("txt");
    let archive_dir = dir.join("archive");
    let fts_db = dir.join("fts.db");
    let text_bytes = dir_bytes(&txt);
    let mut table = Table(String::new());
    table.row(&["figure", "Annalist", "FTS5", "rg", "ratio", "target", "met"]);
    table.row(&["---"; 7]);

    // Import + index: one process per year folder (text files carry no date).
    let _ = std::fs::remove_dir_all(&archive_dir);
    // Peak resident memory of each import process, from GNU time where it is installed.
    let gnu_time = Path::new("/usr/bin/time");
    let rss_file = dir.join("import-rss.txt");
    let mut peak_rss_kb: Option<u64> = None;
    let started = Instant::now();
    for year in FIRST_YEAR..FIRST_YEAR + YEARS {
        let mut command = if gnu_time.exists() {
            let mut c = Command::new(gnu_time);
            c.args(["-f", "%M", "-o"]).arg(&rss_file).arg(annalist);
            c
        } else {
            Command::new(annalist)
        };
        let status = command
            .arg("--archive")
            .arg(&archive_dir)
            .args(["import", "--published", &year.to_string()])
            .arg(txt.join(year.to_string()))
            .stdout(Stdio::null())
            .status()?;
        anyhow::ensure!(status.success(), "annalist import {year} failed: {status}");
        if let Some(kb) = std::fs::read_to_string(&rss_file)
            .ok()
            .and_then(|s| s.trim().parse::<u64>().ok())
        {
            peak_rss_kb = Some(peak_rss_kb.map_or(kb, |p| p.max(kb)));
        }
    }
    let import = started.elapsed();
    eprintln!("annalist import: {:.1} s", import.as_secs_f64());
    // The same texts in one process (no dates), to show the cost of the 25 processes.
    let one_process = if text_bytes < 1_000_000_000 {
        let one_dir = dir.join("archive-one");
        let _ = std::fs::remove_dir_all(&one_dir);
        let started = Instant::now();
        let status = Command::new(annalist)
            .arg("--archive")
            .arg(&one_dir)
            .arg("import")
            .arg(&txt)
            .stdout(Stdio::null())
            .status()?;
        anyhow::ensure!(
            status.success(),
            "annalist import (one process) failed: {status}"
        );
        let elapsed = started.elapsed();
        let _ = std::fs::remove_dir_all(&one_dir);
        Some(elapsed)
    } else {
        None
    };

    let _ = std::fs::remove_file(&fts_db);
    let started = Instant::now();
    let status = Command::new("sqlite3")
        .arg(&fts_db)
        .arg("CREATE VIRTUAL TABLE docs USING fts5(title, body, year UNINDEXED);")
        .arg(format!(
            ".import --csv --skip 1 {} docs",
            dir.join("fts.csv").display()
        ))
        .status()?;
    anyhow::ensure!(status.success(), "sqlite3 import failed: {status}");
    let fts_build = started.elapsed();
    eprintln!("fts5 build: {:.1} s", fts_build.as_secs_f64());

    let n = Archive::open(&archive_dir)?.stats()?.store.articles;
    let fts_rows = Command::new("sqlite3")
        .arg(&fts_db)
        .arg("SELECT count(*) FROM docs;")
        .output()?;
    let fts_rows = String::from_utf8_lossy(&fts_rows.stdout).trim().to_owned();
    anyhow::ensure!(
        fts_rows == n.to_string(),
        "FTS5 holds {fts_rows} rows, Annalist {n} articles"
    );
    let secs = |d: Duration| {
        format!(
            "{:.1} s ({:.0} art/s)",
            d.as_secs_f64(),
            n as f64 / d.as_secs_f64()
        )
    };
    table.row(&[
        &format!(
            "import + index {n} articles ({:.0} MB)",
            text_bytes as f64 / 1e6
        ),
        &secs(import),
        &secs(fts_build),
        "",
        &format!("A/F {}", ratio(import, fts_build)),
        "A ≤ 1× F",
        if import <= fts_build { "yes" } else { "no" },
    ]);
    if let Some(kb) = peak_rss_kb {
        table.row(&[
            "peak RSS of an import process",
            &format!("{:.0} MB", kb as f64 / 1024.0),
            "",
            "",
            "",
            "< 1.5 GB",
            if kb < 1536 * 1024 { "yes" } else { "no" },
        ]);
    }
    if let Some(one) = one_process {
        table.row(&[
            "import + index, one `annalist import txt/` process (no dates)",
            &secs(one),
            "",
            "",
            &format!("A/F {}", ratio(one, fts_build)),
            "",
            "",
        ]);
    }
    table.row(&[
        "size on disk",
        &format!("{:.0} MB", dir_bytes(&archive_dir) as f64 / 1e6),
        &format!("{:.0} MB", dir_bytes(&fts_db) as f64 / 1e6),
        &format!("{:.0} MB", text_bytes as f64 / 1e6),
        "",
        "",
        "",
    ]);

    // Whole-process queries.
    let mut per_class: Vec<ClassTimes> = CLASSES
        .iter()
        .map(|c| (*c, vec![], vec![], vec![]))
        .collect();
    let mut details = String::new();
    let _ = writeln!(
        details,
        "| query | annalist search | lines | sqlite3 fts5 | rows | rg -l | files |"
    );
    let _ = writeln!(details, "|---|---|---|---|---|---|---|");
    for query in QUERIES {
        let (a, a_lines) = time_runs(
            || {
                let mut c = Command::new(annalist);
                c.arg("--archive").arg(&archive_dir).args([
                    "search",
                    query.annalist,
                    "--limit",
                    "20",
                ]);
                c
            },
            runs,
        )?;
        let (f, f_rows) = time_runs(
            || {
                let mut c = Command::new("sqlite3");
                c.arg(&fts_db).arg(fts_sql(query));
                c
            },
            runs,
        )?;
        let rg = match query.rg {
            Some(patterns) => Some(time_runs(
                || {
                    let mut c = Command::new("rg");
                    c.args(["-l", "-i", "-w"]);
                    for p in patterns {
                        c.arg("-e").arg(p);
                    }
                    match query.rg_years {
                        Some((from, to)) => {
                            for y in from..=to {
                                c.arg(txt.join(y.to_string()));
                            }
                        }
                        None => {
                            c.arg(&txt);
                        }
                    }
                    c
                },
                runs,
            )?),
            None => None,
        };
        let _ = writeln!(
            details,
            "| `{}` | {} | {a_lines} | {} | {f_rows} | {} | {} |",
            query.annalist,
            ms(a),
            ms(f),
            rg.map_or("n/a".to_owned(), |r| ms(r.0)),
            rg.map_or("n/a".to_owned(), |r| r.1.to_string()),
        );
        if let Some(entry) = per_class.iter_mut().find(|e| e.0 == query.class) {
            entry.1.push(a);
            entry.2.push(f);
            if let Some((r, _)) = rg {
                entry.3.push(r);
            }
        }
        eprintln!("{}: annalist {} fts5 {}", query.annalist, ms(a), ms(f));
    }
    let mut all_a = Vec::new();
    let mut all_f = Vec::new();
    let mut all_r = Vec::new();
    let mut rg_pairs = Vec::new();
    for (class, a, f, r) in &mut per_class {
        all_a.extend(a.iter().copied());
        all_f.extend(f.iter().copied());
        all_r.extend(r.iter().copied());
        let (ma, mf) = (median(a), median(f));
        let mr = (!r.is_empty()).then(|| median(r));
        table.row(&[
            &format!("`annalist search` top 20 + snippets, {class} (median of medians)"),
            &ms(ma),
            &ms(mf),
            &mr.map_or("n/a".to_owned(), ms),
            &format!(
                "A/F {}{}",
                ratio(ma, mf),
                mr.map_or(String::new(), |mr| format!(", A/rg {}", ratio(ma, mr)))
            ),
            "",
            "",
        ]);
        if let Some(mr) = mr {
            rg_pairs.push((ma, mr));
        }
    }
    let (ma, mf, mr) = (median(&mut all_a), median(&mut all_f), median(&mut all_r));
    table.row(&[
        "**`annalist search`, all queries (median)**",
        &ms(ma),
        &ms(mf),
        &ms(mr),
        &format!("A/F {}, A/rg {}", ratio(ma, mf), ratio(ma, mr)),
        "A ≤ 0.5× F, A ≤ 0.05× rg",
        &format!(
            "F: {}, rg: {}",
            if ma.as_secs_f64() <= 0.5 * mf.as_secs_f64() {
                "yes"
            } else {
                "no"
            },
            if ma.as_secs_f64() <= 0.05 * mr.as_secs_f64() {
                "yes"
            } else {
                "no"
            }
        ),
    ]);
    let (f_facet, _) = time_runs(
        || {
            let mut c = Command::new("sqlite3");
            c.arg(&fts_db)
                .arg("SELECT year, count(*) FROM docs WHERE docs MATCH 'election' GROUP BY year;");
            c
        },
        runs,
    )?;

    // In-process figures.
    let inproc = in_process(&archive_dir, dir, runs, Some(f_facet))?;
    table.0.push_str(&inproc);

    println!(
        "\nScale benchmark: {n} articles, {:.0} MB of text, {runs} runs per whole-process figure\n",
        text_bytes as f64 / 1e6
    );
    println!("{}", table.0);
    println!("Whole-process queries (median of {runs} runs after one warm-up):\n");
    println!("{details}");
    Ok(())
}

// --- In-process figures

fn in_process(
    archive_dir: &Path,
    work: &Path,
    runs: usize,
    fts_facet: Option<Duration>,
) -> anyhow::Result<String> {
    let mut table = Table(String::new());

    // Reopen: the writer handle (lock, index writer, consistency check) and a reader.
    let mut opens = Vec::new();
    let mut reader_opens = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        let archive = Archive::open(archive_dir)?;
        opens.push(started.elapsed());
        drop(archive);
        let started = Instant::now();
        let reader = Archive::open_reader(archive_dir)?;
        reader_opens.push(started.elapsed());
        drop(reader);
    }
    table.row(&[
        "reopen (`Archive::open` / `open_reader`, median)",
        &format!(
            "{} / {}",
            ms(median(&mut opens)),
            ms(median(&mut reader_opens))
        ),
        "",
        "",
        "",
        "",
        "",
    ]);

    let mut archive = Archive::open(archive_dir)?;
    let articles = archive.stats()?.store.articles;
    let mut all = Vec::new();
    for class in CLASSES {
        let mut times = Vec::new();
        for _ in 0..SEARCH_ROUNDS {
            for query in QUERIES.iter().filter(|q| q.class == *class) {
                let started = Instant::now();
                let page = archive.search(query.annalist, 20, 0)?;
                times.push(started.elapsed());
                std::hint::black_box(page);
            }
        }
        all.extend(times.iter().copied());
        let p99 = percentile(&mut times, 0.99);
        // The per-class targets are for a million articles.
        let limit = (articles >= 1_000_000).then_some(if *class == "phrase" { 150 } else { 50 });
        table.row(&[
            &format!("in-process `Archive::search` top 20 + snippets, {class}: p50 / p99"),
            &format!("{} / {}", ms(percentile(&mut times, 0.5)), ms(p99)),
            "",
            "",
            "",
            &limit.map_or(String::new(), |l| format!("p99 ≤ {l} ms")),
            limit.map_or("", |l| {
                if p99 <= Duration::from_millis(l) {
                    "yes"
                } else {
                    "no"
                }
            }),
        ]);
    }
    let (p50, p99) = (percentile(&mut all, 0.5), percentile(&mut all, 0.99));
    table.row(&[
        "**in-process search, all classes: p50 / p99**",
        &format!("{} / {}", ms(p50), ms(p99)),
        "",
        "",
        "",
        "p50 ≤ 1 ms, p99 ≤ 20 ms",
        &format!(
            "p50: {}, p99: {}",
            if p50 <= Duration::from_millis(1) {
                "yes"
            } else {
                "no"
            },
            if p99 <= Duration::from_millis(20) {
                "yes"
            } else {
                "no"
            }
        ),
    ]);

    // Facet counts (label, outlet, year) from the fast fields, for a common word and for all.
    for query in ["election", ""] {
        let mut facet_times = Vec::new();
        let mut matched = 0;
        for _ in 0..runs.max(SEARCH_ROUNDS / 10) {
            let started = Instant::now();
            let facets = archive.facets(query)?;
            facet_times.push(started.elapsed());
            matched = facets.total;
            std::hint::black_box(facets);
        }
        let (f50, f99) = (
            percentile(&mut facet_times, 0.5),
            percentile(&mut facet_times, 0.99),
        );
        let shown = if query.is_empty() {
            "every article"
        } else {
            query
        };
        table.row(&[
            &format!(
                "facet counts (label, outlet, year) for `{shown}` ({matched} matches; FTS5: GROUP BY year only, whole process): p50 / p99"
            ),
            &format!("{} / {}", ms(f50), ms(f99)),
            &fts_facet
                .filter(|_| !query.is_empty())
                .map_or(String::new(), ms),
            "",
            &fts_facet
                .filter(|_| !query.is_empty())
                .map_or(String::new(), |f| format!("A/F {}", ratio(f50, f))),
            "< 50 ms",
            if f99 < Duration::from_millis(50) {
                "yes"
            } else {
                "no"
            },
        ]);
    }

    // Export to JSONL.
    let out = work.join("export.jsonl");
    let started = Instant::now();
    let summary = archive.export_to_path(
        ExportFormat::Jsonl,
        &out,
        &ExportOptions::default(),
        &mut |_, _| true,
    )?;
    let export = started.elapsed();
    let export_bytes = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    let _ = std::fs::remove_file(&out);
    let _ = std::fs::remove_file(annalist::service::manifest_path(&out));
    table.row(&[
        &format!("export {} articles to JSONL", summary.articles),
        &format!(
            "{:.1} s ({:.0} art/s, {:.0} MB/s)",
            export.as_secs_f64(),
            summary.articles as f64 / export.as_secs_f64(),
            export_bytes as f64 / 1e6 / export.as_secs_f64()
        ),
        "",
        "",
        "",
        "",
        "",
    ]);

    // Single annotation edits, each durable (WAL, synchronous=FULL) when it returns.
    let mut rng = Lcg(7);
    let mut edits = Vec::with_capacity(EDITS);
    for _ in 0..EDITS {
        let id = ArticleId(1 + i64::try_from(rng.next(usize::try_from(articles)?))?);
        let text = archive.article(id)?.text;
        let Some(annotation) = word_annotation(&text, &mut rng) else {
            continue;
        };
        let started = Instant::now();
        archive.add_annotation(id, annotation)?;
        edits.push(started.elapsed());
    }
    let (e50, e99) = (percentile(&mut edits, 0.5), percentile(&mut edits, 0.99));
    table.row(&[
        &format!(
            "single annotation edit, persisted (`add_annotation`, {} edits): p50 / p99",
            edits.len()
        ),
        &format!("{} / {}", ms(e50), ms(e99)),
        "",
        "",
        "",
        "p99 < 2 ms",
        if e99 < Duration::from_millis(2) {
            "yes"
        } else {
            "no"
        },
    ]);
    let started = Instant::now();
    archive.sync_index()?;
    table.row(&[
        &format!("index the {} edited articles (`sync_index`)", edits.len()),
        &ms(started.elapsed()),
        "",
        "",
        "",
        "",
        "",
    ]);
    Ok(table.0)
}

/// A LOC annotation on a random word of `text` (code point offsets).
fn word_annotation(text: &str, rng: &mut Lcg) -> Option<NewAnnotation> {
    let chars: Vec<char> = text.chars().collect();
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in chars.iter().chain(std::iter::once(&' ')).enumerate() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if spans.is_empty() {
        return None;
    }
    let (s, e) = spans[rng.next(spans.len())];
    let span = CharSpan::ordered(s, e).ok()?;
    Some(manual_annotation("LOC", span, Default::default(), "bench"))
}

/// Merges every segment of the tantivy index in `index_dir` into one (an experiment: what
/// search costs once the segments a series of imports leaves are merged).
fn merge_segments(index_dir: &Path) -> anyhow::Result<()> {
    let index = tantivy::Index::open_in_dir(index_dir)?;
    let ids = index.searchable_segment_ids()?;
    eprintln!("merging {} segments", ids.len());
    let mut writer: tantivy::IndexWriter = index.writer(256 * 1024 * 1024)?;
    let started = Instant::now();
    writer.merge(&ids).wait()?;
    writer.wait_merging_threads()?;
    eprintln!("merged in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}
