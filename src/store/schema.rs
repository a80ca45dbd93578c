//! Schema and migrations, versioned by `PRAGMA user_version`.

use std::path::Path;

use rusqlite::{Connection, params};

use super::{Result, StoreError};
use crate::model::default_labels;

/// Newest schema version this build writes and reads.
pub const SCHEMA_VERSION: i64 = 9;

/// Each entry migrates from version `index` to `index + 1`.
const MIGRATIONS: &[&str] = &[
    // 0 -> 1: the first schema.
    "CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        published TEXT,
        url TEXT,
        source TEXT,
        imported_at TEXT NOT NULL,
        origin_path TEXT,
        origin_format TEXT NOT NULL,
        content_sha256 TEXT NOT NULL UNIQUE,
        char_len INTEGER NOT NULL
    );
    CREATE TABLE labels (
        name TEXT PRIMARY KEY,
        description TEXT NOT NULL DEFAULT '',
        color TEXT NOT NULL,
        shortcut TEXT,
        position INTEGER NOT NULL
    );
    CREATE TABLE annotations (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        label TEXT NOT NULL REFERENCES labels(name),
        start INTEGER NOT NULL CHECK (start >= 0),
        end INTEGER NOT NULL CHECK (end > start),
        text TEXT NOT NULL,
        attrs TEXT NOT NULL DEFAULT '{}',
        status TEXT NOT NULL CHECK (status IN ('suggested', 'accepted')),
        annotator TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX annotations_by_article ON annotations(article_id, start);
    CREATE INDEX articles_by_published ON articles(published);
    CREATE TABLE index_queue (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        article_id INTEGER NOT NULL
    );
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
    // 1 -> 2: a reviewer's "no" is kept (status 'rejected'), so suggesting again never
    // brings back what was rejected. SQLite cannot change a CHECK, so the table is rebuilt.
    "CREATE TABLE annotations_v2 (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        label TEXT NOT NULL REFERENCES labels(name),
        start INTEGER NOT NULL CHECK (start >= 0),
        end INTEGER NOT NULL CHECK (end > start),
        text TEXT NOT NULL,
        attrs TEXT NOT NULL DEFAULT '{}',
        status TEXT NOT NULL CHECK (status IN ('suggested', 'accepted', 'rejected')),
        annotator TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    INSERT INTO annotations_v2 SELECT * FROM annotations;
    DROP TABLE annotations;
    ALTER TABLE annotations_v2 RENAME TO annotations;
    CREATE INDEX annotations_by_article ON annotations(article_id, start);
    CREATE INDEX annotations_by_text ON annotations(text, status);",
    // 2 -> 3: outlets are counted from an index, not a scan of every article's row (the
    // app's outlet filter at startup took seconds on a large archive).
    "CREATE INDEX articles_by_source ON articles(source);",
    // 3 -> 4: several coders. Every annotation is in one coder's layer ('' for the layer of
    // an archive nobody named a coder in, as every archive before this version); articles
    // are assigned to coders, who mark them done.
    "ALTER TABLE annotations ADD COLUMN coder TEXT NOT NULL DEFAULT '';
    CREATE INDEX annotations_by_coder ON annotations(coder, article_id);
    CREATE TABLE assignments (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        coder TEXT NOT NULL CHECK (coder <> ''),
        assigned_at TEXT NOT NULL,
        done_at TEXT,
        PRIMARY KEY (article_id, coder)
    ) WITHOUT ROWID;
    CREATE INDEX assignments_by_coder ON assignments(coder, article_id);",
    // 4 -> 5: bundles across laptops. Every annotation gets a global id (`uid`, filled by
    // `fill_uids` and then made unique), and a deletion is kept as a tombstone, so that it
    // travels in a bundle and an older bundle does not bring the annotation back.
    "ALTER TABLE annotations ADD COLUMN uid TEXT NOT NULL DEFAULT '';
    CREATE TABLE tombstones (
        uid TEXT PRIMARY KEY,
        coder TEXT NOT NULL,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        deleted_at TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX tombstones_by_coder ON tombstones(coder, article_id);",
    // 5 -> 6: adjudication. Where each annotation of the adjudicated layer came from
    // (provenance; it goes with its annotation), and the units of the coders' spans an
    // adjudicator resolved, with the fingerprint of their inputs then (so a unit whose
    // coders changed it is open again, and one rejected as a whole is remembered).
    "CREATE TABLE adjudications (
        annotation_id INTEGER PRIMARY KEY REFERENCES annotations(id) ON DELETE CASCADE,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        unit TEXT NOT NULL,
        sources TEXT NOT NULL,
        edited INTEGER NOT NULL DEFAULT 0,
        adjudicator TEXT NOT NULL,
        adjudicated_at TEXT NOT NULL
    );
    CREATE INDEX adjudications_by_article ON adjudications(article_id);
    CREATE TABLE adjudicated_units (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        unit TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        decision TEXT NOT NULL,
        adjudicator TEXT NOT NULL,
        resolved_at TEXT NOT NULL,
        PRIMARY KEY (article_id, unit)
    ) WITHOUT ROWID;",
    // 6 -> 7: events. An event is in one coder layer and groups CASUALTY claims of that
    // layer (a claim is in one event at most); each field keeps its value (JSON), the spans
    // it rests on and whether a coder set it by hand. A change to any annotation of an
    // article one of its claims is in marks the event stale, so its derived values are
    // recomputed from what is left (a deleted claim leaves its event by the cascade).
    "CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        coder TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL CHECK (status IN ('suggested', 'accepted')),
        stale INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX events_by_coder ON events(coder, id);
    CREATE INDEX events_stale ON events(coder) WHERE stale = 1;
    CREATE TABLE event_claims (
        annotation_id INTEGER PRIMARY KEY REFERENCES annotations(id) ON DELETE CASCADE,
        event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        article_id INTEGER NOT NULL
    );
    CREATE INDEX event_claims_by_event ON event_claims(event_id);
    CREATE INDEX event_claims_by_article ON event_claims(article_id);
    CREATE TABLE event_fields (
        event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        field TEXT NOT NULL,
        value TEXT NOT NULL,
        evidence TEXT NOT NULL DEFAULT '[]',
        by_hand INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (event_id, field)
    ) WITHOUT ROWID;
    CREATE TRIGGER events_stale_on_delete AFTER DELETE ON annotations BEGIN
        UPDATE events SET stale = 1
        WHERE id IN (SELECT event_id FROM event_claims WHERE article_id = OLD.article_id);
    END;
    CREATE TRIGGER events_stale_on_update AFTER UPDATE ON annotations BEGIN
        UPDATE events SET stale = 1
        WHERE id IN (SELECT event_id FROM event_claims WHERE article_id = OLD.article_id);
    END;
    CREATE TRIGGER events_stale_on_claim_gone AFTER DELETE ON event_claims BEGIN
        UPDATE events SET stale = 1 WHERE id = OLD.event_id;
    END;",
    // 7 -> 8: the entity tagger's model trained on a coder layer's accepted spans (one per
    // layer; none: the bundled base model), its format version and what it was trained on.
    "CREATE TABLE tagger_models (
        coder TEXT PRIMARY KEY,
        format_version INTEGER NOT NULL,
        model BLOB NOT NULL,
        info TEXT NOT NULL,
        trained_at TEXT NOT NULL
    ) WITHOUT ROWID;",
    // 8 -> 9: a team replica's outbox. Every change to an annotation of a replica (an
    // archive whose `meta` names its `team_server`) queues its uid here in the same
    // transaction, in order, unless the change is the server's own copied in (`meta` holds
    // `team_applying` for that transaction only). An article metadata edit queues its
    // fields (before and after) with the server's version it was based on, which
    // `team_articles` keeps per article. The sender removes an entry once the
    // server committed it, or keeps it with the server's reason when it was refused.
    "CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('annotation', 'article')),
        uid TEXT NOT NULL,
        base_version INTEGER,
        payload TEXT,
        queued_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        refused TEXT
    );
    CREATE INDEX outbox_by_uid ON outbox(uid);
    CREATE TRIGGER outbox_on_insert AFTER INSERT ON annotations
    WHEN EXISTS (SELECT 1 FROM meta WHERE key = 'team_server')
        AND NOT EXISTS (SELECT 1 FROM meta WHERE key = 'team_applying')
    BEGIN
        INSERT INTO outbox (kind, uid) VALUES ('annotation', NEW.uid);
    END;
    CREATE TRIGGER outbox_on_update AFTER UPDATE ON annotations
    WHEN EXISTS (SELECT 1 FROM meta WHERE key = 'team_server')
        AND NOT EXISTS (SELECT 1 FROM meta WHERE key = 'team_applying')
    BEGIN
        INSERT INTO outbox (kind, uid) VALUES ('annotation', NEW.uid);
    END;
    CREATE TRIGGER outbox_on_delete AFTER DELETE ON annotations
    WHEN EXISTS (SELECT 1 FROM meta WHERE key = 'team_server')
        AND NOT EXISTS (SELECT 1 FROM meta WHERE key = 'team_applying')
    BEGIN
        INSERT INTO outbox (kind, uid) VALUES ('annotation', OLD.uid);
    END;
    CREATE TABLE team_articles (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        version INTEGER NOT NULL
    );
    CREATE TRIGGER outbox_on_article_edit AFTER UPDATE OF title, published, url, source ON articles
    WHEN EXISTS (SELECT 1 FROM meta WHERE key = 'team_server')
        AND NOT EXISTS (SELECT 1 FROM meta WHERE key = 'team_applying')
    BEGIN
        INSERT INTO outbox (kind, uid, base_version, payload) VALUES ('article',
            NEW.content_sha256,
            (SELECT version FROM team_articles WHERE article_id = NEW.id),
            json_object('title', json_array(OLD.title, NEW.title),
                'published', json_array(OLD.published, NEW.published),
                'url', json_array(OLD.url, NEW.url),
                'source', json_array(OLD.source, NEW.source)));
    END;",
];

/// The migration (from this version) that adds `uid`: after its SQL, `fill_uids` runs.
const UID_MIGRATION_FROM: i64 = 4;

pub(super) fn migrate(conn: &Connection, path: &Path) -> Result<()> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            found,
            supported: SCHEMA_VERSION,
            path: path.display().to_string(),
        });
    }
    for version in found..SCHEMA_VERSION {
        let Some(sql) = usize::try_from(version)
            .ok()
            .and_then(|v| MIGRATIONS.get(v))
        else {
            continue;
        };
        conn.execute_batch(&format!("BEGIN IMMEDIATE; {sql}"))?;
        if version == 0 {
            seed(conn)?;
        }
        if version == UID_MIGRATION_FROM {
            fill_uids(conn)?;
        }
        conn.execute_batch(&format!("PRAGMA user_version = {}; COMMIT;", version + 1))?;
    }
    Ok(())
}

/// Gives every annotation of an archive from before uids its uid, in id order (each the
/// smallest `n` not yet given), then makes uids unique.
fn fill_uids(conn: &Connection) -> Result<()> {
    let mut given = std::collections::HashSet::new();
    let mut rows = Vec::new();
    {
        let mut stmt = conn.prepare(
            "SELECT a.id, a.coder, r.content_sha256, a.label, a.start, a.end
             FROM annotations a JOIN articles r ON r.id = a.article_id ORDER BY a.id",
        )?;
        let mut query = stmt.query([])?;
        while let Some(row) = query.next()? {
            let (id, coder, hash, label): (i64, String, String, String) =
                (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
            let (start, end): (i64, i64) = (row.get(4)?, row.get(5)?);
            let (start, end) = (
                usize::try_from(start).unwrap_or(0),
                usize::try_from(end).unwrap_or(0),
            );
            let uid = (0..=u32::MAX)
                .map(|n| crate::model::annotation_uid(&coder, &hash, &label, start, end, n))
                .find(|uid| !given.contains(uid))
                .unwrap_or_default();
            given.insert(uid.clone());
            rows.push((id, uid));
        }
    }
    let mut update = conn.prepare("UPDATE annotations SET uid = ?2 WHERE id = ?1")?;
    for (id, uid) in rows {
        update.execute(params![id, uid])?;
    }
    // Annotations whose article is gone (a damaged archive) get their id as uid.
    conn.execute_batch(
        "UPDATE annotations SET uid = printf('%032x', id) WHERE uid = '';
        CREATE UNIQUE INDEX annotations_by_uid ON annotations(uid);",
    )?;
    Ok(())
}

fn seed(conn: &Connection) -> Result<()> {
    for (position, label) in default_labels().iter().enumerate() {
        conn.execute(
            "INSERT INTO labels (name, description, color, shortcut, position) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                label.name,
                label.description,
                label.color,
                label.shortcut.map(String::from),
                i64::try_from(position).unwrap_or(0)
            ],
        )?;
    }
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('created_by', ?1)",
        [concat!("annalist ", env!("CARGO_PKG_VERSION"))],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AnnotationId, AnnotationStatus};

    #[test]
    fn version_1_archives_keep_their_annotations_and_learn_rejection() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("annalist.sqlite3");
        {
            // An archive as version 1 wrote it, with one annotation.
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(MIGRATIONS[0]).unwrap();
            seed(&conn).unwrap();
            conn.execute_batch(
                "INSERT INTO articles VALUES (1, 'T', 'Nine killed in Saravan', NULL, NULL, NULL, 'now', NULL, 'text', 'h', 22);
                 INSERT INTO annotations VALUES (7, 1, 'LOC', 15, 22, 'Saravan', '{\"country_code\":\"IR\"}', 'accepted', 'maria', 'a', 'b');
                 PRAGMA user_version = 1;",
            )
            .unwrap();
        }
        let mut store = super::super::Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        // Version 3: outlets are counted from an index, without reading every article.
        let plan: String = store
            .conn
            .query_row(
                "EXPLAIN QUERY PLAN SELECT source, COUNT(*) FROM articles GROUP BY source",
                [],
                |r| r.get(3),
            )
            .unwrap();
        assert!(plan.contains("COVERING INDEX articles_by_source"), "{plan}");
        let kept = store.annotation(AnnotationId(7)).unwrap().unwrap();
        assert_eq!(kept.text, "Saravan");
        // Version 5: the annotation got its global id, from what it is.
        assert_eq!(
            kept.uid,
            crate::model::annotation_uid("", "h", "LOC", 15, 22, 0)
        );
        assert_eq!(kept.attrs["country_code"], "IR");
        assert_eq!(kept.status, AnnotationStatus::Accepted);
        store
            .set_statuses(&[AnnotationId(7)], AnnotationStatus::Rejected)
            .unwrap();
        assert_eq!(
            store.annotation(AnnotationId(7)).unwrap().unwrap().status,
            AnnotationStatus::Rejected
        );
    }
}
