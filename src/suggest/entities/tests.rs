//! Tests of entity finding, through `find_entities`.

use super::*;

/// The seed article, read from the shared folder beside the project (never copied in).
fn seed() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/seed/pakistan-iran-strikes.txt"
    );
    std::fs::read_to_string(path).expect("the seed article beside the project")
}

fn span(text: &str, m: &EntityMention) -> String {
    text.chars().skip(m.start).take(m.end - m.start).collect()
}

fn labelled(text: &str) -> Vec<(String, &'static str)> {
    find_entities(text)
        .iter()
        .map(|m| (span(text, m), m.label))
        .collect()
}

fn has(found: &[(String, &'static str)], surface: &str, label: &str) -> bool {
    found.iter().any(|(s, l)| s == surface && *l == label)
}

#[test]
#[cfg_attr(
    not(feature = "corpora"),
    ignore = "needs ../shared/seed: cargo test --features corpora"
)]
fn seed_article_expected_entities() {
    let seed = seed();
    let found = labelled(&seed);
    for place in [
        "Pakistan",
        "Iran",
        "Saravan",
        "Balochistan",
        "Gaza",
        "Yemen",
    ] {
        assert!(has(&found, place, "LOC"), "{place} not LOC in {found:?}");
    }
    for person in ["Anwaar-ul-Haq Kakar", "Jilani"] {
        assert!(has(&found, person, "PER"), "{person} not PER in {found:?}");
    }
    for org in [
        "Balochistan Liberation Army",
        "Balochistan Liberation Front",
        "Hamas",
        "Hezbollah",
        "Houthis",
    ] {
        assert!(has(&found, org, "ORG"), "{org} not ORG in {found:?}");
    }
    // Nothing else than the expected names and the other countries of the article.
    let allowed = [
        "Pakistan",
        "Iran",
        "Saravan",
        "Balochistan",
        "Gaza",
        "Yemen",
        "Israel",
        "Lebanon",
        "Iraq",
        "Syria",
        "US",
        "UK",
        "Anwaar-ul-Haq Kakar",
        "Jilani",
        "Balochistan Liberation Army",
        "Balochistan Liberation Front",
        "Hamas",
        "Hezbollah",
        "Houthis",
        "Middle East",
    ];
    let unexpected: Vec<_> = found
        .iter()
        .filter(|(s, _)| !allowed.contains(&s.as_str()))
        .collect();
    assert!(unexpected.is_empty(), "unexpected: {unexpected:?}");
}

#[test]
#[cfg_attr(
    not(feature = "corpora"),
    ignore = "needs ../shared/seed: cargo test --features corpora"
)]
fn seed_places_carry_canonical_name_and_country_code() {
    let seed = seed();
    let mentions = find_entities(&seed);
    let saravan = mentions
        .iter()
        .find(|m| span(&seed, m) == "Saravan")
        .expect("Saravan found");
    assert_eq!(saravan.country_code.as_deref(), Some("IR"));
    let balochistan = mentions
        .iter()
        .find(|m| span(&seed, m) == "Balochistan")
        .expect("Balochistan found");
    assert_eq!(balochistan.country_code.as_deref(), Some("PK"));
    let gaza = mentions
        .iter()
        .find(|m| span(&seed, m) == "Gaza")
        .expect("Gaza found");
    assert_eq!(gaza.country_code.as_deref(), Some("PS"));
    let possessive = mentions
        .iter()
        .find(|m| seed.chars().skip(m.start).take(10).collect::<String>() == "Pakistan's")
        .expect("Pakistan's found");
    assert_eq!(possessive.end - possessive.start, "Pakistan".len());
    assert_eq!(possessive.canonical.as_deref(), Some("Pakistan"));
}

#[test]
fn offsets_are_code_points_after_emoji_and_arabic() {
    let text = "🇵🇰🔥 قال مسؤولون إن Foreign Minister Jilani visited Quetta.";
    let mentions = find_entities(text);
    let spans: Vec<_> = mentions.iter().map(|m| (span(text, m), m.label)).collect();
    assert!(spans.contains(&("Jilani".to_owned(), "PER")), "{spans:?}");
    assert!(spans.contains(&("Quetta".to_owned(), "LOC")), "{spans:?}");
    let jilani = mentions
        .iter()
        .find(|m| m.label == "PER")
        .expect("a person");
    let byte_start = text.find("Jilani").expect("in text");
    assert_eq!(jilani.start, text[..byte_start].chars().count());
}

#[test]
fn common_words_opening_a_sentence_are_not_names() {
    let found = labelled("The talks failed. Meanwhile, Both sides met. However Iran said no.");
    assert_eq!(found, vec![("Iran".to_owned(), "LOC")]);
}

#[test]
fn common_word_places_need_a_real_place_reading() {
    let found = labelled(
        "Police said the March vote in Reading was a Split decision. Nice work, said Bath.",
    );
    assert!(found.iter().all(|(_, l)| *l != "LOC"), "{found:?}");
    let found = labelled("He said the police in nice weather are reading of a split.");
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn demonyms_are_not_places() {
    let found = labelled("An Iranian attack and Pakistani officials were blamed.");
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn titles_are_left_out_of_person_spans() {
    let found = labelled(
        "President Joe Biden met Gen. Asim Munir and Dr Tedros in Kabul, where Mr Smith spoke.",
    );
    let found_portfolio = labelled("MPs pressed Constitutional Affairs Minister David Lammy.");
    assert_eq!(found_portfolio, vec![("David Lammy".to_owned(), "PER")]);
    for person in ["Joe Biden", "Asim Munir", "Tedros", "Smith"] {
        assert!(has(&found, person, "PER"), "{person} in {found:?}");
    }
    assert!(has(&found, "Kabul", "LOC"), "{found:?}");
}

#[test]
fn particles_join_arabic_names() {
    let found = labelled("The group is led by Abu Mohammed al-Julani, officials said.");
    assert!(has(&found, "Abu Mohammed al-Julani", "PER"), "{found:?}");
}

#[test]
fn organisations_by_head_word_and_list() {
    let found = labelled(
        "The Ministry of Defence and the Sudanese Armed Forces blamed al-Shabab and the \
         Islamic State group, while the Free Syrian Army denied it.",
    );
    for org in [
        "Ministry of Defence",
        "Sudanese Armed Forces",
        "al-Shabab",
        "Islamic State group",
        "Free Syrian Army",
    ] {
        assert!(has(&found, org, "ORG"), "{org} in {found:?}");
    }
}

#[test]
fn regions_resolve_to_their_country() {
    let mentions = find_entities(
        "Fighting spread from Idlib to Donetsk, while Khyber Pakhtunkhwa and Darfur saw raids \
         and the West Bank protested.",
    );
    let codes: Vec<_> = mentions
        .iter()
        .map(|m| {
            (
                m.canonical.clone().unwrap_or_default(),
                m.country_code.clone(),
            )
        })
        .collect();
    for (name, code) in [
        ("Idlib", "SY"),
        ("Donetsk", "UA"),
        ("Khyber Pakhtunkhwa", "PK"),
        ("Darfur", "SD"),
        ("West Bank", "PS"),
    ] {
        assert!(
            codes.contains(&(name.to_owned(), Some(code.to_owned()))),
            "{name} in {codes:?}"
        );
    }
}

#[test]
fn syrian_war_names_by_shape() {
    let found = labelled(
        "Airstrikes hit the Yarmouk Basin west of Daraa, where Jaysh Khalid Ibn al-Walid \
         fights, and clashes went on in Deir Ezzor and Al-Raqqa countryside.",
    );
    assert!(has(&found, "Yarmouk Basin", "LOC"), "{found:?}");
    assert!(has(&found, "Daraa", "LOC"), "{found:?}");
    assert!(has(&found, "Jaysh Khalid Ibn al-Walid", "ORG"), "{found:?}");
    assert!(has(&found, "Deir Ezzor", "LOC"), "{found:?}");
    assert!(has(&found, "Al-Raqqa", "LOC"), "{found:?}");
    assert!(found.iter().all(|(_, l)| *l != "PER"), "{found:?}");
}

#[test]
fn ambiguous_place_follows_the_country_of_the_text() {
    let mentions = find_entities("Floods hit Punjab in India on Monday.");
    let punjab = mentions.first().expect("Punjab found");
    assert_eq!(punjab.country_code.as_deref(), Some("IN"));
    let mentions = find_entities("Floods hit Punjab on Monday.");
    let punjab = mentions.first().expect("Punjab found");
    assert_eq!(punjab.country_code.as_deref(), Some("PK"));
}

#[test]
fn hyphenated_country_pairs_are_two_places() {
    let text = "Pakistan-Iran ties and Iran-backed groups; Anwaar-ul-Haq spoke.";
    let found = labelled(text);
    assert_eq!(
        found
            .iter()
            .filter(|(_, l)| *l == "LOC")
            .cloned()
            .collect::<Vec<_>>(),
        vec![
            ("Pakistan".to_owned(), "LOC"),
            ("Iran".to_owned(), "LOC"),
            ("Iran".to_owned(), "LOC"),
        ]
    );
    let iran = find_entities(text);
    assert_eq!(iran.get(1).map(|m| (m.start, m.end)), Some((9, 13)));
}

#[test]
fn surname_repeats_become_people() {
    let found = labelled("Tony Blair met voters in Leeds. Later, Blair said he was proud.");
    let blairs = found
        .iter()
        .filter(|(s, l)| s.contains("Blair") && *l == "PER");
    assert_eq!(blairs.count(), 2, "{found:?}");
}

#[test]
fn no_panic_on_odd_input() {
    for text in [
        "",
        "'s",
        "-",
        "U.",
        "A-",
        "Mr.",
        "Ministry of",
        "’s Iran's's",
        "\u{0}X",
    ] {
        let _ = find_entities(text);
    }
}

#[test]
fn forums_and_observatories_are_organisations() {
    let found = labelled(
        "He cut short a visit to the World Economic Forum in Davos, the Syrian Observatory for Human Rights said.",
    );
    assert!(
        found.contains(&("World Economic Forum".to_owned(), "ORG")),
        "{found:?}"
    );
    assert!(
        found.iter().all(|(_, label)| *label != "PER"),
        "no person here: {found:?}"
    );
}

#[test]
fn places_carry_coordinates_region_and_precision() {
    let text = "Strikes hit Saravan in Iran and Idlib province; Pakistan protested.";
    let mentions = find_entities(text);
    let place = |surface: &str| {
        mentions
            .iter()
            .find(|m| span(text, m) == surface)
            .and_then(|m| m.place.clone())
            .unwrap_or_else(|| panic!("{surface} found with a place: {mentions:?}"))
    };
    let saravan = place("Saravan");
    // GeoNames: Sarāvān, 27.37 N 62.33 E, in Sistan and Baluchestan.
    assert!((saravan.lat - 27.37).abs() < 0.01 && (saravan.lon - 62.33).abs() < 0.01);
    assert_eq!(saravan.adm1.as_deref(), Some("Sistan and Baluchestan"));
    assert_eq!(saravan.where_prec, 1);
    let idlib = place("Idlib");
    assert!((idlib.lat - 35.9).abs() < 0.5 && (idlib.lon - 36.6).abs() < 0.5);
    assert!(matches!(idlib.where_prec, 1 | 4), "{idlib:?}");
    assert_eq!(idlib.adm1.as_deref(), Some("Idlib"));
    let pakistan = place("Pakistan");
    assert_eq!(pakistan.where_prec, 6);
    assert_eq!(pakistan.adm1, None);
    // The centroid lies inside the country (Pakistan spans 24-37 N, 61-77 E).
    assert!((24.0..37.0).contains(&pakistan.lat) && (61.0..77.0).contains(&pakistan.lon));
    let orgs = find_entities("The Balochistan Liberation Army said so.");
    assert!(
        orgs.iter().all(|m| m.label != "ORG" || m.place.is_none()),
        "{orgs:?}"
    );
}

#[test]
fn towns_that_are_teams_are_organisations_and_other_towns_stay_places() {
    let text = "Liverpool drew with Everton (Bolton v Leeds), and Peshawar manager Ali Khan praised the fans.\n\
                Leeds 2 Bolton 1\n\
                Derby 0 Ipswich 3\n\
                Police in Karachi beat protesters, and Kabul lost power as fighters from \
                Kandahar drew closer. Pakistan beat India in Lahore, England beat Wales. The \
                talks in Quetta v the war. Mr Yushchenko defeated Moscow-backed rivals.";
    let found = labelled(text);
    for team in [
        "Liverpool",
        "Peshawar",
        "Leeds",
        "Bolton",
        "Derby",
        "Ipswich",
    ] {
        assert!(has(&found, team, "ORG"), "{team} as a team: {found:?}");
    }
    for place in ["Karachi", "Kabul", "Kandahar", "Lahore", "Moscow"] {
        assert!(has(&found, place, "LOC"), "{place} as a place: {found:?}");
    }
    // A country's team stays a place, as CoNLL-2003 and ACE annotate it.
    assert!(has(&found, "Pakistan", "LOC"), "{found:?}");
    assert!(has(&found, "India", "LOC"), "{found:?}");
    assert!(has(&found, "England", "LOC"), "{found:?}");
    assert!(has(&found, "Wales", "LOC"), "{found:?}");
    // An ORG from a town carries none of the place's values.
    let leeds = find_entities(text)
        .into_iter()
        .find(|m| span(text, m) == "Leeds")
        .unwrap();
    assert!(
        leeds.place.is_none() && leeds.country_code.is_none(),
        "{leeds:?}"
    );
}

#[test]
fn names_cued_as_organisations_are_organisations() {
    let text = "Shares in Vodafone and BT fell after the chief executive of Ofcom spoke. \
                Siemens shares rose, a Nokia spokesman said, and a spokesman for Glaxo agreed. \
                An M&S spokesman, a Wal-Mart spokesman and the Top of the Pops spokesman \
                declined. Company spokesman Glenn Waller left. Shares in Anglo-Swedish firms \
                fell. A Department for Culture and Sport spokeswoman spoke. Later Ofcom and \
                Nokia met.";
    let found = labelled(text);
    for org in ["Vodafone", "BT", "Ofcom", "Siemens", "Nokia", "Glaxo"] {
        assert!(has(&found, org, "ORG"), "{org}: {found:?}");
    }
    // Their other mentions, without a cue, are the same organisations.
    let count = |name: &str| {
        found
            .iter()
            .filter(|(s, l)| s == name && *l == "ORG")
            .count()
    };
    assert_eq!((count("Ofcom"), count("Nokia")), (2, 2), "{found:?}");
    for part in ["S", "Mart", "Pops", "Company", "Anglo", "Sport"] {
        assert!(
            !found.iter().any(|(s, _)| s == part),
            "{part} alone: {found:?}"
        );
    }
}
