//! The store contract (`annalist::store::SharedStore`): one suite run against the local
//! SQLite store and against the team's PostgreSQL store (`team_pg_*`, ignored unless run
//! with `--ignored` and `ANNALIST_TEST_PG`).

use annalist::model::{AnnotationAttrs, AnnotationStatus, CharSpan, NewArticle};
use annalist::store::{SharedStore, Store, TeamAnnotation};

use crate::team::TestDb;

/// What every implementation must do, on a store holding exactly one article.
fn contract(store: &mut dyn SharedStore) {
    let labels = store.shared_labels().unwrap();
    assert!(labels.find("PER").is_some(), "{labels:?}");
    let hashes = store.article_hashes().unwrap();
    assert_eq!(hashes.len(), 1, "{hashes:?}");
    let mut a = TeamAnnotation {
        uid: "contract-uid-1".to_owned(),
        article_uid: hashes[0].clone(),
        coder: "cora".to_owned(),
        label: "PER".to_owned(),
        span: CharSpan::ordered(0, 4).unwrap(),
        text: "Tiny".to_owned(),
        attrs: AnnotationAttrs::new(),
        status: AnnotationStatus::Suggested,
        annotator: "cora".to_owned(),
        created_at: "2026-01-01T00:00:00.000Z".to_owned(),
        updated_at: "2026-01-01T00:00:00.000Z".to_owned(),
        deleted: false,
    };
    assert_eq!(store.shared_annotation(&a.uid).unwrap(), None);
    // New, then the same again: stored once, the second a no-op.
    assert!(store.put_annotation(&a).unwrap());
    assert!(!store.put_annotation(&a).unwrap());
    assert_eq!(store.shared_annotation(&a.uid).unwrap().as_ref(), Some(&a));
    // Changed by uid: the new version replaces the old.
    a.status = AnnotationStatus::Accepted;
    a.attrs.insert("name".to_owned(), "Tiny O'Brien".into());
    a.updated_at = "2026-01-02T00:00:00.000Z".to_owned();
    assert!(store.put_annotation(&a).unwrap());
    assert_eq!(store.shared_annotation(&a.uid).unwrap().as_ref(), Some(&a));
    // Deleted: kept as a deletion, once; an unknown uid changes nothing.
    assert!(
        store
            .delete_by_uid(&a.uid, "2026-01-03T00:00:00.000Z")
            .unwrap()
    );
    assert!(
        !store
            .delete_by_uid(&a.uid, "2026-01-03T00:00:00.000Z")
            .unwrap()
    );
    assert!(
        !store
            .delete_by_uid("no-such-uid", "2026-01-03T00:00:00.000Z")
            .unwrap()
    );
    let gone = store.shared_annotation(&a.uid).unwrap().unwrap();
    assert!(gone.deleted);
    assert_eq!(
        (
            gone.coder.as_str(),
            gone.article_uid.as_str(),
            gone.updated_at.as_str()
        ),
        ("cora", hashes[0].as_str(), "2026-01-03T00:00:00.000Z")
    );
    // An annotation of an article the store does not hold is refused.
    let mut stray = a.clone();
    stray.uid = "contract-uid-2".to_owned();
    stray.article_uid = "no-such-article".to_owned();
    assert!(store.put_annotation(&stray).is_err());
    assert_eq!(store.shared_annotation(&stray.uid).unwrap(), None);
}

#[test]
fn the_store_contract_holds_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("annalist.sqlite3")).unwrap();
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
    contract(&mut store);
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
    let target = annalist::service::PgTarget::parse(&db.url).unwrap();
    let mut store = annalist::service::PgStore::open(&target).unwrap();
    contract(&mut store);
}
