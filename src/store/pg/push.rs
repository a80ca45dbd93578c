//! Adding to the team archive what it lacks (`team push`, through the store contract):
//! batches through binary COPY into temporary tables, then one insert that skips what the
//! server already has (articles by content hash, annotations by global uid) and one update
//! that marks deleted the live rows a deletion names, so a push repeated or resumed after a
//! kill is a no-op for what arrived.

use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{ToSql, Type};

use super::{PgError, PgStore, TeamAnnotation, TeamArticle};
use crate::model::LabelSchema;

/// What one batch added on the server (the rest was there already).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PushCounts {
    /// Articles added.
    pub articles: u64,
    /// Annotations added.
    pub annotations: u64,
    /// Annotations the store had live and now has deleted.
    pub deletions: u64,
}

impl std::ops::AddAssign for PushCounts {
    fn add_assign(&mut self, other: Self) {
        self.articles += other.articles;
        self.annotations += other.annotations;
        self.deletions += other.deletions;
    }
}

const ARTICLE_TYPES: [Type; 9] = [
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
];

const ANNOTATION_TYPES: [Type; 12] = [
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::INT4,
    Type::INT4,
    Type::TEXT,
    Type::JSONB,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
];

impl PgStore {
    /// Adds the labels the server does not have (the server's own definitions win).
    pub fn push_labels(&mut self, labels: &LabelSchema) -> Result<u64, PgError> {
        let user = self.target.user().to_owned();
        let mut tx = self.client.transaction()?;
        let mut added = 0;
        for (position, label) in labels.labels.iter().enumerate() {
            let shortcut = label.shortcut.map(String::from);
            let position = i32::try_from(position).unwrap_or(i32::MAX);
            added += tx
                .execute(
                    "INSERT INTO annalist.labels (name, description, color, shortcut, position)
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO NOTHING",
                    &[
                        &label.name,
                        &label.description,
                        &label.color,
                        &shortcut,
                        &position,
                    ],
                )
                .map_err(|e| PgError::of_statement(e, &user))?;
        }
        tx.commit()?;
        Ok(added)
    }

    /// Adds what the server lacks of one batch, in one transaction: articles by content
    /// hash, live annotations by uid (links name uids), and deletions to the live rows
    /// they name (unless the server's row changed after the deletion). What the server
    /// has already stays as it is.
    pub fn add_missing(
        &mut self,
        articles: &[TeamArticle],
        annotations: &[TeamAnnotation],
    ) -> Result<PushCounts, PgError> {
        let user = self.target.user().to_owned();
        let refused = |e| PgError::of_statement(e, &user);
        let mut tx = self.client.transaction()?;
        tx.batch_execute(
            "CREATE TEMP TABLE push_articles (LIKE annalist.articles INCLUDING DEFAULTS) ON COMMIT DROP;
             CREATE TEMP TABLE push_annotations (LIKE annalist.annotations INCLUDING DEFAULTS) ON COMMIT DROP;
             CREATE TEMP TABLE push_deletions (uid TEXT PRIMARY KEY, deleted_at TEXT NOT NULL) ON COMMIT DROP;",
        )?;
        {
            let sink = tx.copy_in(
                "COPY push_articles (uid, title, text, published, url, source, imported_at, \
                 origin_path, origin_format) FROM STDIN BINARY",
            )?;
            let mut writer = BinaryCopyInWriter::new(sink, &ARTICLE_TYPES);
            for article in articles {
                let row: [&(dyn ToSql + Sync); 9] = [
                    &article.uid,
                    &article.title,
                    &article.text,
                    &article.published,
                    &article.url,
                    &article.source,
                    &article.imported_at,
                    &article.origin_path,
                    &article.origin_format,
                ];
                writer.write(&row)?;
            }
            writer.finish()?;
        }
        {
            let sink = tx.copy_in(
                "COPY push_annotations (uid, article_uid, coder, label, start_cp, end_cp, text, \
                 attrs, status, annotator, created_at, updated_at) FROM STDIN BINARY",
            )?;
            let mut writer = BinaryCopyInWriter::new(sink, &ANNOTATION_TYPES);
            for a in annotations.iter().filter(|a| !a.deleted) {
                let start = i32::try_from(a.span.start()).unwrap_or(i32::MAX);
                let end = i32::try_from(a.span.end()).unwrap_or(i32::MAX);
                let attrs = serde_json::Value::Object(a.attrs.clone());
                let row: [&(dyn ToSql + Sync); 12] = [
                    &a.uid,
                    &a.article_uid,
                    &a.coder,
                    &a.label,
                    &start,
                    &end,
                    &a.text,
                    &attrs,
                    &a.status.as_str(),
                    &a.annotator,
                    &a.created_at,
                    &a.updated_at,
                ];
                writer.write(&row)?;
            }
            writer.finish()?;
        }
        {
            let sink = tx.copy_in("COPY push_deletions (uid, deleted_at) FROM STDIN BINARY")?;
            let mut writer = BinaryCopyInWriter::new(sink, &[Type::TEXT, Type::TEXT]);
            let mut seen = std::collections::HashSet::new();
            for a in annotations.iter().filter(|a| a.deleted) {
                if seen.insert(a.uid.as_str()) {
                    writer.write(&[&a.uid, &a.updated_at])?;
                }
            }
            writer.finish()?;
        }
        let articles = tx
            .execute(
                "INSERT INTO annalist.articles SELECT * FROM push_articles ORDER BY uid
                 ON CONFLICT (uid) DO NOTHING",
                &[],
            )
            .map_err(refused)?;
        let added = tx
            .execute(
                "INSERT INTO annalist.annotations SELECT * FROM push_annotations ORDER BY uid
                 ON CONFLICT (uid) DO NOTHING",
                &[],
            )
            .map_err(refused)?;
        let deletions = tx
            .execute(
                "UPDATE annalist.annotations AS a SET deleted = true, updated_at = d.deleted_at
                 FROM push_deletions AS d
                 WHERE a.uid = d.uid AND NOT a.deleted AND a.updated_at <= d.deleted_at",
                &[],
            )
            .map_err(refused)?;
        tx.commit()?;
        Ok(PushCounts {
            articles,
            annotations: added,
            deletions,
        })
    }
}
