//! Tests across the export formats: every span re-read from the bytes written matches the
//! text by code points, CoNLL and brat files are well formed, and output is byte-stable.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

use super::*;
use crate::model::{
    AnnotationId, AnnotationStatus, ArticleId, LabelSchema, PartialDate, content_sha256,
    default_labels,
};

// --- Fixtures

/// A `Write` whose bytes the test can read after the sink has consumed it.
#[derive(Clone, Default)]
struct SharedBuffer(Arc<Mutex<Vec<u8>>>);

impl Write for SharedBuffer {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl SharedBuffer {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

fn chars(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

fn article(id: i64, title: &str, text: &str, origin_format: &str) -> Article {
    Article {
        id: ArticleId(id),
        title: title.to_owned(),
        text: text.to_owned(),
        published: PartialDate::from_parts(2024, Some(1), Some(19)),
        url: (id == 1).then(|| "https://example.org/strikes".to_owned()),
        source: Some("Test Wire".to_owned()),
        imported_at: "2024-01-20T00:00:00Z".to_owned(),
        origin_path: None,
        origin_format: origin_format.to_owned(),
        content_sha256: content_sha256(text),
    }
}

/// Builds annotations on one article by quoting the text they cover.
struct Spans<'a> {
    article: &'a Article,
    next_id: i64,
    annotations: Vec<Annotation>,
}

impl<'a> Spans<'a> {
    fn new(article: &'a Article, first_id: i64) -> Self {
        Self {
            article,
            next_id: first_id,
            annotations: Vec::new(),
        }
    }

    /// Annotates the first occurrence of `needle`; returns the new id.
    fn add(&mut self, needle: &str, label: &str, attrs: Value, status: AnnotationStatus) -> i64 {
        let text = &self.article.text;
        let byte = text
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} not in text"));
        let start = text[..byte].chars().count();
        let end = start + needle.chars().count();
        let id = self.next_id;
        self.next_id += 1;
        let Value::Object(attrs) = attrs else {
            panic!("attrs must be an object")
        };
        self.annotations.push(Annotation {
            id: AnnotationId(id),
            uid: format!("{id:032x}"),
            article_id: self.article.id,
            label: label.to_owned(),
            span: crate::model::CharSpan::ordered(start, end).unwrap(),
            text: needle.to_owned(),
            attrs,
            status,
            annotator: if status == AnnotationStatus::Accepted {
                "maria"
            } else {
                "suggester"
            }
            .to_owned(),
            coder: String::new(),
            created_at: "2024-01-20T00:00:00Z".to_owned(),
            updated_at: "2024-01-20T00:00:00Z".to_owned(),
        });
        id
    }

    /// The annotations in export order.
    fn done(mut self) -> Vec<Annotation> {
        self.annotations.sort_by(|a, b| {
            (a.span.start(), a.span.end(), &a.label, a.id).cmp(&(
                b.span.start(),
                b.span.end(),
                &b.label,
                b.id,
            ))
        });
        self.annotations
    }
}

const ACCEPTED: AnnotationStatus = AnnotationStatus::Accepted;
const SUGGESTED: AnnotationStatus = AnnotationStatus::Suggested;

/// Articles with emoji, Urdu, CJK, overlapping and nested spans, a span crossing a newline,
/// attributes with spaces, links between annotations, a suggestion, an article without
/// annotations and one that came from a CoNLL file.
fn corpus() -> Vec<(Article, Vec<Annotation>)> {
    let strikes = article(
        1,
        "Pakistan and Iran trade strikes",
        "Iran said Thursday's strikes killed nine people in Saravan, including four children.\n\
         Pakistan's PM Anwaar-ul-Haq Kakar blamed the Balochistan Liberation\nArmy.\tIt was \"grave\".",
        "html",
    );
    let mut spans = Spans::new(&strikes, 10);
    let date = spans.add(
        "Thursday",
        "DATE",
        json!({"value": "2024-01-18", "precision": "day"}),
        ACCEPTED,
    );
    let place = spans.add(
        "Saravan",
        "LOC",
        json!({"country_code": "IR", "canonical": "Saravan, Sistan", "lat": 27.3709,
               "lon": 62.331, "adm1": "Sistan and Baluchestan", "where_prec": 1}),
        ACCEPTED,
    );
    let group = spans.add("Balochistan Liberation\nArmy", "ORG", json!({}), ACCEPTED);
    spans.add(
        "nine people in Saravan, including four children",
        "CASUALTY",
        json!({"count": 9, "outcome": "killed", "claimed_by": "Iran state media",
               "qualifier": "exact", "date": date, "place": place, "actor": [group]}),
        ACCEPTED,
    );
    spans.add(
        "four children",
        "CASUALTY",
        json!({"count": 4, "victims": "children"}),
        SUGGESTED,
    );
    spans.add(
        "Anwaar-ul-Haq Kakar",
        "PER",
        json!({"canonical": "Anwaar-ul-Haq Kakar"}),
        ACCEPTED,
    );
    spans.add("Pakistan", "LOC", json!({"country_code": "PK"}), ACCEPTED);
    spans.add("Balochistan", "LOC", json!({}), SUGGESTED);
    spans.add(
        "\"grave\"",
        "QUOTE",
        json!({"note": "a\u{2028}line|sep, x"}),
        ACCEPTED,
    );
    let strikes_spans = spans.done();

    let unicode = article(
        2,
        "خاندان 👨‍👩‍👧",
        "A family 👨‍👩‍👧 fled 🌍. بلوچستان میں حملہ، دو ہلاک۔ 边境村庄遭袭。Done!",
        "json",
    );
    let mut spans = Spans::new(&unicode, 30);
    spans.add("👨‍👩‍👧", "PER", json!({}), ACCEPTED);
    spans.add("🌍", "LOC", json!({}), ACCEPTED);
    spans.add("بلوچستان", "LOC", json!({"country_code": "PK"}), ACCEPTED);
    spans.add(
        "دو ہلاک",
        "CASUALTY",
        json!({"count": 2, "outcome": "killed"}),
        ACCEPTED,
    );
    spans.add("边境村庄", "LOC", json!({}), ACCEPTED);
    let unicode_spans = spans.done();

    let empty = article(3, "Wheat prices", "Wheat prices rose.", "text");

    let conll = article(
        4,
        "@paulwalk It 's the view",
        "@paulwalk It 's the view from where I 'm living .\nEmpire State Building = ESB . 😀\n",
        "conll",
    );
    let mut spans = Spans::new(&conll, 40);
    spans.add("Empire State Building", "location", json!({}), ACCEPTED);
    spans.add("ESB", "location", json!({}), ACCEPTED);
    let conll_spans = spans.done();

    vec![
        (strikes, strikes_spans),
        (unicode, unicode_spans),
        (empty, Vec::new()),
        (conll, conll_spans),
    ]
}

fn schema() -> LabelSchema {
    LabelSchema {
        labels: default_labels(),
    }
}

/// Everything a stream format writes for the corpus.
fn export_stream(format: ExportFormat) -> String {
    let buffer = SharedBuffer::default();
    let mut sink = sink(
        format,
        Destination::Stream(Box::new(buffer.clone())),
        &schema(),
    )
    .unwrap();
    for (article, annotations) in corpus() {
        sink.write(&article, &annotations).unwrap();
    }
    sink.finish().unwrap();
    buffer.text()
}

/// Every file of a brat export of the corpus, by name.
fn export_brat(dir: &Path) -> BTreeMap<String, String> {
    let mut sink = sink(
        ExportFormat::Brat,
        Destination::Folder(dir.to_owned()),
        &schema(),
    )
    .unwrap();
    for (article, annotations) in corpus() {
        sink.write(&article, &annotations).unwrap();
    }
    sink.finish().unwrap();
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&path).unwrap())
        })
        .collect()
}

fn texts() -> BTreeMap<i64, String> {
    corpus()
        .into_iter()
        .map(|(a, _)| (a.id.0, a.text))
        .collect()
}

fn all_spans() -> usize {
    corpus().iter().map(|(_, a)| a.len()).sum()
}

// --- Formats and destinations

#[test]
fn format_names_round_trip_and_errors_list_them() {
    for format in ExportFormat::ALL {
        assert_eq!(format.as_str().parse::<ExportFormat>(), Ok(format));
        assert_eq!(format.to_string(), format.as_str());
        assert_eq!(
            format.writes_folder(),
            matches!(format, ExportFormat::Brat | ExportFormat::Parquet)
        );
        assert_eq!(
            format.default_extension().is_empty(),
            format.writes_folder()
        );
    }
    let error = "xlsx".parse::<ExportFormat>().unwrap_err();
    assert!(
        error.contains("events-csv") && error.contains("web-annotation"),
        "{error}"
    );
}

#[test]
fn refuses_the_wrong_kind_of_destination() {
    let dir = tempfile::tempdir().unwrap();
    let folder_for_csv = sink(
        ExportFormat::Csv,
        Destination::Folder(dir.path().to_owned()),
        &schema(),
    );
    let error = folder_for_csv.err().unwrap();
    assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
    assert!(error.to_string().contains("one file"), "{error}");
    let stream_for_brat = sink(
        ExportFormat::Brat,
        Destination::Stream(Box::new(io::sink())),
        &schema(),
    );
    let error = stream_for_brat.err().unwrap();
    assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
    assert!(error.to_string().contains("folder"), "{error}");
    std::fs::write(dir.path().join("old.ann"), "").unwrap();
    let non_empty = sink(
        ExportFormat::Brat,
        Destination::Folder(dir.path().to_owned()),
        &schema(),
    );
    assert!(non_empty.err().unwrap().to_string().contains("not empty"));
}

#[test]
fn every_format_is_byte_stable() {
    // The event datasets are written per event, not through a sink: their bytes are
    // compared across two exports in tests/event_datasets.rs, and a sink refuses them.
    for format in ExportFormat::ALL
        .into_iter()
        .filter(|f| !f.writes_folder() && f.event_dataset().is_none())
    {
        let first = export_stream(format);
        assert!(!first.is_empty(), "{format}");
        assert!(!first.starts_with('\u{feff}'), "{format}");
        assert_eq!(first, export_stream(format), "{format}");
    }
    for format in [ExportFormat::EventsUcdp, ExportFormat::EventsAcled] {
        let refused = sink(
            format,
            Destination::Stream(Box::new(SharedBuffer::default())),
            &schema(),
        );
        let error = refused.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(error.contains("one row per event"), "{format}: {error}");
    }
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let brat = export_brat(&a.path().join("brat"));
    assert_eq!(brat, export_brat(&b.path().join("brat")));
}

// --- Spans read back by code points

#[test]
fn csv_spans_match_the_text() {
    let texts = texts();
    let out = export_stream(ExportFormat::Csv);
    assert!(out.starts_with("article_id,title,published,url,source,annotation_id,label,start,end,text,status,annotator,coder,attrs,count,low,high,outcome,victims,qualifier,claimed_by,value,precision,anchor,canonical,country_code,lat,lon,adm1,where_prec\r\n"));
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let mut rows = 0;
    for row in reader.records() {
        let row: BTreeMap<&str, String> = headers
            .iter()
            .zip(row.unwrap().iter().map(str::to_owned))
            .collect();
        let text = &texts[&row["article_id"].parse::<i64>().unwrap()];
        let (start, end) = (row["start"].parse().unwrap(), row["end"].parse().unwrap());
        assert_eq!(chars(text, start, end), row["text"]);
        let attrs: Value = serde_json::from_str(&row["attrs"]).unwrap();
        assert!(attrs.is_object());
        if row["label"] == "CASUALTY" && row["status"] == "accepted" && row["article_id"] == "1" {
            assert_eq!(row["count"], "9");
            assert_eq!(row["claimed_by"], "Iran state media");
            assert_eq!(row["low"], "");
        }
        rows += 1;
    }
    assert_eq!(
        rows,
        all_spans(),
        "one row per annotation, none for article 3"
    );
}

#[test]
fn doccano_spans_match_the_text_and_keep_the_meta() {
    let corpus = corpus();
    let out = export_stream(ExportFormat::Doccano);
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines.len(),
        corpus.len(),
        "one line per article, annotated or not"
    );
    for ((article, annotations), record) in corpus.iter().zip(&lines) {
        let text = record["text"].as_str().unwrap();
        assert_eq!(text, article.text);
        let labels = record["label"].as_array().unwrap();
        let meta = record["annotations_meta"].as_array().unwrap();
        assert_eq!(labels.len(), annotations.len());
        for ((span, meta), annotation) in labels.iter().zip(meta).zip(annotations) {
            let (start, end) = (
                span[0].as_u64().unwrap() as usize,
                span[1].as_u64().unwrap() as usize,
            );
            assert_eq!(chars(text, start, end), annotation.text);
            assert_eq!(span[2], annotation.label.as_str());
            assert_eq!(meta["id"], annotation.id.0);
            assert_eq!(meta["status"], annotation.status.as_str());
            assert_eq!(meta["attrs"], Value::Object(annotation.attrs.clone()));
        }
    }
    let first: Vec<&str> = lines[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(first.len(), 8);
}

#[test]
fn label_studio_spans_match_and_suggestions_are_predictions() {
    let tasks: Vec<Value> =
        serde_json::from_str(&export_stream(ExportFormat::LabelStudio)).unwrap();
    assert_eq!(tasks.len(), 4);
    let mut regions = 0;
    for task in &tasks {
        let text = task["data"]["text"].as_str().unwrap();
        assert!(
            task.get("annotations")
                .is_none_or(|a| a.as_array().unwrap().len() == 1)
        );
        for (group, status) in [("annotations", "manual"), ("predictions", "prediction")] {
            for set in task
                .get(group)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                for region in set["result"].as_array().unwrap() {
                    let value = &region["value"];
                    let (start, end) = (
                        value["start"].as_u64().unwrap(),
                        value["end"].as_u64().unwrap(),
                    );
                    assert_eq!(
                        chars(text, start as usize, end as usize),
                        value["text"].as_str().unwrap()
                    );
                    assert_eq!(region["origin"], status);
                    assert_eq!(region["from_name"], "label");
                    assert!(region["meta"]["attrs"].is_object());
                    regions += 1;
                }
            }
        }
    }
    assert_eq!(regions, all_spans());
    assert!(
        tasks[0]["predictions"].is_array(),
        "article 1 has suggestions"
    );
    assert!(tasks[1].get("predictions").is_none(), "article 2 has none");
    assert!(
        tasks[2].get("annotations").is_none(),
        "an article nobody annotated stays to do in Label Studio"
    );
}

#[test]
fn web_annotation_selectors_match_the_text() {
    let texts = texts();
    let page: Value = serde_json::from_str(&export_stream(ExportFormat::WebAnnotation)).unwrap();
    assert_eq!(page["@context"], "http://www.w3.org/ns/anno.jsonld");
    assert_eq!(page["type"], "AnnotationPage");
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), all_spans());
    for item in items {
        let source = item["target"]["source"].as_str().unwrap();
        let text = if source == "https://example.org/strikes" {
            &texts[&1]
        } else {
            &texts[&source
                .strip_prefix("urn:annalist:article:")
                .unwrap()
                .parse()
                .unwrap()]
        };
        let selectors = item["target"]["selector"].as_array().unwrap();
        let (position, quote) = (&selectors[0], &selectors[1]);
        assert_eq!(position["type"], "TextPositionSelector");
        let (start, end) = (
            position["start"].as_u64().unwrap() as usize,
            position["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(chars(text, start, end), quote["exact"].as_str().unwrap());
        let prefix = quote.get("prefix").and_then(Value::as_str).unwrap_or("");
        let suffix = quote.get("suffix").and_then(Value::as_str).unwrap_or("");
        assert_eq!(chars(text, start.saturating_sub(32), start), prefix);
        assert_eq!(
            chars(text, end, (end + 32).min(text.chars().count())),
            suffix
        );
        assert_eq!(item["body"][0]["purpose"], "tagging");
        assert!(
            item["id"]
                .as_str()
                .unwrap()
                .starts_with("urn:annalist:annotation:")
        );
        assert!(matches!(
            item["annalist:status"].as_str(),
            Some("accepted" | "suggested")
        ));
    }
    let with_attrs = items
        .iter()
        .find(|i| i["body"].as_array().unwrap().len() == 2)
        .unwrap();
    let attrs: Value =
        serde_json::from_str(with_attrs["body"][1]["value"].as_str().unwrap()).unwrap();
    assert!(attrs.is_object());
}

#[test]
fn events_csv_has_one_row_per_claim_with_links_resolved() {
    let texts = texts();
    let out = export_stream(ExportFormat::EventsCsv);
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<BTreeMap<String, String>> = reader
        .records()
        .map(|r| {
            headers
                .iter()
                .map(str::to_owned)
                .zip(r.unwrap().iter().map(str::to_owned))
                .collect()
        })
        .collect();
    assert_eq!(
        rows.len(),
        3,
        "two claims in article 1 (one suggested), one in article 2"
    );
    for row in &rows {
        let text = &texts[&row["article_id"].parse().unwrap()];
        let (start, end) = (
            row["quote_start"].parse().unwrap(),
            row["quote_end"].parse().unwrap(),
        );
        assert_eq!(chars(text, start, end), row["quote"]);
    }
    let nine = &rows[0];
    assert_eq!(
        nine["quote"],
        "nine people in Saravan, including four children"
    );
    assert_eq!(nine["count"], "9");
    assert_eq!(nine["claimed_by"], "Iran state media");
    assert_eq!(nine["outcome"], "killed");
    assert_eq!(nine["date_text"], "Thursday");
    assert_eq!(nine["date_value"], "2024-01-18");
    assert_eq!(nine["date_precision"], "day");
    assert_eq!(nine["place_text"], "Saravan");
    assert_eq!(nine["place_country_code"], "IR");
    assert_eq!(nine["place_lat"], "27.3709");
    assert_eq!(nine["place_lon"], "62.331");
    assert_eq!(nine["place_adm1"], "Sistan and Baluchestan");
    assert_eq!(nine["place_where_prec"], "1");
    assert_eq!(nine["actors"], "Balochistan Liberation\nArmy");
    assert_eq!(nine["published"], "2024-01-19");
    assert_eq!(nine["outlet"], "Test Wire");
    assert_eq!(nine["status"], "accepted");
    assert_eq!(rows[1]["victims"], "children");
    assert_eq!(rows[1]["date_text"], "");
    assert_eq!(rows[2]["quote"], "دو ہلاک");
}

#[test]
fn events_csv_takes_literal_links_and_skips_dangling_ids() {
    let article = article(7, "t", "Five killed near Quetta on Monday.", "text");
    let mut spans = Spans::new(&article, 1);
    spans.add(
        "Five killed",
        "CASUALTY",
        json!({"date": "2024-01-15", "place": "Quetta", "actor": [99, "BLA"]}),
        ACCEPTED,
    );
    let annotations = spans.done();
    let buffer = SharedBuffer::default();
    let mut sink = sink(
        ExportFormat::EventsCsv,
        Destination::Stream(Box::new(buffer.clone())),
        &schema(),
    )
    .unwrap();
    sink.write(&article, &annotations).unwrap();
    sink.finish().unwrap();
    let out = buffer.text();
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let row = reader.records().next().unwrap().unwrap();
    let row: BTreeMap<&str, &str> = headers.iter().zip(row.iter()).collect();
    assert_eq!(row["date_value"], "2024-01-15");
    assert_eq!(row["date_text"], "");
    assert_eq!(row["place_text"], "Quetta");
    assert_eq!(row["actors"], "BLA");
}

mod brat_and_conll;

mod parquet_files;
