//! Crash safety: the real binary killed with SIGKILL at random points of an import and of a
//! stream of annotation edits, many times; after each kill the archive must open, pass its
//! checks (SQLite integrity, index = database after catch-up) and hold every edit that was
//! acknowledged. `ANNALIST_KILLS` sets the number of kills per stream (default 25).

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use annalist::service::Archive;

use crate::support::{Cli, corpora};

/// Deterministic pseudo-random numbers, so a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
}

fn kills() -> usize {
    std::env::var("ANNALIST_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(25)
}

fn spawn(cli: &Cli, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_annalist"))
        .arg("--archive")
        .arg(cli.archive())
        .args(args)
        .env_remove("ANNALIST_ARCHIVE")
        .env("ANNALIST_ANNOTATOR", "tester")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// After a kill: the archive opens (taking over the dead writer's lock), its database is
/// sound, and once caught up the index holds every article.
fn assert_sound(archive_dir: &Path, round: usize) -> Archive {
    let mut archive = Archive::open(archive_dir)
        .unwrap_or_else(|e| panic!("round {round}: the archive does not open: {e:#}"));
    for notice in archive.notices() {
        eprintln!("round {round}: {notice}");
    }
    let report = archive.check().unwrap();
    assert!(
        report.database.is_empty(),
        "round {round}: {:?}",
        report.database
    );
    if !report.is_sound() {
        // Say which articles the index holds twice, and keep the archive for a look.
        let hits = archive.search("", 1_000_000, 0).unwrap();
        let mut ids: Vec<i64> = hits.hits.iter().map(|h| h.id.0).collect();
        ids.sort_unstable();
        let twice: Vec<i64> = ids
            .windows(2)
            .filter(|w| w[0] == w[1])
            .map(|w| w[0])
            .collect();
        let kept = std::env::temp_dir().join(format!("annalist-crash-{}", std::process::id()));
        let _ = Command::new("cp")
            .arg("-r")
            .arg(archive_dir)
            .arg(&kept)
            .status();
        panic!(
            "round {round}: {:?}; indexed twice: {twice:?}; archive copied to {}",
            report.unrepaired,
            kept.display()
        );
    }
    assert_eq!(report.indexed, report.articles, "round {round}");
    archive
}

#[test]
#[cfg_attr(
    not(feature = "corpora"),
    ignore = "needs ../shared/corpora: cargo test --features corpora"
)]
fn killed_imports_leave_a_sound_archive() {
    let cli = Cli::new();
    let corpus = corpora().join("bbc-news/bbc");
    let corpus = corpus.to_str().unwrap();
    let mut rng = Lcg(2024);
    let mut articles = 0;
    for round in 0..kills() {
        let mut child = spawn(&cli, &["import", corpus]);
        std::thread::sleep(Duration::from_millis(30 + rng.below(900)));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let archive = assert_sound(&cli.archive(), round);
        let now = archive.stats().unwrap().store.articles;
        assert!(
            now >= articles,
            "round {round}: articles went from {articles} to {now}"
        );
        articles = now;
    }
    // What was stored stays; a final import completes the corpus.
    let report: serde_json::Value =
        serde_json::from_str(&cli.ok(&["import", corpus, "--json"])).unwrap();
    let total = report["imported"].as_u64().unwrap() + articles;
    assert_eq!(total, 2127, "{report}");
    assert_sound(&cli.archive(), usize::MAX);
}

#[test]
#[cfg_attr(
    not(feature = "corpora"),
    ignore = "needs ../shared/corpora: cargo test --features corpora"
)]
fn killed_edit_streams_lose_no_acknowledged_annotation() {
    let cli = Cli::new();
    cli.ok(&[
        "import",
        corpora().join("bbc-news/bbc/politics").to_str().unwrap(),
    ]);
    let mut rng = Lcg(7);
    let mut acknowledged: Vec<(i64, i64, String)> = Vec::new();
    for round in 0..kills() {
        // A few edits that finish (acknowledged: the command printed the stored annotation),
        // then one killed somewhere in the middle.
        for _ in 0..(1 + rng.below(3)) {
            let article = 1 + rng.below(400);
            let start = rng.below(40);
            let out = cli.ok(&[
                "annotate",
                "add",
                &article.to_string(),
                "--label",
                "ORG",
                "--start",
                &start.to_string(),
                "--end",
                &(start + 3).to_string(),
                "--json",
            ]);
            let stored: serde_json::Value = serde_json::from_str(&out).unwrap();
            acknowledged.push((
                stored["id"].as_i64().unwrap(),
                stored["article_id"].as_i64().unwrap(),
                stored["text"].as_str().unwrap().to_owned(),
            ));
        }
        let article = 1 + rng.below(400);
        let mut child = spawn(
            &cli,
            &[
                "annotate",
                "add",
                &article.to_string(),
                "--label",
                "LOC",
                "--start",
                "0",
                "--end",
                "2",
            ],
        );
        std::thread::sleep(Duration::from_millis(rng.below(120)));
        let _ = child.kill();
        let _ = child.wait();
        let archive = assert_sound(&cli.archive(), round);
        for (id, article, text) in &acknowledged {
            let kept = archive
                .annotations(annalist::model::ArticleId(*article))
                .unwrap()
                .into_iter()
                .find(|a| a.id.0 == *id);
            assert_eq!(
                kept.map(|a| a.text),
                Some(text.clone()),
                "round {round}: acknowledged annotation {id} lost"
            );
        }
    }
    assert!(acknowledged.len() >= kills());
}
