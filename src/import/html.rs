//! Saved web pages: the article text extracted with a Readability port (dom_smoothie), plus
//! title, address, date and outlet from the page's metadata.

use dom_query::Document;
use dom_smoothie::{CandidateSelectMode, Config, Readability, TextMode};

use crate::model::{NewArticle, parse_loose_date};

use super::batch::{Batch, Place};
use super::encoding::{decode_text, html_declared_charset};
use super::nesting::{Refused, parse_page};
use super::plain::{one_line, page_text, tidy, title_from_text};
use super::{Format, ImportError};

/// Warning given when Readability finds no article and the page's whole text is kept.
pub(crate) const WHOLE_PAGE_WARNING: &str = "no article found, used the page's whole text";

/// What extraction found on one page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Extracted {
    /// Headline from og:title, JSON-LD or `<title>`; may be empty.
    pub(crate) title: String,
    /// Article text, tidied.
    pub(crate) text: String,
    /// JSON-LD `url`, `og:url` or `<link rel=canonical>`.
    pub(crate) url: Option<String>,
    /// `article:published_time` or JSON-LD `datePublished`, as written.
    pub(crate) published: Option<String>,
    /// `og:site_name` or the JSON-LD publisher.
    pub(crate) site_name: Option<String>,
    /// True when no article was found and `text` is the whole page.
    pub(crate) whole_page: bool,
}

/// Imports one page as one article; a page that takes the parser past its bounds (nested
/// deeper than [`super::nesting::MAX_HTML_DEPTH`], say) is refused.
pub(crate) fn import(bytes: &[u8], batch: &mut Batch<'_>) -> Result<(), ImportError> {
    let declared = html_declared_charset(bytes);
    let (html, _) = decode_text(bytes, declared.as_deref());
    let extracted = extract(&html).map_err(|stopped| ImportError::Html {
        path: batch.path().to_path_buf(),
        reason: stopped.reason(),
    })?;
    if extracted.whole_page {
        batch.warn(Place::File, WHOLE_PAGE_WARNING);
    }
    let title = if extracted.title.trim().is_empty() {
        title_from_text(&extracted.text)
    } else {
        one_line(&extracted.title)
    };
    let mut article = NewArticle::new(&title, &extracted.text, Format::Html.as_str());
    article.url = extracted.url;
    article.source = extracted.site_name;
    if let Some(published) = extracted.published {
        article.published = parse_loose_date(&published);
        if article.published.is_none() {
            batch.warn(
                Place::File,
                format!("publication date '{published}' not understood"),
            );
        }
    }
    batch.push(article, Place::File);
    Ok(())
}

/// The Readability settings used for import; chosen on the extraction benchmark
/// (see `eval::extraction`).
pub(crate) fn readability_config() -> Config {
    Config {
        text_mode: TextMode::Formatted,
        candidate_select_mode: CandidateSelectMode::Readability,
        ..Config::default()
    }
}

/// Extracts the article of a page; falls back to the whole page's text when Readability
/// finds nothing. A page that takes the parser past its bounds is refused.
pub(crate) fn extract(html: &str) -> Result<Extracted, Refused> {
    extract_with(html, readability_config())
}

/// [`extract`] with explicit settings, for comparing them on the benchmark.
pub(crate) fn extract_with(html: &str, config: Config) -> Result<Extracted, Refused> {
    let document = parse_page(html)?;
    let page_url = page_url(&document);
    let parsed = Readability::with_document(document, None, Some(config))
        .and_then(|mut reader| reader.parse());
    let mut extracted = match parsed {
        Ok(article) => Extracted {
            title: article.title,
            text: tidy(&article.text_content),
            url: article.url,
            published: article.published_time,
            site_name: article.site_name,
            whole_page: false,
        },
        Err(_) => Extracted::default(),
    };
    if extracted.text.is_empty() {
        extracted = whole_page(html)?;
    }
    extracted.url = non_empty(extracted.url).or(page_url);
    extracted.site_name = non_empty(extracted.site_name);
    extracted.published = non_empty(extracted.published);
    Ok(extracted)
}

/// The page's text and metadata without article extraction (Readability changed the tree it
/// was given, so the page is parsed again, as bounded as the first time).
fn whole_page(html: &str) -> Result<Extracted, Refused> {
    let document = parse_page(html)?;
    let metadata = Readability::with_document(document.clone(), None, None)
        .map(|reader| reader.get_article_metadata(reader.parse_json_ld()))
        .unwrap_or_default();
    Ok(Extracted {
        title: metadata.title,
        text: page_text(&document),
        url: metadata.url,
        published: metadata.published_time,
        site_name: metadata.site_name,
        whole_page: true,
    })
}

/// `og:url`, else the canonical link.
fn page_url(document: &Document) -> Option<String> {
    let attribute = |selector: &str, name: &str| {
        document
            .try_select(selector)
            .and_then(|found| found.attr(name))
            .map(|value| value.trim().to_owned())
            .filter(|value| !value.is_empty())
    };
    attribute(r#"meta[property="og:url"]"#, "content")
        .or_else(|| attribute(r#"link[rel~="canonical"]"#, "href"))
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
    fn nesting_counts_elements_that_must_be_closed() {
        let deep = format!("{}text{}", "<div>".repeat(1001), "</div>".repeat(1001));
        assert!(extract(&deep).is_err());
        let within = format!("{}text{}", "<div>".repeat(998), "</div>".repeat(998));
        assert_eq!(extract(&within).unwrap().text, "text");
        // Siblings, void elements, unclosed paragraphs, comments and scripts do not nest.
        let flat = format!(
            "<html><head><meta charset=utf-8><script>var s = '{}';</script><!-- {} --></head><body>{}</body></html>",
            "<div>".repeat(2000),
            "<section>".repeat(2000),
            "<div><p>One<br>two<img src=x.png><p>three</div>".repeat(2000),
        );
        assert!(
            super::super::nesting::parse_page(&flat).is_ok(),
            "{}",
            &flat[..200]
        );
    }

    const PAGE: &str = r#"<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Bridge reopens after floods | Example News</title>
<meta property="og:title" content="Bridge reopens after floods">
<meta property="og:site_name" content="Example News">
<meta property="og:url" content="https://news.example.com/2024/03/bridge">
<meta property="article:published_time" content="2024-03-05T08:30:00+01:00">
<link rel="canonical" href="https://news.example.com/canonical/bridge">
<script>window.ads = [];</script>
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article>
<h1>Bridge reopens after floods</h1>
<p>The main bridge over the river reopened on Tuesday, three weeks after floods damaged its supports and forced the town to reroute all traffic through the valley.</p>
<p>Engineers said the repairs cost about &pound;2m and that the structure had been inspected twice before the council agreed to let cars and lorries back on it.</p>
<p>Shop owners near the crossing said trade had fallen by half while it was closed, and several welcomed the decision to reopen it before the Easter holidays began.</p>
</article>
<footer>Copyright Example News. All rights reserved.</footer>
</body></html>"#;

    #[test]
    fn extracts_article_text_and_metadata() {
        let extracted = extract(PAGE).unwrap();
        assert!(!extracted.whole_page);
        assert_eq!(extracted.title, "Bridge reopens after floods");
        assert_eq!(
            extracted.url.as_deref(),
            Some("https://news.example.com/2024/03/bridge")
        );
        assert_eq!(extracted.site_name.as_deref(), Some("Example News"));
        assert_eq!(
            extracted.published.as_deref(),
            Some("2024-03-05T08:30:00+01:00")
        );
        assert!(
            extracted.text.starts_with("The main bridge over the river"),
            "{}",
            extracted.text
        );
        assert!(extracted.text.contains("about £2m"));
        assert!(extracted.text.contains("welcomed the decision"));
        assert!(
            extracted.text.contains("\n\n"),
            "paragraphs are kept: {}",
            extracted.text
        );
        assert!(!extracted.text.contains("window.ads"));
        assert!(!extracted.text.contains("All rights reserved"));
    }

    #[test]
    fn canonical_link_when_no_og_url() {
        let page = PAGE.replace(
            r#"<meta property="og:url" content="https://news.example.com/2024/03/bridge">"#,
            "",
        );
        assert_eq!(
            extract(&page).unwrap().url.as_deref(),
            Some("https://news.example.com/canonical/bridge")
        );
    }

    #[test]
    fn pages_without_an_article_keep_their_whole_text() {
        let page = "<html><head><title>Short</title><meta property=\"og:site_name\" content=\"Site\"></head><body><form><input name=q></form><footer>Contact us</footer><script>x()</script></body></html>";
        let extracted = extract(page).unwrap();
        assert!(extracted.whole_page);
        assert_eq!(extracted.text, "Contact us");
        assert_eq!(extracted.title, "Short");
        assert_eq!(extracted.site_name.as_deref(), Some("Site"));
    }
}
