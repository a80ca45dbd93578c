//! The brat and CoNLL writers, read back by parsers written here for the purpose, and the
//! manifest.

use super::*;

// --- brat

/// A `T` line: id, label, fragments, text.
type Entity = (String, String, Vec<(usize, usize)>, String);

/// Parses a `.ann` file, checking every line's shape; returns the T lines.
fn parse_ann(ann: &str, text: &str) -> Vec<Entity> {
    let mut entities = Vec::new();
    for line in ann.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        match line.chars().next() {
            Some('T') => {
                assert_eq!(fields.len(), 3, "{line:?}");
                let (label, ranges) = fields[1].split_once(' ').unwrap();
                let fragments: Vec<(usize, usize)> = ranges
                    .split(';')
                    .map(|r| {
                        let (s, e) = r.split_once(' ').unwrap();
                        (s.parse().unwrap(), e.parse().unwrap())
                    })
                    .collect();
                let pieces: Vec<String> =
                    fragments.iter().map(|&(s, e)| chars(text, s, e)).collect();
                assert_eq!(pieces.join(" "), fields[2], "{line:?}");
                assert!(pieces.iter().all(|p| !p.is_empty() && !p.contains('\n')));
                entities.push((
                    fields[0].to_owned(),
                    label.to_owned(),
                    fragments,
                    fields[2].to_owned(),
                ));
            }
            Some('A') => {
                assert_eq!(fields.len(), 2, "{line:?}");
                let parts: Vec<&str> = fields[1].split(' ').collect();
                assert_eq!(parts.len(), 3, "{line:?}");
                assert!(entities.iter().any(|(id, ..)| id == parts[1]), "{line:?}");
            }
            Some('R') => {
                assert_eq!(fields.len(), 2, "{line:?}");
                let parts: Vec<&str> = fields[1].split(' ').collect();
                assert_eq!(parts.len(), 3, "{line:?}");
                for (part, role) in parts[1..].iter().zip(["Arg1:", "Arg2:"]) {
                    let target = part.strip_prefix(role).unwrap();
                    assert!(entities.iter().any(|(id, ..)| id == target), "{line:?}");
                }
            }
            Some('#') => {
                assert_eq!(fields.len(), 3, "{line:?}");
                let (kind, target) = fields[1].split_once(' ').unwrap();
                assert_eq!(kind, "AnnotatorNotes");
                assert!(entities.iter().any(|(id, ..)| id == target), "{line:?}");
                let note: Value = serde_json::from_str(fields[2]).unwrap();
                assert!(
                    note["attrs"].is_object() && note["id"].is_i64() && note["status"].is_string()
                );
            }
            _ => panic!("unexpected .ann line {line:?}"),
        }
    }
    entities
}

#[test]
fn brat_files_parse_and_offsets_match_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let files = export_brat(&dir.path().join("out"));
    let mut entities = 0;
    for (article, annotations) in corpus() {
        let text = &files[&format!("{}.txt", article.id)];
        assert_eq!(text, &article.text, "the text exactly");
        let ann = &files[&format!("{}.ann", article.id)];
        let parsed = parse_ann(ann, text);
        assert_eq!(parsed.len(), annotations.len());
        for (n, ((id, label, ..), annotation)) in parsed.iter().zip(&annotations).enumerate() {
            assert_eq!(id, &format!("T{}", n + 1));
            assert_eq!(label, &annotation.label);
        }
        entities += parsed.len();
    }
    assert_eq!(entities, all_spans());
    let strikes = &files["1.ann"];
    let crossing = strikes.lines().find(|l| l.contains("\tORG ")).unwrap();
    assert!(
        crossing.contains(';') && crossing.ends_with("\tBalochistan Liberation Army"),
        "{crossing}"
    );
    assert!(strikes.contains("\tcount T"), "numbers become attributes");
    assert!(
        !strikes.contains("claimed_by T"),
        "a value with spaces is only in the note"
    );
    assert!(strikes.contains("\"claimed_by\":\"Iran state media\""));
    assert!(
        strikes.contains("\\u2028"),
        "a line separator in a note is escaped"
    );
    // The claim (T2) links to its date (T1), place (T3) and actor (the ORG, T8).
    assert!(strikes.contains("\tdate Arg1:T2 Arg2:T1\n"), "{strikes}");
    assert!(strikes.contains("\tplace Arg1:T2 Arg2:T3\n"), "{strikes}");
    assert!(strikes.contains("\tactor Arg1:T2 Arg2:T8\n"), "{strikes}");
    assert!(
        !strikes.contains("\tdate T2"),
        "a resolved link is a relation, not an attribute"
    );
}

#[test]
fn brat_conf_lists_labels_attributes_and_colours() {
    let dir = tempfile::tempdir().unwrap();
    let files = export_brat(&dir.path().join("out"));
    let conf = &files["annotation.conf"];
    let section = |name: &str| -> Vec<String> {
        conf.split(&format!("[{name}]\n"))
            .nth(1)
            .unwrap()
            .lines()
            .take_while(|l| !l.starts_with('['))
            .filter(|l| !l.starts_with('#'))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(
        section("entities"),
        ["PER", "ORG", "LOC", "DATE", "CASUALTY", "QUOTE", "location"]
    );
    assert_eq!(
        section("relations")[1..],
        [
            "actor\tArg1:CASUALTY, Arg2:ORG",
            "date\tArg1:CASUALTY, Arg2:DATE",
            "place\tArg1:CASUALTY, Arg2:LOC",
        ]
    );
    let attributes = section("attributes");
    assert!(
        attributes.contains(&"count\tArg:<ENTITY>, Value:2|4|9".to_owned()),
        "{attributes:?}"
    );
    assert!(
        attributes
            .iter()
            .any(|l| l.starts_with("country_code\tArg:<ENTITY>, Value:IR|PK"))
    );
    assert!(
        !attributes.iter().any(|l| l.starts_with("claimed_by")),
        "{attributes:?}"
    );
    let visual = &files["visual.conf"];
    assert!(visual.contains("PER\tbgColor:#4e79a7\n"), "{visual}");
    assert!(
        visual.contains("[labels]\nPER | Person | PER\n"),
        "{visual}"
    );
    assert!(
        visual.contains("QUOTE\tbgColor:#"),
        "labels outside the schema get a colour"
    );
}

// --- CoNLL

/// Token and tag pairs of one sentence.
type Sentence = Vec<(String, String)>;

/// Articles of a CoNLL export: token/tag pairs per sentence, checking the layout.
fn parse_conll(out: &str) -> Vec<Vec<Sentence>> {
    let mut articles: Vec<Vec<Sentence>> = Vec::new();
    let mut lines = out.split('\n').peekable();
    while let Some(line) = lines.next() {
        if line.is_empty() && lines.peek().is_none() {
            break;
        }
        if line == "-DOCSTART- -X- O O" {
            assert_eq!(lines.next(), Some(""), "a blank line after -DOCSTART-");
            articles.push(vec![Vec::new()]);
            continue;
        }
        let sentences = articles.last_mut().expect("-DOCSTART- first");
        if line.is_empty() {
            sentences.push(Vec::new());
            continue;
        }
        let (token, tag) = line.split_once('\t').unwrap();
        assert!(
            !token.is_empty() && !token.chars().any(char::is_whitespace),
            "{line:?}"
        );
        assert!(!tag.contains('\t'), "{line:?}");
        sentences
            .last_mut()
            .unwrap()
            .push((token.to_owned(), tag.to_owned()));
    }
    for sentences in &mut articles {
        assert!(
            sentences.last().is_some_and(Vec::is_empty),
            "each sentence ends with a blank line"
        );
        sentences.pop();
        assert!(
            sentences.iter().all(|s| !s.is_empty()),
            "no empty sentences"
        );
    }
    articles
}

#[test]
fn conll_is_well_formed_iob2_with_a_docstart_per_article() {
    let out = export_stream(ExportFormat::Conll);
    let articles = parse_conll(&out);
    assert_eq!(articles.len(), 4);
    for sentence in articles.iter().flatten() {
        let mut previous = "O".to_owned();
        for (_, tag) in sentence {
            if let Some(label) = tag.strip_prefix("I-") {
                assert!(
                    previous == format!("B-{label}") || previous == format!("I-{label}"),
                    "{sentence:?}"
                );
            } else {
                assert!(tag == "O" || tag.starts_with("B-"), "{tag}");
            }
            previous = tag.clone();
        }
    }
    let strikes: Vec<(String, String)> = articles[0].iter().flatten().cloned().collect();
    let tagged = |token: &str| {
        strikes
            .iter()
            .find(|(t, _)| t == token)
            .map(|(_, tag)| tag.as_str())
    };
    assert_eq!(tagged("Thursday's"), Some("B-DATE"));
    assert_eq!(tagged("nine"), Some("B-CASUALTY"));
    assert_eq!(
        tagged("four"),
        Some("I-CASUALTY"),
        "the nested claim is lost, the outer kept"
    );
    assert_eq!(tagged("Anwaar-ul-Haq"), Some("B-PER"));
    assert_eq!(tagged("Kakar"), Some("I-PER"));
    assert_eq!(tagged("Pakistan's"), Some("B-LOC"));
    assert_eq!(
        tagged("Army"),
        Some("B-ORG"),
        "a span crossing a newline restarts in the next sentence"
    );
    let unicode: Vec<(String, String)> = articles[1].iter().flatten().cloned().collect();
    assert!(unicode.contains(&("👨‍👩‍👧".to_owned(), "B-PER".to_owned())));
    assert!(unicode.contains(&("بلوچستان".to_owned(), "B-LOC".to_owned())));
    assert!(unicode.contains(&("边".to_owned(), "B-LOC".to_owned())));
    assert!(unicode.contains(&("庄".to_owned(), "I-LOC".to_owned())));
    assert!(articles[2].iter().flatten().all(|(_, tag)| tag == "O"));
}

#[test]
fn conll_origin_text_gives_back_its_tokens_exactly() {
    let out = export_stream(ExportFormat::Conll);
    let articles = parse_conll(&out);
    let conll = &articles[3];
    let (article, _) = &corpus()[3];
    let expected: Vec<Vec<&str>> = article
        .text
        .lines()
        .map(|l| l.split(' ').filter(|t| !t.is_empty()).collect())
        .collect();
    let got: Vec<Vec<&str>> = conll
        .iter()
        .map(|s| s.iter().map(|(t, _)| t.as_str()).collect())
        .collect();
    assert_eq!(got, expected);
    let tags: Vec<&str> = conll[1].iter().map(|(_, tag)| tag.as_str()).collect();
    assert_eq!(
        tags,
        [
            "B-location",
            "I-location",
            "I-location",
            "O",
            "B-location",
            "O",
            "O"
        ]
    );
}

#[test]
fn conll_leaves_out_spans_starting_inside_a_tagged_run() {
    let chars: Vec<char> = "a b c d".chars().collect();
    let tokens: Vec<tokenize::Token> = tokenize::sentences(&chars, false).concat();
    let article = article(9, "t", "a b c d", "text");
    let mut spans = Spans::new(&article, 1);
    spans.add("a b c", "X", json!({}), ACCEPTED);
    spans.add("b c d", "Y", json!({}), ACCEPTED);
    spans.add("d", "Z", json!({}), ACCEPTED);
    let annotations = spans.done();
    let (tags, lost) = conll::tag_tokens(&tokens, &annotations);
    let labels: Vec<Option<&str>> = tags.iter().map(|t| t.map(|t| t.label)).collect();
    assert_eq!(labels, [Some("X"), Some("X"), Some("X"), Some("Z")]);
    assert_eq!(lost, 1);
}

// --- Manifest

#[test]
fn manifest_counts_records_and_states_the_unit() {
    let out = SharedBuffer::default();
    let mut manifest = Manifest::begin(
        Box::new(out.clone()),
        ExportFormat::EventsCsv,
        3,
        &json!({"label": ["CASUALTY"]}),
    );
    for (article, annotations) in corpus() {
        manifest.record(&article, &annotations);
    }
    manifest.finish().unwrap();
    let out = out.text().into_bytes();
    let written: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(
        written["app"],
        format!("annalist {}", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(written["format"], "events-csv");
    assert_eq!(written["offset_unit"], "unicode_code_point");
    assert_eq!(written["articles"], 4);
    assert_eq!(written["annotations"], all_spans());
    assert_eq!(written["annotations_by_label"]["CASUALTY"], 3);
    assert_eq!(written["content_sha256"][2]["id"], 3);
    assert_eq!(
        written["content_sha256"][2]["content_sha256"],
        content_sha256("Wheat prices rose.")
    );
    assert_eq!(written["filters"]["label"][0], "CASUALTY");
    assert!(out.ends_with(b"}\n"));

    let empty = SharedBuffer::default();
    Manifest::begin(Box::new(empty.clone()), ExportFormat::Jsonl, 1, &json!({}))
        .finish()
        .unwrap();
    let written: Value = serde_json::from_str(&empty.text()).unwrap();
    assert_eq!(written["content_sha256"], json!([]));
    assert_eq!(written["articles"], 0);
}

#[test]
fn brat_keeps_literal_links_as_attributes() {
    let article = article(7, "t", "Five killed near Quetta on Monday.", "text");
    let mut spans = Spans::new(&article, 1);
    spans.add(
        "Five killed",
        "CASUALTY",
        json!({"date": "2024-01-15", "place": "Quetta", "actor": [99, "BLA"]}),
        ACCEPTED,
    );
    let annotations = spans.done();
    let mut conf = brat_conf::BratConf::new(&schema());
    let ann = brat::standoff(&article, &annotations, &mut conf);
    parse_ann(&ann, &article.text);
    assert!(ann.contains("\tdate T1 2024-01-15\n"), "{ann}");
    assert!(ann.contains("\tplace T1 Quetta\n"), "{ann}");
    assert!(!ann.contains("actor T1") && !ann.contains("\nR"), "{ann}");
}
