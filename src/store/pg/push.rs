//! Uploading a local archive's labels, articles and annotation layers to the team archive:
//! batches through binary COPY into temporary tables, then one insert that skips what the
//! server already has (articles by content hash, annotations by global uid), so a push
//! repeated or resumed after a kill is a no-op for what arrived.

use std::collections::HashMap;

use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{ToSql, Type};

use super::{PgError, PgStore};
use crate::model::{
    Annotation, AnnotationAttrs, Article, LabelSchema, link_target_id, link_targets_mut,
};

/// What one batch added on the server (the rest was there already).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PushCounts {
    /// Articles added.
    pub articles: u64,
    /// Annotations added.
    pub annotations: u64,
}

impl std::ops::AddAssign for PushCounts {
    fn add_assign(&mut self, other: Self) {
        self.articles += other.articles;
        self.annotations += other.annotations;
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

    /// Uploads one batch of articles with their annotations, in one transaction.
    pub fn push_batch(
        &mut self,
        batch: &[(Article, Vec<Annotation>)],
    ) -> Result<PushCounts, PgError> {
        let user = self.target.user().to_owned();
        let refused = |e| PgError::of_statement(e, &user);
        let mut tx = self.client.transaction()?;
        tx.batch_execute(
            "CREATE TEMP TABLE push_articles (LIKE annalist.articles INCLUDING DEFAULTS) ON COMMIT DROP;
             CREATE TEMP TABLE push_annotations (LIKE annalist.annotations INCLUDING DEFAULTS) ON COMMIT DROP;",
        )?;
        {
            let sink = tx.copy_in(
                "COPY push_articles (uid, title, text, published, url, source, imported_at, \
                 origin_path, origin_format) FROM STDIN BINARY",
            )?;
            let mut writer = BinaryCopyInWriter::new(sink, &ARTICLE_TYPES);
            for (article, _) in batch {
                let published = article.published.as_ref().map(ToString::to_string);
                let row: [&(dyn ToSql + Sync); 9] = [
                    &article.content_sha256,
                    &article.title,
                    &article.text,
                    &published,
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
            for (article, annotations) in batch {
                let uids: HashMap<i64, &str> = annotations
                    .iter()
                    .map(|a| (a.id.0, a.uid.as_str()))
                    .collect();
                for a in annotations {
                    let start = i32::try_from(a.span.start()).unwrap_or(i32::MAX);
                    let end = i32::try_from(a.span.end()).unwrap_or(i32::MAX);
                    let attrs = serde_json::Value::Object(links_as_uids(&a.attrs, &uids));
                    let row: [&(dyn ToSql + Sync); 12] = [
                        &a.uid,
                        &article.content_sha256,
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
        let annotations = tx
            .execute(
                "INSERT INTO annalist.annotations SELECT * FROM push_annotations ORDER BY uid
                 ON CONFLICT (uid) DO NOTHING",
                &[],
            )
            .map_err(refused)?;
        tx.commit()?;
        Ok(PushCounts {
            articles,
            annotations,
        })
    }
}

/// The attributes with each link to an annotation of the same article naming its global
/// uid instead of this archive's id (a replica maps them back to its own ids).
fn links_as_uids(attrs: &AnnotationAttrs, uids: &HashMap<i64, &str>) -> AnnotationAttrs {
    let mut out = attrs.clone();
    for item in link_targets_mut(&mut out) {
        if let Some(uid) = link_target_id(item).and_then(|id| uids.get(&id)) {
            *item = serde_json::Value::from(*uid);
        }
    }
    out
}
