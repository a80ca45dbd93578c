//! Team edit benchmark: how long an edit made on a replica takes until the server has
//! committed it (the edit's SQLite transaction with its outbox entry, then the send as the
//! coder's login), for 4 coders making 1,000 edits each at the same time, on 4 replicas.
//!
//! Run: `ANNALIST_TEST_PG=postgres://… cargo bench --bench team_sync` (a superuser URL, as
//! `scripts/pg-test-server.sh start` prints; it makes a database of its own). Prints a
//! Markdown table for `docs/benchmarks.md`.

use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use annalist::import::ImportOptions;
use annalist::model::{CharSpan, Coder};
use annalist::service::{Archive, LayerView, PgStore, PgTarget, TeamRole, manual_annotation};

/// Coders at once (`ANNALIST_BENCH_CODERS`, default 4).
fn coders() -> usize {
    std::env::var("ANNALIST_BENCH_CODERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(4)
}

const EDITS: usize = 1000;
/// Time spent in the local SQLite commits (edit and outbox entry), over all coders.
static LOCAL_NS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
const ARTICLES: usize = 50;

fn main() -> anyhow::Result<()> {
    let base = std::env::var("ANNALIST_TEST_PG")
        .map_err(|_| anyhow::anyhow!("set ANNALIST_TEST_PG to a superuser URL"))?;
    let db = format!("bench_sync_{}", std::process::id());
    let mut admin = postgres::Client::connect(&base, postgres::NoTls)?;
    admin.batch_execute(&format!("CREATE DATABASE {db}"))?;
    let url = base.replace("/postgres?", &format!("/{db}?"));
    let target = PgTarget::parse(&url)?;
    let (mut team, _) = PgStore::init(&target)?;
    let work = tempfile::tempdir()?;
    let origin = work.path().join("origin");
    let texts = work.path().join("reports.jsonl");
    let lines: String = (0..ARTICLES)
        .map(|i| {
            format!(
                "{}\n",
                serde_json::json!({
                    "title": format!("Report {i}"),
                    "text": format!("Report {i}\n\nTiny said the convoy {i} left at dawn, and nine people were killed near the border on Tuesday."),
                })
            )
        })
        .collect();
    std::fs::write(&texts, lines)?;
    Archive::open(&origin)?.import(
        &[texts],
        &ImportOptions::default(),
        &mut |_| {},
        &AtomicBool::new(false),
    )?;
    Archive::open_reader(&origin)?.push_to_team(&target, &AtomicBool::new(false), |_, _| {})?;
    let mut replicas = Vec::new();
    for c in 0..coders() {
        let login = format!("bench{c}_{db}");
        team.add_member(&login, TeamRole::Coder, "pw")?;
        let dir = work.path().join(&login);
        let as_coder = target.with_login(&login, "pw");
        Archive::open(&dir)?.sync_from_team(&as_coder, &AtomicBool::new(false), |_, _| {})?;
        replicas.push((dir, login, as_coder));
    }

    let started = Instant::now();
    let mut latencies: Vec<Duration> = std::thread::scope(|scope| {
        let handles: Vec<_> = replicas
            .iter()
            .map(|(dir, login, as_coder)| scope.spawn(move || coder_edits(dir, login, as_coder)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .map_err(|_| anyhow::anyhow!("a coder thread panicked"))?
            })
            .collect::<anyhow::Result<Vec<Vec<Duration>>>>()
    })?
    .into_iter()
    .flatten()
    .collect();
    let wall = started.elapsed();
    latencies.sort_unstable();
    let on_server: i64 = team_count(&url)?;
    anyhow::ensure!(
        on_server == i64::try_from(coders() * EDITS)?,
        "the server has {on_server} annotations, not {}",
        coders() * EDITS
    );
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    println!("| {} coders × {EDITS} edits, concurrently | |", coders());
    println!("|---|---|");
    println!("| edit acknowledged p50 | {:.1} ms |", ms(at(0.50)));
    println!("| edit acknowledged p99 | {:.1} ms |", ms(at(0.99)));
    println!("| edit acknowledged max | {:.1} ms |", ms(at(1.0)));
    let local_ns = LOCAL_NS.load(std::sync::atomic::Ordering::Relaxed);
    println!(
        "| of which the local commit (edit + outbox), mean | {:.1} ms |",
        local_ns as f64 / 1e6 / latencies.len() as f64
    );
    println!(
        "| all {} edits on the server | {:.1} s ({:.0} edits/s) |",
        coders() * EDITS,
        wall.as_secs_f64(),
        (coders() * EDITS) as f64 / wall.as_secs_f64()
    );
    drop(admin);
    Ok(())
}

/// One coder's edits on their replica, each sent at once as the CLI does; returns the time
/// from the start of each edit to the server's commit of it.
fn coder_edits(
    dir: &std::path::Path,
    login: &str,
    target: &PgTarget,
) -> anyhow::Result<Vec<Duration>> {
    let mut archive = Archive::open_reader(dir)?;
    archive.code_as(
        Some(Coder::new(login).map_err(anyhow::Error::msg)?),
        LayerView::Own,
        false,
    )?;
    let articles = archive.list(ARTICLES, 0)?;
    let mut latencies = Vec::with_capacity(EDITS);
    let no = AtomicBool::new(false);
    // One connection per desktop, as the app's sender keeps.
    let mut team = PgStore::open(target)?;
    for i in 0..EDITS {
        let article = &articles[i % articles.len()];
        let start = 10 + i / articles.len();
        let span = CharSpan::ordered(start, start + 1)?;
        let began = Instant::now();
        archive.add_annotation(
            article.id,
            manual_annotation("PER", span, serde_json::Map::new(), login),
        )?;
        LOCAL_NS.fetch_add(
            u64::try_from(began.elapsed().as_nanos()).unwrap_or(u64::MAX),
            std::sync::atomic::Ordering::Relaxed,
        );
        let report = archive.send_outbox_on(&mut team, &no)?;
        anyhow::ensure!(
            report.waiting == 0 && report.refused.is_empty(),
            "{report:?}"
        );
        latencies.push(began.elapsed());
    }
    Ok(latencies)
}

fn team_count(url: &str) -> anyhow::Result<i64> {
    let mut client = postgres::Client::connect(url, postgres::NoTls)?;
    Ok(client
        .query_one("SELECT count(*) FROM annalist.annotations", &[])?
        .get(0))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
