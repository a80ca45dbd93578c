//! Bundles across laptops: three coders, each in an archive of their own made from the same
//! import, merged in every order into a copy of the base archive (byte-identical exports),
//! repeated imports, edits and deletions that travel, and hostile bundles.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use annalist::model::{AnnotationAttrs, AnnotationStatus, ArticleId, CharSpan, Coder};
use annalist::service::{Archive, LayerView, manual_annotation};

use crate::support::Cli;

const CODERS: [&str; 3] = ["ana", "ben", "چن"];
const ARTICLES: usize = 100;

/// The text of article `n` (ASCII, so byte and code point offsets agree).
fn text(n: usize) -> String {
    format!(
        "Report {n:03}: shelling in Kharkiv killed {n} people on Tuesday, officials in Kyiv said.\n"
    )
}

/// `[start, end)` of `needle` in `text`.
fn span_of(text: &str, needle: &str) -> CharSpan {
    let start = text.find(needle).unwrap();
    CharSpan::ordered(start, start + needle.len()).unwrap()
}

/// Copies an archive folder (without its lock file) to `to`.
fn copy_archive(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == annalist::service::LOCK_FILE {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            copy_archive(&entry.path(), &to.join(&name));
        } else {
            std::fs::copy(entry.path(), to.join(&name)).unwrap();
        }
    }
}

/// A base archive of [`ARTICLES`] articles and, for each coder, a copy of it in which that
/// coder coded (through the library, as the app does).
struct Team {
    base: Cli,
    laptops: Vec<(Coder, Cli)>,
}

impl Team {
    fn new() -> Self {
        let base = Cli::new();
        let texts: Vec<(String, String)> = (0..ARTICLES)
            .map(|n| (format!("r{n:03}.txt"), text(n)))
            .collect();
        base.import_texts(
            texts
                .iter()
                .map(|(name, text)| (name.clone(), text.as_str())),
        );
        let laptops = CODERS
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let laptop = Cli::new();
                copy_archive(&base.archive(), &laptop.archive());
                let coder = Coder::new(name).unwrap();
                code(&laptop.archive(), &coder, i);
                (coder, laptop)
            })
            .collect();
        Self { base, laptops }
    }

    /// A fresh copy of the base archive.
    fn fresh(&self) -> Cli {
        let cli = Cli::new();
        copy_archive(&self.base.archive(), &cli.archive());
        cli
    }

    /// Coder `i`'s laptop writes its bundle to `out`.
    fn bundle(&self, i: usize, out: &Path) -> PathBuf {
        let (coder, laptop) = &self.laptops[i];
        laptop.ok(&[
            "--coder",
            coder.as_str(),
            "bundle",
            "export",
            out.to_str().unwrap(),
        ]);
        out.to_owned()
    }
}

/// Opens an archive through the library, coding as `coder`, blind.
fn open_as(dir: &Path, coder: &Coder) -> Archive {
    let mut archive = Archive::open(dir).unwrap();
    archive
        .code_as(Some(coder.clone()), LayerView::Own, false)
        .unwrap();
    archive
}

/// Coder `i` codes most articles: some spans every coder gives (the same label and span,
/// in three layers), some only theirs, a rejected suggestion, attributes.
fn code(dir: &Path, coder: &Coder, i: usize) {
    let mut archive = open_as(dir, coder);
    for n in 0..ARTICLES {
        if (n + i).is_multiple_of(7) {
            continue; // Each coder leaves out some articles.
        }
        let id = ArticleId(i64::try_from(n).unwrap() + 1);
        let text = archive.article(id).unwrap().text;
        assert!(text.contains(&format!("Report {n:03}")), "{text}");
        let add = |archive: &mut Archive, label: &str, needle: &str, attrs: AnnotationAttrs| {
            let annotation =
                manual_annotation(label, span_of(&text, needle), attrs, coder.as_str());
            archive.add_annotation(id, annotation).unwrap()
        };
        add(&mut archive, "LOC", "Kharkiv", AnnotationAttrs::new());
        let mut count = AnnotationAttrs::new();
        count.insert("count".into(), (n + i % 2).into());
        add(
            &mut archive,
            "CASUALTY",
            &format!("killed {n} people"),
            count,
        );
        if (n + i).is_multiple_of(3) {
            add(&mut archive, "DATE", "Tuesday", AnnotationAttrs::new());
        }
        if n % 5 == i {
            let loc = add(&mut archive, "LOC", "Kyiv", AnnotationAttrs::new());
            archive
                .update_annotation(
                    loc.id,
                    "LOC",
                    AnnotationAttrs::new(),
                    AnnotationStatus::Rejected,
                )
                .unwrap();
        }
    }
}

fn export_jsonl(cli: &Cli) -> Vec<u8> {
    let out = cli.dir.path().join("export.jsonl");
    cli.ok(&[
        "export",
        "--format",
        "jsonl",
        "--out",
        out.to_str().unwrap(),
    ]);
    std::fs::read(&out).unwrap()
}

/// Every annotation row but its local id, in uid order: what a merge must not change.
fn rows(cli: &Cli) -> Vec<String> {
    let conn = rusqlite::Connection::open(cli.archive().join("annalist.sqlite3")).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT uid, coder, label, start, end, status, attrs, annotator, created_at, updated_at
             FROM annotations ORDER BY uid",
        )
        .unwrap();
    stmt.query_map([], |r| {
        let mut fields = Vec::new();
        for i in 0..10 {
            fields.push(match r.get::<_, rusqlite::types::Value>(i)? {
                rusqlite::types::Value::Text(text) => text,
                rusqlite::types::Value::Integer(n) => n.to_string(),
                other => format!("{other:?}"),
            });
        }
        Ok(fields.join("|"))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

const ORDERS: [[usize; 3]; 6] = [
    [0, 1, 2],
    [0, 2, 1],
    [1, 0, 2],
    [1, 2, 0],
    [2, 0, 1],
    [2, 1, 0],
];

#[test]
fn three_coders_merged_in_every_order_give_byte_identical_exports() {
    let team = Team::new();
    let bundles = tempfile::tempdir().unwrap();
    let paths: Vec<PathBuf> = (0..3)
        .map(|i| team.bundle(i, &bundles.path().join(format!("{i}.bundle"))))
        .collect();
    let mut exports = BTreeMap::new();
    for order in ORDERS {
        // Three separate runs of `bundle import`.
        let merged = team.fresh();
        for &i in &order {
            merged.ok(&["bundle", "import", paths[i].to_str().unwrap()]);
        }
        exports.insert(format!("{order:?} in three runs"), export_jsonl(&merged));
        // One run with the three files in this order.
        let merged = team.fresh();
        let mut args = vec!["bundle", "import"];
        args.extend(order.iter().map(|&i| paths[i].to_str().unwrap()));
        let report = merged.ok(&args);
        assert!(
            report.contains(
                "articles: 100 matched, 0 added from the bundles' texts, 0 not in this archive"
            ),
            "{report}"
        );
        assert!(
            report.contains(" 0 updated, 0 deleted, 0 unchanged, 0 skipped"),
            "{report}"
        );
        exports.insert(format!("{order:?} in one run"), export_jsonl(&merged));
    }
    let first = exports.values().next().unwrap().clone();
    for (how, export) in &exports {
        assert!(*export == first, "the merge {how} exported other bytes");
    }
    // The export holds every coder's layer: the spans all three gave are there three times.
    let records = crate::support::json_lines(std::str::from_utf8(&first).unwrap());
    assert_eq!(records.len(), ARTICLES);
    let coders: std::collections::BTreeSet<&str> = records
        .iter()
        .flat_map(|r| r["annotations"].as_array().unwrap())
        .map(|a| a["coder"].as_str().unwrap())
        .collect();
    assert_eq!(coders.into_iter().collect::<Vec<_>>(), ["ana", "ben", "چن"]);
    let third = &records[2]["annotations"];
    assert!(third[0]["uid"].as_str().unwrap().len() == 32, "{third}");
    assert!(
        third[0].get("id").is_none(),
        "no local id in an export: {third}"
    );
}

#[test]
fn importing_a_bundle_twice_changes_nothing() {
    let team = Team::new();
    let bundles = tempfile::tempdir().unwrap();
    let ana = team.bundle(0, &bundles.path().join("ana.bundle"));
    let ben = team.bundle(1, &bundles.path().join("ben.bundle"));
    let merged = team.fresh();
    let first = merged.ok(&[
        "bundle",
        "import",
        ana.to_str().unwrap(),
        ben.to_str().unwrap(),
    ]);
    assert!(first.contains(" 0 unchanged"), "{first}");
    let (export, stored) = (export_jsonl(&merged), rows(&merged));
    assert!(stored.len() > 300, "{}", stored.len());
    let again = merged.ok(&[
        "bundle",
        "import",
        ben.to_str().unwrap(),
        ana.to_str().unwrap(),
    ]);
    assert!(
        again.contains(&format!(
            "annotations: 0 added, 0 updated, 0 deleted, {} unchanged, 0 skipped",
            stored.len()
        )),
        "{again}"
    );
    assert_eq!(export_jsonl(&merged), export);
    assert_eq!(rows(&merged), stored, "not even updated_at changed");
    // The coder's own laptop, given its own bundle, stays as it is too.
    let laptop = &team.laptops[0].1;
    let before = rows(laptop);
    laptop.ok(&["bundle", "import", ana.to_str().unwrap()]);
    assert_eq!(rows(laptop), before);
}

#[test]
fn edits_and_deletions_travel_and_an_older_bundle_does_not_undo_them() {
    let team = Team::new();
    let bundles = tempfile::tempdir().unwrap();
    let old = team.bundle(0, &bundles.path().join("old.bundle"));
    let (coder, laptop) = &team.laptops[0];
    // After the first bundle, ana relabels one span and changes a count (article 2), and
    // deletes a span (article 4's DATE).
    let (relabelled, recounted, deleted) = {
        let mut archive = open_as(&laptop.archive(), coder);
        let spans = archive.annotations(ArticleId(2)).unwrap();
        let find = |label: &str| spans.iter().find(|a| a.label == label).unwrap().clone();
        let loc = find("LOC");
        archive
            .update_annotation(loc.id, "ORG", loc.attrs.clone(), loc.status)
            .unwrap();
        let claim = find("CASUALTY");
        let mut attrs = claim.attrs.clone();
        attrs.insert("count".into(), 99.into());
        archive
            .update_annotation(claim.id, "CASUALTY", attrs, claim.status)
            .unwrap();
        let date = archive
            .annotations(ArticleId(4))
            .unwrap()
            .into_iter()
            .find(|a| a.label == "DATE")
            .unwrap();
        archive.remove_annotation(date.id).unwrap();
        (loc.uid, claim.uid, date.uid)
    };
    let new = team.bundle(0, &bundles.path().join("new.bundle"));
    let uids = |cli: &Cli| -> BTreeMap<String, String> {
        rows(cli)
            .into_iter()
            .map(|row| {
                let (uid, rest) = row.split_once('|').unwrap();
                (uid.to_owned(), rest.to_owned())
            })
            .collect()
    };
    let mut exports = Vec::new();
    for (first, second) in [(&old, &new), (&new, &old)] {
        let merged = team.fresh();
        merged.ok(&["bundle", "import", first.to_str().unwrap()]);
        let report = merged.ok(&["bundle", "import", second.to_str().unwrap()]);
        if second == &new {
            assert!(report.contains(" 2 updated, 1 deleted,"), "{report}");
        } else {
            assert!(report.contains("0 added, 0 updated, 0 deleted"), "{report}");
        }
        let stored = uids(&merged);
        assert!(
            stored[&relabelled].contains("|ORG|"),
            "{:?}",
            stored[&relabelled]
        );
        assert!(
            stored[&recounted].contains("99"),
            "{:?}",
            stored[&recounted]
        );
        assert!(!stored.contains_key(&deleted), "the deletion travelled");
        exports.push(export_jsonl(&merged));
    }
    assert!(
        exports[0] == exports[1],
        "old then new, or new then old: the same archive"
    );
    // Imported annotations keep their coder: the merged archive's ana layer is ana's.
    let merged = team.fresh();
    merged.ok(&["bundle", "import", new.to_str().unwrap()]);
    assert!(rows(&merged).iter().all(|row| row.contains("|ana|")));
}

#[test]
fn a_bundle_with_texts_brings_its_articles_with_their_ids() {
    let team = Team::new();
    let bundles = tempfile::tempdir().unwrap();
    let (coder, laptop) = &team.laptops[1];
    let with_texts = bundles.path().join("ben.bundle");
    let said = laptop.ok(&[
        "--coder",
        coder.as_str(),
        "bundle",
        "export",
        "--with-texts",
        with_texts.to_str().unwrap(),
    ]);
    assert!(said.contains("bundle of ben's layer: "), "{said}");
    assert!(said.contains("articles with texts"), "{said}");
    let empty = Cli::new();
    let report = empty.ok(&["bundle", "import", with_texts.to_str().unwrap()]);
    let coded = (0..ARTICLES).filter(|n| (n + 1) % 7 != 0).count();
    assert!(
        report.contains(&format!(
            "articles: 0 matched, {coded} added from the bundles' texts, 0 not in this archive"
        )),
        "{report}"
    );
    // The articles came with the ids they had, and the text they had.
    let shown = crate::support::json_lines(&empty.ok(&["show", "2", "--json"]));
    let base = crate::support::json_lines(&team.base.ok(&["show", "2", "--json"]));
    assert_eq!(shown[0]["text"], base[0]["text"]);
    assert_eq!(shown[0]["title"], base[0]["title"]);
    // And ben's layer is as it is on ben's laptop.
    let layer = |cli: &Cli| -> Vec<String> {
        rows(cli)
            .into_iter()
            .filter(|row| row.contains("|ben|"))
            .collect()
    };
    assert_eq!(layer(&empty), layer(laptop));
    // The index followed the store: the articles that came are found.
    let hits = empty.ok(&["search", "Kharkiv", "--limit", "500"]);
    assert!(hits.contains(&format!("{coded} hits (showing ")), "{hits}");
    // Two bundles carrying the same text with other details: the same article whichever
    // comes first.
    let retitled = bundles.path().join("retitled.bundle");
    let lines: Vec<String> = lines_of(&with_texts)
        .into_iter()
        .enumerate()
        .map(|(i, line)| {
            if i == 0 {
                return line;
            }
            let mut value: serde_json::Value = serde_json::from_str(&line).unwrap();
            value["article"]["title"] = "Another title".into();
            value.to_string()
        })
        .collect();
    std::fs::write(&retitled, lines.join("\n")).unwrap();
    let both = |first: &Path, second: &Path| {
        let cli = Cli::new();
        cli.ok(&[
            "bundle",
            "import",
            first.to_str().unwrap(),
            second.to_str().unwrap(),
        ]);
        export_jsonl(&cli)
    };
    assert!(both(&with_texts, &retitled) == both(&retitled, &with_texts));
    // Without texts, an archive that lacks the articles says so and merges nothing.
    let bare = bundles.path().join("bare.bundle");
    team.bundle(1, &bare);
    let other = Cli::new();
    other.import_texts([("x.txt".to_owned(), "Another text entirely, about Aleppo.")]);
    let out = other.run(&["bundle", "import", bare.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "0 matched, 0 added from the bundles' texts, {coded} not in this archive"
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains("(export with --with-texts); first: "),
        "{stdout}"
    );
    assert!(stdout.contains("annotations: 0 added"), "{stdout}");
}

// --- Hostile bundles

/// A base archive of three articles, and ana's laptop copied from it with two spans in each
/// article; returns (base, laptop, ana's bundle).
fn small_team(bundles: &Path) -> (Cli, Cli, PathBuf) {
    let base = Cli::new();
    base.import_texts((0..3).map(|n| (format!("r{n}.txt"), TEXTS[n])));
    let laptop = Cli::new();
    copy_archive(&base.archive(), &laptop.archive());
    let ana = Coder::new("ana").unwrap();
    let mut archive = open_as(&laptop.archive(), &ana);
    for n in 0..3 {
        let id = ArticleId(n + 1);
        let text = archive.article(id).unwrap().text;
        for (label, needle) in [("LOC", "Kharkiv"), ("DATE", "Tuesday")] {
            let annotation =
                manual_annotation(label, span_of(&text, needle), AnnotationAttrs::new(), "ana");
            archive.add_annotation(id, annotation).unwrap();
        }
    }
    drop(archive);
    let bundle = bundles.join("ana.bundle");
    laptop.ok(&[
        "--coder",
        "ana",
        "bundle",
        "export",
        bundle.to_str().unwrap(),
    ]);
    (base, laptop, bundle)
}

const TEXTS: [&str; 3] = [
    "Shelling in Kharkiv on Tuesday killed two.\n",
    "Kharkiv was quiet on Tuesday, residents said.\n",
    "Drones over Kharkiv on Tuesday night.\n",
];

/// Every file under `dir` but the lock file, with its bytes.
fn files_of(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walk(dir) {
        if entry
            .file_name()
            .is_some_and(|n| n == annalist::service::LOCK_FILE)
        {
            continue;
        }
        files.insert(entry.clone(), std::fs::read(&entry).unwrap());
    }
    files
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn lines_of(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn damaged_lines_are_named_with_file_and_line_and_the_rest_is_merged() {
    let bundles = tempfile::tempdir().unwrap();
    let (base, _laptop, bundle) = small_team(bundles.path());
    let lines = lines_of(&bundle);
    assert_eq!(lines.len(), 4, "a header and three articles");
    let hostile = bundles.path().join("hostile.bundle");
    let huge = "x".repeat(annalist::service::MAX_BUNDLE_LINE_BYTES + 10);
    let cut = &lines[3][..lines[3].len() / 2];
    std::fs::write(
        &hostile,
        format!(
            "{}\n{}\nthis is not JSON\n{huge}\n{}\n{cut}",
            lines[0], lines[1], lines[2]
        ),
    )
    .unwrap();
    let out = base.run(&["bundle", "import", hostile.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    let shown = hostile.display();
    assert!(
        stdout.contains("skipped: line 3: not a bundle article line (expected ")
            && stdout.contains(&format!("at line 1 column 2): {shown}")),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "skipped: line 4: the line is over 32 MiB, so it is not a bundle line: {shown}"
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains("skipped: line 6: not a bundle article line (EOF while parsing"),
        "{stdout}"
    );
    // Lines 2 and 5 went in: two articles, two spans each.
    assert!(stdout.contains("articles: 2 matched"), "{stdout}");
    assert!(
        stdout.contains("annotations: 4 added, 0 updated"),
        "{stdout}"
    );
    assert_eq!(rows(&base).len(), 4);
}

#[test]
fn annotations_that_do_not_fit_or_have_unknown_labels_are_skipped_with_the_reason() {
    let bundles = tempfile::tempdir().unwrap();
    let (base, laptop, bundle) = small_team(bundles.path());
    let mut lines = lines_of(&bundle);
    let mut line: serde_json::Value = serde_json::from_str(&lines[1]).unwrap();
    line["annotations"][0]["end"] = 500.into();
    line["annotations"][1]["label"] = "WEAPON".into();
    let (beyond, unknown) = (
        line["annotations"][0]["uid"].as_str().unwrap().to_owned(),
        line["annotations"][1]["uid"].as_str().unwrap().to_owned(),
    );
    lines[1] = line.to_string();
    let edited = bundles.path().join("edited.bundle");
    std::fs::write(&edited, lines.join("\n")).unwrap();
    let out = base.run(&["bundle", "import", edited.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    assert!(
        stdout.contains(&format!("line 2: annotation {beyond}: ")),
        "{stdout}"
    );
    assert!(stdout.contains("(the article's text has "), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "line 2: annotation {unknown}: the label WEAPON is not defined in this archive"
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains("annotations: 4 added, 0 updated, 0 deleted, 0 unchanged, 2 skipped"),
        "{stdout}"
    );
    // A bundle never changes another coder's layer: ana's spans sent as ben's are refused.
    let mut as_ben: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
    as_ben["coder"] = "ben".into();
    let forged = bundles.path().join("forged.bundle");
    let original = lines_of(&bundle);
    std::fs::write(&forged, format!("{as_ben}\n{}\n", original[2])).unwrap();
    let before = rows(&laptop);
    let out = laptop.run(&["bundle", "import", forged.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    assert!(
        stdout.contains("that uid was not made in ben's layer of this article; a bundle changes only its coder's layer"),
        "{stdout}"
    );
    assert_eq!(rows(&laptop), before);
    // A file that is not a bundle (an export) is refused whole, naming it.
    let export = bundles.path().join("export.jsonl");
    base.ok(&[
        "export",
        "--format",
        "jsonl",
        "--out",
        export.to_str().unwrap(),
    ]);
    let out = base.run(&["bundle", "import", export.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    assert!(stdout.contains("is this an Annalist bundle?"), "{stdout}");
    assert!(stdout.contains(&export.display().to_string()), "{stdout}");
}

#[test]
fn bundle_paths_that_are_folders_devices_or_the_archive_itself_are_refused_untouched() {
    let bundles = tempfile::tempdir().unwrap();
    let (_base, laptop, bundle) = small_team(bundles.path());
    let archive = laptop.archive();
    let database = archive.join("annalist.sqlite3");
    let link = bundles.path().join("link.bundle");
    std::os::unix::fs::symlink(&database, &link).unwrap();
    let folder = bundles.path().join("folder");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("mine.txt"), "my notes").unwrap();
    let before = files_of(&archive);
    let around = files_of(bundles.path());
    let refused = |args: &[&str], says: &str| {
        let out = laptop.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    };
    let export = |path: &Path| {
        vec![
            "--coder".to_owned(),
            "ana".to_owned(),
            "bundle".to_owned(),
            "export".to_owned(),
            path.to_str().unwrap().to_owned(),
        ]
    };
    let run_export = |path: &Path, says: &str| {
        let args = export(path);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        refused(&args, says);
    };
    run_export(&database, "inside the archive's own folder");
    run_export(&link, "the export path is a link");
    run_export(&folder, "a bundle is one file and this is a folder");
    run_export(Path::new("/dev/null"), "a device, pipe or socket");
    // Import of a folder, a device: named, nothing merged.
    for (path, says) in [
        (folder.as_path(), "this is a folder, not a bundle file"),
        (
            Path::new("/dev/null"),
            "this is a device, pipe or socket, not a bundle file",
        ),
    ] {
        let out = laptop.run(&[
            "bundle",
            "import",
            path.to_str().unwrap(),
            bundle.to_str().unwrap(),
        ]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(2), "{stdout}");
        assert!(
            stdout.contains(&format!("skipped: {says}: {}", path.display())),
            "{stdout}"
        );
        assert!(
            stdout.contains("6 unchanged"),
            "the good bundle still went in: {stdout}"
        );
    }
    assert_eq!(
        files_of(&archive),
        before,
        "the archive's files are as they were"
    );
    assert_eq!(
        files_of(bundles.path()),
        around,
        "nothing beside the bundles changed"
    );
    assert_eq!(std::fs::read_link(&link).unwrap(), database);
    // Without a coder, an export says whose layer to write.
    let out = laptop.run(&[
        "bundle",
        "export",
        bundles.path().join("x").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--coder NAME"));
}

#[test]
fn uids_are_kept_through_edits_and_new_after_a_deletion() {
    let cli = Cli::new();
    cli.import_texts([("a.txt".to_owned(), TEXTS[0])]);
    let ana = Coder::new("ana").unwrap();
    let mut archive = open_as(&cli.archive(), &ana);
    let article = archive.article(ArticleId(1)).unwrap();
    let span = span_of(&article.text, "Kharkiv");
    let uid = |n| {
        annalist::model::annotation_uid(
            "ana",
            &article.content_sha256,
            "LOC",
            span.start(),
            span.end(),
            n,
        )
    };
    let add = |archive: &mut Archive| {
        archive
            .add_annotation(
                ArticleId(1),
                manual_annotation("LOC", span, AnnotationAttrs::new(), "ana"),
            )
            .unwrap()
    };
    let first = add(&mut archive);
    assert_eq!(first.uid, uid(0));
    let mut attrs = AnnotationAttrs::new();
    attrs.insert("canonical".into(), "Kharkiv".into());
    archive
        .update_annotation(first.id, "ORG", attrs, AnnotationStatus::Rejected)
        .unwrap();
    let edited = archive.annotations(ArticleId(1)).unwrap();
    assert_eq!(edited[0].label, "ORG");
    assert_eq!(edited[0].uid, first.uid, "an edit keeps the uid");
    // A second span of the same coder, label and offsets gets the next n.
    let second = add(&mut archive);
    assert_eq!(second.uid, uid(1));
    archive.remove_annotation(first.id).unwrap();
    archive.remove_annotation(second.id).unwrap();
    // Made again after the deletions: not the deleted ones' uids (they have tombstones).
    assert_eq!(add(&mut archive).uid, uid(2));
}

#[test]
fn a_tombstone_for_another_coders_uid_is_refused_whichever_bundle_comes_first() {
    let bundles = tempfile::tempdir().unwrap();
    let (base, _laptop, bundle) = small_team(bundles.path());
    let lines = lines_of(&bundle);
    let mut header: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
    header["coder"] = "ben".into();
    let mut article: serde_json::Value = serde_json::from_str(&lines[1]).unwrap();
    let victim = article["annotations"][0]["uid"].clone();
    article["annotations"] = serde_json::json!([]);
    article["tombstones"] =
        serde_json::json!([{"uid": victim, "deleted_at": "2030-01-01T00:00:00.000Z"}]);
    let evil = bundles.path().join("ben.bundle");
    std::fs::write(&evil, format!("{header}\n{article}\n")).unwrap();
    let mut exports = Vec::new();
    for order in [[&bundle, &evil], [&evil, &bundle]] {
        let merged = Cli::new();
        copy_archive(&base.archive(), &merged.archive());
        let out = merged.run(&[
            "bundle",
            "import",
            order[0].to_str().unwrap(),
            order[1].to_str().unwrap(),
        ]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(2), "{stdout}");
        assert!(
            stdout.contains(&format!(
                "tombstone {}: that uid was not made in ben's layer of this article",
                victim.as_str().unwrap()
            )),
            "{stdout}"
        );
        assert_eq!(rows(&merged).len(), 6, "ana's six spans are all there");
        exports.push(export_jsonl(&merged));
    }
    assert_eq!(exports[0], exports[1]);
}
