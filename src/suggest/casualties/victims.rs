//! Victims: the victim noun after a count ("nine *Afghan civilians*") and its normalised group.

use crate::suggest::text::{TokenKind, Word};

/// Victim nouns: (singular, plural). Both forms normalise to the plural.
pub(super) const VICTIMS: &[(&str, &str)] = &[
    ("person", "people"),
    ("person", "persons"),
    ("civilian", "civilians"),
    ("child", "children"),
    ("kid", "kids"),
    ("soldier", "soldiers"),
    ("troop", "troops"),
    ("officer", "officers"),
    ("policeman", "policemen"),
    ("militant", "militants"),
    ("fighter", "fighters"),
    ("insurgent", "insurgents"),
    ("rebel", "rebels"),
    ("woman", "women"),
    ("man", "men"),
    ("student", "students"),
    ("protester", "protesters"),
    ("protestor", "protestors"),
    ("demonstrator", "demonstrators"),
    ("victim", "victims"),
    ("boy", "boys"),
    ("girl", "girls"),
    ("teenager", "teenagers"),
    ("teen", "teens"),
    ("adult", "adults"),
    ("resident", "residents"),
    ("villager", "villagers"),
    ("worker", "workers"),
    ("passenger", "passengers"),
    ("member", "members"),
    ("pilgrim", "pilgrims"),
    ("worshipper", "worshippers"),
    ("bystander", "bystanders"),
    ("suspect", "suspects"),
    ("gunman", "gunmen"),
    ("shooter", "shooters"),
    ("attacker", "attackers"),
    ("deputy", "deputies"),
    ("trooper", "troopers"),
    ("agent", "agents"),
    ("guard", "guards"),
    ("infant", "infants"),
    ("baby", "babies"),
    ("toddler", "toddlers"),
    ("journalist", "journalists"),
    ("relative", "relatives"),
    ("sibling", "siblings"),
    ("inmate", "inmates"),
    ("prisoner", "prisoners"),
    ("migrant", "migrants"),
    ("refugee", "refugees"),
    ("patient", "patients"),
    ("employee", "employees"),
    ("hostage", "hostages"),
    ("driver", "drivers"),
    ("customer", "customers"),
    ("clerk", "clerks"),
    ("homeowner", "homeowners"),
    ("neighbor", "neighbors"),
    ("neighbour", "neighbours"),
    ("friend", "friends"),
    ("brother", "brothers"),
    ("sister", "sisters"),
    ("son", "sons"),
    ("daughter", "daughters"),
    ("mother", "mothers"),
    ("father", "fathers"),
    ("wife", "wives"),
    ("husband", "husbands"),
    ("girlfriend", "girlfriends"),
    ("ex-girlfriend", "ex-girlfriends"),
    ("ex-boyfriend", "ex-boyfriends"),
    ("ex-wife", "ex-wives"),
    ("ex-husband", "ex-husbands"),
    ("roommate", "roommates"),
    ("boyfriend", "boyfriends"),
    ("cousin", "cousins"),
    ("individual", "individuals"),
    ("male", "males"),
    ("female", "females"),
    ("juvenile", "juveniles"),
    ("youth", "youths"),
    ("other", "others"),
    ("citizen", "citizens"),
    ("martyr", "martyrs"),
    ("combatant", "combatants"),
    ("loyalist", "loyalists"),
    ("jihadist", "jihadists"),
    ("tourist", "tourists"),
    ("pupil", "pupils"),
    ("doctor", "doctors"),
    ("nurse", "nurses"),
    ("peacekeeper", "peacekeepers"),
    ("detainee", "detainees"),
    ("settler", "settlers"),
    ("farmer", "farmers"),
    ("fisherman", "fishermen"),
    ("miner", "miners"),
    ("serviceman", "servicemen"),
    ("marine", "marines"),
    ("sailor", "sailors"),
    ("airman", "airmen"),
    ("recruit", "recruits"),
    ("militiaman", "militiamen"),
    ("robber", "robbers"),
    ("hunter", "hunters"),
    ("motorist", "motorists"),
    ("pedestrian", "pedestrians"),
    ("teacher", "teachers"),
    ("shopkeeper", "shopkeepers"),
];

/// Nouns a singular article ("a", "the", "his") turns into one victim.
pub(super) const SINGULAR_ARTICLE_NOUNS: &[&str] = &[
    "person",
    "man",
    "woman",
    "boy",
    "girl",
    "teenager",
    "teen",
    "child",
    "victim",
    "driver",
    "suspect",
    "gunman",
    "shooter",
    "officer",
    "deputy",
    "trooper",
    "student",
    "resident",
    "bystander",
    "passenger",
    "toddler",
    "baby",
    "infant",
    "juvenile",
    "youth",
    "male",
    "female",
    "clerk",
    "employee",
    "customer",
    "homeowner",
    "worker",
    "individual",
    "girlfriend",
    "boyfriend",
    "ex-girlfriend",
    "ex-boyfriend",
    "ex-wife",
    "ex-husband",
    "roommate",
    "wife",
    "husband",
    "son",
    "daughter",
    "mother",
    "father",
    "brother",
    "sister",
    "neighbor",
    "friend",
    "cousin",
];

/// Words between a count and its victim noun: "nine *Afghan* civilians".
pub(super) const MODIFIERS: &[&str] = &[
    "other",
    "more",
    "young",
    "innocent",
    "unarmed",
    "armed",
    "local",
    "police",
    "security",
    "army",
    "government",
    "border",
    "family",
    "school",
    "high",
    "college",
    "off-duty",
    "on-duty",
    "elderly",
    "older",
    "younger",
    "unidentified",
    "unknown",
    "teenage",
    "male",
    "female",
    "black",
    "white",
    "pro-government",
    "foreign",
    "additional",
    "alleged",
    "suspected",
    "fellow",
    "separate",
    "different",
    "small",
    "little",
    "pregnant",
    "retired",
    "former",
];

/// Modifiers kept in the victim group ("police officers").
pub(super) const COMPOUND_MODIFIERS: &[&str] =
    &["police", "security", "army", "government", "family"];

/// The victim noun after a count: (normalised plural, index one past it, singular noun).
pub(super) fn victim_after(tokens: &[Word<'_>], at: usize) -> Option<(String, usize, bool)> {
    let mut compound: Option<&str> = None;
    for index in at..at + 4 {
        let token = tokens.get(index)?;
        if let Some((singular, plural)) = VICTIMS
            .iter()
            .find(|(singular, plural)| token.is(singular) || token.is(plural))
        {
            let mut group = String::new();
            if let Some(modifier) = compound {
                group.push_str(modifier);
                group.push(' ');
            }
            group.push_str(if *singular == "person" {
                "people"
            } else {
                plural
            });
            return Some((group, index + 1, token.is(singular)));
        }
        // "A 17-year-old was shot": the age is the noun.
        if token.lower.ends_with("-year-old") {
            let next_is_noun = tokens.get(index + 1).is_some_and(|next| {
                VICTIMS
                    .iter()
                    .any(|(singular, plural)| next.is(singular) || next.is(plural))
                    || MODIFIERS.contains(&next.lower.as_str())
            });
            if !next_is_noun {
                return Some(("people".to_owned(), index + 1, true));
            }
        }
        let modifier = MODIFIERS.contains(&token.lower.as_str())
            || token.lower.ends_with("-year-old")
            || token.lower.ends_with("-old")
            || (token.kind == TokenKind::Word && token.capitalized() && index > 0);
        if !modifier {
            return None;
        }
        let capitalized_run = token.capitalized()
            && index > at
            && tokens.get(index - 1).is_some_and(|t| t.capitalized());
        if capitalized_run {
            return None;
        }
        compound = COMPOUND_MODIFIERS
            .iter()
            .copied()
            .find(|modifier| token.is(modifier));
    }
    None
}
