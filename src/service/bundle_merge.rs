//! Merging bundles into an archive (`bundle import`, the writer's): articles matched by
//! content hash (missing ones added when a bundle carries their text), and per uid the
//! greatest version kept, so the same bundles in any order, any number of times, give the
//! same archive. The rule, in full, is in docs/coders.md ("Bundles").

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use super::bundles::{
    BundleAnnotation, BundleArticle, BundleProblem, BundleTombstone, ReadBundle, read_bundle,
};
use super::{Archive, Result};
use crate::model::{
    Annotation, AnnotationAttrs, AnnotationId, ArticleId, CharOffsets, CharSpan, Coder,
    LabelSchema, NewArticle, PartialDate, attrs::LINKS, is_uid, link_target_id, link_targets_mut,
    uid_made_in,
};
use crate::store::{BundleTx, InsertOutcome, Tombstone};

/// Hashes of missing articles listed by the report (the count says how many there are).
pub const LISTED_MISSING: usize = 5;

/// What `bundle import` did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BundleImportReport {
    /// Each bundle merged: its file, coder and article lines.
    pub bundles: Vec<(PathBuf, String, u64)>,
    /// Articles of the bundles found in the archive by content hash.
    pub articles_matched: u64,
    /// Articles added from the texts the bundles carry.
    pub articles_added: u64,
    /// Articles neither in the archive nor carried (their annotations were not merged).
    pub articles_missing: u64,
    /// The first [`LISTED_MISSING`] of their hashes, sorted.
    pub missing_first: Vec<String>,
    /// Annotations new to the archive.
    pub added: u64,
    /// Annotations replaced by a later version.
    pub updated: u64,
    /// Annotations deleted by a later tombstone.
    pub deleted: u64,
    /// Versions and tombstones that were not newer than what the archive holds.
    pub unchanged: u64,
    /// Annotations and tombstones not merged because of a problem below.
    pub skipped: u64,
    /// Files, lines and annotations that could not be merged, with the reason.
    pub problems: Vec<BundleProblem>,
}

impl BundleImportReport {
    /// Whether something could not be merged (the CLI's exit code 2).
    pub fn has_problems(&self) -> bool {
        !self.problems.is_empty()
    }
}

impl std::fmt::Display for BundleImportReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (path, coder, lines) in &self.bundles {
            writeln!(
                f,
                "bundle of {coder}'s layer, {lines} articles: {}",
                path.display()
            )?;
        }
        writeln!(
            f,
            "articles: {} matched, {} added from the bundles' texts, {} not in this archive",
            self.articles_matched, self.articles_added, self.articles_missing
        )?;
        if self.articles_missing > 0 {
            writeln!(
                f,
                "  not merged: the bundles carry no text for them (export with --with-texts); first: {}",
                self.missing_first.join(", ")
            )?;
        }
        writeln!(
            f,
            "annotations: {} added, {} updated, {} deleted, {} unchanged, {} skipped",
            self.added, self.updated, self.deleted, self.unchanged, self.skipped
        )?;
        for problem in &self.problems {
            writeln!(f, "  skipped: {problem}")?;
        }
        Ok(())
    }
}

/// Where an annotation of a bundle lands, known before the transaction starts.
struct Target {
    article_id: ArticleId,
    text: String,
}

impl Archive {
    /// Merges bundles into this archive: articles by content hash (a missing one is added
    /// when a bundle carries it, with the bundle's article id when free, in hash order);
    /// per uid, the version with the later `updated_at` (a tombstone's `deleted_at`) wins,
    /// ties broken by the content, so order and repetition never matter. A bundle writes
    /// only its coder's layer. A file, line or annotation that cannot be merged is a problem
    /// of the report (file, line, reason) and the rest goes on. Store first, then the index.
    pub fn import_bundles(&mut self, paths: &[PathBuf]) -> Result<BundleImportReport> {
        let mut report = BundleImportReport::default();
        let mut bundles = Vec::new();
        for path in paths {
            match read_bundle(path, &mut report.problems) {
                Ok(bundle) => {
                    report.bundles.push((
                        bundle.path.clone(),
                        bundle.coder.to_string(),
                        u64::try_from(bundle.articles.len()).unwrap_or(0),
                    ));
                    bundles.push(bundle);
                }
                Err(problem) => report.problems.push(problem),
            }
        }
        let targets = self.bundle_targets(&bundles, &mut report)?;
        let labels = self.reader.store.labels()?;
        let mut tx = self.reader.store.bundle_tx()?;
        for bundle in &bundles {
            let mut merge = Merge {
                tx: &mut tx,
                labels: &labels,
                coder: &bundle.coder,
                path: &bundle.path,
                report: &mut report,
            };
            for (line, article) in &bundle.articles {
                if let Some(target) = targets.get(&article.content_sha256) {
                    merge.article(*line, article, target)?;
                }
            }
        }
        tx.commit()?;
        self.sync_index()?;
        Ok(report)
    }

    /// Finds every bundle article in the archive, adding the missing ones whose text a
    /// bundle carries, and counts the rest.
    fn bundle_targets(
        &mut self,
        bundles: &[ReadBundle],
        report: &mut BundleImportReport,
    ) -> Result<HashMap<String, Target>> {
        let mut targets = HashMap::new();
        let mut missing = BTreeSet::new();
        // The carried article for each missing hash: the least by its JSON (the same
        // whichever bundle came first).
        let mut carried: BTreeMap<String, (String, NewArticle)> = BTreeMap::new();
        for bundle in bundles {
            for (line, article) in &bundle.articles {
                let hash = &article.content_sha256;
                if targets.contains_key(hash) {
                    continue;
                }
                if let Some(id) = self.reader.store.article_by_hash(hash)? {
                    if let Some(stored) = self.reader.store.article(id)? {
                        targets.insert(
                            hash.clone(),
                            Target {
                                article_id: id,
                                text: stored.text,
                            },
                        );
                    }
                    continue;
                }
                match carried_article(&bundle.path, *line, article) {
                    Ok(Some(found)) => {
                        missing.remove(hash);
                        let key = serde_json::to_string(&article.article).unwrap_or_default();
                        match carried.get(hash) {
                            Some((known, _)) if *known <= key => {}
                            _ => {
                                carried.insert(hash.clone(), (key, found));
                            }
                        }
                    }
                    Ok(None) => {
                        missing.insert(hash.clone());
                    }
                    Err(problem) => report.problems.push(problem),
                }
            }
        }
        report.articles_matched = u64::try_from(targets.len()).unwrap_or(0);
        let batch: Vec<NewArticle> = carried.into_values().map(|(_, a)| a).collect();
        let outcomes = self.reader.store.insert_articles(&batch)?;
        for (article, outcome) in batch.into_iter().zip(outcomes) {
            let article_id = match outcome {
                InsertOutcome::Inserted(id, _) => {
                    report.articles_added += 1;
                    id
                }
                InsertOutcome::Duplicate(id) => id,
            };
            targets.insert(
                article.content_sha256(),
                Target {
                    article_id,
                    text: article.text,
                },
            );
        }
        missing.retain(|hash| !targets.contains_key(hash));
        report.articles_missing = u64::try_from(missing.len()).unwrap_or(0);
        report.missing_first = missing.into_iter().take(LISTED_MISSING).collect();
        Ok(targets)
    }
}

/// The article a bundle line carries, checked against its hash (`None` when it carries none).
fn carried_article(
    path: &Path,
    line: u64,
    article: &BundleArticle,
) -> std::result::Result<Option<NewArticle>, BundleProblem> {
    let Some(text) = &article.article else {
        return Ok(None);
    };
    let problem = |reason: String| BundleProblem {
        path: path.to_owned(),
        line: Some(line),
        reason,
    };
    if crate::model::content_sha256(&text.text) != article.content_sha256 {
        return Err(problem(
            "the article's text does not have the line's content_sha256 (changed after export?); not added".to_owned(),
        ));
    }
    let published = text
        .published
        .as_deref()
        .map(str::parse::<PartialDate>)
        .transpose()
        .map_err(|e| problem(format!("the article's publication date: {e}; not added")))?;
    Ok(Some(NewArticle {
        requested_id: Some(ArticleId(text.id)),
        title: text.title.clone(),
        text: text.text.clone(),
        published,
        url: text.url.clone(),
        source: text.source.clone(),
        origin_path: Some(path.display().to_string()),
        origin_format: "bundle".to_owned(),
        annotations: Vec::new(),
    }))
}

// --- One bundle's merge

/// The order of versions of one uid: later time first, then a tombstone over an annotation,
/// then the content; the greatest is kept.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct VersionKey {
    at: Option<chrono::DateTime<chrono::Utc>>,
    tombstone: bool,
    content: String,
}

fn instant(text: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&chrono::Utc))
}

fn version_key(version: &BundleAnnotation) -> VersionKey {
    VersionKey {
        at: instant(&version.updated_at),
        tombstone: false,
        content: serde_json::to_string(version).unwrap_or_default(),
    }
}

fn tombstone_key(deleted_at: &str) -> VersionKey {
    VersionKey {
        at: instant(deleted_at),
        tombstone: true,
        content: String::new(),
    }
}

struct Merge<'m, 't> {
    tx: &'m mut BundleTx<'t>,
    labels: &'m LabelSchema,
    coder: &'m Coder,
    path: &'m Path,
    report: &'m mut BundleImportReport,
}

impl Merge<'_, '_> {
    fn skip(&mut self, line: u64, reason: String) {
        self.report.skipped += 1;
        self.report.problems.push(BundleProblem {
            path: self.path.to_owned(),
            line: Some(line),
            reason,
        });
    }

    /// Whether a uid was made in this bundle's coder's layer of this article (see
    /// `model::uid_made_in`); one that was not is skipped with the reason. Decided from the
    /// line alone, so a bundle naming another coder's uid is refused whatever came first.
    fn made_here(&mut self, line: u64, what: &str, uid: &str, content_sha256: &str) -> bool {
        if uid_made_in(uid, self.coder.as_str(), content_sha256) {
            return true;
        }
        self.skip(
            line,
            format!(
                "{what} {uid}: that uid was not made in {}'s layer of this article; a bundle changes only its coder's layer",
                shown_coder(self.coder.as_str())
            ),
        );
        false
    }

    fn article(&mut self, line: u64, article: &BundleArticle, target: &Target) -> Result<()> {
        let offsets = CharOffsets::new(&target.text);
        let mut written = Vec::new();
        let before = (self.report.updated, self.report.deleted);
        for version in &article.annotations {
            if !self.made_here(line, "annotation", &version.uid, &article.content_sha256) {
                continue;
            }
            let annotation = match self.check(version, target, &offsets) {
                Ok(annotation) => annotation,
                Err(reason) => {
                    self.skip(line, format!("annotation {}: {reason}", version.uid));
                    continue;
                }
            };
            if let Some(id) = self.annotation(line, version, &annotation)? {
                written.push((id, annotation));
            }
        }
        for tombstone in &article.tombstones {
            if self.made_here(line, "tombstone", &tombstone.uid, &article.content_sha256) {
                self.tombstone(line, tombstone, target.article_id)?;
            }
        }
        if !written.is_empty() || (self.report.updated, self.report.deleted) != before {
            self.tx.queue(target.article_id)?;
        }
        // Links name uids in the bundle: point them at the local ids, now that the
        // article's annotations are all in.
        for (id, mut annotation) in written {
            let resolved = self.local_links(&annotation.attrs)?;
            if resolved != annotation.attrs {
                annotation.attrs = resolved;
                self.tx.set_attrs(id, &annotation)?;
            }
        }
        Ok(())
    }

    /// The annotation a bundle version stands for, or why it cannot be merged.
    fn check(
        &self,
        version: &BundleAnnotation,
        target: &Target,
        offsets: &CharOffsets<'_>,
    ) -> std::result::Result<Annotation, String> {
        if !is_uid(&version.uid) {
            return Err("the uid is not 32 lowercase hex digits".to_owned());
        }
        if self.labels.find(&version.label).is_none() {
            return Err(format!(
                "the label {} is not defined in this archive (add it with `annalist labels add`, then import the bundle again)",
                version.label
            ));
        }
        let span = CharSpan::ordered(version.start, version.end).map_err(|e| e.to_string())?;
        span.fits(offsets.len())
            .map_err(|e| format!("{e} (the article's text has {} code points)", offsets.len()))?;
        let actual = offsets.slice(span.start(), span.end());
        if actual != version.text {
            return Err(format!(
                "the article's text at [{}, {}) reads {actual:?}, not {:?}",
                span.start(),
                span.end(),
                version.text
            ));
        }
        for (what, time) in [
            ("created_at", &version.created_at),
            ("updated_at", &version.updated_at),
        ] {
            if instant(time).is_none() {
                return Err(format!("{what} {time:?} is not an RFC 3339 time"));
            }
        }
        Ok(Annotation {
            id: AnnotationId(0),
            uid: version.uid.clone(),
            article_id: target.article_id,
            label: version.label.clone(),
            span,
            text: version.text.clone(),
            attrs: version.attrs.clone(),
            status: version.status,
            annotator: version.annotator.clone(),
            coder: self.coder.to_string(),
            created_at: version.created_at.clone(),
            updated_at: version.updated_at.clone(),
        })
    }

    /// Merges one version; returns the local id when it was written.
    fn annotation(
        &mut self,
        line: u64,
        version: &BundleAnnotation,
        annotation: &Annotation,
    ) -> Result<Option<AnnotationId>> {
        let local = self.tx.annotation_by_uid(&version.uid)?;
        if let Some(local) = &local
            && (local.coder != self.coder.as_str() || local.article_id != annotation.article_id)
        {
            self.skip(line, format!(
                "annotation {}: this archive holds that uid in {}'s layer of article {}; a bundle changes only its coder's layer",
                version.uid, shown_coder(&local.coder), local.article_id
            ));
            return Ok(None);
        }
        let buried = match &local {
            Some(_) => None,
            None => self.tx.tombstone(&version.uid)?,
        };
        let current = match &local {
            Some(local) => Some(version_key(&self.uid_version(local)?)),
            None => buried.as_ref().map(|t| tombstone_key(&t.deleted_at)),
        };
        if current.is_some_and(|current| current.cmp(&version_key(version)) != Ordering::Less) {
            self.report.unchanged += 1;
            return Ok(None);
        }
        let id = match &local {
            Some(local) => {
                self.tx.replace(local.id, annotation)?;
                self.report.updated += 1;
                local.id
            }
            None => {
                let id = self.tx.insert(annotation, buried.is_some())?;
                self.report.added += 1;
                id
            }
        };
        Ok(Some(id))
    }

    fn tombstone(
        &mut self,
        line: u64,
        tombstone: &BundleTombstone,
        article_id: ArticleId,
    ) -> Result<()> {
        if !is_uid(&tombstone.uid) || instant(&tombstone.deleted_at).is_none() {
            self.skip(line, format!(
                "tombstone {}: needs a uid of 32 lowercase hex digits and an RFC 3339 deleted_at",
                tombstone.uid
            ));
            return Ok(());
        }
        let local = self.tx.annotation_by_uid(&tombstone.uid)?;
        let earlier = self.tx.tombstone(&tombstone.uid)?;
        let owner = local
            .as_ref()
            .map(|l| (l.coder.clone(), l.article_id))
            .or_else(|| earlier.as_ref().map(|t| (t.coder.clone(), t.article_id)));
        if let Some((coder, article)) = owner
            && (coder != self.coder.as_str() || article != article_id)
        {
            self.skip(line, format!(
                "tombstone {}: this archive holds that uid in {}'s layer of article {article}; a bundle changes only its coder's layer",
                tombstone.uid, shown_coder(&coder)
            ));
            return Ok(());
        }
        let current = match (&local, &earlier) {
            (Some(local), _) => Some(version_key(&self.uid_version(local)?)),
            (None, Some(earlier)) => Some(tombstone_key(&earlier.deleted_at)),
            (None, None) => None,
        };
        if current.is_some_and(|c| c >= tombstone_key(&tombstone.deleted_at)) {
            self.report.unchanged += 1;
            return Ok(());
        }
        self.tx.bury(
            local.as_ref(),
            &Tombstone {
                uid: tombstone.uid.clone(),
                coder: self.coder.to_string(),
                article_id,
                deleted_at: tombstone.deleted_at.clone(),
            },
        )?;
        if local.is_some() {
            self.report.deleted += 1;
        } else {
            self.report.unchanged += 1;
        }
        Ok(())
    }

    /// A stored annotation as a bundle version, its links as uids.
    fn uid_version(&self, local: &Annotation) -> Result<BundleAnnotation> {
        let mut uids = HashMap::new();
        for id in link_ids(&local.attrs) {
            if let Some(uid) = self.tx.uid_of(AnnotationId(id))? {
                uids.insert(id, uid);
            }
        }
        let borrowed: HashMap<i64, &str> = uids.iter().map(|(k, v)| (*k, v.as_str())).collect();
        Ok(BundleAnnotation::of(local, &borrowed))
    }

    /// The attributes with each link naming a uid of this archive as its local id.
    fn local_links(&self, attrs: &AnnotationAttrs) -> Result<AnnotationAttrs> {
        let mut out = attrs.clone();
        for item in link_targets_mut(&mut out) {
            let Some(uid) = item.as_str().filter(|s| is_uid(s)) else {
                continue;
            };
            if let Some(id) = self.tx.id_of(uid)? {
                *item = serde_json::Value::from(id.0);
            }
        }
        Ok(out)
    }
}

/// The numeric link targets of some attributes.
fn link_ids(attrs: &AnnotationAttrs) -> Vec<i64> {
    let mut ids = Vec::new();
    for key in LINKS {
        let items = match attrs.get(key) {
            Some(serde_json::Value::Array(items)) => items.iter().collect(),
            Some(single) => vec![single],
            None => Vec::new(),
        };
        ids.extend(items.into_iter().filter_map(link_target_id));
    }
    ids
}

fn shown_coder(coder: &str) -> &str {
    if coder.is_empty() {
        "the unnamed"
    } else {
        coder
    }
}
