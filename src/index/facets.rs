//! Facet counts over a query's matches (labels, outlets, publication years), read from fast
//! fields: no stored documents are opened, so counting a million matches stays cheap.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike as _, TimeZone as _};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Matches per label, outlet and publication year, most first (years in order).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Facets {
    /// Articles matched.
    pub total: u64,
    /// Articles with at least one annotation of each label (rejected ones do not count).
    pub labels: Vec<(String, u64)>,
    /// Articles per outlet.
    pub sources: Vec<(String, u64)>,
    /// Articles per publication year, oldest first.
    pub years: Vec<(i32, u64)>,
}

/// Field names the collector reads.
pub(super) const SOURCE_FACET: &str = "source_facet";
pub(super) const LABEL_FACET: &str = "label_facet";
/// Labels of each coder's layer, as `coder\u{1f}LABEL` (see `layers.rs`).
pub(super) const LAYER_LABEL_FACET: &str = "layer_label_facet";
pub(super) const PUBLISHED: &str = "published";

/// Counts labels, outlets and years of the matching documents.
pub(super) struct FacetCollector {
    /// The column the labels are read from.
    labels: &'static str,
    /// In a layer, the tag its labels start with (cut off when counted).
    tag: Option<String>,
}

impl FacetCollector {
    /// Counts the labels of every layer.
    pub(super) fn all_layers() -> Self {
        Self {
            labels: LABEL_FACET,
            tag: None,
        }
    }

    /// Counts the labels of the layer whose terms start with `tag`.
    pub(super) fn layer(tag: String) -> Self {
        Self {
            labels: LAYER_LABEL_FACET,
            tag: Some(tag),
        }
    }
}

/// Per-segment counts by term ordinal; strings are looked up once, at harvest.
pub(super) struct SegmentFacets {
    sources: Option<(StrColumn, Vec<u64>)>,
    labels: Option<(StrColumn, Vec<u64>)>,
    /// In a layer, the tag cut off its labels; labels of other layers are not counted.
    tag: Option<String>,
    published: Column<tantivy::DateTime>,
    years: BTreeMap<i32, u64>,
    total: u64,
    /// Documents collected one by one, waiting for a block.
    pending: Vec<DocId>,
}

/// Documents per block when a query hands them one at a time.
const BLOCK: usize = 256;

/// What one segment found.
#[derive(Default)]
pub(super) struct Counts {
    sources: HashMap<String, u64>,
    labels: HashMap<String, u64>,
    years: BTreeMap<i32, u64>,
    total: u64,
}

impl Collector for FacetCollector {
    type Fruit = Facets;
    type Child = SegmentFacets;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentFacets> {
        let fast = reader.fast_fields();
        let with_counts = |column: Option<StrColumn>| {
            column.map(|c| {
                let n = c.num_terms();
                (c, vec![0; n])
            })
        };
        Ok(SegmentFacets {
            sources: with_counts(fast.str(SOURCE_FACET)?),
            labels: with_counts(fast.str(self.labels)?),
            tag: self.tag.clone(),
            published: fast.date(PUBLISHED)?,
            years: BTreeMap::new(),
            total: 0,
            pending: Vec::with_capacity(BLOCK),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Counts>) -> tantivy::Result<Facets> {
        let mut all = Counts::default();
        for fruit in fruits {
            all.total += fruit.total;
            for (k, v) in fruit.sources {
                *all.sources.entry(k).or_default() += v;
            }
            for (k, v) in fruit.labels {
                *all.labels.entry(k).or_default() += v;
            }
            for (k, v) in fruit.years {
                *all.years.entry(k).or_default() += v;
            }
        }
        let most_first = |map: HashMap<String, u64>| {
            let mut list: Vec<(String, u64)> = map.into_iter().collect();
            list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            list
        };
        Ok(Facets {
            total: all.total,
            labels: most_first(all.labels),
            sources: most_first(all.sources),
            years: all.years.into_iter().collect(),
        })
    }
}

impl SegmentCollector for SegmentFacets {
    type Fruit = Counts;

    /// Queries that hand documents one at a time are buffered into blocks.
    fn collect(&mut self, doc: DocId, _score: Score) {
        self.pending.push(doc);
        if self.pending.len() == BLOCK {
            let block = std::mem::take(&mut self.pending);
            self.collect_block(&block);
            self.pending = block;
            self.pending.clear();
        }
    }

    /// The block form tantivy uses when it can: the single-valued columns (outlet, date) are
    /// read for the whole block at once.
    fn collect_block(&mut self, docs: &[DocId]) {
        self.total += docs.len() as u64;
        let mut firsts = vec![None; docs.len()];
        if let Some((column, counts)) = &mut self.sources {
            column.ords().first_vals(docs, &mut firsts);
            for ord in firsts.iter().flatten() {
                if let Some(count) = usize::try_from(*ord).ok().and_then(|o| counts.get_mut(o)) {
                    *count += 1;
                }
            }
        }
        if let Some((column, counts)) = &mut self.labels {
            for &doc in docs {
                for ord in column.term_ords(doc) {
                    if let Some(count) = usize::try_from(ord).ok().and_then(|o| counts.get_mut(o)) {
                        *count += 1;
                    }
                }
            }
        }
        let mut dates = vec![None; docs.len()];
        self.published.first_vals(docs, &mut dates);
        let mut last: Option<(i64, i32)> = None;
        for date in dates.into_iter().flatten() {
            // Documents of a block often share a day: skip the lookup then.
            let secs = date.into_timestamp_secs();
            let year = match last {
                Some((s, y)) if s == secs => y,
                _ => year_of(date),
            };
            last = Some((secs, year));
            *self.years.entry(year).or_default() += 1;
        }
    }

    fn harvest(mut self) -> Counts {
        let rest = std::mem::take(&mut self.pending);
        self.collect_block(&rest);
        let named = |column: Option<(StrColumn, Vec<u64>)>| {
            let mut out = HashMap::new();
            let Some((column, counts)) = column else {
                return out;
            };
            let mut name = String::new();
            for (ord, count) in counts.into_iter().enumerate() {
                if count == 0 {
                    continue;
                }
                name.clear();
                if column.ord_to_str(ord as u64, &mut name).unwrap_or(false) {
                    out.insert(name.clone(), count);
                }
            }
            out
        };
        let mut labels = named(self.labels);
        if let Some(tag) = &self.tag {
            labels = labels
                .into_iter()
                .filter_map(|(name, count)| {
                    Some((name.strip_prefix(tag.as_str())?.to_owned(), count))
                })
                .collect();
        }
        Counts {
            sources: named(self.sources),
            labels,
            years: self.years,
            total: self.total,
        }
    }
}

/// Seconds at the start of each year the index can hold (1678 to 2262), for a binary
/// search per document instead of a calendar conversion.
static YEAR_STARTS: std::sync::LazyLock<Vec<(i64, i32)>> = std::sync::LazyLock::new(|| {
    (1678..=2262)
        .filter_map(|year| {
            let start = chrono::Utc.with_ymd_and_hms(year, 1, 1, 0, 0, 0).single()?;
            Some((start.timestamp(), year))
        })
        .collect()
});

/// The calendar year of a stored publication instant (UTC midnight of its first day).
fn year_of(date: tantivy::DateTime) -> i32 {
    let secs = date.into_timestamp_secs();
    let starts = &*YEAR_STARTS;
    match starts.partition_point(|&(start, _)| start <= secs) {
        0 => chrono::Utc
            .timestamp_opt(secs, 0)
            .single()
            .map_or(0, |d| d.year()),
        i => starts[i - 1].1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_come_from_the_table_as_from_the_calendar() {
        for (y, m, d) in [(1999, 12, 31), (2000, 1, 1), (2024, 2, 29), (2261, 6, 1)] {
            let secs = chrono::Utc
                .with_ymd_and_hms(y, m, d, 0, 0, 0)
                .single()
                .unwrap()
                .timestamp();
            assert_eq!(year_of(tantivy::DateTime::from_timestamp_secs(secs)), y);
        }
    }
}
