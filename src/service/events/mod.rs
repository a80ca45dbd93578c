//! Events across articles: suggesting them by grouping a layer's CASUALTY claims, deriving
//! their fields from the claims (each value with the spans it rests on), and what a coder
//! does with them: accept, merge, split, detach a claim, set a field by hand. Events are per
//! coder layer, like annotations: a handle sees and changes only its own layer's.

mod derive;
pub(super) mod facts;
mod grouping;

use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::{ArchiveError, ArchiveReader, Result};
use crate::model::{
    Annotation, AnnotationId, ArticleId, Coder, DatePrecision, Event, EventField, EventId,
    EventSource, EventStatus, Evidence,
};
use facts::{ClaimFacts, claim_facts, is_claim};

/// What suggesting events did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct EventsSuggested {
    /// Claims not yet in an event that were grouped.
    pub claims: usize,
    /// The events proposed, in id order.
    pub events: Vec<EventId>,
}

impl ArchiveReader {
    /// The layer events are read from and written to (`None`: an archive without coders).
    fn event_layer(&self) -> Option<String> {
        self.coder().map(Coder::as_str).map(str::to_owned)
    }

    /// Every event of this handle's layer, in id order, with fields brought up to date.
    pub fn events(&mut self) -> Result<Vec<Event>> {
        self.refresh_stale_events()?;
        let layer = self.event_layer();
        let ids = self.store.event_ids(layer.as_deref())?;
        ids.into_iter().map(|id| self.event(id)).collect()
    }

    /// One event of this handle's layer with its sources.
    pub fn event(&mut self, id: EventId) -> Result<Event> {
        let stored = self.own_event(id)?;
        if stored.stale {
            self.recompute_event(id)?;
        }
        let mut event = self.own_event(id)?.event;
        event.sources = self.event_sources(&event.claims)?;
        Ok(event)
    }

    /// Groups the claims of this layer that are in no event yet into suggested events.
    pub fn suggest_events(&mut self) -> Result<EventsSuggested> {
        self.refresh_stale_events()?;
        let layer = self.event_layer();
        let grouped: HashSet<AnnotationId> = self
            .store
            .grouped_claims(layer.as_deref())?
            .into_iter()
            .collect();
        let mut claims: Vec<ClaimFacts> = Vec::new();
        for article_id in self.store.claim_articles(layer.as_deref())? {
            let (article, annotations) = self.article_layer(article_id)?;
            for claim in annotations
                .iter()
                .filter(|a| is_claim(a, layer.as_deref().unwrap_or("")))
                .filter(|a| !grouped.contains(&a.id))
            {
                claims.push(claim_facts(claim, &article, &annotations));
            }
        }
        let groups = grouping::group(&claims);
        let new: Vec<_> = groups
            .iter()
            .map(|members| {
                let facts: Vec<ClaimFacts> = members
                    .iter()
                    .filter_map(|&i| claims.get(i).cloned())
                    .collect();
                let event = derive::derive(&facts, &Event::default());
                (event.claims.clone(), event.fields())
            })
            .collect();
        let events = self.store.insert_events(layer.as_deref(), &new)?;
        Ok(EventsSuggested {
            claims: claims.len(),
            events,
        })
    }

    /// Accepts events of this layer (every suggested one when `ids` is `None`); returns the
    /// ids accepted.
    pub fn accept_events(&mut self, ids: Option<&[EventId]>) -> Result<Vec<EventId>> {
        let ids = match ids {
            Some(ids) => {
                let mut ids = ids.to_vec();
                ids.sort_unstable();
                ids.dedup();
                // Each once, and only those not accepted yet: the report counts what changed.
                let mut suggested = Vec::new();
                for id in ids {
                    if self.own_event(id)?.event.status == EventStatus::Suggested {
                        suggested.push(id);
                    }
                }
                suggested
            }
            None => {
                let layer = self.event_layer();
                let mut suggested = Vec::new();
                for id in self.store.event_ids(layer.as_deref())? {
                    if self.own_event(id)?.event.status == EventStatus::Suggested {
                        suggested.push(id);
                    }
                }
                suggested
            }
        };
        self.store.set_event_statuses(&ids, EventStatus::Accepted)?;
        self.accept_claims_of(&ids)?;
        Ok(ids)
    }

    /// Accepting an event vouches for its claims: the claims still suggested, their
    /// sub-counts ("including four children") and the dates and places they link to are
    /// accepted with it, so an accepted event never rests on unreviewed spans.
    fn accept_claims_of(&mut self, ids: &[EventId]) -> Result<()> {
        let mut claims: Vec<Annotation> = Vec::new();
        for &id in ids {
            for claim in self.own_event(id)?.event.claims {
                if let Some(annotation) = self.store.annotation(claim.annotation_id)? {
                    claims.push(annotation);
                }
            }
        }
        let claim_ids: HashSet<AnnotationId> = claims.iter().map(|c| c.id).collect();
        let articles: BTreeSet<ArticleId> = claims.iter().map(|c| c.article_id).collect();
        let mut accept: Vec<AnnotationId> = claims
            .iter()
            .filter(|c| c.status == crate::model::AnnotationStatus::Suggested)
            .map(|c| c.id)
            .collect();
        for article in articles {
            for annotation in self.store.annotations(article)? {
                let part_of = crate::model::attrs::CasualtyAttrs::of(&annotation.attrs).part_of();
                if annotation.status == crate::model::AnnotationStatus::Suggested
                    && part_of.is_some_and(|total| claim_ids.contains(&total))
                {
                    claims.push(annotation.clone());
                    accept.push(annotation.id);
                }
            }
        }
        accept.extend(self.suggested_link_targets(&claims)?);
        accept.sort_unstable();
        accept.dedup();
        self.accept_all(&accept)?;
        Ok(())
    }

    /// Merges events of this layer into the first of them (by id): its claims become the
    /// union, its fields are derived again (by-hand values of the first stay); the others
    /// are deleted. Returns the merged event.
    pub fn merge_events(&mut self, ids: &[EventId]) -> Result<Event> {
        let distinct: BTreeSet<EventId> = ids.iter().copied().collect();
        if distinct.len() < 2 {
            return Err(ArchiveError::InvalidEvent(
                "merging needs two events or more (distinct ids)".to_owned(),
            ));
        }
        let mut events = Vec::new();
        for &id in &distinct {
            events.push(self.own_event(id)?.event);
        }
        let Some((first, rest)) = events.split_first() else {
            return Err(ArchiveError::InvalidEvent("nothing to merge".to_owned()));
        };
        let claims: Vec<Evidence> = rest.iter().flat_map(|e| e.claims.clone()).collect();
        self.store.move_claims(&claims, first.id)?;
        self.recompute_event(first.id)?;
        self.event(first.id)
    }

    /// Moves `claims` (all of event `id`'s, all distinct, not all of them) into a new event
    /// of the same status; returns it.
    pub fn split_event(&mut self, id: EventId, claims: &[AnnotationId]) -> Result<Event> {
        let event = self.own_event(id)?.event;
        let moved = claims_of(&event, claims)?;
        if moved.len() == event.claims.len() {
            return Err(ArchiveError::InvalidEvent(format!(
                "splitting all {} claims of event {id} off would leave it empty: name some of them",
                moved.len()
            )));
        }
        let layer = self.event_layer();
        let new_id = self
            .store
            .insert_event(layer.as_deref(), event.status, &moved, &[])?;
        self.recompute_event(new_id)?;
        self.recompute_event(id)?;
        self.event(new_id)
    }

    /// Takes claims out of their events (each must be in an event of this layer); an event
    /// left without claims is deleted. Returns the events changed, those deleted included.
    pub fn detach_claims(&mut self, claims: &[AnnotationId]) -> Result<Vec<EventId>> {
        let mut events = BTreeSet::new();
        for &claim in claims {
            let Some(id) = self.store.event_of_claim(claim)? else {
                return Err(ArchiveError::InvalidEvent(format!(
                    "annotation {claim} is in no event"
                )));
            };
            self.own_event(id)?;
            events.insert(id);
        }
        let deleted = self.store.detach_claims(claims)?;
        for &id in &events {
            if !deleted.contains(&id) {
                self.recompute_event(id)?;
            }
        }
        Ok(events.into_iter().collect())
    }

    /// Sets one field of an event by hand from the text a coder typed (`none` clears it);
    /// the value then survives recomputation.
    pub fn set_event_field(&mut self, id: EventId, field: EventField, text: &str) -> Result<Event> {
        let mut event = self.own_event(id)?.event;
        event
            .set_by_hand(field, text)
            .map_err(|reason| ArchiveError::InvalidEvent(format!("{field}: {reason}")))?;
        self.store.replace_event_fields(id, &event.fields())?;
        self.recompute_event(id)?;
        self.event(id)
    }

    // --- Helpers

    /// An event of this handle's layer; another layer's is refused as unknown here.
    fn own_event(&self, id: EventId) -> Result<crate::store::StoredEvent> {
        let Some(stored) = self.store.event(id)? else {
            return Err(ArchiveError::NoSuchEvent(id));
        };
        let layer = self.event_layer();
        if stored.event.coder != layer {
            let theirs = stored.event.coder.as_deref().map_or_else(
                || "the layer without a coder".to_owned(),
                |c| format!("{c}'s layer"),
            );
            return Err(ArchiveError::InvalidEvent(format!(
                "event {id} is in {theirs}, not in {}: a coder changes only their own layer's events (--coder)",
                layer.as_deref().map_or_else(
                    || "the layer without a coder".to_owned(),
                    |c| format!("{c}'s")
                )
            )));
        }
        Ok(stored)
    }

    /// Recomputes the events of this layer a change to their articles left stale.
    fn refresh_stale_events(&mut self) -> Result<()> {
        let layer = self.event_layer();
        for id in self.store.stale_event_ids(layer.as_deref())? {
            self.recompute_event(id)?;
        }
        Ok(())
    }

    /// Derives an event's fields again from its claims, keeping what was set by hand; an
    /// event without claims left is deleted.
    fn recompute_event(&mut self, id: EventId) -> Result<()> {
        let Some(stored) = self.store.event(id)? else {
            return Ok(());
        };
        if stored.event.claims.is_empty() {
            self.store.delete_events(&[id])?;
            return Ok(());
        }
        let layer = stored.event.coder.clone().unwrap_or_default();
        let mut by_article: BTreeMap<ArticleId, Vec<AnnotationId>> = BTreeMap::new();
        for claim in &stored.event.claims {
            by_article
                .entry(claim.article_id)
                .or_default()
                .push(claim.annotation_id);
        }
        let mut facts = Vec::new();
        let mut gone = Vec::new();
        for (article_id, ids) in by_article {
            let (article, annotations) = self.article_layer_of(article_id, &layer)?;
            for id in ids {
                // A claim rejected (or turned into a sub-count, or relabelled) since it was
                // grouped is no claim of the event any more.
                match annotations.iter().find(|a| a.id == id) {
                    Some(claim) if is_claim(claim, &layer) => {
                        facts.push(claim_facts(claim, &article, &annotations));
                    }
                    _ => gone.push(id),
                }
            }
        }
        if !gone.is_empty() {
            let deleted = self.store.detach_claims(&gone)?;
            if deleted.contains(&id) {
                return Ok(());
            }
        }
        let mut stored = stored;
        stored
            .event
            .claims
            .retain(|c| !gone.contains(&c.annotation_id));
        let event = derive::derive(&facts, &stored.event);
        self.store.replace_event_fields(id, &event.fields())?;
        Ok(())
    }

    /// An article with the annotations of this handle's layer.
    fn article_layer(&self, id: ArticleId) -> Result<(crate::model::Article, Vec<Annotation>)> {
        let layer = self.event_layer().unwrap_or_default();
        self.article_layer_of(id, &layer)
    }

    fn article_layer_of(
        &self,
        id: ArticleId,
        layer: &str,
    ) -> Result<(crate::model::Article, Vec<Annotation>)> {
        let article = self.article(id)?;
        let annotations = self
            .store
            .annotations(id)?
            .into_iter()
            .filter(|a| a.coder == layer)
            .collect();
        Ok((article, annotations))
    }

    /// The articles `claims` are in, as sources.
    fn event_sources(&self, claims: &[Evidence]) -> Result<Vec<EventSource>> {
        let articles: BTreeSet<ArticleId> = claims.iter().map(|c| c.article_id).collect();
        let mut sources = Vec::new();
        for id in articles {
            let Some(article) = self.store.article(id)? else {
                continue;
            };
            sources.push(EventSource {
                article_id: id,
                outlet: article.source,
                headline: Some(article.title).filter(|t| !t.is_empty()),
                url: article.url,
                published: article
                    .published
                    .filter(|p| p.precision() == DatePrecision::Day)
                    .map(|p| p.first_day()),
            });
        }
        Ok(sources)
    }
}

/// The claims of `event` named by `ids` (each once), or why not.
fn claims_of(event: &Event, ids: &[AnnotationId]) -> Result<Vec<Evidence>> {
    let distinct: BTreeSet<AnnotationId> = ids.iter().copied().collect();
    if distinct.is_empty() {
        return Err(ArchiveError::InvalidEvent(
            "name the claims (annotation ids) to split off".to_owned(),
        ));
    }
    distinct
        .into_iter()
        .map(|id| {
            event
                .claims
                .iter()
                .find(|c| c.annotation_id == id)
                .cloned()
                .ok_or_else(|| {
                    ArchiveError::InvalidEvent(format!(
                        "annotation {id} is not a claim of event {}",
                        event.id
                    ))
                })
        })
        .collect()
}
