//! Records with named fields (JSON objects, CSV rows): which field names mean what, and how
//! a record's values become an article.

use crate::model::{NewArticle, parse_loose_date};

use super::batch::{Batch, Place};
use super::plain::title_from_text;

/// Field names that hold the article text, in order of preference (matched ignoring case).
pub(crate) const TEXT_FIELDS: &[&str] = &[
    "text",
    "content",
    "body",
    "summary",
    "article",
    "description",
];
/// Field names that hold the headline.
pub(crate) const TITLE_FIELDS: &[&str] = &["title", "headline"];
/// Field names that hold the publication date.
pub(crate) const PUBLISHED_FIELDS: &[&str] = &[
    "published",
    "date",
    "published_at",
    "pubDate",
    "date_published",
    "date_extracted",
    "publish_date",
    "publication_date",
    "datePublished",
];
/// Field names that hold the article's address.
pub(crate) const URL_FIELDS: &[&str] = &["url", "link"];
/// Field names that hold the outlet.
pub(crate) const SOURCE_FIELDS: &[&str] = &["source", "outlet", "site", "publisher"];

/// The values of one record that map onto article fields, as found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RecordFields {
    pub(crate) title: Option<String>,
    pub(crate) text: Option<String>,
    pub(crate) published: Option<String>,
    pub(crate) url: Option<String>,
    pub(crate) source: Option<String>,
}

/// Builds the article of a record. A missing title is taken from the text's first line; a
/// date that cannot be read is dropped with a warning. The text is only normalised.
pub(crate) fn build_article(
    fields: RecordFields,
    batch: &mut Batch<'_>,
    place: Place,
) -> NewArticle {
    let text = fields.text.unwrap_or_default();
    let title = non_empty(fields.title).unwrap_or_else(|| title_from_text(&text));
    let mut article = NewArticle::new(&title, &text, "");
    article.url = non_empty(fields.url);
    article.source = non_empty(fields.source);
    if let Some(published) = non_empty(fields.published) {
        article.published = parse_loose_date(&published);
        if article.published.is_none() {
            batch.warn(
                place,
                format!("publication date '{published}' not understood, left empty"),
            );
        }
    }
    article
}

/// Index of the first header matching one of `names` (in the order of `names`), ignoring case
/// and surrounding spaces.
pub(crate) fn find_column(headers: &[String], names: &[&str]) -> Option<usize> {
    names.iter().find_map(|name| {
        headers
            .iter()
            .position(|header| header.trim().eq_ignore_ascii_case(name))
    })
}

fn non_empty(value: Option<String>) -> Option<String> {
    value
        .map(|value| value.trim().to_owned())
        .filter(|value| !value.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_match_by_preference_ignoring_case() {
        let headers: Vec<String> = ["Body", " TEXT ", "Headline"].map(String::from).to_vec();
        assert_eq!(find_column(&headers, TEXT_FIELDS), Some(1));
        assert_eq!(find_column(&headers, TITLE_FIELDS), Some(2));
        assert_eq!(find_column(&headers, URL_FIELDS), None);
    }
}
