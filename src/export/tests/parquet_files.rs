//! The Parquet export read back with the parquet crate's own reader: the schema's types,
//! every row and cell, byte stability, and row groups that bound memory.

use ::parquet::file::reader::{FileReader, SerializedFileReader};
use ::parquet::record::{Field, Row};
use sha2::Digest;

use super::*;

/// The corpus exported as Parquet into `dir`; the files the sink lists.
fn export_parquet(dir: &Path) -> Vec<WrittenFile> {
    let mut sink = sink(
        ExportFormat::Parquet,
        Destination::Folder(dir.to_owned()),
        &schema(),
    )
    .unwrap();
    for (article, annotations) in corpus() {
        sink.write(&article, &annotations).unwrap();
        assert!(sink.take_files().is_empty());
    }
    sink.finish_listing().unwrap()
}

fn rows(path: &Path) -> (String, Vec<Row>) {
    let reader = SerializedFileReader::new(std::fs::File::open(path).unwrap()).unwrap();
    let schema = format!("{:?}", reader.metadata().file_metadata().schema());
    let rows = reader
        .get_row_iter(None)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    (schema, rows)
}

fn cell<'a>(row: &'a Row, name: &str) -> &'a Field {
    row.get_column_iter()
        .find(|(column, _)| column.as_str() == name)
        .map(|(_, field)| field)
        .unwrap_or_else(|| panic!("no column {name}"))
}

#[test]
fn parquet_round_trips_every_article_and_annotation_with_typed_columns() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("parquet");
    let files = export_parquet(&out);
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["annotations.parquet", "articles.parquet"]);

    let (schema, articles) = rows(&out.join("articles.parquet"));
    assert!(
        schema.contains("Date") && schema.contains("Timestamp"),
        "{schema}"
    );
    let corpus = corpus();
    assert_eq!(articles.len(), corpus.len());
    for (row, (article, annotations)) in articles.iter().zip(&corpus) {
        assert_eq!(cell(row, "article_id"), &Field::Long(article.id.0));
        assert_eq!(cell(row, "text"), &Field::Str(article.text.clone()));
        assert_eq!(cell(row, "title"), &Field::Str(article.title.clone()));
        assert_eq!(cell(row, "published"), &Field::Str("2024-01-19".into()));
        assert_eq!(cell(row, "published_date"), &Field::Date(19_741));
        assert_eq!(
            cell(row, "imported_at"),
            &Field::TimestampMillis(1_705_708_800_000)
        );
        let url = article.url.clone().map_or(Field::Null, Field::Str);
        assert_eq!(cell(row, "url"), &url);
        let count = i64::try_from(annotations.len()).unwrap();
        assert_eq!(cell(row, "annotations"), &Field::Long(count));
    }

    let (_, annotations) = rows(&out.join("annotations.parquet"));
    let expected: Vec<&Annotation> = corpus.iter().flat_map(|(_, a)| a).collect();
    assert_eq!(annotations.len(), expected.len());
    let texts = texts();
    for (row, annotation) in annotations.iter().zip(expected) {
        let (Field::Long(start), Field::Long(end)) = (cell(row, "start"), cell(row, "end")) else {
            panic!("offsets are not integers: {row:?}");
        };
        let text = &texts[&annotation.article_id.0];
        let sliced = chars(
            text,
            usize::try_from(*start).unwrap(),
            usize::try_from(*end).unwrap(),
        );
        assert_eq!(cell(row, "text"), &Field::Str(sliced));
        assert_eq!(cell(row, "label"), &Field::Str(annotation.label.clone()));
        assert_eq!(cell(row, "annotation_id"), &Field::Long(annotation.id.0));
        let count = annotation.attrs.get("count").and_then(Value::as_i64);
        assert_eq!(cell(row, "count"), &count.map_or(Field::Null, Field::Long));
        let attrs: Value = match cell(row, "attrs") {
            Field::Str(json) => serde_json::from_str(json).unwrap(),
            other => panic!("attrs is {other:?}"),
        };
        assert_eq!(attrs, Value::Object(annotation.attrs.clone()));
    }
}

#[test]
fn parquet_is_byte_stable_and_listed_with_its_hashes() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let first = export_parquet(&a.path().join("p"));
    let second = export_parquet(&b.path().join("p"));
    assert_eq!(first, second);
    for file in &first {
        let bytes = std::fs::read(a.path().join("p").join(&file.name)).unwrap();
        assert_eq!(
            bytes,
            std::fs::read(b.path().join("p").join(&file.name)).unwrap()
        );
        assert_eq!(file.sha256, format!("{:x}", sha2::Sha256::digest(&bytes)));
    }
}

#[test]
fn parquet_refuses_a_stream_and_a_folder_that_is_not_empty() {
    let refused = sink(
        ExportFormat::Parquet,
        Destination::Stream(Box::new(io::sink())),
        &schema(),
    );
    let error = refused.err().unwrap();
    assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
    assert!(error.to_string().contains("two Parquet files"), "{error}");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("mine.parquet"), "").unwrap();
    let refused = sink(
        ExportFormat::Parquet,
        Destination::Folder(dir.path().to_owned()),
        &schema(),
    );
    assert!(refused.err().unwrap().to_string().contains("not empty"));
}
