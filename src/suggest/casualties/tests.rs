//! Tests of casualty figures, through `find_casualties` and `article_totals`.

use super::*;

fn span(text: &str, mention: &CasualtyMention) -> String {
    text.chars()
        .skip(mention.start)
        .take(mention.end - mention.start)
        .collect()
}

#[test]
fn seed_example_has_two_claims_and_a_sub_count() {
    let text = "Iran said Thursday's strikes killed nine people in a border village on its \
                territory, including four children. Pakistan said an Iranian attack on \
                Tuesday killed two children.";
    let found = find_casualties(text);
    assert_eq!(found.len(), 3, "{found:#?}");
    assert_eq!(span(text, &found[0]), "nine people");
    assert_eq!(found[0].count, Some(9));
    assert_eq!(found[0].outcome, "killed");
    assert_eq!(found[0].victims.as_deref(), Some("people"));
    assert_eq!(found[0].claimed_by.as_deref(), Some("Iran"));
    assert_eq!(found[0].part_of, None);
    assert_eq!(span(text, &found[1]), "four children");
    assert_eq!(found[1].count, Some(4));
    assert_eq!(found[1].outcome, "killed");
    assert_eq!(found[1].part_of, Some(0));
    assert_eq!(span(text, &found[2]), "two children");
    assert_eq!(found[2].count, Some(2));
    assert_eq!(found[2].claimed_by.as_deref(), Some("Pakistan"));
    assert_eq!(article_totals(&found), (9, 0));
}

#[test]
fn offsets_are_code_points_after_emoji_and_arabic() {
    let text = "🔥 عاجل: At least 12 civilians were killed, the health ministry said.";
    let found = find_casualties(text);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(span(text, &found[0]), "At least 12 civilians");
    assert_eq!(found[0].qualifier, "at least");
    assert_eq!(found[0].low, Some(12));
    assert_eq!(found[0].high, None);
    assert_eq!(found[0].claimed_by.as_deref(), Some("the health ministry"));
}

#[test]
fn number_words_and_vague_quantities() {
    let cases = [
        (
            "Twenty-one soldiers were killed.",
            Some(21),
            "exact",
            "soldiers",
        ),
        (
            "A dozen protesters were injured.",
            Some(12),
            "exact",
            "protesters",
        ),
        (
            "Dozens of people were wounded.",
            Some(12),
            "vague",
            "people",
        ),
        (
            "Hundreds of civilians were displaced.",
            Some(100),
            "vague",
            "civilians",
        ),
        (
            "Two hundred people were killed.",
            Some(200),
            "exact",
            "people",
        ),
        ("Several students were hurt.", None, "vague", "students"),
    ];
    for (text, count, qualifier, victims) in cases {
        let found = find_casualties(text);
        assert_eq!(found.len(), 1, "{text}: {found:#?}");
        assert_eq!(found[0].count, count, "{text}");
        assert_eq!(found[0].qualifier, qualifier, "{text}");
        assert_eq!(found[0].victims.as_deref(), Some(victims), "{text}");
    }
}

#[test]
fn ranges_take_the_low_figure() {
    for text in [
        "Between 10 and 15 people were killed.",
        "10 to 15 people were killed.",
        "10-15 people were killed.",
    ] {
        let found = find_casualties(text);
        assert_eq!(found.len(), 1, "{text}: {found:#?}");
        assert_eq!(found[0].qualifier, "range", "{text}");
        assert_eq!(
            (found[0].count, found[0].low, found[0].high),
            (Some(10), Some(10), Some(15))
        );
    }
}

#[test]
fn qualifiers() {
    let found = find_casualties("More than 100 people died and up to 15 were missing.");
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!((found[0].qualifier, found[0].low), ("more than", Some(100)));
    assert_eq!((found[1].qualifier, found[1].high), ("up to", Some(15)));
    assert_eq!(found[1].outcome, "missing");
    let found = find_casualties("About 30 militants were killed, officials say.");
    assert_eq!((found[0].qualifier, found[0].count), ("about", Some(30)));
    assert_eq!(found[0].claimed_by.as_deref(), Some("officials"));
}

#[test]
fn active_and_passive_forms() {
    let cases = [
        ("The blast killed nine people.", "nine people", "killed", 9),
        ("The death toll rose to 30 on Monday.", "30", "killed", 30),
        ("The attack left 30 dead.", "30 dead", "killed", 30),
        (
            "Gunmen opened fire, killing at least seven.",
            "at least seven",
            "killed",
            7,
        ),
        (
            "A man was shot and killed on Main Street.",
            "A man",
            "killed",
            1,
        ),
        (
            "Three officers were wounded, police said.",
            "Three officers",
            "injured",
            3,
        ),
        ("A man killed his wife and fled.", "his wife", "killed", 1),
    ];
    for (text, expected, outcome, count) in cases {
        let found = find_casualties(text);
        assert_eq!(found.len(), 1, "{text}: {found:#?}");
        assert_eq!(span(text, &found[0]), expected, "{text}");
        assert_eq!(found[0].outcome, outcome, "{text}");
        assert_eq!(found[0].count, Some(count), "{text}");
    }
}

#[test]
fn outcome_words_are_normalised() {
    let cases = [
        (
            "The blast left three dead and 12 hospitalised.",
            vec![("killed", 3), ("injured", 12)],
        ),
        (
            "Five pilgrims lost their lives in the stampede.",
            vec![("killed", 5)],
        ),
        (
            "Two journalists were abducted near the border.",
            vec![("kidnapped", 2)],
        ),
        (
            "Four students remain in critical condition.",
            vec![("injured", 4)],
        ),
        ("10 SDF killed by clashes against IS.", vec![("killed", 10)]),
        (
            "A teenager was shot dead outside the school.",
            vec![("killed", 1)],
        ),
    ];
    for (text, expected) in cases {
        let mentions = find_casualties(text);
        let found: Vec<(&str, u64)> = mentions
            .iter()
            .map(|m| (m.outcome.as_str(), m.count.unwrap_or(0)))
            .collect();
        assert_eq!(found, expected, "{text}");
    }
}

#[test]
fn coordinated_groups_make_one_figure() {
    let text = "A man and a teenage boy are dead after the shooting.";
    let found = find_casualties(text);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(span(text, &found[0]), "A man and a teenage boy");
    assert_eq!(found[0].count, Some(2));
    let text = "More than 3,200 civilians and fighters were killed in four months.";
    let found = find_casualties(text);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        (found[0].count, found[0].qualifier),
        (Some(3200), "more than")
    );
    assert_eq!(found[0].victims.as_deref(), Some("people"));
}

#[test]
fn shot_one_fatally_is_one_killed_one_injured() {
    let text = "Two people were shot, one fatally, police said.";
    let found = find_casualties(text);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(found[0].outcome, "shot");
    assert_eq!(found[1].outcome, "killed");
    assert_eq!(found[1].part_of, Some(0));
    assert_eq!(article_totals(&found), (1, 1));
}

#[test]
fn named_victim_counts_one() {
    let text = "Ethan M. Straub, 25, of Wamego, was killed during the incident.";
    let found = find_casualties(text);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(span(text, &found[0]), "Ethan M. Straub");
    assert_eq!(article_totals(&found), (1, 0));
}

#[test]
fn non_casualty_numbers_are_not_taken() {
    for text in [
        "2,000 troops were deployed to the border.",
        "He was carrying a 9mm gun.",
        "The suspect, aged 25, was arrested in 2019.",
        "The robbers took $500 at 3 p.m. on Friday.",
    ] {
        let found = find_casualties(text);
        assert!(
            found
                .iter()
                .all(|m| m.outcome != "killed" && m.count != Some(2000)),
            "{text}: {found:#?}"
        );
    }
    assert!(find_casualties("2,000 troops were deployed.").is_empty());
    assert!(find_casualties("He was carrying a 9mm gun.").is_empty());
    assert!(find_casualties("The robbers took $500 at 3 p.m. on Friday.").is_empty());
}

#[test]
fn odd_inputs_do_not_panic() {
    let huge = "18,446,744,073,709,551,615 thousand people were killed and \
                18,446,744,073,709,551,615 dozen people and 5 men died.";
    for text in [
        huge,
        "$",
        "a",
        "the",
        "killed",
        "at least",
        "between 3 and",
        "10-",
        ", was shot",
        "He was",
        "one of",
        "\u{200d}\u{1F468}\u{200d}\u{1F469} 3 dead",
    ] {
        for mention in find_casualties(text) {
            assert!(mention.start < mention.end, "{text}: {mention:#?}");
            assert!(mention.end <= text.chars().count(), "{text}: {mention:#?}");
        }
    }
    let found = find_casualties("3 dead, 4 injured; 2 missing.");
    let outcomes: Vec<&str> = found.iter().map(|m| m.outcome.as_str()).collect();
    assert_eq!(outcomes, ["killed", "injured", "missing"]);
}

#[test]
fn shot_himself_and_gunshot_wounds_count_one_injured() {
    let found = find_casualties("A man accidentally shot himself in the arm on Sunday.");
    assert_eq!(article_totals(&found), (0, 1), "{found:#?}");
    let found =
        find_casualties("Deputies found Michelle Stebic with a self-inflicted gunshot wound.");
    assert_eq!(article_totals(&found), (0, 1), "{found:#?}");
    let found = find_casualties("No one was hurt in the robbery, police said.");
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn totals_take_the_most_stated_figure() {
    let text = "A man was shot and killed on Friday. The victim was pronounced dead at the \
                scene. Last year 300 people were killed in the city.";
    let found = find_casualties(text);
    assert_eq!(found.len(), 3, "{found:#?}");
    assert_eq!(article_totals(&found), (1, 0));
}

#[test]
fn spans_are_never_empty_and_inside_the_text() {
    let text = "🙂 Two dead, 5 injured; a woman was hurt. Dozens";
    let length = text.chars().count();
    for mention in find_casualties(text) {
        assert!(
            mention.start < mention.end && mention.end <= length,
            "{mention:#?}"
        );
    }
    assert!(find_casualties("").is_empty());
}

#[test]
fn a_headline_claim_is_not_the_claim_of_the_paragraph_below() {
    let text = "Convoy hit, army says\n\nA drone killed five soldiers, the army said.";
    let mentions = find_casualties(text);
    assert_eq!(mentions.len(), 1, "{mentions:?}");
    assert_eq!(mentions[0].claimed_by.as_deref(), Some("the army"));
}

/// The killed total of one sentence or article.
fn killed(text: &str) -> u64 {
    article_totals(&find_casualties(text)).0
}

#[test]
fn a_victim_shot_who_dies_later_in_the_sentence_is_killed() {
    assert_eq!(
        killed("A woman who was shot in the chest on Friday night passed away Sunday morning."),
        1
    );
    assert_eq!(
        killed("A teenager was shot near the school and taken to hospital, where he died."),
        1
    );
    // Another victim, or a number, ends the search: the first one was only shot.
    assert_eq!(
        killed("A man was shot in the leg while another man died at the scene."),
        1,
        "one death, the second man's"
    );
    let found = find_casualties("Two men were shot and one died at the hospital.");
    assert_eq!(article_totals(&found), (1, 1), "{found:#?}");
}

#[test]
fn deaths_said_without_a_death_verb_are_found() {
    assert_eq!(
        killed("An elderly man was found deceased in his car, police said."),
        1
    );
    assert_eq!(
        killed("The driver was pronounced deceased at the scene."),
        1
    );
    assert_eq!(
        killed("Deputies said a Marlow man took his own life after the standoff."),
        1
    );
    assert_eq!(
        killed("A suspected robber was killed during the standoff on Tuesday."),
        1
    );
    assert_eq!(killed("Officers found the body of a 30-year-old man."), 1);
    assert_eq!(
        killed("Police named the man whose body was found near the river on Monday."),
        1
    );
    assert_eq!(
        killed("Detectives are at the scene of a homicide on Elm Street."),
        1
    );
    assert_eq!(killed("He is charged in a quadruple homicide."), 4);
    assert_eq!(
        killed("A man and woman were found dead in the apartment."),
        2
    );
}

#[test]
fn words_near_death_that_are_no_deaths_stay_out() {
    assert_eq!(killed("A homicide detective said the case was closed."), 0);
    assert_eq!(killed("The second body was found on the riverbank."), 0);
    assert_eq!(
        killed("A man who was shot in the arm survived, but the dog died."),
        0,
        "the man survived; 'but' ends the search"
    );
}

#[test]
fn threats_and_attempts_to_kill_are_no_deaths() {
    assert_eq!(
        killed("A man who had threatened to harm his family and kill himself surrendered."),
        0
    );
    assert_eq!(killed("He yelled that he would kill himself."), 0);
    assert_eq!(
        killed("Officers prevented the suspect from killing himself."),
        0
    );
    assert_eq!(killed("The gunman tried to kill two officers."), 0);
    // What happened still counts: a past form, and a headline's present.
    assert_eq!(killed("The gunman killed two officers on Friday."), 2);
    assert_eq!(killed("Gunmen kill five villagers in raid."), 5);
}

#[test]
fn a_gerund_after_to_is_what_happened() {
    let found = find_casualties("One of the suspects admitted to shooting a man on Feb. 7.");
    assert_eq!(article_totals(&found), (0, 1), "{found:#?}");
}
