//! Bad input through the real CLI: each bad file is imported together with a good one, and
//! the test checks the exit code, the message (naming the file and the reason), that the
//! good file was stored, that what was stored before is unchanged, and that nothing
//! panicked. The table in docs/reliability.md lists these cases.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::{Cli, Immutable, json_lines, small_disk};

const SEED: &str = "Shelling resumes near Kharkiv\n\nResidents of Kharkiv said shelling resumed on \
                    Tuesday morning after a two-day lull.\n";
const GOOD: &str = "Aid convoy reaches Mariupol\n\nA convoy of twelve trucks reached Mariupol on \
                    Wednesday, the regional administration said.\n";

/// An archive holding one article with one accepted annotation, and a snapshot of it.
pub struct Archive {
    pub cli: Cli,
    pub before: serde_json::Value,
}

impl Archive {
    pub fn new() -> Self {
        let cli = Cli::new();
        let seed = cli.dir.path().join("seed.txt");
        std::fs::write(&seed, SEED).unwrap();
        cli.ok(&["import", seed.to_str().unwrap()]);
        cli.ok(&[
            "annotate", "add", "1", "--label", "LOC", "--start", "22", "--end", "29",
        ]);
        let before = show(&cli, 1);
        assert_eq!(before["annotations"][0]["text"], "Kharkiv");
        Self { cli, before }
    }

    /// Writes a file into the test's folder.
    pub fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.cli.dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    pub fn good(&self) -> PathBuf {
        self.file("good.txt", GOOD)
    }

    /// `annalist import [extra] paths...`.
    pub fn import(&self, paths: &[&Path], extra: &[&str]) -> Run {
        let mut args = vec!["import"];
        args.extend_from_slice(extra);
        args.extend(paths.iter().map(|path| path.to_str().unwrap()));
        Run::from(self.cli.run(&args))
    }

    /// The seeded article and its annotation are as they were.
    pub fn assert_unharmed(&self) {
        assert_eq!(show(&self.cli, 1), self.before);
        let check = self.cli.run(&["check"]);
        assert!(
            check.status.success(),
            "{}",
            String::from_utf8_lossy(&check.stdout)
        );
    }

    /// The good file was stored, once.
    pub fn assert_good_imported(&self) {
        let titles = titles(&self.cli);
        assert_eq!(
            titles
                .iter()
                .filter(|t| *t == "Aid convoy reaches Mariupol")
                .count(),
            1,
            "{titles:?}"
        );
    }
}

pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(out: Output) -> Self {
        let run = Self {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        assert!(
            !run.stderr.contains("panicked"),
            "a panic: {}\n{}",
            run.stdout,
            run.stderr
        );
        run
    }
}

impl Run {
    /// Requires `line` among the lines of stderr.
    pub fn says(&self, line: &str) -> &Self {
        assert!(
            self.stderr.lines().any(|l| l == line),
            "expected the line {line:?}\nstderr: {}\nstdout: {}",
            self.stderr,
            self.stdout
        );
        self
    }

    pub fn summary(&self, expected: &str) -> &Self {
        assert_eq!(self.stdout.trim(), expected, "stderr: {}", self.stderr);
        self
    }

    pub fn exit(&self, code: i32) -> &Self {
        assert_eq!(self.code, Some(code), "{}\n{}", self.stdout, self.stderr);
        self
    }
}

pub fn show(cli: &Cli, id: i64) -> serde_json::Value {
    serde_json::from_str(&cli.ok(&["show", &id.to_string(), "--json"])).unwrap()
}

pub fn titles(cli: &Cli) -> Vec<String> {
    json_lines(&cli.ok(&["list", "--json", "--limit", "1000"]))
        .iter()
        .map(|row| row["title"].as_str().unwrap().to_owned())
        .collect()
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn binary_file_is_refused() {
    let a = Archive::new();
    let png = a.file(
        "photo.txt",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06",
    );
    a.import(&[&png, &a.good()], &[])
        .exit(2)
        .says(&format!("failed: {} is binary, not text", png.display()))
        .summary("2 files: 1 imported, 0 duplicates, 1 failed, 0 annotations, 0 warnings");
    a.assert_good_imported();
    a.assert_unharmed();
}

#[test]
fn invalid_utf8_is_read_as_a_legacy_encoding_with_a_warning() {
    let a = Archive::new();
    let latin = a.file(
        "latin.txt",
        b"Caf\xe9 hit in Tyre\n\nThe caf\xe9 near the port was hit on Sunday \xab at dawn \xbb.\n",
    );
    a.import(&[&latin, &a.good()], &[]).exit(0).says(&format!(
        "warning: {}: not valid UTF-8: read as windows-1252",
        latin.display()
    ));
    a.assert_good_imported();
    assert!(titles(&a.cli).contains(&"Café hit in Tyre".to_owned()));
    a.assert_unharmed();
}

#[test]
fn truncated_gzip_is_refused() {
    let a = Archive::new();
    let packed = gzip(GOOD.repeat(40).as_bytes());
    let cut = a.file("wire.txt.gz", &packed[..packed.len() / 2]);
    a.import(&[&cut, &a.good()], &[])
        .exit(2)
        .says(&format!("failed: {}: truncated gzip stream", cut.display()));
    a.assert_good_imported();
    a.assert_unharmed();
}

#[test]
fn empty_files_are_refused() {
    let a = Archive::new();
    let empty = a.file("empty.txt", "");
    let blank = a.file("blank.json", " \n\t\n");
    a.import(&[&empty, &blank, &a.good()], &[])
        .exit(2)
        .says(&format!("failed: {}: empty file", empty.display()))
        .says(&format!("failed: {}: empty file", blank.display()));
    a.assert_good_imported();
    a.assert_unharmed();
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_it_is_read() {
    let a = Archive::new();
    // 300 MB without writing them: a sparse file. The size is checked before reading.
    let big = a.cli.dir.path().join("dump.txt");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(300 * 1024 * 1024)
        .unwrap();
    a.import(&[&big, &a.good()], &[]).exit(2).says(&format!(
        "failed: {} is 300 MB, over the 256 MB limit: refused, nothing of it imported",
        big.display()
    ));
    a.assert_good_imported();
    a.assert_unharmed();
}

#[test]
fn the_limit_is_configurable_and_applies_to_what_gzip_unpacks_to() {
    let a = Archive::new();
    // 1.5 MB of text: refused at --max-file-mb 1, and so is its gzip (a few KB packed).
    let text = format!(
        "Long report\n\n{}",
        "Shelling was reported again. ".repeat(54_000)
    );
    let long = a.file("long.txt", &text);
    let packed = a.file("long2.txt.gz", gzip(text.as_bytes()));
    assert!(std::fs::metadata(&packed).unwrap().len() < 100_000);
    a.import(&[&long, &packed, &a.good()], &["--max-file-mb", "1"])
        .exit(2)
        .says(&format!(
            "failed: {} is 1529 KB, over the 1 MB limit: refused, nothing of it imported",
            long.display()
        ))
        .says(&format!(
            "failed: {} unpacks to over 1 MB, over the 1 MB limit: refused, nothing of it imported",
            packed.display()
        ))
        .summary("3 files: 1 imported, 0 duplicates, 2 failed, 0 annotations, 0 warnings");
    a.assert_good_imported();
    assert!(!titles(&a.cli).contains(&"Long report".to_owned()));
    // Under a limit that fits, the same file imports whole.
    a.import(&[&long], &["--max-file-mb", "2"]).exit(0);
    assert!(titles(&a.cli).contains(&"Long report".to_owned()));
    a.assert_unharmed();
}

#[test]
fn html_nested_ten_thousand_levels_is_refused_quickly() {
    let a = Archive::new();
    let deep = a.file(
        "deep.html",
        format!(
            "<html><body>{}<p>Clashes in the old city.</p>{}</body></html>",
            "<div>".repeat(10_000),
            "</div>".repeat(10_000)
        ),
    );
    let started = std::time::Instant::now();
    a.import(&[&deep, &a.good()], &[]).exit(2).says(&format!(
        "failed: {}: elements nested more than 1000 levels deep: refused, nothing of it imported",
        deep.display()
    ));
    // Before the limit this page took 40 s in a debug build (and 100,000 levels over an hour).
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    a.assert_good_imported();
    a.assert_unharmed();
}

#[test]
fn malformed_json_lines_are_skipped_with_their_line_numbers() {
    let a = Archive::new();
    let lines = a.file(
        "wire.jsonl",
        "{\"title\": \"Strike on depot\", \"text\": \"A fuel depot was struck overnight.\"}\n\
         {\"title\": \"Cut off\", \"text\": \"The record ends in the mid\n\
         [1, 2, 3]\n\
         {\"title\": \"Talks\", \"text\": \"Ceasefire talks resumed in Doha.\"}\n",
    );
    a.import(&[&lines, &a.good()], &[])
        .exit(0)
        .says(&format!(
            "warning: {}:2: EOF while parsing a string at column 56",
            lines.display()
        ))
        .says(&format!(
            "warning: {}:3: expected a JSON object, found an array",
            lines.display()
        ))
        .summary("2 files: 3 imported, 0 duplicates, 0 failed, 0 annotations, 2 warnings");
    a.assert_good_imported();
    let titles = titles(&a.cli);
    assert!(titles.contains(&"Strike on depot".to_owned()), "{titles:?}");
    assert!(titles.contains(&"Talks".to_owned()), "{titles:?}");
    a.assert_unharmed();
}

#[test]
fn ragged_csv_rows_are_skipped_with_their_line_numbers() {
    let a = Archive::new();
    let csv = a.file(
        "wires.csv",
        "title,text\nDepot,A fuel depot was struck overnight.\nToo many,cells,here,again\nShort\n\
         Talks,Ceasefire talks resumed in Doha.\n",
    );
    a.import(&[&csv, &a.good()], &[])
        .exit(0)
        .says(&format!(
            "warning: {}:3: expected 2 fields, found 4; row skipped",
            csv.display()
        ))
        .says(&format!(
            "warning: {}:4: expected 2 fields, found 1; row skipped",
            csv.display()
        ))
        .summary("2 files: 3 imported, 0 duplicates, 0 failed, 0 annotations, 2 warnings");
    a.assert_good_imported();
    a.assert_unharmed();
}

#[test]
fn feed_items_with_unreadable_dates_are_kept_undated_with_a_warning() {
    let a = Archive::new();
    let feed = a.file(
        "wire.xml",
        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>Border clashes</title><description>Clashes erupted near the border.</description><pubDate>Tomorrow-ish at noon</pubDate></item>
<item><title>Geneva talks</title><description>Talks resumed in Geneva.</description><pubDate>Mon, 02 Oct 2023 10:00:00 GMT</pubDate></item>
<item><title>Night raid</title><description>A raid was reported at night.</description><pubDate>2023-13-45</pubDate></item>
</channel></rss>"#,
    );
    a.import(&[&feed, &a.good()], &[])
        .exit(0)
        .says(&format!(
            "warning: {}: unreadable dates, items kept without them: \"Tomorrow-ish at noon\", \"2023-13-45\"",
            feed.display()
        ));
    a.assert_good_imported();
    let rows = json_lines(&a.cli.ok(&["list", "--json"]));
    let published =
        |title: &str| rows.iter().find(|r| r["title"] == title).unwrap()["published"].clone();
    assert_eq!(published("Border clashes"), serde_json::Value::Null);
    assert_eq!(published("Geneva talks"), "2023-10-02");
    a.assert_unharmed();
}

#[test]
fn imported_spans_outside_the_text_or_not_integers_are_skipped_with_reasons() {
    let a = Archive::new();
    // 31 code points; a tool counting UTF-16 units sees 32 (the emoji is a surrogate pair).
    let text = "Two soldiers 😀 died in Kharkiv.";
    assert_eq!(text.chars().count(), 31);
    let record = serde_json::json!({
        "text": text,
        "label": [
            [23, 30, "LOC"],
            [24, 32, "LOC"],
            [40, 60, "LOC"],
            [-1, 3, "PER"],
            [1.5, 3, "PER"],
            [4, 12, "not a label!"],
            [4, 12, "SOLDIER"],
        ],
    });
    let doccano = a.file("spans.jsonl", format!("{record}\n"));
    let name = doccano.display();
    a.import(&[&doccano, &a.good()], &[])
        .exit(0)
        .says(&format!(
            "warning: {name}:1: label 2 skipped: span [24, 32) is outside the text, which has 31 code points"
        ))
        .says(&format!(
            "warning: {name}:1: label 3 skipped: span [40, 60) is outside the text, which has 31 code points"
        ))
        .says(&format!(
            "warning: {name}:1: label 4 skipped: start -1 is not a non-negative integer"
        ))
        .says(&format!(
            "warning: {name}:1: label 5 skipped: start 1.5 is not a non-negative integer"
        ))
        .says(&format!(
            "warning: {name}: article \"Two soldiers 😀 died in Kharkiv.\": skipped an annotation: label name 'not a label!' is not valid: use 1 to 64 letters or digits (any script), '_', '-' or '.', starting with a letter; no spaces (brat and CoNLL cannot carry them: use '_')"
        ))
        // A well-formed label the schema lacks is a dataset's own label: added, and said so.
        .says("warning: added the label SOLDIER to the archive's schema");
    a.assert_good_imported();
    let id = json_lines(&a.cli.ok(&["list", "--json"]))
        .iter()
        .find(|r| r["title"] == text)
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let stored: Vec<(String, String)> = show(&a.cli, id)["annotations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["label"].as_str().unwrap().to_owned(),
                n["text"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        stored,
        [
            ("SOLDIER".to_owned(), "soldiers".to_owned()),
            ("LOC".to_owned(), "Kharkiv".to_owned())
        ]
    );
    a.assert_unharmed();
}

#[test]
fn annotate_add_refuses_spans_outside_the_text_and_unknown_labels() {
    let a = Archive::new();
    let emoji = a.file(
        "emoji.txt",
        "Strike on Kharkiv 😀 market\n\nTwo people were killed in Kharkiv 😀 on Monday.\n",
    );
    a.cli.ok(&["import", emoji.to_str().unwrap()]);
    let add = |args: &[&str]| {
        let mut all = vec!["annotate", "add", "2"];
        all.extend_from_slice(args);
        Run::from(a.cli.run(&all))
    };
    // 75 code points, 77 UTF-16 units: an end counted in UTF-16 is past the text.
    add(&["--label", "LOC", "--start", "66", "--end", "77"])
        .exit(2)
        .says("error: annotation refused: span [66, 77) is outside the text, which has 75 code points");
    add(&["--label", "LOC", "--start", "9", "--end", "5"])
        .exit(2)
        .says("error: annotation refused: span [9, 5) is empty or reversed: end must be greater than start");
    add(&["--label", "LOC", "--start=-1", "--end", "3"])
        .exit(2)
        .says("error: invalid value '-1' for '--start <START>': invalid digit found in string");
    add(&["--label", "LOC", "--start", "1.5", "--end", "3"])
        .exit(2)
        .says("error: invalid value '1.5' for '--start <START>': invalid digit found in string");
    add(&["--label", "NOPE", "--start", "10", "--end", "17"])
        .exit(2)
        .says("error: annotation refused: label 'NOPE' is not in the schema (labels: PER, ORG, LOC, DATE, CASUALTY); add it with `annalist labels add`");
    // The emoji is one code point: [18, 19) is exactly it.
    let ok = add(&["--label", "LOC", "--start", "18", "--end", "19"]);
    ok.exit(0);
    assert!(ok.stdout.contains("LOC [18, 19) \"😀\""), "{}", ok.stdout);
    assert_eq!(show(&a.cli, 2)["annotations"].as_array().unwrap().len(), 1);
    a.assert_unharmed();
}

#[test]
fn a_folder_that_is_not_an_archive_is_left_alone() {
    let cli = Cli::new();
    let good = cli.dir.path().join("good.txt");
    std::fs::write(&good, GOOD).unwrap();
    let run_on = |archive: &Path| {
        Run::from(
            Command::new(env!("CARGO_BIN_EXE_annalist"))
                .arg("--archive")
                .arg(archive)
                .args(["import", good.to_str().unwrap()])
                .env_remove("ANNALIST_ARCHIVE")
                .output()
                .unwrap(),
        )
    };
    // A folder of other files.
    let thesis = cli.dir.path().join("thesis");
    std::fs::create_dir(&thesis).unwrap();
    std::fs::write(thesis.join("chapter1.docx"), "draft").unwrap();
    run_on(&thesis).exit(2).says(&format!(
        "error: cannot open the archive {0}: not an Annalist archive (no annalist.sqlite3, and the folder is not empty): {0}",
        thesis.display()
    ));
    let names: Vec<_> = std::fs::read_dir(&thesis)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["chapter1.docx"], "nothing written into the folder");
    // A database file that is not SQLite.
    let fake = cli.dir.path().join("fake");
    std::fs::create_dir(&fake).unwrap();
    std::fs::write(fake.join("annalist.sqlite3"), "not a database").unwrap();
    let run = run_on(&fake);
    run.exit(2);
    assert!(
        run.stderr.starts_with(&format!(
            "error: cannot open the archive {}: ",
            fake.display()
        )) && run.stderr.contains("file is not a database"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read(fake.join("annalist.sqlite3")).unwrap(),
        b"not a database"
    );
    // A file where the folder should be.
    let file = cli.dir.path().join("notes.txt");
    std::fs::write(&file, "notes").unwrap();
    let run = run_on(&file);
    run.exit(2);
    assert!(
        run.stderr.starts_with(&format!(
            "error: cannot open the archive {}: cannot read the archive folder: Not a directory",
            file.display()
        )),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read(&file).unwrap(), b"notes");
}

#[test]
#[ignore = "needs root (chattr +i): .ci/run runs it"]
fn a_read_only_archive_refuses_writes_and_is_left_as_it_was() {
    let a = Archive::new();
    let good = a.good();
    // Tests may run as root, who ignores permission bits: make the folder and the database
    // immutable instead (`chattr +i`), which binds root too.
    let archive = a.cli.archive();
    // The lock file is made on the first write: without it, creating it is what fails first.
    std::fs::remove_file(archive.join("annalist.lock")).unwrap();
    {
        let _guard = Immutable::set(vec![archive.clone(), archive.join("annalist.sqlite3")]);
        let expected = format!(
            "error: cannot open the archive {0}: the archive {0} is read-only: Annalist writes \
             beside its database even to read it (SQLite's WAL); copy the folder somewhere \
             writable, or make it writable: Operation not permitted (os error 1)",
            archive.display()
        );
        a.import(&[&good], &[]).exit(2).says(&expected);
        // In WAL mode even a reader needs to create its shared-memory file beside the
        // database, so reading fails the same way.
        Run::from(a.cli.run(&["list"])).exit(2).says(&expected);
    }
    // Writable again: nothing changed, nothing half-imported.
    assert_eq!(titles(&a.cli), ["Shelling resumes near Kharkiv"]);
    a.assert_unharmed();
}

#[test]
#[ignore = "needs root in a private mount namespace (mounts a tmpfs): .ci/run runs it"]
fn a_full_disk_stops_the_import_and_keeps_what_was_stored() {
    let cli = Cli::new();
    let disk = cli.dir.path().join("disk");
    // A 3 MB file system.
    let _unmount = small_disk(&disk, "3m");
    let archive = disk.join("archive");
    let run = |args: &[&str]| {
        Run::from(
            Command::new(env!("CARGO_BIN_EXE_annalist"))
                .arg("--archive")
                .arg(&archive)
                .args(args)
                .env_remove("ANNALIST_ARCHIVE")
                .output()
                .unwrap(),
        )
    };
    let seed = cli.dir.path().join("seed.txt");
    std::fs::write(&seed, SEED).unwrap();
    run(&["import", seed.to_str().unwrap()]).exit(0);
    run(&[
        "annotate", "add", "1", "--label", "LOC", "--start", "22", "--end", "29",
    ])
    .exit(0);
    let before = run(&["show", "1", "--json"]).stdout;
    // 5 MB of varied words cannot fit on a 3 MB disk.
    let words: String = (0..400_000u32)
        .map(|i| format!("shelling{} ", i.wrapping_mul(2_654_435_761) % 99_991))
        .collect();
    let big = cli.dir.path().join("big.txt");
    std::fs::write(&big, format!("Big report\n\n{words}")).unwrap();
    let good = cli.dir.path().join("good.txt");
    std::fs::write(&good, GOOD).unwrap();
    // The big file is named and left out; the rest of the batch goes on.
    let imported = run(&["import", big.to_str().unwrap(), good.to_str().unwrap()]);
    imported.exit(2).says(&format!(
        "failed: {}: article \"Big report\" not stored: the disk holding the archive {} is full; free space and import it again",
        big.display(),
        archive.display()
    ));
    assert!(
        imported
            .stdout
            .contains("2 files: 1 imported, 0 duplicates, 1 failed"),
        "{}",
        imported.stdout
    );
    // What was stored is unharmed and the archive is sound.
    run(&["check"]).exit(0);
    assert_eq!(run(&["show", "1", "--json"]).stdout, before);
    let listed = run(&["list"]).stdout;
    assert_eq!(listed.lines().count(), 2, "{listed}");
    let found = run(&["search", "convoy"]).stdout;
    assert!(found.contains("Aid convoy reaches Mariupol"), "{found}");
}

/// An export whose `--out` is the archive's own database, a file in its folder, a link or a
/// device is refused with a reason, and nothing is replaced: the database is still the
/// database, the link still a link to an unchanged file, the device still a device.
#[test]
fn an_export_never_replaces_the_archive_a_link_or_a_device() {
    use std::os::unix::fs::FileTypeExt as _;
    let cli = Cli::new();
    cli.ok(&[
        "import",
        crate::support::fixtures().join("news").to_str().unwrap(),
    ]);
    let listed = cli.ok(&["list", "--json"]);
    let database = cli.archive().join("annalist.sqlite3");
    let refused = |out: &Path, reason: &str| {
        let run = cli.run(&[
            "export",
            "--format",
            "jsonl",
            "--out",
            out.to_str().unwrap(),
        ]);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{out:?}: {stderr}");
        assert!(stderr.contains(reason), "{out:?}: {stderr}");
    };
    refused(&database, "inside the archive's own folder");
    refused(
        &cli.archive().join("mine.jsonl"),
        "inside the archive's own folder",
    );
    // Through a link to the archive folder, and through a relative path with "..".
    let alias = cli.dir.path().join("alias");
    std::os::unix::fs::symlink(cli.archive(), &alias).unwrap();
    refused(
        &alias.join("annalist.sqlite3"),
        "inside the archive's own folder",
    );
    refused(
        &cli.archive()
            .join("index")
            .join("..")
            .join("annalist.sqlite3"),
        "inside the archive's own folder",
    );
    let header = std::fs::read(&database).unwrap();
    assert!(
        header.starts_with(b"SQLite format 3\0"),
        "the database is intact"
    );
    assert_eq!(cli.ok(&["list", "--json"]), listed);
    assert!(!cli.archive().join("mine.jsonl").exists());

    let victim = cli.dir.path().join("victim.txt");
    std::fs::write(&victim, "the user's own notes").unwrap();
    let link = cli.dir.path().join("out.jsonl");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    refused(&link, "is a link");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap(),
        "the user's own notes"
    );

    refused(Path::new("/dev/null"), "device, pipe or socket");
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
}
