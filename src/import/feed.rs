//! RSS 0.9x/1.0/2.0 and Atom feeds: one article per item, read with feed-rs after the bytes
//! have been decoded here (so GB2312, Latin-1 and undeclared encodings all work).

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use crate::model::{DatePrecision, NewArticle, PartialDate, parse_loose_date};

use super::batch::{Batch, Place};
use super::encoding::{decode_text, xml_declared_encoding};
use super::plain::{html_to_text, one_line, title_from_text};
use super::{Format, ImportError};

/// Imports every item of a feed. A file the feed parser cannot read is an error.
pub(crate) fn import(bytes: &[u8], batch: &mut Batch<'_>) -> Result<(), ImportError> {
    let declared = xml_declared_encoding(bytes);
    let (text, _) = decode_text(bytes, declared.as_deref());
    let xml = prepare_xml(&text);
    // Dates no pattern reads are collected to be reported: their items are kept undated.
    let unread_dates = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let unread = std::sync::Arc::clone(&unread_dates);
    let feed = feed_rs::parser::Builder::new()
        .timestamp_parser(move |text| {
            let moment = feed_timestamp(text);
            if moment.is_none()
                && let Ok(mut unread) = unread.lock()
            {
                unread.push(text.trim().to_owned());
            }
            moment
        })
        .build()
        .parse(xml.as_bytes())
        .map_err(|error| ImportError::Feed {
            path: batch.path().to_path_buf(),
            reason: error.to_string(),
        })?;
    let feed_title = feed
        .title
        .as_ref()
        .map(|title| one_line(&html_to_text(&title.content)))
        .filter(|title| !title.is_empty());
    let source = batch.options().source.clone().or(feed_title);
    for (index, entry) in feed.entries.into_iter().enumerate() {
        let place = Place::Item(index + 1);
        let title = entry
            .title
            .map(|title| one_line(&html_to_text(&title.content)))
            .unwrap_or_default();
        let content = entry.content.and_then(|content| content.body);
        let body = content
            .filter(|body| !body.trim().is_empty())
            .or(entry.summary.map(|summary| summary.content))
            .map(|body| html_to_text(&body))
            .unwrap_or_default();
        let text = if body.is_empty() { title.clone() } else { body };
        let title = if title.is_empty() {
            title_from_text(&text)
        } else {
            title
        };
        let mut article = NewArticle::new(&title, &text, Format::Feed.as_str());
        article.url = entry.links.first().map(|link| link.href.clone());
        article.published = entry
            .published
            .or(entry.updated)
            .map(|moment| PartialDate::day(moment.date_naive()));
        article.source.clone_from(&source);
        batch.push(article, place);
    }
    let mut unread = unread_dates
        .lock()
        .map(|dates| dates.clone())
        .unwrap_or_default();
    unread.dedup();
    if !unread.is_empty() {
        const SHOWN: usize = 3;
        let mut listed: Vec<String> = unread
            .iter()
            .take(SHOWN)
            .map(|d| format!("{d:?}"))
            .collect();
        if unread.len() > SHOWN {
            listed.push(format!("and {} more", unread.len() - SHOWN));
        }
        batch.warn(
            Place::File,
            format!(
                "unreadable dates, items kept without them: {}",
                listed.join(", ")
            ),
        );
    }
    Ok(())
}

/// Makes decoded XML safe to hand to feed-rs as UTF-8: drops the BOM and the XML declaration
/// (whose `encoding` no longer applies), and gives a version-less `<rss>` root `version="2.0"`,
/// which feed-rs needs to recognise it.
pub(crate) fn prepare_xml(text: &str) -> String {
    let text = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    let text = match text.strip_prefix("<?xml") {
        Some(rest) => rest.split_once("?>").map_or(text, |(_, after)| after),
        None => text,
    };
    let Some(root_start) = find_rss_root(text) else {
        return text.to_owned();
    };
    let tag_body = text.get(root_start + 4..).unwrap_or_default();
    let tag_end = tag_body.find('>').unwrap_or(tag_body.len());
    let tag = tag_body.get(..tag_end).unwrap_or_default();
    if tag.contains("version") {
        return text.to_owned();
    }
    match text.split_at_checked(root_start + 4) {
        Some((before, after)) => format!("{before} version=\"2.0\"{after}"),
        None => text.to_owned(),
    }
}

/// Byte offset of the `<rss` start tag.
fn find_rss_root(text: &str) -> Option<usize> {
    text.match_indices("<rss").map(|(at, _)| at).find(|&at| {
        text.get(at + 4..)
            .and_then(|rest| rest.chars().next())
            .is_some_and(|next| next == '>' || next == '/' || next.is_whitespace())
    })
}

/// Timestamps as feeds write them: RFC 2822, RFC 3339, `2018-09-18 14:38:10`, and what
/// [`parse_loose_date`] reads (`Seg, 24 Set 2018 19:23:00 -0300`), the last at midnight.
///
/// The wall-clock time of the source's own zone is kept and labelled UTC, because only the
/// calendar day is stored and that day should be the one the publisher printed.
pub(crate) fn feed_timestamp(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(moment) = DateTime::parse_from_rfc2822(text) {
        return Some(moment.naive_local().and_utc());
    }
    if let Ok(moment) = DateTime::parse_from_rfc3339(text) {
        return Some(moment.naive_local().and_utc());
    }
    for pattern in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(moment) = NaiveDateTime::parse_from_str(text, pattern) {
            return Some(moment.and_utc());
        }
    }
    let date = parse_loose_date(text).filter(|date| date.precision() == DatePrecision::Day)?;
    midnight(date.first_day())
}

fn midnight(day: NaiveDate) -> Option<DateTime<Utc>> {
    day.and_hms_opt(0, 0, 0).map(|moment| moment.and_utc())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use encoding_rs::{GBK, WINDOWS_1252};

    use super::*;
    use crate::import::{FileOutcome, ImportOptions, parse_bytes};

    fn import_feed(bytes: &[u8], options: &ImportOptions) -> FileOutcome {
        parse_bytes(bytes, Path::new("feed.xml"), options).unwrap()
    }

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>Daily &amp; Nightly</title>
<item>
  <title>Storm hits &lt;b&gt;coast&lt;/b&gt;</title>
  <link>https://example.org/storm</link>
  <pubDate>Tue, 05 Mar 2024 23:30:00 -0300</pubDate>
  <description><![CDATA[<p>Winds reached 120 km/h.</p><p>Power was cut to 3,000 homes &amp; schools.</p>]]></description>
</item>
<item>
  <title>Title only</title>
  <pubDate>2018-09-18 14:38:10</pubDate>
</item>
<item><description>   </description></item>
</channel></rss>"#;

    #[test]
    fn rss_items_become_articles() {
        let outcome = import_feed(RSS.as_bytes(), &ImportOptions::default());
        assert_eq!(outcome.format, Format::Feed);
        assert_eq!(outcome.articles.len(), 2);
        let storm = &outcome.articles[0];
        assert_eq!(storm.title, "Storm hits coast");
        assert_eq!(
            storm.text,
            "Winds reached 120 km/h.\n\nPower was cut to 3,000 homes & schools."
        );
        assert_eq!(storm.url.as_deref(), Some("https://example.org/storm"));
        assert_eq!(
            storm.published.map(|d| d.to_string()).as_deref(),
            Some("2024-03-05")
        );
        assert_eq!(storm.source.as_deref(), Some("Daily & Nightly"));
        assert_eq!(storm.origin_format, "feed");
        assert_eq!(storm.origin_path.as_deref(), Some("feed.xml"));
        let short = &outcome.articles[1];
        assert_eq!(short.text, "Title only");
        assert_eq!(
            short.published.map(|d| d.to_string()).as_deref(),
            Some("2018-09-18")
        );
        assert_eq!(outcome.warnings.len(), 1);
        assert_eq!(outcome.warnings[0].reason, "item 3: empty text, skipped");
    }

    #[test]
    fn caller_source_wins_over_feed_title() {
        let options = ImportOptions {
            source: Some("Wire".to_owned()),
            ..ImportOptions::default()
        };
        let outcome = import_feed(RSS.as_bytes(), &options);
        assert_eq!(outcome.articles[0].source.as_deref(), Some("Wire"));
    }

    #[test]
    fn atom_entries_use_content_then_summary() {
        let atom = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="text">heise Meldungen</title>
  <id>urn:feed</id><updated>2016-02-01T10:00:00+01:00</updated>
  <entry>
    <title type="text">Größere Änderungen</title>
    <id>urn:1</id>
    <link href="https://example.de/1"/>
    <updated>2016-02-01T09:15:00+01:00</updated>
    <summary type="html">&lt;p&gt;Kurz: Über &amp;amp; mehr.&lt;/p&gt;</summary>
  </entry>
  <entry>
    <title>Zweite</title><id>urn:2</id>
    <published>2016-01-31T22:00:00Z</published>
    <content type="html">&lt;p&gt;Absatz eins.&lt;/p&gt;&lt;p&gt;Absatz zwei.&lt;/p&gt;</content>
    <summary>ignored</summary>
  </entry>
</feed>"#;
        let outcome = import_feed(atom.as_bytes(), &ImportOptions::default());
        assert_eq!(outcome.articles.len(), 2);
        assert_eq!(outcome.articles[0].title, "Größere Änderungen");
        assert_eq!(outcome.articles[0].text, "Kurz: Über & mehr.");
        assert_eq!(
            outcome.articles[0].url.as_deref(),
            Some("https://example.de/1")
        );
        assert_eq!(
            outcome.articles[0]
                .published
                .map(|d| d.to_string())
                .as_deref(),
            Some("2016-02-01")
        );
        assert_eq!(
            outcome.articles[0].source.as_deref(),
            Some("heise Meldungen")
        );
        assert_eq!(outcome.articles[1].text, "Absatz eins.\n\nAbsatz zwei.");
    }

    #[test]
    fn gb2312_feed_reads_as_chinese() {
        let xml = "<?xml version=\"1.0\" encoding=\"gb2312\"?>\n<rss version=\"2.0\"><channel><title>新闻国内</title><item><title>北京发布暴雨预警</title><description>气象台今天发布暴雨蓝色预警。</description><pubDate>2018-09-18 14:38:10</pubDate></item></channel></rss>";
        let (bytes, _, unmappable) = GBK.encode(xml);
        assert!(!unmappable);
        let outcome = import_feed(&bytes, &ImportOptions::default());
        let article = &outcome.articles[0];
        assert_eq!(article.title, "北京发布暴雨预警");
        assert_eq!(article.text, "气象台今天发布暴雨蓝色预警。");
        assert_eq!(article.source.as_deref(), Some("新闻国内"));
        assert_eq!(
            article.published.map(|d| d.to_string()).as_deref(),
            Some("2018-09-18")
        );
    }

    #[test]
    fn undeclared_latin1_feed_without_version_reads() {
        let xml = "<rss>\n<channel><title>UOL Not\u{ed}cias</title><item><title>Elei\u{e7}\u{f5}es: pesquisa</title><description>Candidato lidera em S\u{e3}o Paulo.</description><pubDate>Seg, 24 Set 2018 19:23:00 -0300</pubDate></item></channel></rss>";
        let (bytes, _, _) = WINDOWS_1252.encode(xml);
        assert!(std::str::from_utf8(&bytes).is_err());
        let outcome = import_feed(&bytes, &ImportOptions::default());
        let article = &outcome.articles[0];
        assert_eq!(article.title, "Eleições: pesquisa");
        assert_eq!(article.text, "Candidato lidera em São Paulo.");
        assert_eq!(
            article.published.map(|d| d.to_string()).as_deref(),
            Some("2018-09-24")
        );
    }

    #[test]
    fn a_panic_in_the_feed_parser_is_an_error_not_a_crash() {
        let xml = r#"<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>P</title><item><title>E</title><itunes:duration>99999999999999999999999</itunes:duration></item></channel></rss>"#;
        let err = parse_bytes(
            xml.as_bytes(),
            Path::new("pod.rss"),
            &ImportOptions::default(),
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("pod.rss: the feed importer failed unexpectedly: "),
            "{err}"
        );
    }

    #[test]
    fn non_feeds_are_errors() {
        let err = parse_bytes(
            b"<html><body>hi</body></html>",
            Path::new("page.xml"),
            &ImportOptions::default(),
        )
        .unwrap_err();
        assert!(
            err.to_string().starts_with("page.xml: not a feed: "),
            "{err}"
        );
    }

    #[test]
    fn prepares_xml_for_the_parser() {
        assert_eq!(
            prepare_xml("\u{feff}<?xml version='1.0' encoding='gb2312'?>\n<rss version=\"2.0\"/>"),
            "\n<rss version=\"2.0\"/>"
        );
        assert_eq!(
            prepare_xml("<rss>\n<channel/></rss>"),
            "<rss version=\"2.0\">\n<channel/></rss>"
        );
        assert_eq!(
            prepare_xml("<rss xmlns:a='x'><channel/></rss>"),
            "<rss version=\"2.0\" xmlns:a='x'><channel/></rss>"
        );
        assert_eq!(prepare_xml("<feed/>"), "<feed/>");
    }

    #[test]
    fn timestamps_keep_the_publishers_day() {
        let day = |text: &str| feed_timestamp(text).map(|moment| moment.date_naive().to_string());
        assert_eq!(
            day("Tue, 05 Mar 2024 23:30:00 -0300").as_deref(),
            Some("2024-03-05")
        );
        assert_eq!(
            day("2024-03-05T23:30:00-03:00").as_deref(),
            Some("2024-03-05")
        );
        assert_eq!(day("2018-09-18 14:38:10").as_deref(), Some("2018-09-18"));
        assert_eq!(
            day("Seg, 24 Set 2018 19:23:00 -0300").as_deref(),
            Some("2018-09-24")
        );
        assert_eq!(day("last Tuesday"), None);
        assert_eq!(day("March 2024"), None);
    }
}
