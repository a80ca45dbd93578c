//! The `events-csv` export: one row per casualty claim (a `CASUALTY` annotation) with the
//! date, place and actor annotations it links to resolved to their text and attributes.

use std::collections::HashMap;
use std::io;

use super::values::{CodePoints, cell, csv_cell};
use super::{CsvCells, Output, RecordSink};
use crate::model::attrs::{self, CasualtyAttrs, DateAttrs, LinkTarget};
use crate::model::{Annotation, Article};

/// The label whose annotations are claims: one row each.
pub const CLAIM_LABEL: &str = "CASUALTY";

const COLUMNS: [&str; 30] = [
    "article_id",
    "outlet",
    "url",
    "headline",
    "published",
    "content_sha256",
    "annotation_id",
    "quote",
    "quote_start",
    "quote_end",
    attrs::CLAIMED_BY,
    attrs::OUTCOME,
    attrs::COUNT,
    attrs::LOW,
    attrs::HIGH,
    attrs::QUALIFIER,
    attrs::VICTIMS,
    "date_text",
    "date_value",
    "date_precision",
    "place_text",
    "place_country_code",
    "place_lat",
    "place_lon",
    "place_adm1",
    "place_where_prec",
    "actors",
    "annotator",
    "coder",
    "status",
];

/// Several linked values in one cell.
const JOIN: &str = "; ";

/// Writes the header at once, then one row per claim.
pub(super) struct EventsCsvSink {
    out: csv::Writer<Output>,
    cells: CsvCells,
}

impl EventsCsvSink {
    pub(super) fn new(out: Output, cells: CsvCells) -> io::Result<Self> {
        let mut out = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        out.write_record(COLUMNS)?;
        Ok(Self { out, cells })
    }
}

impl RecordSink for EventsCsvSink {
    fn write(&mut self, article: &Article, annotations: &[Annotation]) -> io::Result<()> {
        if !annotations.iter().any(|a| a.label == CLAIM_LABEL) {
            return Ok(());
        }
        let text = CodePoints::new(&article.text);
        let by_id: HashMap<i64, &Annotation> = annotations.iter().map(|a| (a.id.0, a)).collect();
        for claim in annotations.iter().filter(|a| a.label == CLAIM_LABEL) {
            let row = claim_row(article, &text, claim, &by_id);
            self.out
                .write_record(row.map(|value| csv_cell(value, self.cells)))?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> io::Result<()> {
        self.out.flush()
    }
}

/// One row, in [`COLUMNS`] order.
fn claim_row(
    article: &Article,
    text: &CodePoints<'_>,
    claim: &Annotation,
    by_id: &HashMap<i64, &Annotation>,
) -> [String; 30] {
    let claim_attrs = CasualtyAttrs::of(&claim.attrs);
    let attr = |key: &str| cell(claim_attrs.raw(key));
    let dates = linked(claim_attrs.links(attrs::DATE), by_id);
    let places = linked(claim_attrs.links(attrs::PLACE), by_id);
    let actors = linked(claim_attrs.links(attrs::ACTOR), by_id);
    [
        article.id.to_string(),
        article.source.clone().unwrap_or_default(),
        article.url.clone().unwrap_or_default(),
        article.title.clone(),
        article.published.map(|d| d.to_string()).unwrap_or_default(),
        article.content_sha256.clone(),
        claim.id.to_string(),
        text.slice(claim.span.start(), claim.span.end()).to_owned(),
        claim.span.start().to_string(),
        claim.span.end().to_string(),
        attr(attrs::CLAIMED_BY),
        attr(attrs::OUTCOME),
        attr(attrs::COUNT),
        attr(attrs::LOW),
        attr(attrs::HIGH),
        attr(attrs::QUALIFIER),
        attr(attrs::VICTIMS),
        join(&dates, |link| link.span_text(text)),
        join(&dates, |link| link.attr(attrs::VALUE)),
        join(&dates, |link| link.attr(attrs::PRECISION)),
        join(&places, |link| link.text(text)),
        join(&places, |link| link.attr(attrs::COUNTRY_CODE)),
        join(&places, |link| link.attr(attrs::LAT)),
        join(&places, |link| link.attr(attrs::LON)),
        join(&places, |link| link.attr(attrs::ADM1)),
        join(&places, |link| link.attr(attrs::WHERE_PREC)),
        join(&actors, |link| link.text(text)),
        claim.annotator.clone(),
        claim.coder.clone(),
        claim.status.as_str().to_owned(),
    ]
}

/// What a link attribute points to.
enum Link<'a> {
    /// Another annotation of the same article.
    Annotation(&'a Annotation),
    /// A value typed in place of a link (`date=2024-01-18`, `place=Saravan`).
    Literal(&'a str),
}

impl Link<'_> {
    /// The linked span's text; nothing for a literal.
    fn span_text(&self, text: &CodePoints<'_>) -> String {
        match self {
            Self::Annotation(a) => text.slice(a.span.start(), a.span.end()).to_owned(),
            Self::Literal(_) => String::new(),
        }
    }

    /// The linked span's text, or the literal itself (a place or actor named in place).
    fn text(&self, text: &CodePoints<'_>) -> String {
        match self {
            Self::Annotation(a) => text.slice(a.span.start(), a.span.end()).to_owned(),
            Self::Literal(literal) => (*literal).to_owned(),
        }
    }

    /// An attribute of the linked span; a literal stands for a date's `value` only.
    fn attr(&self, key: &str) -> String {
        match self {
            Self::Annotation(a) => cell(DateAttrs::of(&a.attrs).raw(key)),
            Self::Literal(literal) if key == attrs::VALUE => (*literal).to_owned(),
            Self::Literal(_) => String::new(),
        }
    }
}

/// Resolves a link attribute. Ids of annotations not handed to the sink (filtered out, or
/// deleted) resolve to nothing.
fn linked<'a>(targets: Vec<LinkTarget<'a>>, by_id: &HashMap<i64, &'a Annotation>) -> Vec<Link<'a>> {
    targets
        .into_iter()
        .filter_map(|target| match target {
            LinkTarget::Id(id) => by_id.get(&id).map(|a| Link::Annotation(a)),
            LinkTarget::Literal(literal) => Some(Link::Literal(literal)),
        })
        .collect()
}

fn join(links: &[Link<'_>], part: impl Fn(&Link<'_>) -> String) -> String {
    let parts: Vec<String> = links.iter().map(part).filter(|p| !p.is_empty()).collect();
    parts.join(JOIN)
}
