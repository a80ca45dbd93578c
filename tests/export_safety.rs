//! Exports, backups, the lock and terminal output never destroy or disguise data: the real
//! CLI on temporary archives, with the whole tree hashed before and after where files could
//! be touched (issue 13, items 1, 3, 5, 6, 24, 25 and 26; the property test of "What it must
//! show" #2). The cases are listed in docs/reliability.md.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::Digest as _;

use crate::bad_input::Run;
use crate::support::{Cli, fixtures, small_disk};

/// What a path in a tree is: enough to tell that nothing about it changed, without ever
/// opening a pipe or a device.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    File { sha256: Vec<u8>, mode: u32 },
    Folder,
    Link(PathBuf),
    Special { kind: String, rdev: u64 },
}

/// Every path under `root` (not following links), with what it is.
fn tree(root: &Path) -> BTreeMap<PathBuf, Node> {
    use std::os::unix::fs::MetadataExt as _;
    let mut out = BTreeMap::new();
    let mut pending = vec![root.to_owned()];
    while let Some(path) = pending.pop() {
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        let kind = meta.file_type();
        let node = if kind.is_symlink() {
            Node::Link(std::fs::read_link(&path).unwrap())
        } else if kind.is_dir() {
            for entry in std::fs::read_dir(&path).unwrap() {
                pending.push(entry.unwrap().path());
            }
            Node::Folder
        } else if kind.is_file() {
            Node::File {
                sha256: sha2::Sha256::digest(std::fs::read(&path).unwrap()).to_vec(),
                mode: meta.mode(),
            }
        } else {
            Node::Special {
                kind: format!("{kind:?}"),
                rdev: meta.rdev(),
            }
        };
        out.insert(path, node);
    }
    out
}

/// The tree without what a reading command legitimately rewrites in the archive: the lock
/// file (its process id) and SQLite's WAL and shared-memory files.
fn stable_tree(root: &Path) -> BTreeMap<PathBuf, Node> {
    let mut all = tree(root);
    all.retain(|path, _| {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        !(name == "annalist.lock" || name.ends_with("-wal") || name.ends_with("-shm"))
    });
    all
}

/// Paths whose entries differ between two trees (added, removed or changed).
fn changed(before: &BTreeMap<PathBuf, Node>, after: &BTreeMap<PathBuf, Node>) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = before
        .iter()
        .filter(|(path, node)| after.get(*path) != Some(node))
        .map(|(path, _)| path.clone())
        .collect();
    out.extend(
        after
            .keys()
            .filter(|path| !before.contains_key(*path))
            .cloned(),
    );
    out.sort();
    out
}

/// An archive of the three news fixtures.
fn news() -> Cli {
    let cli = Cli::new();
    cli.ok(&["import", fixtures().join("news").to_str().unwrap()]);
    cli
}

fn export(cli: &Cli, format: &str, out: &Path) -> Run {
    Run::from(cli.run(&["export", "--format", format, "--out", out.to_str().unwrap()]))
}

// --- Item 1: a folder export replaces only an earlier export of Annalist's

#[test]
fn a_folder_export_replaces_only_an_earlier_export_it_wrote() {
    let cli = news();
    let root = cli.dir.path();
    // A researcher's own corpus of brat files, as any folder of .txt/.ann files looks.
    let corpus = root.join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::write(corpus.join("1.txt"), "BBC article one").unwrap();
    std::fs::write(corpus.join("1.ann"), "T1\tPER 0 3\tBBC\n").unwrap();
    std::fs::write(corpus.join("annotation.conf"), "[entities]\nPER\n").unwrap();
    let before = tree(root);
    export(&cli, "brat", &corpus).exit(2).says(&format!(
        "error: the folder holds 1.ann and 2 other entries and is not an earlier Annalist brat export (it has no manifest.json of one), so its files may be yours; nothing was changed: choose a new or empty folder: {}",
        corpus.display()
    ));
    // A manifest.json that Annalist did not write does not make it an export either.
    std::fs::write(corpus.join("manifest.json"), r#"{"format": "brat"}"#).unwrap();
    let before_fake = tree(root);
    export(&cli, "brat", &corpus).exit(2);
    assert_eq!(changed(&before_fake, &tree(root)), Vec::<PathBuf>::new());
    std::fs::remove_file(corpus.join("manifest.json")).unwrap();
    assert_eq!(changed(&before, &tree(root)), Vec::<PathBuf>::new());

    // A new folder, then the same folder again: the earlier export is replaced.
    let out = root.join("brat");
    export(&cli, "brat", &out).exit(0);
    let first = tree(&out);
    assert!(first.contains_key(&out.join("manifest.json")));
    assert!(first.contains_key(&out.join("1.ann")));
    export(&cli, "brat", &out).exit(0);
    assert_eq!(tree(&out), first, "the same export gives the same files");

    // A file added to the export, a folder in it, or a file edited after the export
    // (annotations made in brat): refused, naming it, nothing changed.
    std::fs::write(out.join("notes.txt"), "my notes").unwrap();
    let before = tree(root);
    export(&cli, "brat", &out).exit(2).says(&format!(
        "error: the folder holds an earlier export and also notes.txt, which that export did not write; nothing was changed: move notes.txt out, or choose a new or empty folder: {}",
        out.display()
    ));
    assert_eq!(changed(&before, &tree(root)), Vec::<PathBuf>::new());
    std::fs::remove_file(out.join("notes.txt")).unwrap();
    std::fs::create_dir(out.join("extra")).unwrap();
    export(&cli, "brat", &out).exit(2);
    assert!(out.join("extra").is_dir());
    std::fs::remove_dir(out.join("extra")).unwrap();
    std::fs::write(out.join("2.ann"), "T1\tLOC 0 4\tGaza\n").unwrap();
    let before = tree(root);
    export(&cli, "brat", &out).exit(2).says(&format!(
        "error: 2.ann in the earlier export was changed after Annalist wrote it (work done on the export, in brat for example, would be lost); nothing was changed: move the folder away, or choose a new one: {}",
        out.display()
    ));
    assert_eq!(changed(&before, &tree(root)), Vec::<PathBuf>::new());

    // An empty folder is taken; a file where the folder should be is refused.
    let empty = root.join("empty");
    std::fs::create_dir(&empty).unwrap();
    export(&cli, "brat", &empty).exit(0);
    assert!(empty.join("manifest.json").is_file());
    let file = root.join("file");
    std::fs::write(&file, "mine").unwrap();
    export(&cli, "brat", &file).exit(2).says(&format!(
        "error: the brat export is a folder, and this is a file; name a new or empty folder: {}",
        file.display()
    ));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
}

// --- Item 5: temporaries of this process only; concurrent exports both complete

#[test]
fn a_user_folder_named_like_a_temporary_survives_and_concurrent_exports_are_whole() {
    let cli = news();
    let root = cli.dir.path();
    let out = root.join("out.jsonl");
    // The old fixed temporary names, as the user's own folder and file.
    let partial = root.join("out.jsonl.partial");
    std::fs::create_dir(&partial).unwrap();
    std::fs::write(partial.join("thesis.txt"), "three years of work").unwrap();
    std::fs::write(root.join("out.jsonl.manifest.json.partial"), "mine").unwrap();
    let before = tree(root);
    export(&cli, "jsonl", &out).exit(0);
    let expected = std::fs::read(&out).unwrap();
    assert!(!expected.is_empty());
    let mut allowed = vec![out.clone(), root.join("out.jsonl.manifest.json")];
    allowed.sort();
    let mut touched = changed(&before, &tree(root));
    touched.retain(|p| !p.starts_with(cli.archive()));
    assert_eq!(touched, allowed, "only the export and its manifest are new");

    // Two exports to the same --out at once, several times: both succeed and the file is
    // always complete, never empty; no temporary is left.
    for round in 0..4 {
        let spawn = || {
            Command::new(env!("CARGO_BIN_EXE_annalist"))
                .arg("--archive")
                .arg(cli.archive())
                .args(["export", "--format", "jsonl", "--out"])
                .arg(&out)
                .env_remove("ANNALIST_ARCHIVE")
                .output()
        };
        let (a, b) = std::thread::scope(|s| {
            let a = s.spawn(spawn);
            let b = s.spawn(spawn);
            (a.join().unwrap().unwrap(), b.join().unwrap().unwrap())
        });
        for run in [a, b] {
            let run = Run::from(run);
            run.exit(0);
        }
        assert_eq!(std::fs::read(&out).unwrap(), expected, "round {round}");
        let mut names: Vec<String> = std::fs::read_dir(root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
        names.sort();
        assert_eq!(names, Vec::<String>::new(), "no temporary left");
    }
}

// --- Item 26: messages name the user's path; long names; nothing left on failure

#[test]
fn export_failures_name_the_given_path_and_leave_nothing_behind() {
    let cli = news();
    let root = cli.dir.path();
    let before = tree(root);
    let missing = root.join("no-such-folder").join("out.jsonl");
    export(&cli, "jsonl", &missing).exit(2).says(&format!(
        "error: cannot export: the folder {} does not exist; create it first, or choose another place: {}",
        root.join("no-such-folder").display(),
        missing.display()
    ));
    let missing_brat = root.join("no-such-folder").join("brat");
    export(&cli, "brat", &missing_brat).exit(2);
    // 242 bytes plus ".manifest.json" is over 255: refused before anything is written.
    let long = root.join("a".repeat(242));
    export(&cli, "csv", &long).exit(2).says(&format!(
        "error: the file name is 242 bytes long: with \".manifest.json\" added for the manifest beside it, it would be over the 255 that file systems take; use a name of at most 241 bytes: {}",
        long.display()
    ));
    let mut after = tree(root);
    after.retain(|p, _| !p.starts_with(cli.archive()));
    let mut unchanged = before.clone();
    unchanged.retain(|p, _| !p.starts_with(cli.archive()));
    assert_eq!(changed(&unchanged, &after), Vec::<PathBuf>::new());
    // 240 and 241 bytes work: the temporary names are short whatever the name.
    for n in [240, 241] {
        let name = root.join("b".repeat(n));
        export(&cli, "jsonl", &name).exit(0);
        assert!(std::fs::metadata(&name).unwrap().len() > 0);
        let mut manifest = name.into_os_string();
        manifest.push(".manifest.json");
        assert!(Path::new(&manifest).is_file());
    }
}

/// An archive with about 2 MB of text, too much for a 256 KB disk.
fn big_archive() -> Cli {
    let cli = Cli::new();
    let words: String = (0..200_000u32)
        .map(|i| format!("convoy{} ", i.wrapping_mul(2_654_435_761) % 99_991))
        .collect();
    let file = cli.dir.path().join("big.txt");
    std::fs::write(&file, format!("Big report\n\n{words}")).unwrap();
    cli.ok(&["import", file.to_str().unwrap()]);
    cli
}

#[test]
#[ignore = "needs root in a private mount namespace (mounts a tmpfs): .ci/run runs it"]
fn an_export_that_fills_the_disk_leaves_nothing_behind() {
    let cli = big_archive();
    let disk = cli.dir.path().join("disk");
    let _mount = small_disk(&disk, "256k");
    std::fs::write(disk.join("keep.txt"), "the user's file").unwrap();
    let before = tree(&disk);
    for (format, name) in [("jsonl", "out.jsonl"), ("brat", "brat"), ("csv", "out.csv")] {
        let run = export(&cli, format, &disk.join(name));
        if format == "csv" {
            // No annotations: the CSV is only a header, which fits.
            run.exit(0);
            continue;
        }
        run.exit(2);
        assert!(
            run.stderr.contains("No space left on device"),
            "{format}: {}",
            run.stderr
        );
        assert_eq!(
            changed(&before, &tree(&disk)),
            Vec::<PathBuf>::new(),
            "{format}"
        );
    }
}

// --- Item 24: CSV cells that spreadsheets would run are neutralised

/// An article whose title, outlet and span texts are formulas, with a claim whose count is
/// negative: `(cli, article text)`.
fn formulas() -> Cli {
    let cli = Cli::new();
    let text = "=HYPERLINK(\"http://evil.example\",\"click\")\n\n@home -5 people were killed near +Gaza.\n";
    let file = cli.dir.path().join("formula.txt");
    std::fs::write(&file, text).unwrap();
    cli.ok(&["import", "--source=-outlet", file.to_str().unwrap()]);
    let at = |needle: &str| {
        let byte = text.find(needle).unwrap();
        text[..byte].chars().count()
    };
    let span = |needle: &str| {
        let start = at(needle);
        (
            start.to_string(),
            (start + needle.chars().count()).to_string(),
        )
    };
    let (start, end) = span("@home");
    cli.ok(&[
        "annotate",
        "add",
        "1",
        "--label",
        "CASUALTY",
        "--start",
        &start,
        "--end",
        &end,
        "--attr",
        "count=-5",
        "--attr",
        "claimed_by==cmd|' /C calc'!A0",
    ]);
    let (start, end) = span("+Gaza");
    cli.ok(&[
        "annotate", "add", "1", "--label", "LOC", "--start", &start, "--end", &end,
    ]);
    cli
}

fn csv_rows(cli: &Cli, args: &[&str]) -> Vec<BTreeMap<String, String>> {
    let out = cli.ok(args);
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    reader
        .records()
        .map(|row| {
            header
                .iter()
                .cloned()
                .zip(row.unwrap().iter().map(str::to_owned))
                .collect()
        })
        .collect()
}

#[test]
fn csv_exports_neutralise_formulas_and_keep_numbers() {
    let cli = formulas();
    let rows = csv_rows(&cli, &["export", "--format", "csv"]);
    let claim = rows.iter().find(|r| r["label"] == "CASUALTY").unwrap();
    assert_eq!(
        claim["title"],
        "'=HYPERLINK(\"http://evil.example\",\"click\")"
    );
    assert_eq!(claim["source"], "'-outlet");
    assert_eq!(claim["text"], "'@home");
    assert_eq!(claim["claimed_by"], "'=cmd|' /C calc'!A0");
    assert_eq!(claim["count"], "-5", "numbers stay numbers");
    assert_eq!(claim["start"], "43");
    assert_eq!(claim["article_id"], "1");
    let place = rows.iter().find(|r| r["label"] == "LOC").unwrap();
    assert_eq!(place["text"], "'+Gaza");

    let events = csv_rows(&cli, &["export", "--format", "events-csv"]);
    assert_eq!(events.len(), 1);
    assert_eq!(
        events[0]["headline"],
        "'=HYPERLINK(\"http://evil.example\",\"click\")"
    );
    assert_eq!(events[0]["outlet"], "'-outlet");
    assert_eq!(events[0]["quote"], "'@home");
    assert_eq!(events[0]["claimed_by"], "'=cmd|' /C calc'!A0");
    assert_eq!(events[0]["count"], "-5");
    assert_eq!(events[0]["quote_start"], "43");

    // --csv-raw: exactly as stored.
    let raw = csv_rows(&cli, &["export", "--format", "csv", "--csv-raw"]);
    let claim = raw.iter().find(|r| r["label"] == "CASUALTY").unwrap();
    assert_eq!(
        claim["title"],
        "=HYPERLINK(\"http://evil.example\",\"click\")"
    );
    assert_eq!(claim["text"], "@home");
    let raw = csv_rows(&cli, &["export", "--format", "events-csv", "--csv-raw"]);
    assert_eq!(raw[0]["claimed_by"], "=cmd|' /C calc'!A0");
    // Other formats are data, not spreadsheets: unchanged.
    let jsonl = cli.ok(&["export", "--format", "jsonl"]);
    assert!(jsonl.contains("\"title\":\"=HYPERLINK("), "{jsonl}");
}

// --- Item 6: a failed backup leaves DEST as it was, and a retry works

#[test]
#[ignore = "needs root in a private mount namespace (mounts a tmpfs): .ci/run runs it"]
fn a_backup_that_does_not_fit_leaves_dest_as_it_was_and_a_retry_works() {
    let cli = big_archive();
    let disk = cli.dir.path().join("disk");
    let _mount = small_disk(&disk, "512k");
    let empty = disk.join("empty");
    std::fs::create_dir(&empty).unwrap();
    let before = tree(&disk);
    for dest in [disk.join("new").join("backup"), empty.clone()] {
        Run::from(cli.run(&["backup", dest.to_str().unwrap()]))
            .exit(2)
            .says(&format!(
                "error: the backup did not fit: the disk holding the backup folder is full; nothing was left in it: free space and run the backup again: {}",
                dest.display()
            ));
        assert_eq!(
            changed(&before, &tree(&disk)),
            Vec::<PathBuf>::new(),
            "{dest:?}"
        );
    }
    // More space: the same DEST is not refused, and the copy is a sound archive.
    let grown = Command::new("mount")
        .args(["-o", "remount,size=64m"])
        .arg(&disk)
        .output()
        .unwrap();
    assert!(grown.status.success());
    for dest in [disk.join("new").join("backup"), empty] {
        let run = Run::from(cli.run(&["backup", dest.to_str().unwrap()]));
        run.exit(0);
        let names: Vec<String> = std::fs::read_dir(&dest)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            ["annalist.sqlite3"],
            "only the database, no temporary"
        );
        let copy = Run::from(
            Command::new(env!("CARGO_BIN_EXE_annalist"))
                .arg("--archive")
                .arg(&dest)
                .args(["list", "--json"])
                .env_remove("ANNALIST_ARCHIVE")
                .output()
                .unwrap(),
        );
        copy.exit(0);
        assert!(copy.stdout.contains("Big report"), "{}", copy.stdout);
    }
}

#[test]
fn a_backup_of_a_damaged_database_is_refused_and_leaves_dest_as_it_was() {
    let cli = news();
    let texts = cli.dir.path().join("texts");
    std::fs::create_dir(&texts).unwrap();
    for i in 0..40u32 {
        let words: String = (0..3000u32)
            .map(|w| {
                format!(
                    "word{} ",
                    (i * 3000 + w).wrapping_mul(2_654_435_761) % 99_991
                )
            })
            .collect();
        std::fs::write(
            texts.join(format!("t{i}.txt")),
            format!("Title {i}\n\n{words}"),
        )
        .unwrap();
    }
    cli.ok(&["import", texts.to_str().unwrap()]);
    // One page of article text in the middle of the database overwritten, as a failing disk
    // does (an overflow page of a long text, so that opening the archive still works and only
    // a full read meets the damage).
    let database = cli.archive().join("annalist.sqlite3");
    let mut bytes = std::fs::read(&database).unwrap();
    assert!(bytes.len() > 4096 * 40, "{}", bytes.len());
    let text_pages: Vec<usize> = bytes
        .chunks(4096)
        .enumerate()
        // An overflow page (no b-tree page flag in its first byte) full of text.
        .filter(|(_, page)| !matches!(page[0], 2 | 5 | 10 | 13))
        .filter(|(_, page)| page.windows(4).filter(|w| w == b"word").count() > 200)
        .map(|(n, _)| n)
        .collect();
    let page = text_pages[text_pages.len() / 2];
    for (i, byte) in bytes[4096 * page..4096 * (page + 1)].iter_mut().enumerate() {
        *byte = u8::try_from(i * 7 % 251).unwrap();
    }
    std::fs::write(&database, &bytes).unwrap();
    let empty = cli.dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    for dest in [cli.dir.path().join("new"), empty.clone()] {
        let run = Run::from(cli.run(&["backup", dest.to_str().unwrap()]));
        run.exit(2);
        assert!(
            run.stderr
                .starts_with("error: the backup failed its integrity check (integrity: "),
            "{}",
            run.stderr
        );
        assert!(run.stderr.trim_end().ends_with(&format!(
            "so nothing was left in the backup folder; run `annalist check` on the archive: {}",
            dest.display()
        )));
    }
    assert!(!cli.dir.path().join("new").exists());
    assert_eq!(std::fs::read_dir(&empty).unwrap().count(), 0);
}

// --- Item 3: a lock file that is not a plain file is never followed, read or truncated

/// Runs `annalist` with a deadline: a command that would hang on a pipe fails the test
/// instead of hanging it.
fn run_within(cli: &Cli, args: &[&str], seconds: u64) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_annalist"))
        .arg("--archive")
        .arg(cli.archive())
        .args(args)
        .env_remove("ANNALIST_ARCHIVE")
        .env("ANNALIST_ANNOTATOR", "tester")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("annalist {args:?} hung");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    Run::from(child.wait_with_output().unwrap())
}

#[test]
fn a_lock_file_that_is_a_link_pipe_folder_or_hard_link_is_refused_untouched() {
    let cli = news();
    let lock = cli.archive().join("annalist.lock");
    let secret = cli.dir.path().join("secret.txt");
    let contents = "TOP SECRET: the informant's name\n";
    let refusal = |what: &str| {
        format!(
            "error: cannot open the archive {}: the archive's lock file is {what}, not a plain file (an archive unpacked from a tar or copied with links can hold one); Annalist never follows, reads or writes it: remove it and try again: {}",
            cli.archive().display(),
            lock.display()
        )
    };
    let write = ["labels", "add", "WEAPON"];
    let cases: [(&str, &dyn Fn()); 4] = [
        ("a symbolic link", &|| {
            std::fs::write(&secret, contents).unwrap();
            std::os::unix::fs::symlink(&secret, &lock).unwrap();
        }),
        ("a named pipe (FIFO)", &|| {
            let made = Command::new("mkfifo").arg(&lock).status().unwrap();
            assert!(made.success());
        }),
        ("a folder", &|| std::fs::create_dir(&lock).unwrap()),
        ("a file with other names too (a hard link)", &|| {
            std::fs::write(&secret, contents).unwrap();
            std::fs::hard_link(&secret, &lock).unwrap();
        }),
    ];
    for (what, make) in cases {
        let _ = std::fs::remove_file(&lock);
        let _ = std::fs::remove_dir(&lock);
        make();
        let before = tree(cli.dir.path());
        // A writing command is refused, saying what the lock is and what to do.
        run_within(&cli, &write, 20).exit(2).says(&refusal(what));
        // Reading commands still work, read-only, and never show the target's contents.
        let listed = run_within(&cli, &["list"], 20);
        listed.exit(0);
        assert_eq!(
            listed.stdout.lines().count(),
            3,
            "{what}: {}",
            listed.stdout
        );
        assert!(
            listed
                .stderr
                .contains("reading the archive without taking its lock"),
            "{what}: {}",
            listed.stderr
        );
        let shown = run_within(&cli, &["show", "1"], 20);
        shown.exit(0);
        for run in [&listed, &shown] {
            assert!(!run.stderr.contains("SECRET") && !run.stdout.contains("SECRET"));
        }
        let mut after = tree(cli.dir.path());
        let mut before = before;
        for tree in [&mut before, &mut after] {
            tree.retain(|p, _| {
                let name = p.to_string_lossy();
                !name.ends_with("-wal") && !name.ends_with("-shm")
            });
        }
        assert_eq!(changed(&before, &after), Vec::<PathBuf>::new(), "{what}");
        if what.contains("link") {
            assert_eq!(std::fs::read_to_string(&secret).unwrap(), contents);
        }
    }
    // Once removed, the archive opens as before.
    let _ = std::fs::remove_file(&lock);
    cli.ok(&write);
}

#[test]
fn the_not_closed_cleanly_note_shows_only_a_process_id() {
    let cli = news();
    let lock = cli.archive().join("annalist.lock");
    // A stale lock of a dead process: its id is shown.
    std::fs::write(&lock, "4242\n").unwrap();
    let run = run_within(&cli, &["list"], 20);
    run.exit(0).says(
        "note: process 4242 did not close the archive cleanly (it was stopped or crashed); its stale lock was cleared",
    );
    // Anything else (escape sequences, another file's text) is never printed.
    std::fs::write(&lock, "\x1b]0;pwned\x07\x1b[2J secret text").unwrap();
    let run = run_within(&cli, &["list"], 20);
    run.exit(0).says(
        "note: the archive's lock file held something other than a process id (not shown); it was cleared",
    );
    assert!(!run.stderr.contains("secret") && !run.stderr.contains('\x1b'));
    assert_eq!(std::fs::read_to_string(&lock).unwrap(), "");
}

// --- Item 25: escape sequences and bidi controls in stored text are shown, not obeyed

#[test]
fn list_search_and_show_escape_terminal_controls_and_json_stays_exact() {
    let cli = Cli::new();
    let title = "\u{1b}]0;pwned\u{7}Evil \u{1b}[2Jtitle \u{202e}exe.txt";
    let text = format!(
        "{title}\n\nConvoy report with \u{1b}[8mhidden\u{1b}[0m text, a C1 \u{9b}31m and \u{2066}isolate\u{2069}.\n\tIndented line.\n"
    );
    let file = cli.dir.path().join("evil.txt");
    std::fs::write(&file, &text).unwrap();
    cli.ok(&[
        "import",
        "--source=Wire\u{1b}[5m\u{200f}",
        file.to_str().unwrap(),
    ]);
    let shown_title = "\\u{1b}]0;pwned\\u{7}Evil \\u{1b}[2Jtitle \\u{202e}exe.txt";
    let controls = |out: &str| {
        out.chars()
            .filter(|c| {
                (c.is_control() && *c != '\n' && *c != '\t')
                    || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
            })
            .count()
    };
    let listed = cli.ok(&["list"]);
    assert_eq!(controls(&listed), 0, "{listed:?}");
    assert!(listed.contains(shown_title), "{listed}");
    assert!(listed.contains("Wire\\u{1b}[5m"), "{listed}");
    let found = cli.ok(&["search", "convoy"]);
    assert_eq!(controls(&found), 0, "{found:?}");
    assert!(found.contains(shown_title), "{found}");
    assert!(found.contains("\\u{1b}[8mhidden"), "{found}");
    let shown = cli.ok(&["show", "1"]);
    assert_eq!(controls(&shown), 0, "{shown:?}");
    assert!(shown.contains(&format!("# {shown_title}\n")), "{shown}");
    assert!(shown.contains("a C1 \\u{9b}31m and \\u{2066}isolate\\u{2069}."));
    // The body keeps its line breaks and tabs.
    assert!(shown.contains("\n\tIndented line.\n"), "{shown:?}");
    // --json is exact.
    let row: serde_json::Value = serde_json::from_str(cli.ok(&["list", "--json"]).trim()).unwrap();
    assert_eq!(row["title"], title);
    assert_eq!(row["source"], "Wire\u{1b}[5m\u{200f}");
    let record = crate::bad_input::show(&cli, 1);
    assert_eq!(record["text"].as_str().unwrap(), text);
    let hit: serde_json::Value =
        serde_json::from_str(cli.ok(&["search", "convoy", "--json"]).trim()).unwrap();
    assert_eq!(hit["title"], title);
}

// --- "What it must show" #2: no sequence of exports touches anything but the new export

/// A small deterministic generator (SplitMix64), so a failing case can be replayed from
/// its seed.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[usize::try_from(self.next() % items.len() as u64).unwrap()]
    }
}

/// Where an export at `out` lands: its folder with links and `..` resolved, then its name;
/// `None` when that folder does not exist (nothing may change then).
fn landing(out: &Path) -> Option<PathBuf> {
    let parent = out.parent()?.canonicalize().ok()?;
    Some(parent.join(out.file_name()?))
}

#[test]
#[expect(
    clippy::too_many_lines,
    reason = "one scenario, step by step; a test, not shipped code"
)]
fn no_sequence_of_exports_touches_anything_but_the_new_export() {
    use std::os::unix::fs::symlink;
    let cases: usize = std::env::var("ANNALIST_EXPORT_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(240);
    let seed: u64 = std::env::var("ANNALIST_EXPORT_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(13);
    let cli = news();
    cli.ok(&[
        "annotate", "add", "1", "--label", "LOC", "--start", "0", "--end", "4",
    ]);
    let root = cli.dir.path().canonicalize().unwrap();
    let at = |name: &str| root.join(name);
    // The user's things, and earlier exports.
    std::fs::create_dir(at("user")).unwrap();
    std::fs::write(at("user/notes.txt"), "my notes").unwrap();
    std::fs::create_dir(at("empty")).unwrap();
    std::fs::create_dir(at("corpus")).unwrap();
    for (name, text) in [
        ("1.txt", "one"),
        ("1.ann", "T1\tPER 0 3\tone\n"),
        ("2.txt", "two"),
    ] {
        std::fs::write(at("corpus").join(name), text).unwrap();
    }
    std::fs::create_dir(at("prev.jsonl.partial")).unwrap();
    std::fs::write(at("prev.jsonl.partial/thesis.txt"), "years of work").unwrap();
    symlink(at("user/notes.txt"), at("link-file")).unwrap();
    symlink(at("corpus"), at("link-dir")).unwrap();
    symlink(at("nowhere"), at("dangling")).unwrap();
    assert!(
        Command::new("mkfifo")
            .arg(at("pipe"))
            .status()
            .unwrap()
            .success()
    );
    // A device of our own, where this container lets root make one.
    let _ = Command::new("mknod")
        .arg(at("null"))
        .args(["c", "1", "3"])
        .status();
    export(&cli, "brat", &at("earlier")).exit(0);
    // Folders that hold exactly what a brat export of this test wrote: only these may be
    // replaced by a folder export (besides a new or empty folder).
    let mut our_exports = std::collections::BTreeSet::from([at("earlier")]);
    export(&cli, "jsonl", &at("prev.jsonl")).exit(0);

    let long = "n".repeat(242);
    let targets: Vec<PathBuf> = [
        "new.jsonl",
        "new-folder",
        "prev.jsonl",
        "prev.jsonl.manifest.json",
        "user",
        "user/notes.txt",
        "empty",
        "corpus",
        "corpus/1.txt",
        "earlier",
        "earlier/1.txt",
        "earlier/manifest.json",
        "link-file",
        "link-dir",
        "link-dir/new.csv",
        "dangling",
        "pipe",
        "null",
        "archive",
        "archive/annalist.sqlite3",
        "archive/annalist.lock",
        "archive/index",
        "archive/mine.jsonl",
        "corpus/../archive/annalist.sqlite3",
        "link-dir/../archive/annalist.sqlite3",
        "empty/../user/notes.txt",
        "user/..",
        "missing/out.jsonl",
        "prev.jsonl.partial",
        long.as_str(),
    ]
    .iter()
    .map(|name| at(name))
    .chain([PathBuf::from("/dev/null")])
    .collect();
    let formats = [
        "jsonl",
        "csv",
        "events-csv",
        "conll",
        "brat",
        "doccano",
        "label-studio",
        "web-annotation",
    ];
    let mut random = Random(seed);
    let mut outcomes = [0usize; 2];
    for case in 0..cases {
        // First every target once as a folder and once as a file export, then at random.
        let (format, out, to_manifest) = if case < 2 * targets.len() {
            let format = if case.is_multiple_of(2) {
                "brat"
            } else {
                *random.pick(&formats[..4])
            };
            (format, targets[case / 2].clone(), false)
        } else {
            let format = *random.pick(&formats);
            let to_manifest = random.next().is_multiple_of(5) && format != "brat";
            (format, random.pick(&targets).clone(), to_manifest)
        };
        let before = stable_tree(&root);
        let landed = landing(&out);
        let replaceable = landed.as_ref().is_some_and(|landed| {
            our_exports.contains(landed)
                || std::fs::symlink_metadata(landed).is_err()
                || std::fs::read_dir(landed).is_ok_and(|mut e| e.next().is_none())
        });
        let args: Vec<&str> = if to_manifest {
            vec![
                "export",
                "--format",
                format,
                "--manifest",
                out.to_str().unwrap(),
            ]
        } else {
            vec!["export", "--format", format, "--out", out.to_str().unwrap()]
        };
        let run = Run::from(cli.run(&args));
        let after = stable_tree(&root);
        let what = format!(
            "case {case} (seed {seed}): {args:?}\nstderr: {}",
            run.stderr
        );
        assert!(matches!(run.code, Some(0 | 2)), "{what}");
        let inside_new_export = |path: &Path| {
            landed.as_ref().is_some_and(|landed| {
                if format == "brat" && !to_manifest {
                    // A folder export may change the inside of its folder only where that
                    // was new, empty, or an earlier export: never a folder of the user's.
                    path.starts_with(landed) && replaceable
                } else {
                    path == landed
                        || (!to_manifest
                            && path.as_os_str() == {
                                let mut manifest = landed.clone().into_os_string();
                                manifest.push(".manifest.json");
                                manifest
                            })
                }
            })
        };
        let touched = changed(&before, &after);
        for path in &touched {
            assert!(
                run.code == Some(0) && inside_new_export(path),
                "{} changed outside the new export\n{what}",
                path.display()
            );
        }
        let leftovers: Vec<&PathBuf> = after
            .keys()
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(".annalist-"))
            })
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}\n{what}");
        // A file export written into one of our export folders makes it partly the user's.
        our_exports.retain(|folder| {
            !touched.iter().any(|p| {
                p.starts_with(folder)
                    && !(format == "brat" && landed.as_deref() == Some(folder.as_path()))
            })
        });
        if run.code == Some(0) {
            let landed = landed.unwrap();
            if format == "brat" && !to_manifest {
                our_exports.insert(landed.clone());
            }
            let complete = if to_manifest {
                landed.is_file()
            } else if format == "brat" {
                landed.join("manifest.json").is_file()
            } else {
                landed.is_file() && std::fs::metadata(&landed).unwrap().len() > 0
            };
            assert!(complete, "{what}");
            outcomes[0] += 1;
        } else {
            outcomes[1] += 1;
        }
    }
    eprintln!(
        "{cases} exports: {} written, {} refused",
        outcomes[0], outcomes[1]
    );
    assert!(outcomes[0] > 0 && outcomes[1] > 0, "{outcomes:?}");
}

#[test]
fn the_app_neutralises_csv_formulas_unless_raw_cells_are_chosen() {
    use annalist::app::command::{Command, ExportScope};
    let cli = formulas();
    let mut harness = crate::gui_support::harness_at(&cli.archive(), egui::vec2(1200.0, 800.0));
    let neutral = cli.dir.path().join("neutral.csv");
    let raw = cli.dir.path().join("raw.csv");
    for (path, csv_raw) in [(&neutral, false), (&raw, true)] {
        harness.state_mut().state.dialogs.export.csv_raw = csv_raw;
        harness.state_mut().push(Command::Export {
            format: annalist::export::ExportFormat::Csv,
            scope: ExportScope::All,
            include_suggestions: false,
            labels: Vec::new(),
            path: path.clone(),
        });
        crate::gui_support::settle(&mut harness);
    }
    let neutral = std::fs::read_to_string(neutral).unwrap();
    assert!(neutral.contains(",\"'=HYPERLINK("), "{neutral}");
    assert!(neutral.contains(",'@home,"), "{neutral}");
    let raw = std::fs::read_to_string(raw).unwrap();
    assert!(raw.contains(",\"=HYPERLINK("), "{raw}");
    assert!(raw.contains(",@home,"), "{raw}");
}
