//! Desktop app benchmarks, without a GPU: the CPU time of whole frames (egui pass plus
//! tessellation) in the reader, and the time to a usable first frame on a large archive.
//!
//! Run: `cargo bench --bench gui` (frames: a 50,000-word article with 2,000 annotations)
//! and `cargo bench --bench gui -- startup 100000` (builds a 100,000-article archive from
//! the BBC corpus's sentences in a temporary folder first, then measures the start).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use annalist::app::AnnalistApp;
use annalist::app::command::Command;
use annalist::app::state::ThemeChoice;
use annalist::import::{FileOutcome, Format};
use annalist::model::{AnnotationStatus, ArticleId, NewAnnotation, NewArticle};
use annalist::service::Archive;

mod common;
use common::{Lcg, build_archive, sentences};

const WORDS: usize = 50_000;
const ANNOTATIONS: usize = 2_000;
const FRAMES: usize = 300;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    match args.first().map(String::as_str) {
        Some("startup") => {
            let n = args.get(1).map_or(Ok(100_000), |s| s.parse())?;
            let dir = tempfile::tempdir()?;
            let archive_dir = dir.path().join("archive");
            let built = build_archive(&archive_dir, n, 0, None)?;
            println!(
                "built an archive of {n} articles in {:.1} s",
                built.as_secs_f64()
            );
            startup(&archive_dir)
        }
        // An archive built elsewhere (the scale benchmark's million articles).
        Some("startup-at") => match args.get(1) {
            Some(dir) => startup(std::path::Path::new(dir)),
            None => anyhow::bail!("usage: gui startup-at ARCHIVE_DIR"),
        },
        _ => frames(),
    }
}

fn long_article(sentences: &[String]) -> (NewArticle, usize) {
    let mut rng = Lcg(7);
    let mut text = String::from("A very long article\n\n");
    let mut words = 0;
    while words < WORDS {
        let s = &sentences[rng.next(sentences.len())];
        words += s.split(' ').count();
        text.push_str(s);
        text.push(if rng.next(6) == 0 { '\n' } else { ' ' });
    }
    let mut article = NewArticle::new("A very long article", &text, "bench");
    // Word starts in code points, then 2,000 spans spread over the text; every tenth
    // overlaps the one before, every fourth is a suggestion.
    let chars: Vec<char> = article.text.chars().collect();
    let starts: Vec<usize> = (1..chars.len())
        .filter(|&i| chars[i - 1] == ' ' && chars[i].is_alphanumeric())
        .collect();
    let labels = ["PER", "ORG", "LOC", "DATE", "CASUALTY"];
    let step = starts.len() / ANNOTATIONS;
    for n in 0..ANNOTATIONS {
        let start = starts[n * step];
        let end_word = (n * step + 1 + n % 3).min(starts.len() - 1);
        let mut end = starts[end_word] - 1;
        if n % 10 == 9 {
            end = starts[(n * step + step + 1).min(starts.len() - 1)] - 1;
        }
        let Ok(span) = annalist::model::CharSpan::ordered(start, end) else {
            continue;
        };
        article.annotations.push(NewAnnotation {
            requested_id: None,
            label: labels[n % labels.len()].to_owned(),
            span,
            expected_text: None,
            attrs: Default::default(),
            status: if n % 4 == 0 {
                AnnotationStatus::Suggested
            } else {
                AnnotationStatus::Accepted
            },
            annotator: "bench".to_owned(),
            coder: String::new(),
        });
    }
    (article, words)
}

fn raw_input(frame: usize, scroll: bool) -> egui::RawInput {
    let mut input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1400.0, 900.0),
        )),
        time: Some(frame as f64 / 60.0),
        ..Default::default()
    };
    input
        .events
        .push(egui::Event::PointerMoved(egui::pos2(700.0, 450.0)));
    if scroll {
        input.events.push(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, -120.0),
            phase: egui::TouchPhase::Move,
            modifiers: egui::Modifiers::NONE,
            source: egui::MouseWheelSource::Wheel,
        });
    }
    input
}

fn frames() -> anyhow::Result<()> {
    let sentences = sentences()?;
    let dir = tempfile::tempdir()?;
    let archive_dir = dir.path().join("archive");
    let (article, words) = long_article(&sentences);
    let chars = article.text.chars().count();
    let mut archive = Archive::open(&archive_dir)?;
    let report = archive.import_parsed(FileOutcome {
        path: PathBuf::from("bench"),
        format: Format::Jsonl,
        articles: vec![article],
        warnings: Vec::new(),
    })?;
    anyhow::ensure!(
        report.annotations == ANNOTATIONS,
        "annotations refused: {:?}",
        report.warnings
    );
    drop(archive);

    let repaint: Arc<dyn Fn() + Send + Sync> = Arc::new(|| {});
    let mut app = AnnalistApp::new(&archive_dir, ThemeChoice::Light, repaint)?;
    app.wait_for_jobs(Duration::from_secs(60));
    app.push(Command::OpenArticle(ArticleId(1)));
    let ctx = egui::Context::default();
    annalist::ui::install_fonts(&ctx);

    let mut clock = 0;
    let mut first_frame = Duration::ZERO;
    println!("| scenario | frames | median | p95 | max | layouts built |");
    println!("|---|---|---|---|---|---|");
    for (name, scroll) in [
        ("reader, idle (pointer over text)", false),
        ("reader, scrolling every frame", true),
    ] {
        let mut times = Vec::with_capacity(FRAMES);
        let built_before = app.view_cache.reader.layouts_built;
        for frame in 0..FRAMES + 5 {
            let started = Instant::now();
            clock += 1;
            let mut output = ctx.run_ui(raw_input(clock, scroll), |ui| {
                app.logic();
                app.draw(ui);
            });
            // No GPU here: font atlas uploads are what a renderer would do with these.
            output.textures_delta.clear();
            let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
            std::hint::black_box(primitives);
            if clock == 1 {
                first_frame = started.elapsed();
            }
            if frame >= 5 {
                times.push(started.elapsed());
            }
        }
        times.sort();
        let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
        println!(
            "| {name} | {FRAMES} | {:.2} ms | {:.2} ms | {:.2} ms | {} |",
            at(0.5).as_secs_f64() * 1e3,
            at(0.95).as_secs_f64() * 1e3,
            times.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
            app.view_cache.reader.layouts_built - built_before
        );
    }
    println!(
        "| opening the article (first frame, lays out the text) | 1 | {:.1} ms | | | 1 |",
        first_frame.as_secs_f64() * 1e3
    );
    println!();
    println!(
        "article: {words} words, {chars} code points, {ANNOTATIONS} annotations (1 in 4 suggested, 1 in 10 overlapping)"
    );
    Ok(())
}

/// Time to the first usable frame: the app opened (reader handle, outlet list, the first
/// page of the article list) and one frame drawn; the writer handle opens meanwhile on its
/// thread, and the time until it is ready is the last column.
fn startup(archive_dir: &std::path::Path) -> anyhow::Result<()> {
    let n = Archive::open_reader(archive_dir)?.stats()?.store.articles;
    println!("archive of {n} articles: {}", archive_dir.display());
    println!("| run | AnnalistApp::new | first frame | usable window (sum) | writer ready |");
    println!("|---|---|---|---|---|");
    for run in 1..=5 {
        let started = Instant::now();
        let repaint: Arc<dyn Fn() + Send + Sync> = Arc::new(|| {});
        let mut app = AnnalistApp::new(archive_dir, ThemeChoice::Light, repaint)?;
        let opened = started.elapsed();
        let ctx = egui::Context::default();
        annalist::ui::install_fonts(&ctx);
        let mut output = ctx.run_ui(raw_input(0, false), |ui| {
            app.logic();
            app.draw(ui);
        });
        output.textures_delta.clear();
        std::hint::black_box(ctx.tessellate(output.shapes, output.pixels_per_point));
        let first_frame = started.elapsed() - opened;
        anyhow::ensure!(
            u64::try_from(app.state.search.total)? == n,
            "the first frame lists {} articles",
            app.state.search.total
        );
        let usable = started.elapsed();
        app.wait_for_jobs(Duration::from_secs(600));
        println!(
            "| {run} | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms |",
            opened.as_secs_f64() * 1e3,
            first_frame.as_secs_f64() * 1e3,
            usable.as_secs_f64() * 1e3,
            started.elapsed().as_secs_f64() * 1e3
        );
    }
    Ok(())
}
