//! Tests of the index as a whole: writing, searching, snippets, damage and deep queries.

use super::*;
use crate::model::ArticleId;

fn indexed(texts: &[&str]) -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().unwrap();
    let (mut index, _) = SearchIndex::open(&dir.path().join("index")).unwrap();
    for (i, text) in texts.iter().enumerate() {
        index
            .upsert_parts(&DocParts {
                article_id: ArticleId(i64::try_from(i).unwrap() + 1),
                title: "A headline",
                text,
                source: None,
                published: None,
                spans: &[],
            })
            .unwrap();
    }
    index.commit().unwrap();
    (dir, index)
}

fn upsert(index: &mut SearchIndex, id: i64, text: &str) {
    index
        .upsert_parts(&DocParts {
            article_id: ArticleId(id),
            title: "t",
            text,
            source: None,
            published: None,
            spans: &[],
        })
        .unwrap();
}

#[test]
fn query_errors_are_said_in_words_not_the_parsers() {
    let (_dir, index) = indexed(&["Iran said nine people were killed"]);
    for query in ["\"nine people", "nine) people", "nosuchfield:x"] {
        let Err(error) = index.search(query, 10, 0, SortOrder::Relevance) else {
            continue;
        };
        let message = error.to_string();
        assert!(
            !message.contains("Syntax Error") && !message.contains("(in '"),
            "{query}: {message}"
        );
        assert!(
            message.starts_with("cannot understand the query: "),
            "{message}"
        );
    }
    let error = index
        .search("nosuchfield:x", 10, 0, SortOrder::Relevance)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(error.contains("no field 'nosuchfield:'"), "{error}");
}

#[test]
fn upserts_replace_whatever_the_batches_and_writers() {
    let texts: Vec<String> = (0..400).map(|i| format!("article {i} text")).collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let (dir, mut index) = indexed(&refs);
    for round in 0..60 {
        // Several upserts of one article in one commit, some of others.
        for _ in 0..3 {
            upsert(&mut index, 249, "again");
        }
        upsert(&mut index, 1 + round % 400, "other");
        index.commit().unwrap();
        assert_eq!(index.doc_count(), 400, "round {round}");
        // A new writer (another process) every few rounds.
        if round % 20 == 19 {
            drop(index);
            index = SearchIndex::open(&dir.path().join("index")).unwrap().0;
        }
    }
}

#[test]
fn snippets_highlight_every_matching_word_of_the_best_fragment() {
    let text = "Pakistan said on Thursday that it had struck hideouts of separatist militants inside Iran, two days after an Iranian missile and drone attack on its own territory.\n\nIran said Thursday's strikes killed nine people in a border village near Saravan, including four children. Pakistan said the Iranian attack on Tuesday killed two children in Balochistan province.";
    let (_dir, index) = indexed(&[text, "nothing killed here"]);
    let page = index.search("killed", 10, 0, SortOrder::Relevance).unwrap();
    assert_eq!(page.total, 2);
    let snippet = index.snippet(&page, text, 200).unwrap();
    let marked = snippet.marked("<", ">");
    assert!(marked.contains("strikes <killed> nine"), "{marked}");
    assert!(
        marked.contains("attack on Tuesday <killed> two"),
        "context after the match: {marked}"
    );
    assert!(snippet.text.chars().count() <= 200);
    assert!(!snippet.text.starts_with(' ') && !snippet.text.ends_with(' '));
    let page = index
        .search("\"killed nine\"", 10, 0, SortOrder::Relevance)
        .unwrap();
    let snippet = index.snippet(&page, text, 200).unwrap();
    let (start, end) = snippet.highlights[0];
    assert_eq!(
        crate::model::slice_chars(&snippet.text, start, end),
        "killed nine",
        "a phrase is one highlight: {snippet:?}"
    );
}

#[test]
fn snippets_skip_words_that_only_contain_the_query_and_keep_other_scripts() {
    let text = "The reelection campaign 😀 began; the ELECTION itself is in May.";
    let urdu = "کراچی میں دھماکہ 😀 ہوا۔ کراچی پولیس نے کہا";
    let (_dir, index) = indexed(&[text, urdu]);
    let page = index
        .search("election", 10, 0, SortOrder::Relevance)
        .unwrap();
    let snippet = index.snippet(&page, text, 200).unwrap();
    assert_eq!(
        snippet.marked("<", ">"),
        "The reelection campaign 😀 began; the <ELECTION> itself is in May."
    );
    let page = index.search("کراچی", 10, 0, SortOrder::Relevance).unwrap();
    let snippet = index.snippet(&page, urdu, 200).unwrap();
    assert_eq!(snippet.highlights.len(), 2, "{snippet:?}");
    for &(start, end) in &snippet.highlights {
        assert_eq!(
            crate::model::slice_chars(&snippet.text, start, end),
            "کراچی"
        );
    }
}

#[test]
fn a_damaged_index_is_created_anew_by_the_writer_and_refused_with_advice_by_a_reader() {
    let (dir, index) = indexed(&["Iran said nine people were killed"]);
    drop(index);
    let path = dir.path().join("index");
    std::fs::write(path.join("meta.json"), "{garbage").unwrap();
    let (reader, state) = SearchIndex::open_reader(&path).unwrap();
    assert_eq!(state, OpenState::Damaged);
    let error = reader
        .search("killed", 10, 0, SortOrder::Relevance)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert_eq!(
        error,
        "the search index is damaged (its file meta.json is corrupt); searching needs it rebuilt from the database: run `annalist check --repair` (nothing stored is affected)"
    );
    let (mut writer, state) = SearchIndex::open(&path).unwrap();
    assert_eq!(state, OpenState::Damaged);
    assert_eq!(writer.damage_found(), Some("its file meta.json is corrupt"));
    assert!(writer.unusable().is_none());
    upsert(&mut writer, 1, "killed again");
    writer.commit().unwrap();
    assert_eq!(
        writer
            .search("killed", 10, 0, SortOrder::Relevance)
            .unwrap()
            .total,
        1
    );
    assert!(writer.validate().is_empty());
}

#[test]
fn deep_queries_are_refused_by_name_and_the_deepest_allowed_fits_a_small_stack() {
    let (_dir, index) = indexed(&["Iran said nine people were killed"]);
    let nested = |depth: usize| format!("{}killed{}", "(".repeat(depth), ")".repeat(depth));
    let error = index
        .search(&nested(10_000), 10, 0, SortOrder::Relevance)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert_eq!(
        error,
        "cannot understand the query: the query nests parentheses 10000 levels deep; at most 100 are allowed"
    );
    assert!(index.facets(&nested(101)).is_err());
    assert!(index.matching_ids(&format!("-{}", nested(5_000))).is_err());
    // The app's and the exports' threads have Rust's default stack (2 MiB) or less:
    // the deepest query allowed, and long flat ones, parse on half of it.
    let queries = [
        nested(MAX_QUERY_DEPTH),
        format!("{}killed", "NOT ".repeat(5_000)),
        vec!["killed"; 5_000].join(" OR "),
        format!("{}killed", "+".repeat(10_000)),
    ];
    std::thread::scope(|scope| {
        let searched = std::thread::Builder::new()
            .name("small-stack".to_owned())
            .stack_size(1024 * 1024)
            .spawn_scoped(scope, || {
                queries
                    .iter()
                    .map(|q| {
                        index
                            .search(q, 10, 0, SortOrder::Relevance)
                            .map(|p| p.total)
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(searched[0].as_ref().ok(), Some(&1));
        assert_eq!(searched[2].as_ref().ok(), Some(&1));
    });
}

#[test]
fn composed_decomposed_and_soft_hyphenated_spellings_find_each_other_and_highlight_the_stored_word()
{
    let nfd = "Protest near the Cafe\u{301} Central in Kyiv.";
    let nfc = "Talks at the Caf\u{e9} Europa ended.";
    let soft = "Shelling in Bala\u{AD}kliia resumed.";
    let (_dir, index) = indexed(&[nfd, nfc, soft]);
    for query in ["caf\u{e9}", "cafe\u{301}", "\"caf\u{e9} central\""] {
        let page = index.search(query, 10, 0, SortOrder::Relevance).unwrap();
        let want = if query.contains("central") { 1 } else { 2 };
        assert_eq!(page.total, want, "{query}");
    }
    let page = index.search("café", 10, 0, SortOrder::Relevance).unwrap();
    let snippet = index.snippet(&page, nfd, 200).unwrap();
    let &(start, end) = snippet.highlights.first().unwrap();
    assert_eq!(
        crate::model::slice_chars(&snippet.text, start, end),
        "Cafe\u{301}",
        "the highlight covers the stored code points: {snippet:?}"
    );
    for query in ["balakliia", "Bala\u{AD}kliia"] {
        let page = index.search(query, 10, 0, SortOrder::Relevance).unwrap();
        assert_eq!(page.total, 1, "{query}");
        let snippet = index.snippet(&page, soft, 200).unwrap();
        let &(start, end) = snippet.highlights.first().unwrap();
        assert_eq!(
            crate::model::slice_chars(&snippet.text, start, end),
            "Bala\u{AD}kliia"
        );
    }
    assert_eq!(index.phrase_ids("Bala\u{AD}kliia").unwrap().len(), 1);
    assert_eq!(index.phrase_ids("café").unwrap().len(), 2);
}

#[test]
fn snippets_find_matches_deep_in_long_texts_and_prefer_a_phrase_nearby() {
    let filler = "Officials met again in the capital to discuss the budget. ".repeat(2_000);
    let text = format!(
        "{filler}The minister spoke first. Then the prime minister said 😀 the talks would go on. {filler}"
    );
    let (_dir, index) = indexed(&[&text]);
    let page = index
        .search("\"prime minister\"", 10, 0, SortOrder::Relevance)
        .unwrap();
    let snippet = index.snippet(&page, &text, 200).unwrap();
    let marked = snippet.marked("<", ">");
    assert!(marked.contains("the <prime minister> said 😀"), "{marked}");
    assert!(snippet.text.chars().count() <= 200);
    // Highlights are code point offsets into the snippet text.
    for &(start, end) in &snippet.highlights {
        let word = crate::model::slice_chars(&snippet.text, start, end);
        assert!(word == "minister" || word == "prime minister", "{word}");
    }
}

fn coded(index: &mut SearchIndex, id: i64, text: &str, spans: &[SpanParts<'_>]) {
    index
        .upsert_parts(&DocParts {
            article_id: ArticleId(id),
            title: "t",
            text,
            source: None,
            published: None,
            spans,
        })
        .unwrap();
}

fn span<'a>(coder: &'a str, label: &'a str, text: &'a str) -> SpanParts<'a> {
    SpanParts {
        label,
        text,
        coder,
        status: crate::model::AnnotationStatus::Accepted,
    }
}

fn ids_in(index: &SearchIndex, query: &str, scope: Scope<'_>) -> Vec<i64> {
    index
        .matching_ids_in(query, scope)
        .unwrap()
        .into_iter()
        .map(|id| id.0)
        .collect()
}

#[test]
fn in_a_coders_layer_labels_entities_and_states_are_that_coders_alone() {
    let dir = tempfile::tempdir().unwrap();
    let (mut index, _) = SearchIndex::open(&dir.path().join("index")).unwrap();
    // 1: ana marked Aleppo a place, ben marked it a person. 2: only ben coded it, his span
    // a suggestion. 3: nobody. 4: "Ana" (another coder, by case) marked Beirut.
    coded(
        &mut index,
        1,
        "Shelling in Aleppo killed nine",
        &[span("ana", "LOC", "Aleppo"), span("ben", "PER", "Aleppo")],
    );
    let mut suggestion = span("ben", "LOC", "Homs");
    suggestion.status = crate::model::AnnotationStatus::Suggested;
    coded(&mut index, 2, "A strike on Homs", &[suggestion]);
    coded(&mut index, 3, "Nothing happened in Idlib", &[]);
    coded(
        &mut index,
        4,
        "Beirut port",
        &[span("Ana", "LOC", "Beirut")],
    );
    index.commit().unwrap();
    let ana = Scope::Layer("ana");
    let ben = Scope::Layer("ben");

    assert_eq!(ids_in(&index, "label:PER", Scope::AllLayers), [1]);
    assert_eq!(ids_in(&index, "label:PER", ana), Vec::<i64>::new());
    assert_eq!(
        ids_in(&index, r#""\"" label:PER"#, ana),
        Vec::<i64>::new(),
        "an escaped quote does not end the phrase early and let label: read every layer"
    );
    assert_eq!(ids_in(&index, "label:per", ben), [1]);
    assert_eq!(ids_in(&index, "label:LOC", ana), [1]);
    assert_eq!(ids_in(&index, "label:LOC", ben), [2]);
    assert_eq!(ids_in(&index, "label:LOC", Scope::Layer("Ana")), [4]);
    assert_eq!(ids_in(&index, "entity:homs", ana), Vec::<i64>::new());
    assert_eq!(ids_in(&index, "entity:Homs", ben), [2]);
    assert_eq!(
        ids_in(&index, "entity:\"aleppo\" -label:PER", ben),
        Vec::<i64>::new()
    );
    // Words of the text are found whoever coded what.
    assert_eq!(ids_in(&index, "homs", ana), [2]);
    assert_eq!(ids_in(&index, "state:done", ana), [1]);
    assert_eq!(ids_in(&index, "state:suggested", ben), [2]);
    assert_eq!(ids_in(&index, "state:unannotated", ana), [2, 3, 4]);
    assert_eq!(ids_in(&index, "state:unannotated", ben), [3, 4]);
    assert_eq!(ids_in(&index, "state:unannotated", Scope::AllLayers), [3]);
    assert_eq!(
        ids_in(&index, "state:unannotated AND idlib", ana),
        [3],
        "a rewritten state: clause combines with the rest of the query"
    );

    let labels = |scope| index.facets_in("", scope).unwrap().labels;
    assert_eq!(labels(ana), [("LOC".to_owned(), 1)]);
    assert_eq!(labels(ben), [("LOC".to_owned(), 1), ("PER".to_owned(), 1)]);
    assert_eq!(
        labels(Scope::AllLayers),
        [("LOC".to_owned(), 3), ("PER".to_owned(), 1)]
    );
}

#[test]
fn not_excludes_after_and_and_on_its_own() {
    let (_dir, index) = indexed(&[
        "A drone strike near Saravan",
        "A strike on villages",
        "Talks about a ceasefire",
    ]);
    let ids = |q: &str| {
        let mut ids = index.matching_ids(q).unwrap();
        ids.sort_unstable();
        ids.into_iter().map(|id| id.0).collect::<Vec<_>>()
    };
    assert_eq!(ids("strike AND NOT drone"), [2]);
    assert_eq!(ids("strike NOT drone"), [2]);
    assert_eq!(ids("strike -drone"), [2]);
    assert_eq!(ids("NOT drone"), [2, 3]);
    assert_eq!(ids("(NOT drone) AND NOT ceasefire"), [2]);
    assert_eq!(ids("strike AND NOT (drone OR ceasefire)"), [2]);
    assert_eq!(ids("strike AND NOT (drone OR villages)"), Vec::<i64>::new());
    assert_eq!(ids("\"NOT drone\""), Vec::<i64>::new());
}
