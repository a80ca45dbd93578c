//! Adjudications: the provenance of each annotation of the adjudicated layer and the units an
//! adjudicator resolved; a resolution and the annotations it takes are stored in one
//! transaction.

use rusqlite::params;

use super::rows::insert_annotation_row;
use super::{Result, Store, StoreError, now_rfc3339};
use crate::model::{
    AnnotationId, ArticleId, CharOffsets, NewAnnotation, Provenance, ProvenanceSource,
    UnitDecision, UnitResolution,
};

/// A unit resolved with what it takes: the rows [`Store::resolve_unit`] writes.
#[derive(Debug, Clone)]
pub struct UnitWrite<'a> {
    /// The article.
    pub article_id: ArticleId,
    /// Its text, which the annotations' spans point into.
    pub text: &'a str,
    /// The resolution (its `at` is filled with the time of the write).
    pub resolution: UnitResolution,
    /// Resolutions this one replaces (units of an earlier state of the same spans).
    pub replaces: Vec<String>,
    /// Adjudicated annotations this one replaces (the earlier result of the unit).
    pub removes: Vec<AnnotationId>,
    /// The annotations taken, each with the coders' annotations it came from.
    pub takes: Vec<(NewAnnotation, Vec<ProvenanceSource>)>,
}

impl Store {
    /// The provenance of every adjudicated annotation of an article, by annotation id.
    pub fn provenance(&self, article_id: ArticleId) -> Result<Vec<Provenance>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT annotation_id, unit, sources, edited, adjudicator, adjudicated_at
             FROM adjudications WHERE article_id = ?1 ORDER BY annotation_id",
        )?;
        let rows = stmt
            .query_map([article_id.0], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, bool>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(id, unit, sources, edited, by, at)| {
                let from: Vec<ProvenanceSource> =
                    serde_json::from_str(&sources).map_err(|e| {
                        StoreError::Corrupt(format!(
                            "the provenance of adjudicated annotation {id} is not JSON ({e}): adjudications.sources"
                        ))
                    })?;
                Ok(Provenance {
                    annotation_id: AnnotationId(id),
                    by,
                    from,
                    edited,
                    at,
                    unit,
                })
            })
            .collect()
    }

    /// The units of an article an adjudicator resolved, by unit key.
    pub fn unit_resolutions(&self, article_id: ArticleId) -> Result<Vec<UnitResolution>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT unit, fingerprint, decision, adjudicator, resolved_at
             FROM adjudicated_units WHERE article_id = ?1 ORDER BY unit",
        )?;
        let rows = stmt
            .query_map([article_id.0], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(unit, fingerprint, decision, by, at)| {
                let decision = UnitDecision::from_stored(&decision).ok_or_else(|| {
                    StoreError::Corrupt(format!(
                        "unit {unit} of article {article_id} has the unknown decision '{decision}': adjudicated_units.decision"
                    ))
                })?;
                Ok(UnitResolution {
                    unit,
                    fingerprint,
                    decision,
                    by,
                    at,
                })
            })
            .collect()
    }

    /// Stores a resolution in one transaction: the replaced resolutions and adjudicated
    /// annotations go, the taken annotations are added with their provenance, and the article
    /// is queued for the index. Returns the ids of the taken annotations, in order.
    pub fn resolve_unit(&mut self, write: &UnitWrite<'_>) -> Result<Vec<AnnotationId>> {
        let now = now_rfc3339();
        let tx = self.conn.transaction()?;
        let article = write.article_id.0;
        for unit in write.replaces.iter().chain([&write.resolution.unit]) {
            tx.prepare_cached("DELETE FROM adjudicated_units WHERE article_id = ?1 AND unit = ?2")?
                .execute(params![article, unit])?;
        }
        for id in &write.removes {
            tx.prepare_cached("DELETE FROM annotations WHERE id = ?1 AND article_id = ?2")?
                .execute(params![id.0, article])?;
        }
        let resolution = &write.resolution;
        tx.prepare_cached(
            "INSERT INTO adjudicated_units (article_id, unit, fingerprint, decision, adjudicator, resolved_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            article,
            resolution.unit,
            resolution.fingerprint,
            resolution.decision.as_stored(),
            resolution.by,
            now
        ])?;
        let offsets = CharOffsets::new(write.text);
        let mut ids = Vec::with_capacity(write.takes.len());
        for (annotation, sources) in &write.takes {
            let id = insert_annotation_row(&tx, write.article_id, annotation, &offsets, &now)?;
            let sources = serde_json::to_string(sources)
                .map_err(|e| StoreError::Corrupt(format!("provenance cannot be written: {e}")))?;
            tx.prepare_cached(
                "INSERT INTO adjudications (annotation_id, article_id, unit, sources, edited, adjudicator, adjudicated_at)
                 VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6)",
            )?
            .execute(params![id.0, article, resolution.unit, sources, resolution.by, now])?;
            ids.push(id);
        }
        tx.prepare_cached("INSERT INTO index_queue (article_id) VALUES (?1)")?
            .execute([article])?;
        tx.commit()?;
        Ok(ids)
    }

    /// Records that the adjudicator changed an adjudicated annotation after taking it.
    pub fn mark_adjudication_edited(&mut self, id: AnnotationId) -> Result<()> {
        self.conn.execute(
            "UPDATE adjudications SET edited = 1 WHERE annotation_id = ?1",
            [id.0],
        )?;
        Ok(())
    }

    /// Gives the provenance of `from` to `to` (an adjudicated span whose boundaries were
    /// changed is stored anew), marked edited.
    pub fn move_provenance(&mut self, from: AnnotationId, to: AnnotationId) -> Result<()> {
        self.conn.execute(
            "INSERT INTO adjudications (annotation_id, article_id, unit, sources, edited, adjudicator, adjudicated_at)
             SELECT ?2, article_id, unit, sources, 1, adjudicator, adjudicated_at
             FROM adjudications WHERE annotation_id = ?1",
            params![from.0, to.0],
        )?;
        Ok(())
    }
}
