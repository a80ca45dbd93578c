//! The store contract (`annalist::store::SharedStore`): one suite run against the local
//! SQLite store and against the team's PostgreSQL store (`team_pg_*`, ignored unless run
//! with `--ignored` and `ANNALIST_TEST_PG`), and the one copy the service writes against it
//! (`team push`), between two SQLite stores and from SQLite into PostgreSQL.

use std::sync::atomic::AtomicBool;

use annalist::model::{
    AnnotationAttrs, AnnotationStatus, CharSpan, LabelDef, LabelSchema, NewArticle, content_sha256,
};
use annalist::service::{PgStore, PgTarget, copy_missing};
use annalist::store::{ContractError, SharedStore, Store, TeamAnnotation, TeamArticle};

use crate::team::TestDb;

const T1: &str = "2026-01-01T00:00:00.000Z";
const T2: &str = "2026-01-02T00:00:00.000Z";
const T3: &str = "2026-01-03T00:00:00.000Z";

fn span(start: usize, end: usize) -> CharSpan {
    CharSpan::ordered(start, end).unwrap()
}

fn annotation(
    uid: &str,
    article: &str,
    label: &str,
    at: (usize, usize),
    text: &str,
) -> TeamAnnotation {
    TeamAnnotation {
        uid: uid.to_owned(),
        article_uid: article.to_owned(),
        coder: "cora".to_owned(),
        label: label.to_owned(),
        span: span(at.0, at.1),
        text: text.to_owned(),
        attrs: AnnotationAttrs::new(),
        status: AnnotationStatus::Suggested,
        annotator: "cora".to_owned(),
        created_at: T1.to_owned(),
        updated_at: T1.to_owned(),
        deleted: false,
    }
}

fn article(text: &str) -> TeamArticle {
    TeamArticle {
        uid: content_sha256(text),
        title: "Second".to_owned(),
        text: text.to_owned(),
        published: Some("2026-02-03".to_owned()),
        url: Some("https://example.org/2".to_owned()),
        source: Some("Wire".to_owned()),
        origin_path: None,
        origin_format: "text".to_owned(),
        imported_at: T1.to_owned(),
        version: 0,
    }
}

/// What every implementation must do, on a store holding exactly one article (its text
/// "Tiny said") and the label PER.
fn contract(store: &mut dyn SharedStore) {
    labels(store);
    let hash = articles(store);
    annotations_by_uid(store, &hash);
    add_missing(store, &hash);
    metadata(store, &hash);
}

fn labels(store: &mut dyn SharedStore) {
    assert!(store.shared_labels().unwrap().find("PER").is_some());
    let mut theirs = LabelSchema {
        labels: vec![LabelDef {
            name: "PER".to_owned(),
            description: "their own PER".to_owned(),
            color: "#123456".to_owned(),
            shortcut: None,
        }],
    };
    theirs.labels.push(LabelDef {
        name: "WEAPON'); DROP TABLE labels; --".to_owned(),
        description: "an arm".to_owned(),
        color: "#654321".to_owned(),
        shortcut: Some('w'),
    });
    // The store's own PER wins; the new one is added once.
    assert_eq!(store.add_missing_labels(&theirs).unwrap(), 1);
    assert_eq!(store.add_missing_labels(&theirs).unwrap(), 0);
    let labels = store.shared_labels().unwrap();
    assert_ne!(labels.find("PER").unwrap().description, "their own PER");
    assert_eq!(
        labels
            .find("WEAPON'); DROP TABLE labels; --")
            .unwrap()
            .shortcut,
        Some('w')
    );
}

/// Returns the one article's hash.
fn articles(store: &mut dyn SharedStore) -> String {
    assert_eq!(store.shared_article_count().unwrap(), 1);
    let page = store.articles_after("", 10).unwrap();
    assert_eq!(page.len(), 1, "{page:?}");
    assert_eq!(page[0].text, "Tiny said");
    let hash = page[0].uid.clone();
    assert!(store.articles_after(&hash, 10).unwrap().is_empty());
    let found = store
        .articles_by_hash(&["no-such-hash".to_owned(), hash.clone()])
        .unwrap();
    assert_eq!(found, page);
    assert_eq!(
        store
            .known_articles(&["no-such-hash".to_owned(), hash.clone()])
            .unwrap(),
        vec![hash.clone()]
    );
    assert_eq!(store.page_after("", 10).unwrap(), (page, Vec::new()));
    hash
}

fn annotations_by_uid(store: &mut dyn SharedStore, hash: &str) {
    let mut a = annotation("contract-uid-1", hash, "PER", (0, 4), "Tiny");
    assert_eq!(store.shared_annotation(&a.uid).unwrap(), None);
    // New, then the same again: stored once, the second a no-op.
    assert!(store.put_annotation(&a).unwrap());
    assert!(!store.put_annotation(&a).unwrap());
    assert_eq!(store.shared_annotation(&a.uid).unwrap().as_ref(), Some(&a));
    // Changed by uid: the new version replaces the old.
    a.status = AnnotationStatus::Accepted;
    a.attrs.insert("name".to_owned(), "Tiny O'Brien".into());
    a.updated_at = T2.to_owned();
    assert!(store.put_annotation(&a).unwrap());
    assert_eq!(store.shared_annotation(&a.uid).unwrap().as_ref(), Some(&a));
    assert_eq!(
        store.annotations_of(&[hash.to_owned()]).unwrap(),
        vec![a.clone()]
    );
    // Deleted: kept as a deletion, once; an unknown uid changes nothing.
    assert!(store.delete_by_uid(&a.uid, T3).unwrap());
    assert!(!store.delete_by_uid(&a.uid, T3).unwrap());
    assert!(!store.delete_by_uid("no-such-uid", T3).unwrap());
    let gone = store.shared_annotation(&a.uid).unwrap().unwrap();
    assert!(gone.deleted);
    assert_eq!(
        (
            gone.coder.as_str(),
            gone.article_uid.as_str(),
            gone.updated_at.as_str()
        ),
        ("cora", hash, T3)
    );
    // The article's annotations show the deletion too.
    let of = store.annotations_of(&[hash.to_owned()]).unwrap();
    assert_eq!(of.len(), 1);
    assert!(of[0].deleted && of[0].uid == a.uid, "{of:?}");
    // An annotation of an article the store does not hold is refused.
    let mut stray = a.clone();
    stray.uid = "contract-uid-2".to_owned();
    stray.article_uid = "no-such-article".to_owned();
    stray.deleted = false;
    assert!(store.put_annotation(&stray).is_err());
    assert_eq!(store.shared_annotation(&stray.uid).unwrap(), None);
}

fn add_missing(store: &mut dyn SharedStore, hash: &str) {
    let second = article("Lima Group said Omar was hurt");
    // Two live annotations of the seed article: one a deletion removes, one it does not
    // (it changed after the deletion).
    let mut older = annotation("contract-uid-3", hash, "PER", (0, 4), "Tiny");
    older.updated_at = T1.to_owned();
    let mut newer = annotation("contract-uid-4", hash, "PER", (5, 9), "said");
    newer.updated_at = T3.to_owned();
    assert!(store.put_annotation(&older).unwrap());
    assert!(store.put_annotation(&newer).unwrap());
    let org = annotation("contract-uid-5", &second.uid, "PER", (0, 10), "Lima Group");
    let mut linked = annotation("contract-uid-6", &second.uid, "PER", (16, 20), "Omar");
    linked
        .attrs
        .insert("actor".to_owned(), serde_json::json!([org.uid.clone()]));
    let mut delete_older = older.clone();
    delete_older.deleted = true;
    delete_older.updated_at = T2.to_owned();
    let mut delete_newer = newer.clone();
    delete_newer.deleted = true;
    delete_newer.updated_at = T2.to_owned();
    let seed = store.articles_by_hash(&[hash.to_owned()]).unwrap();
    let batch_articles = vec![seed[0].clone(), second.clone()];
    let batch = vec![
        org.clone(),
        linked.clone(),
        delete_older.clone(),
        delete_newer.clone(),
    ];
    let counts = store.add_missing(&batch_articles, &batch).unwrap();
    assert_eq!(
        (counts.articles, counts.annotations, counts.deletions),
        (1, 2, 1),
        "{counts:?}"
    );
    // The same batch again changes nothing.
    let again = store.add_missing(&batch_articles, &batch).unwrap();
    assert_eq!(
        (again.articles, again.annotations, again.deletions),
        (0, 0, 0)
    );
    assert_eq!(store.shared_article_count().unwrap(), 2);
    let stored = store
        .articles_by_hash(std::slice::from_ref(&second.uid))
        .unwrap();
    assert_eq!(stored.len(), 1);
    let s = &stored[0];
    assert_eq!(
        (
            s.title.as_str(),
            s.text.as_str(),
            s.published.as_deref(),
            s.url.as_deref(),
            s.source.as_deref()
        ),
        (
            "Second",
            second.text.as_str(),
            Some("2026-02-03"),
            Some("https://example.org/2"),
            Some("Wire")
        )
    );
    // Links travel by uid and come back as uids.
    assert_eq!(
        store
            .annotations_of(std::slice::from_ref(&second.uid))
            .unwrap(),
        vec![org.clone(), linked.clone()]
    );
    assert!(
        store
            .shared_annotation(&older.uid)
            .unwrap()
            .unwrap()
            .deleted
    );
    assert_eq!(store.shared_annotation(&newer.uid).unwrap().unwrap(), newer);
    // A page reads as its articles with every annotation of them.
    let (articles, annotations) = store.page_after("", 10).unwrap();
    let hashes: Vec<String> = articles.iter().map(|a| a.uid.clone()).collect();
    assert_eq!(articles, store.articles_after("", 10).unwrap());
    assert_eq!(annotations, store.annotations_of(&hashes).unwrap());
    assert_eq!(annotations.len(), 5, "{annotations:?}");
    // An annotation of an article neither the batch nor the store holds: nothing of the
    // batch is kept.
    let lost = annotation("contract-uid-7", &second.uid, "PER", (0, 4), "Lima");
    let stray = annotation("contract-uid-8", "no-such-article", "PER", (0, 4), "Tiny");
    assert!(store.add_missing(&[], &[lost.clone(), stray]).is_err());
    assert_eq!(store.shared_annotation(&lost.uid).unwrap(), None);
    // Nor its new article.
    let third = article("Nobody was hurt");
    let orphan = annotation("contract-uid-9", "no-such-article", "PER", (0, 6), "Nobody");
    assert!(
        store
            .add_missing(std::slice::from_ref(&third), &[orphan])
            .is_err()
    );
    assert!(
        store
            .articles_by_hash(std::slice::from_ref(&third.uid))
            .unwrap()
            .is_empty()
    );
}

fn metadata(store: &mut dyn SharedStore, hash: &str) {
    let base = store.articles_by_hash(&[hash.to_owned()]).unwrap()[0].clone();
    let title = Some(base.title.clone());
    let v1 = store
        .edit_article_meta(
            hash,
            base.version,
            &[
                ("title", title.clone(), Some("Convoy hit".to_owned())),
                ("published", None, Some("2026-03-01".to_owned())),
            ],
        )
        .unwrap();
    assert!(v1 > base.version, "{v1} after {}", base.version);
    let now = store.articles_by_hash(&[hash.to_owned()]).unwrap()[0].clone();
    assert_eq!(
        (now.title.as_str(), now.published.as_deref(), now.version),
        ("Convoy hit", Some("2026-03-01"), v1)
    );
    // The same edit from the old version again: the store has it already, no conflict.
    assert_eq!(
        store
            .edit_article_meta(
                hash,
                base.version,
                &[("title", title.clone(), Some("Convoy hit".to_owned()))]
            )
            .unwrap(),
        v1
    );
    // Another edit from the old version: a conflict naming both values; nothing changes.
    let err = store
        .edit_article_meta(
            hash,
            base.version,
            &[("title", title, Some("Convoy missed".to_owned()))],
        )
        .unwrap_err();
    assert!(matches!(err, ContractError::Conflict(_)), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("\"Convoy hit\"") && text.contains("\"Convoy missed\""),
        "{text}"
    );
    assert_eq!(
        store.articles_by_hash(&[hash.to_owned()]).unwrap()[0].title,
        "Convoy hit"
    );
    // From the current version it goes through.
    let v2 = store
        .edit_article_meta(
            hash,
            v1,
            &[(
                "title",
                Some("Convoy hit".to_owned()),
                Some("Convoy missed".to_owned()),
            )],
        )
        .unwrap();
    assert!(v2 > v1);
    // An article the store does not hold, a field that is none.
    assert!(
        store
            .edit_article_meta("no-such-hash", 0, &[("title", None, Some("x".to_owned()))])
            .is_err()
    );
    assert!(
        store
            .edit_article_meta(hash, v2, &[("body", None, Some("x".to_owned()))])
            .is_err()
    );
}

fn sqlite_with_one_article(dir: &std::path::Path) -> Store {
    let mut store = Store::open(&dir.join("annalist.sqlite3")).unwrap();
    store
        .insert_articles(&[NewArticle {
            requested_id: None,
            title: "T".to_owned(),
            text: "Tiny said".to_owned(),
            published: None,
            url: None,
            source: None,
            origin_path: None,
            origin_format: "text".to_owned(),
            annotations: Vec::new(),
        }])
        .unwrap();
    store
}

#[test]
fn the_store_contract_holds_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    contract(&mut sqlite_with_one_article(dir.path()));
}

#[test]
#[ignore = "needs a PostgreSQL server (ANNALIST_TEST_PG)"]
fn team_pg_the_store_contract_holds_on_postgresql() {
    let db = TestDb::new("contract");
    db.team(&[]);
    db.client()
        .batch_execute(
            "INSERT INTO annalist.labels (name, color, position) VALUES ('PER', '#000000', 0);
             INSERT INTO annalist.articles (uid, title, text, imported_at, origin_format)
             VALUES ('h-contract', 'T', 'Tiny said', 'now', 'text')",
        )
        .unwrap();
    let target = PgTarget::parse(&db.url).unwrap();
    contract(&mut PgStore::open(&target).unwrap());
}

/// A source archive of 120 articles (so pages turn), one annotation on each and a link
/// on the first, with label WEAPON of its own.
fn source(dir: &std::path::Path) -> Store {
    let mut store = Store::open(&dir.join("annalist.sqlite3")).unwrap();
    store
        .add_label(&LabelDef {
            name: "WEAPON".to_owned(),
            description: String::new(),
            color: "#aa0000".to_owned(),
            shortcut: None,
        })
        .unwrap();
    let articles: Vec<NewArticle> = (0..120)
        .map(|i| NewArticle {
            requested_id: None,
            title: format!("Report {i}"),
            text: format!("Omar {i:03} was hurt in Lima"),
            published: None,
            url: None,
            source: Some("Wire".to_owned()),
            origin_path: None,
            origin_format: "text".to_owned(),
            annotations: Vec::new(),
        })
        .collect();
    store.insert_articles(&articles).unwrap();
    let page = store.articles_after("", 1000).unwrap();
    for (n, a) in page.iter().enumerate() {
        let mut person = annotation(&format!("copy-{n}-a"), &a.uid, "PER", (0, 4), "Omar");
        if n == 0 {
            let place = annotation("copy-0-b", &a.uid, "LOC", (21, 25), "Lima");
            store.put_annotation(&place).unwrap();
            person
                .attrs
                .insert("place".to_owned(), serde_json::json!(["copy-0-b"]));
        }
        store.put_annotation(&person).unwrap();
    }
    store
}

/// Every article and annotation of `from` as `to` holds it.
fn same_content(from: &mut dyn SharedStore, to: &mut dyn SharedStore) {
    let mut after = String::new();
    let mut n = 0;
    loop {
        let page = from.articles_after(&after, 50).unwrap();
        let Some(last) = page.last() else { break };
        after = last.uid.clone();
        let hashes: Vec<String> = page.iter().map(|a| a.uid.clone()).collect();
        let theirs = to.articles_by_hash(&hashes).unwrap();
        assert_eq!(theirs.len(), page.len());
        for (a, b) in page.iter().zip(&theirs) {
            assert_eq!(
                (&a.uid, &a.title, &a.text, &a.source),
                (&b.uid, &b.title, &b.text, &b.source)
            );
        }
        assert_eq!(
            from.annotations_of(&hashes).unwrap(),
            to.annotations_of(&hashes).unwrap()
        );
        n += page.len();
    }
    assert_eq!(n, 120);
}

/// The copy `team push` makes, from `from` into `to` (empty): everything arrives once;
/// again, nothing; a deletion made at the source afterwards travels on the next copy.
fn copy_contract(from: &mut Store, to: &mut dyn SharedStore) {
    let no = AtomicBool::new(false);
    let mut seen = Vec::new();
    let report = copy_missing(from, to, &no, |done, total| seen.push((done, total))).unwrap();
    assert_eq!(report.articles_read, 120);
    assert_eq!(
        (
            report.added.articles,
            report.added.annotations,
            report.added.deletions
        ),
        (120, 121, 0)
    );
    assert!(to.shared_labels().unwrap().find("WEAPON").is_some());
    assert!(seen.len() > 2, "pages turned: {seen:?}");
    assert_eq!(seen.last(), Some(&(120, 120)));
    same_content(from, to);
    let again = copy_missing(from, to, &no, |_, _| {}).unwrap();
    assert_eq!(
        (
            again.added.articles,
            again.added.annotations,
            again.added.deletions,
            again.labels_added
        ),
        (0, 0, 0, 0)
    );
    assert!(SharedStore::delete_by_uid(from, "copy-7-a", T3).unwrap());
    let third = copy_missing(from, to, &no, |_, _| {}).unwrap();
    assert_eq!(
        (
            third.added.articles,
            third.added.annotations,
            third.added.deletions
        ),
        (0, 0, 1)
    );
    assert!(to.shared_annotation("copy-7-a").unwrap().unwrap().deleted);
    // Cancelled before the first page: nothing more, and it says so.
    let yes = AtomicBool::new(true);
    assert!(copy_missing(from, to, &yes, |_, _| {}).is_err());
}

#[test]
fn the_team_push_copy_works_between_two_sqlite_stores() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("a")).unwrap();
    std::fs::create_dir_all(dir.path().join("b")).unwrap();
    let mut from = source(&dir.path().join("a"));
    let mut to = Store::open(&dir.path().join("b").join("annalist.sqlite3")).unwrap();
    copy_contract(&mut from, &mut to);
    // The copy's links name the copy's own ids, and its annotations read back as they were.
    let hash = from.articles_after("", 1).unwrap()[0].uid.clone();
    let id = to.article_by_hash(&hash).unwrap().unwrap();
    let annotations = to.annotations(id).unwrap();
    let place = annotations.iter().find(|a| a.uid == "copy-0-b").unwrap();
    let person = annotations.iter().find(|a| a.uid == "copy-0-a").unwrap();
    assert_eq!(person.attrs["place"], serde_json::json!([place.id.0]));
}

#[test]
#[ignore = "needs a PostgreSQL server (ANNALIST_TEST_PG)"]
fn team_pg_the_team_push_copy_works_from_sqlite_into_postgresql() {
    let db = TestDb::new("contract_copy");
    db.team(&[]);
    let dir = tempfile::tempdir().unwrap();
    let mut from = source(dir.path());
    let target = PgTarget::parse(&db.url).unwrap();
    copy_contract(&mut from, &mut PgStore::open(&target).unwrap());
}
