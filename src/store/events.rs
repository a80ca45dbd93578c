//! Events: their rows, the claims each groups and the value of each field with its
//! evidence and by-hand flag. Every query goes through an index (an event by id, a layer's
//! events by coder, an event's claims by event, a claim's event by annotation id).

use rusqlite::{OptionalExtension, Transaction, params};

use super::{Result, Store, StoreError, now_rfc3339};
use crate::model::{
    AnnotationId, ArticleId, Event, EventField, EventId, EventStatus, Evidence, FieldValue,
};

/// An event as the store keeps it: everything but its sources (the service reads those from
/// the articles).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    /// The event, `sources` empty.
    pub event: Event,
    /// Whether a change to its claims' articles is not yet reflected in its derived fields.
    pub stale: bool,
}

/// The claims and fields of an event to store.
pub type NewEvent = (Vec<Evidence>, Vec<(EventField, FieldValue)>);

/// The layer name an event's `coder` is stored under.
fn layer_name(coder: Option<&str>) -> &str {
    coder.unwrap_or("")
}

fn layer_of(name: String) -> Option<String> {
    (!name.is_empty()).then_some(name)
}

impl Store {
    /// Stores a new event of `coder`'s layer grouping `claims` (which leave any event they
    /// were in), with `fields`.
    pub fn insert_event(
        &mut self,
        coder: Option<&str>,
        status: EventStatus,
        claims: &[Evidence],
        fields: &[(EventField, FieldValue)],
    ) -> Result<EventId> {
        let now = now_rfc3339();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO events (coder, status, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
            params![layer_name(coder), status.as_str(), now],
        )?;
        let id = EventId(tx.last_insert_rowid());
        put_claims(&tx, id, claims)?;
        put_fields(&tx, id, fields)?;
        tx.commit()?;
        Ok(id)
    }

    /// Stores many new events in one transaction (suggesting events over a whole layer).
    pub fn insert_events(
        &mut self,
        coder: Option<&str>,
        events: &[NewEvent],
    ) -> Result<Vec<EventId>> {
        let now = now_rfc3339();
        let tx = self.conn.transaction()?;
        let mut ids = Vec::with_capacity(events.len());
        for (claims, fields) in events {
            tx.prepare_cached(
                "INSERT INTO events (coder, status, created_at, updated_at) VALUES (?1, 'suggested', ?2, ?2)",
            )?
            .execute(params![layer_name(coder), now])?;
            let id = EventId(tx.last_insert_rowid());
            put_claims(&tx, id, claims)?;
            put_fields(&tx, id, fields)?;
            ids.push(id);
        }
        tx.commit()?;
        Ok(ids)
    }

    /// One event with its claims and fields.
    pub fn event(&self, id: EventId) -> Result<Option<StoredEvent>> {
        let row = self
            .conn
            .prepare_cached("SELECT coder, status, stale FROM events WHERE id = ?1")?
            .query_row([id.0], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, bool>(2)?,
                ))
            })
            .optional()?;
        let Some((coder, status, stale)) = row else {
            return Ok(None);
        };
        let status: EventStatus = status
            .parse()
            .map_err(|e| StoreError::Corrupt(format!("event {id}: {e}")))?;
        let mut event = Event {
            id,
            status,
            coder: layer_of(coder),
            claims: self.event_claims(id)?,
            ..Event::default()
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT field, value, evidence, by_hand FROM event_fields WHERE event_id = ?1",
        )?;
        let mut rows = stmt.query([id.0])?;
        while let Some(row) = rows.next()? {
            let (name, value, evidence, by_hand): (String, String, String, bool) =
                (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
            // A field this build does not know (a newer one wrote it) is left out.
            let Ok(field) = name.parse::<EventField>() else {
                continue;
            };
            let corrupt = |e: serde_json::Error| {
                StoreError::Corrupt(format!("event {id}, field {name}: {e}"))
            };
            let value = FieldValue {
                value: serde_json::from_str(&value).map_err(corrupt)?,
                from: serde_json::from_str(&evidence).map_err(corrupt)?,
                by_hand,
            };
            event.set_field(field, &value);
        }
        Ok(Some(StoredEvent { event, stale }))
    }

    /// The claims of one event, sorted, each with its article and uid.
    fn event_claims(&self, id: EventId) -> Result<Vec<Evidence>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.article_id, c.annotation_id, a.uid FROM event_claims c
             JOIN annotations a ON a.id = c.annotation_id
             WHERE c.event_id = ?1 ORDER BY c.annotation_id",
        )?;
        let claims = stmt
            .query_map([id.0], |r| {
                Ok(Evidence {
                    article_id: ArticleId(r.get(0)?),
                    annotation_id: AnnotationId(r.get(1)?),
                    uid: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(claims)
    }

    /// Ids of the events of one layer, in id order.
    pub fn event_ids(&self, coder: Option<&str>) -> Result<Vec<EventId>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM events WHERE coder = ?1 ORDER BY id")?;
        let ids = stmt
            .query_map([layer_name(coder)], |r| r.get(0).map(EventId))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(ids)
    }

    /// Ids of the events of one layer whose derived fields must be recomputed.
    pub fn stale_event_ids(&self, coder: Option<&str>) -> Result<Vec<EventId>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM events WHERE coder = ?1 AND stale = 1 ORDER BY id")?;
        let ids = stmt
            .query_map([layer_name(coder)], |r| r.get(0).map(EventId))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(ids)
    }

    /// The event a claim is in, if any.
    pub fn event_of_claim(&self, claim: AnnotationId) -> Result<Option<EventId>> {
        Ok(self
            .conn
            .prepare_cached("SELECT event_id FROM event_claims WHERE annotation_id = ?1")?
            .query_row([claim.0], |r| r.get(0).map(EventId))
            .optional()?)
    }

    /// Ids of the annotations of one layer that are in some event (for grouping what is
    /// left).
    pub fn grouped_claims(&self, coder: Option<&str>) -> Result<Vec<AnnotationId>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.annotation_id FROM event_claims c JOIN events e ON e.id = c.event_id
             WHERE e.coder = ?1 ORDER BY c.annotation_id",
        )?;
        let ids = stmt
            .query_map([layer_name(coder)], |r| r.get(0).map(AnnotationId))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(ids)
    }

    /// Articles with CASUALTY annotations of one layer that are not rejected, in id order
    /// (through the index of annotations by coder and article).
    pub fn claim_articles(&self, coder: Option<&str>) -> Result<Vec<ArticleId>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT article_id FROM annotations
             WHERE coder = ?1 AND label = 'CASUALTY' AND status <> 'rejected' ORDER BY article_id",
        )?;
        let ids = stmt
            .query_map([layer_name(coder)], |r| r.get(0).map(ArticleId))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(ids)
    }

    /// Replaces an event's fields (all of them) and marks it fresh.
    pub fn replace_event_fields(
        &mut self,
        id: EventId,
        fields: &[(EventField, FieldValue)],
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM event_fields WHERE event_id = ?1", [id.0])?;
        put_fields(&tx, id, fields)?;
        tx.execute(
            "UPDATE events SET stale = 0, updated_at = ?2 WHERE id = ?1",
            params![id.0, now_rfc3339()],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Sets the status of events.
    pub fn set_event_statuses(&mut self, ids: &[EventId], status: EventStatus) -> Result<()> {
        let now = now_rfc3339();
        let tx = self.conn.transaction()?;
        for id in ids {
            tx.prepare_cached("UPDATE events SET status = ?2, updated_at = ?3 WHERE id = ?1")?
                .execute(params![id.0, status.as_str(), now])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Moves claims into event `to` (out of whatever event they were in) and marks both
    /// stale; events left without claims are deleted. Returns the ids of those deleted.
    pub fn move_claims(&mut self, claims: &[Evidence], to: EventId) -> Result<Vec<EventId>> {
        let tx = self.conn.transaction()?;
        let left = claims_leave(&tx, claims)?;
        put_claims(&tx, to, claims)?;
        tx.execute("UPDATE events SET stale = 1 WHERE id = ?1", [to.0])?;
        let deleted = delete_if_empty(&tx, &left)?;
        tx.commit()?;
        Ok(deleted)
    }

    /// Takes claims out of their events; events left without claims are deleted. Returns the
    /// ids of those deleted.
    pub fn detach_claims(&mut self, claims: &[AnnotationId]) -> Result<Vec<EventId>> {
        let tx = self.conn.transaction()?;
        let mut left = Vec::new();
        for claim in claims {
            let event: Option<i64> = tx
                .prepare_cached("SELECT event_id FROM event_claims WHERE annotation_id = ?1")?
                .query_row([claim.0], |r| r.get(0))
                .optional()?;
            if let Some(event) = event {
                tx.prepare_cached("DELETE FROM event_claims WHERE annotation_id = ?1")?
                    .execute([claim.0])?;
                left.push(EventId(event));
            }
        }
        let deleted = delete_if_empty(&tx, &left)?;
        tx.commit()?;
        Ok(deleted)
    }

    /// Deletes events (their claims go back to being ungrouped).
    pub fn delete_events(&mut self, ids: &[EventId]) -> Result<()> {
        let tx = self.conn.transaction()?;
        for id in ids {
            tx.prepare_cached("DELETE FROM events WHERE id = ?1")?
                .execute([id.0])?;
        }
        tx.commit()?;
        Ok(())
    }
}

/// Removes `claims` from the events they are in; returns those events.
fn claims_leave(tx: &Transaction<'_>, claims: &[Evidence]) -> Result<Vec<EventId>> {
    let mut left = Vec::new();
    for claim in claims {
        let event: Option<i64> = tx
            .prepare_cached("SELECT event_id FROM event_claims WHERE annotation_id = ?1")?
            .query_row([claim.annotation_id.0], |r| r.get(0))
            .optional()?;
        if let Some(event) = event {
            tx.prepare_cached("DELETE FROM event_claims WHERE annotation_id = ?1")?
                .execute([claim.annotation_id.0])?;
            left.push(EventId(event));
        }
    }
    Ok(left)
}

/// Deletes those of `events` that have no claim left; returns them.
fn delete_if_empty(tx: &Transaction<'_>, events: &[EventId]) -> Result<Vec<EventId>> {
    let mut deleted = Vec::new();
    for id in events {
        let any: Option<i64> = tx
            .prepare_cached("SELECT annotation_id FROM event_claims WHERE event_id = ?1 LIMIT 1")?
            .query_row([id.0], |r| r.get(0))
            .optional()?;
        if any.is_none() && !deleted.contains(id) {
            tx.prepare_cached("DELETE FROM events WHERE id = ?1")?
                .execute([id.0])?;
            deleted.push(*id);
        }
    }
    Ok(deleted)
}

fn put_claims(tx: &Transaction<'_>, id: EventId, claims: &[Evidence]) -> Result<()> {
    for claim in claims {
        tx.prepare_cached(
            "INSERT INTO event_claims (annotation_id, event_id, article_id) VALUES (?1, ?2, ?3)
             ON CONFLICT (annotation_id) DO UPDATE SET event_id = excluded.event_id",
        )?
        .execute(params![claim.annotation_id.0, id.0, claim.article_id.0])?;
    }
    Ok(())
}

fn put_fields(
    tx: &Transaction<'_>,
    id: EventId,
    fields: &[(EventField, FieldValue)],
) -> Result<()> {
    for (field, value) in fields {
        if value.value.is_null() && value.from.is_empty() && !value.by_hand {
            continue;
        }
        let evidence = serde_json::to_string(&value.from)
            .map_err(|e| StoreError::Corrupt(format!("event {id}, field {field}: {e}")))?;
        tx.prepare_cached(
            "INSERT INTO event_fields (event_id, field, value, evidence, by_hand)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            id.0,
            field.as_str(),
            value.value.to_string(),
            evidence,
            value.by_hand
        ])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        AnnotationAttrs, AnnotationStatus, CharSpan, NewAnnotation, NewArticle, Traced,
    };

    fn store_with_claims() -> (tempfile::TempDir, Store, Vec<Evidence>) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        let text = "Nine killed in Saravan. Two killed in Quetta.";
        let article = NewArticle::new("T", text, "text");
        let article_id = match store.insert_articles(&[article]).unwrap()[0] {
            super::super::InsertOutcome::Inserted(id, _) => id,
            ref other => panic!("{other:?}"),
        };
        let mut claims = Vec::new();
        for (start, end) in [(0, 11), (24, 34)] {
            let new = NewAnnotation {
                requested_id: None,
                label: "CASUALTY".into(),
                span: CharSpan::new(start, end, 45).unwrap(),
                expected_text: None,
                attrs: AnnotationAttrs::new(),
                status: AnnotationStatus::Accepted,
                annotator: "t".into(),
                coder: "ana".into(),
            };
            let a = store.insert_annotation(article_id, &new, text).unwrap();
            claims.push(Evidence {
                article_id,
                annotation_id: a.id,
                uid: a.uid,
            });
        }
        (dir, store, claims)
    }

    #[test]
    fn an_event_keeps_its_claims_and_fields_and_a_deleted_claim_leaves_it_stale() {
        let (_dir, mut store, claims) = store_with_claims();
        let mut event = Event {
            deaths_best: Traced::derived(9, vec![claims[0].clone()]),
            place: Traced::by_hand(Some("Saravan".into())),
            ..Event::default()
        };
        let id = store
            .insert_event(
                Some("ana"),
                EventStatus::Suggested,
                &claims,
                &event.fields(),
            )
            .unwrap();
        let stored = store.event(id).unwrap().unwrap();
        event.id = id;
        event.coder = Some("ana".into());
        event.claims = claims.clone();
        assert_eq!(
            stored,
            StoredEvent {
                event,
                stale: false
            }
        );
        assert_eq!(store.event_ids(Some("ana")).unwrap(), [id]);
        assert!(store.event_ids(None).unwrap().is_empty());
        assert_eq!(
            store.event_of_claim(claims[1].annotation_id).unwrap(),
            Some(id)
        );

        store.delete_annotation(claims[1].annotation_id).unwrap();
        let stored = store.event(id).unwrap().unwrap();
        assert!(stored.stale);
        assert_eq!(stored.event.claims, [claims[0].clone()]);
        assert_eq!(store.stale_event_ids(Some("ana")).unwrap(), [id]);
        store.replace_event_fields(id, &[]).unwrap();
        assert!(store.stale_event_ids(Some("ana")).unwrap().is_empty());

        // The last claim detached: the event is gone.
        assert_eq!(
            store.detach_claims(&[claims[0].annotation_id]).unwrap(),
            [id]
        );
        assert!(store.event(id).unwrap().is_none());
    }

    #[test]
    fn events_are_read_through_indexes() {
        let (_dir, store, _claims) = store_with_claims();
        for sql in [
            "SELECT id FROM events WHERE coder = 'a' ORDER BY id",
            "SELECT id FROM events WHERE coder = 'a' AND stale = 1 ORDER BY id",
            "SELECT annotation_id FROM event_claims WHERE event_id = 1",
            "SELECT event_id FROM event_claims WHERE article_id = 1",
            "SELECT field FROM event_fields WHERE event_id = 1",
        ] {
            let plan: String = store
                .conn
                .query_row(&format!("EXPLAIN QUERY PLAN {sql}"), [], |r| r.get(3))
                .unwrap();
            assert!(plan.contains("USING"), "{sql}: {plan}");
        }
    }
}
