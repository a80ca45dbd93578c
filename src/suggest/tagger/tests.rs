//! Unit tests of the tagger: it learns a toy set, its bytes round-trip, and no input makes
//! it panic.

use super::*;

fn sentence(words: &str, tags: &str) -> TrainingSentence {
    let words: Vec<String> = words.split(' ').map(str::to_owned).collect();
    TrainingSentence {
        hints: vec![RuleHint::default(); words.len()],
        tags: tags.split(' ').map(str::to_owned).collect(),
        words,
    }
}

fn toy() -> Vec<TrainingSentence> {
    let mut out = Vec::new();
    for (club, city) in [
        ("Arsenal", "London"),
        ("Chelsea", "Paris"),
        ("Everton", "Madrid"),
        ("Fulham", "Rome"),
    ] {
        out.push(sentence(
            &format!("{club} beat the visitors in {city} ."),
            "B-ORG O O O O B-LOC O",
        ));
        out.push(sentence(
            &format!("Fans of {club} FC marched through {city} ."),
            "O O B-ORG I-ORG O O B-LOC O",
        ));
        out.push(sentence(
            &format!("John Smith flew to {city} ."),
            "B-PER I-PER O O B-LOC O",
        ));
    }
    out
}

fn train(sentences: &[TrainingSentence]) -> TaggerModel {
    TaggerModel::train(sentences, None, ModelInfo::default(), &mut |_, _| true)
        .unwrap()
        .unwrap()
}

fn tags(model: &TaggerModel, text: &str) -> Vec<String> {
    let words: Vec<TagWord<'_>> = text
        .split(' ')
        .map(|text| TagWord {
            text,
            hint: RuleHint::default(),
        })
        .collect();
    model
        .tag_words(&words)
        .into_iter()
        .map(|(t, _)| t)
        .collect()
}

#[test]
fn it_learns_a_toy_set() {
    let model = train(&toy());
    assert_eq!(model.labels(), ["LOC", "ORG", "PER"]);
    assert_eq!(
        tags(&model, "Everton beat the visitors in Rome ."),
        ["B-ORG", "O", "O", "O", "O", "B-LOC", "O"]
    );
    assert_eq!(
        tags(&model, "Fans of Fulham FC marched through Madrid ."),
        ["O", "O", "B-ORG", "I-ORG", "O", "O", "B-LOC", "O"]
    );
}

#[test]
fn training_is_deterministic_and_round_trips() {
    let a = train(&toy());
    let b = train(&toy());
    let bytes = a.to_bytes().unwrap();
    assert_eq!(bytes, b.to_bytes().unwrap(), "same sentences, same model");
    let read = TaggerModel::from_bytes(&bytes).unwrap();
    assert_eq!(read.labels(), a.labels());
    assert_eq!(read.info(), a.info());
    assert_eq!(
        tags(&read, "Chelsea beat the visitors in London ."),
        tags(&a, "Chelsea beat the visitors in London .")
    );
    assert_eq!(
        read.to_bytes().unwrap(),
        bytes,
        "quantised weights are stable"
    );
}

#[test]
fn damaged_bytes_are_errors() {
    let bytes = train(&toy()).to_bytes().unwrap();
    assert!(matches!(
        TaggerModel::from_bytes(b"nope"),
        Err(TaggerError::NotAModel)
    ));
    assert!(matches!(
        TaggerModel::from_bytes(b""),
        Err(TaggerError::NotAModel)
    ));
    let mut other = bytes.clone();
    other[4] = 99;
    assert!(matches!(
        TaggerModel::from_bytes(&other),
        Err(TaggerError::Version { found: 99, .. })
    ));
    for cut in [7, bytes.len() / 2, bytes.len() - 1] {
        assert!(
            TaggerModel::from_bytes(&bytes[..cut]).is_err(),
            "cut at {cut}"
        );
    }
}

#[test]
fn a_bad_tag_or_nothing_is_an_error() {
    let bad = sentence("Iran said", "X-LOC O");
    let error = TaggerModel::train(&[bad], None, ModelInfo::default(), &mut |_, _| true);
    assert!(matches!(
        error,
        Err(TaggerError::BadTag {
            sentence: 1,
            word: 1,
            ..
        })
    ));
    let error = TaggerModel::train(&[], None, ModelInfo::default(), &mut |_, _| true);
    assert!(matches!(error, Err(TaggerError::Empty)));
}

#[test]
fn odd_texts_never_panic_and_spans_are_in_code_points() {
    let model = train(&toy());
    let huge = "Arsenal beat Chelsea in London ".repeat(5_000);
    for text in [
        "",
        " \n\t ",
        "😂🔥🙏 Arsenal 😂 beat Chelsea in London",
        "قال مسؤولون في طهران إن الهجوم",
        "‏Arsenal‏ שלום London",
        huge.as_str(),
    ] {
        let tokenized = Tokenized::new(text);
        let spans = model.tag_text(&tokenized, &[]);
        let chars = text.chars().count();
        for span in &spans {
            assert!(span.start < span.end && span.end <= chars);
            assert!((0.0..=1.0).contains(&span.confidence), "{span:?}");
        }
        if text.starts_with('😂') {
            let found: Vec<String> = spans
                .iter()
                .map(|s| text.chars().skip(s.start).take(s.end - s.start).collect())
                .collect();
            assert!(found.contains(&"London".to_owned()), "{found:?}");
        }
    }
}

#[test]
fn iob1_becomes_iob2() {
    let mut tags: Vec<String> = ["I-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-ORG"]
        .map(str::to_owned)
        .to_vec();
    to_iob2(&mut tags);
    assert_eq!(tags, ["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "B-ORG"]);
}

#[test]
fn rule_hints_mark_the_first_word_of_each_span() {
    let tokenized = Tokenized::new("Iran and North Korea met");
    let hints = hints_for(
        &tokenized.words,
        &[(0, 4, "LOC", true), (9, 20, "LOC", true)],
    );
    let begins: Vec<(bool, bool)> = hints.iter().map(|h| (h.label.is_some(), h.begin)).collect();
    assert_eq!(
        begins,
        [
            (true, true),
            (false, false),
            (true, true),
            (true, false),
            (false, false)
        ]
    );
}

#[test]
fn the_bundled_base_model_reads() {
    let model = base_model().expect("assets/tagger/base.antg reads");
    assert_eq!(model.labels(), ["LOC", "ORG", "PER"]);
    let text = "Arsenal manager Mikel Arteta said the team would travel to Madrid on Monday.";
    let spans = model.tag_text(&Tokenized::new(text), &[]);
    assert!(!spans.is_empty(), "{spans:?}");
}
