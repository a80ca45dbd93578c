//! Casualty figures: counts (digits, words, vague quantities, ranges, qualifiers), outcome,
//! victim group, claimant and sub-counts.
//!
//! The finder works on word tokens, one sentence at a time, with fixed word lists (no regex,
//! no allocation per character). A figure is kept only when an outcome is attached to it
//! ("nine people were killed", "killed nine people", "30 dead", "the death toll rose to 30"),
//! so "2,000 troops were deployed" is not a casualty figure.
//!
//! Conventions (ACLED's conservative rule where reports are imprecise):
//! - exact figures have `low == high == count`;
//! - "at least 12" and "more than 100" give `low` (12, 100) and `count` = `low`; "more than
//!   100" is *not* turned into 101: coders record the stated figure as the floor;
//! - "up to 15" and "as many as 15" give `high` = `count` = 15;
//! - "about 30" ("around", "nearly", "some", "an estimated") gives `count` = 30 only;
//! - ranges ("between 10 and 15", "10 to 15", "10-15", "two or three") give `low`, `high`
//!   and `count` = `low`;
//! - vague words: "tens" = 10, "dozens" = 12, "scores" = 20, "hundreds" = 100,
//!   "thousands" = 1000 (qualifier `vague`); "several", "many", "multiple" have no count.
//! - a singular noun with an article ("a man was shot and killed") counts 1; so does a named
//!   or pronoun subject of a singular outcome ("Straub was pronounced dead").

use super::text::{TokenKind, Tokenized, Word, is_calendar_name, number_of_word};

/// One casualty figure found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CasualtyMention {
    /// First code point of the span (the figure with its victims and outcome where they are
    /// next to it, e.g. "nine people" or "killed nine people").
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// Best count.
    pub count: Option<u64>,
    /// Low estimate (ranges, "at least").
    pub low: Option<u64>,
    /// High estimate (ranges, "up to").
    pub high: Option<u64>,
    /// `exact`, `at least`, `more than`, `up to`, `about`, `range`, `vague`.
    pub qualifier: &'static str,
    /// `killed`, `injured`, `missing`, `kidnapped`, `arrested`, ... (normalised).
    pub outcome: String,
    /// `people`, `civilians`, `children`, `soldiers`, `militants`, ... when said.
    pub victims: Option<String>,
    /// Who the sentence attributes the figure to ("Iran" in "Iran said ..."), when it does.
    pub claimed_by: Option<String>,
    /// Index (in the returned list) of the figure this one is a part of ("including four
    /// children" inside "nine people killed").
    pub part_of: Option<usize>,
}

/// Every casualty figure in `text`, in order.
pub fn find_casualties(text: &str) -> Vec<CasualtyMention> {
    find_casualties_in(&Tokenized::new(text))
}

/// Every casualty figure in a text already cut into words and sentences, in order.
pub fn find_casualties_in(tokenized: &Tokenized<'_>) -> Vec<CasualtyMention> {
    let mut mentions = Vec::new();
    for sentence in &tokenized.sentences {
        let Some(sentence) = tokenized.words.get(sentence.words.clone()) else {
            continue;
        };
        find_in_sentence(sentence, &mut mentions);
    }
    mentions
}

/// Per-article (killed, injured) totals from the mentions of one article.
///
/// An article repeats the figure of the event it reports ("a man was shot and killed ... the
/// victim was pronounced dead") and may quote other figures for context (a city's year
/// toll, another shooting). So a total is the most often stated figure (the first stated
/// one on a tie), never a sum. Sub-counts are only used when their parent has another
/// outcome ("two people were shot, one fatally": one killed).
///
/// Injured pools "injured" and "shot" (fate unstated) figures. When the article never says
/// "injured" or "wounded", its "shot" figure includes the dead, so the killed are taken off:
/// two shot and one killed leave one injured.
pub fn article_totals(mentions: &[CasualtyMention]) -> (u64, u64) {
    let killed = stated_figure(mentions, &["killed"]).unwrap_or(0);
    let injured = stated_figure(mentions, &["injured", "shot"]).unwrap_or(0);
    if stated_figure(mentions, &["injured"]).is_some() {
        (killed, injured)
    } else {
        (killed, injured.saturating_sub(killed))
    }
}

/// The most often stated top-level figure with one of `outcomes` (the first one on a tie).
fn stated_figure(mentions: &[CasualtyMention], outcomes: &[&str]) -> Option<u64> {
    let figures: Vec<u64> = mentions
        .iter()
        .filter(|mention| outcomes.contains(&mention.outcome.as_str()))
        .filter(|mention| {
            mention.part_of.is_none_or(|parent| {
                mentions
                    .get(parent)
                    .is_none_or(|parent| parent.outcome != mention.outcome)
            })
        })
        .filter_map(|mention| mention.count)
        .collect();
    let mut best: Option<(u64, usize)> = None;
    for (position, figure) in figures.iter().enumerate() {
        if figures
            .get(..position)
            .is_some_and(|seen| seen.contains(figure))
        {
            continue;
        }
        let times = figures.iter().filter(|other| *other == figure).count();
        if best.is_none_or(|(_, best_times)| times > best_times) {
            best = Some((*figure, times));
        }
    }
    best.map(|(figure, _)| figure)
}

// --- Counts

/// A count with its qualifier, before any victim noun.
#[derive(Debug, Clone, Copy)]
struct Count {
    count: Option<u64>,
    low: Option<u64>,
    high: Option<u64>,
    qualifier: &'static str,
    /// Token index one past the count (and its range).
    end: usize,
    /// Token index of the first token (qualifier included).
    start: usize,
    /// Whether the count is an article with a singular noun ("a man").
    singular_article: bool,
}

/// "twenty-one", "nine", "21".
fn simple_number(token: &Word<'_>) -> Option<u64> {
    if token.kind == TokenKind::Number {
        let digits: String = token.text.chars().filter(char::is_ascii_digit).collect();
        return digits.parse().ok();
    }
    if let Some(value) = number_of_word(&token.lower) {
        return Some(value);
    }
    let (tens, units) = token.lower.split_once('-')?;
    let tens = number_of_word(tens).filter(|value| *value >= 20 && value % 10 == 0)?;
    let units = number_of_word(units).filter(|value| *value < 10)?;
    Some(tens + units)
}

/// A number starting at token `at`: value and the index one past it. Handles "two hundred",
/// "a dozen", "two dozen", "twenty one".
fn number_at(tokens: &[Word<'_>], at: usize) -> Option<(u64, usize)> {
    let token = tokens.get(at)?;
    let next = tokens.get(at + 1);
    if (token.is("a") || token.is("one"))
        && let Some(next) = next
    {
        match next.lower.as_str() {
            "dozen" => return Some((12, at + 2)),
            "hundred" => return Some((100, at + 2)),
            "thousand" => return Some((1000, at + 2)),
            _ => {}
        }
    }
    let mut value = simple_number(token)?;
    let mut end = at + 1;
    if token.kind == TokenKind::Word
        && value >= 20
        && value % 10 == 0
        && let Some(units) = tokens
            .get(end)
            .and_then(|next| number_of_word(&next.lower))
            .filter(|units| *units < 10)
    {
        value += units;
        end += 1;
    }
    match tokens.get(end).map(|next| next.lower.as_str()) {
        Some("dozen") => Some((value.saturating_mul(12), end + 1)),
        Some("hundred") => Some((value.saturating_mul(100), end + 1)),
        Some("thousand") => Some((value.saturating_mul(1000), end + 1)),
        _ => Some((value, end)),
    }
}

/// Vague quantity words and their ACLED value.
fn vague_at(tokens: &[Word<'_>], at: usize) -> Option<(Option<u64>, usize)> {
    let token = tokens.get(at)?;
    let base = match token.lower.as_str() {
        "tens" => Some(10),
        "dozens" => Some(12),
        "scores" => Some(20),
        "hundreds" => Some(100),
        "thousands" => Some(1000),
        "several" | "many" | "multiple" | "numerous" => None,
        _ => return None,
    };
    // "Tens of thousands", "hundreds of thousands".
    let of_more = tokens.get(at + 1).is_some_and(|next| next.is("of"))
        && tokens
            .get(at + 2)
            .is_some_and(|next| next.is("thousands") || next.is("hundreds"));
    if of_more {
        let multiplier = tokens
            .get(at + 2)
            .map_or(1, |next| if next.is("thousands") { 1000 } else { 100 });
        return Some((
            base.map(|value: u64| value.saturating_mul(multiplier)),
            at + 3,
        ));
    }
    // "Dozens of people": skip the "of".
    let end = if base.is_some() && tokens.get(at + 1).is_some_and(|next| next.is("of")) {
        at + 2
    } else {
        at + 1
    };
    Some((base, end))
}

/// The qualifier ending just before token `at`: (qualifier, first token).
fn qualifier_before(tokens: &[Word<'_>], at: usize) -> Option<(&'static str, usize)> {
    let word = |back: usize| {
        at.checked_sub(back)
            .and_then(|index| tokens.get(index))
            .map_or("", |token| token.lower.as_str())
    };
    let two = (word(2), word(1));
    let pair = match two {
        ("at", "least") => Some("at least"),
        ("more", "than") => Some("more than"),
        ("up", "to") => Some("up to"),
        ("fewer" | "less", "than") => Some("up to"),
        ("an", "estimated") => Some("about"),
        _ => None,
    };
    if let Some(qualifier) = pair {
        return Some((qualifier, at - 2));
    }
    if word(3) == "as" && word(2) == "many" && word(1) == "as" {
        return Some(("up to", at - 3));
    }
    let single = match word(1) {
        "about" | "around" | "nearly" | "almost" | "approximately" | "roughly" | "some" => "about",
        "over" => "more than",
        _ => return None,
    };
    Some((single, at - 1))
}

/// A count starting at token `at`, with the qualifier before it and a range after it.
fn count_at(tokens: &[Word<'_>], at: usize) -> Option<Count> {
    let token = tokens.get(at)?;
    let previous = at.checked_sub(1).and_then(|index| tokens.get(index));
    // Money, hashtags, ordinals.
    if previous.is_some_and(|p| matches!(p.text, "$" | "£" | "€" | "#" | "№")) {
        return None;
    }
    // Ages ("a 20 year-old man", "the age of 25") are no counts.
    let next = tokens.get(at + 1);
    let before_previous = at.checked_sub(2).and_then(|index| tokens.get(index));
    if next.is_some_and(|n| n.lower.starts_with("year") || n.lower.starts_with("-year"))
        || (previous.is_some_and(|p| p.is("of")) && before_previous.is_some_and(|p| p.is("age")))
    {
        return None;
    }
    // Clock times ("6:30") and long codes ("1401140105") are no counts.
    if previous.is_some_and(|p| p.is_punct(':'))
        || (token.kind == TokenKind::Number
            && (next.is_some_and(|n| n.is_punct(':'))
                || (!token.text.contains(',') && token.text.len() > 4)))
    {
        return None;
    }
    // A "10-15" token.
    if token.kind == TokenKind::Word
        && let Some((low, high)) = token.lower.split_once('-')
        && let (Ok(low), Ok(high)) = (low.parse::<u64>(), high.parse::<u64>())
        && low < high
    {
        return Some(range(low, high, at, at + 1));
    }
    if let Some((value, end)) = vague_at(tokens, at) {
        return Some(Count {
            count: value,
            low: value,
            high: None,
            qualifier: "vague",
            end,
            start: at,
            singular_article: false,
        });
    }
    if token.is("both") {
        return Some(exact(2, at, at + 1));
    }
    // "He shot himself in the arm".
    if token.is("himself") || token.is("herself") {
        return Some(exact(1, at, at + 1));
    }
    if token.is("a") && tokens.get(at + 1).is_some_and(|next| next.is("couple")) {
        let end = if tokens.get(at + 2).is_some_and(|next| next.is("of")) {
            at + 3
        } else {
            at + 2
        };
        return Some(exact(2, at, end));
    }
    let Some((value, end)) = number_at(tokens, at) else {
        if matches!(
            token.lower.as_str(),
            "a" | "an" | "another" | "the" | "his" | "her" | "their"
        ) {
            let mut count = exact(1, at, at + 1);
            count.singular_article = true;
            return Some(count);
        }
        return None;
    };
    // "Between 10 and 15".
    if previous.is_some_and(|p| p.is("between"))
        && let Some(high) = tokens
            .get(end)
            .filter(|t| t.is("and"))
            .and_then(|_| number_at(tokens, end + 1))
    {
        return Some(range(value, high.0, at - 1, high.1));
    }
    // "10 to 15", "two or three".
    if tokens
        .get(end)
        .is_some_and(|t| t.is("to") || t.is("or") || t.is_punct('-'))
        && let Some((high, high_end)) = number_at(tokens, end + 1)
        && high > value
    {
        return Some(range(value, high, at, high_end));
    }
    let mut count = exact(value, at, end);
    if let Some((qualifier, start)) = qualifier_before(tokens, at) {
        count.start = start;
        count.qualifier = qualifier;
        match qualifier {
            "at least" | "more than" => count.high = None,
            "up to" => count.low = None,
            _ => {
                count.low = None;
                count.high = None;
            }
        }
    }
    Some(count)
}

fn exact(value: u64, start: usize, end: usize) -> Count {
    Count {
        count: Some(value),
        low: Some(value),
        high: Some(value),
        qualifier: "exact",
        end,
        start,
        singular_article: false,
    }
}

fn range(low: u64, high: u64, start: usize, end: usize) -> Count {
    Count {
        count: Some(low),
        low: Some(low),
        high: Some(high),
        qualifier: "range",
        end,
        start,
        singular_article: false,
    }
}

// --- Victims

/// Victim nouns: (singular, plural). Both forms normalise to the plural.
const VICTIMS: &[(&str, &str)] = &[
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
];

/// Nouns a singular article ("a", "the", "his") turns into one victim.
const SINGULAR_ARTICLE_NOUNS: &[&str] = &[
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
const MODIFIERS: &[&str] = &[
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
const COMPOUND_MODIFIERS: &[&str] = &["police", "security", "army", "government", "family"];

/// The victim noun after a count: (normalised plural, index one past it, singular noun).
fn victim_after(tokens: &[Word<'_>], at: usize) -> Option<(String, usize, bool)> {
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

// --- Outcomes

/// Words skipped between a victim phrase and its outcome ("were *reportedly* killed").
const AUXILIARIES: &[&str] = &[
    "was",
    "were",
    "is",
    "are",
    "been",
    "be",
    "being",
    "has",
    "have",
    "had",
    "who",
    "that",
    "reportedly",
    "allegedly",
    "also",
    "all",
    "later",
    "each",
    "got",
    "get",
    "subsequently",
    "then",
    "both",
    "apparently",
    "initially",
    "eventually",
    "previously",
    "found",
    "since",
    "now",
    "already",
];

/// A passive or adjectival outcome starting at token `at`: (outcome, index one past).
fn outcome_after(tokens: &[Word<'_>], at: usize) -> Option<(&'static str, usize)> {
    let token = tokens.get(at)?;
    let word = |offset: usize| tokens.get(at + offset).map_or("", |t| t.lower.as_str());
    let outcome = match token.lower.as_str() {
        "killed" | "dead" | "died" | "die" | "dies" | "slain" | "murdered" | "fatalities"
        | "deaths" | "massacred" => "killed",
        "lost" if word(1) == "their" || word(1) == "his" || word(1) == "her" => {
            if word(2) == "lives" || word(2) == "life" {
                return Some(("killed", at + 3));
            }
            return None;
        }
        "passed" if word(1) == "away" => return Some(("killed", at + 2)),
        "succumbed" => "killed",
        "struck" | "hit" | "grazed" => {
            let by_gunfire = (1..=4).any(|offset| {
                matches!(
                    word(offset),
                    "bullet" | "bullets" | "gunfire" | "round" | "pellet" | "shot" | "shots"
                )
            });
            let body_part = word(1) == "in"
                && matches!(
                    word(3),
                    "arm"
                        | "leg"
                        | "chest"
                        | "head"
                        | "back"
                        | "neck"
                        | "abdomen"
                        | "stomach"
                        | "shoulder"
                        | "face"
                        | "foot"
                        | "hand"
                        | "thigh"
                        | "torso"
                        | "hip"
                        | "groin"
                        | "buttocks"
                        | "side"
                        | "knee"
                        | "eye"
                );
            if !by_gunfire && !body_part {
                return None;
            }
            "shot"
        }
        "in" if (word(1) == "hospital"
            || (matches!(word(1), "the" | "a") && word(2) == "hospital")) =>
        {
            return Some(("injured", at + 2 + usize::from(word(1) != "hospital")));
        }
        "pronounced" | "found" | "declared" | "left" if word(1) == "dead" => {
            return Some(("killed", at + 2));
        }
        "fatally" | "mortally" => {
            if matches!(
                word(1),
                "shot" | "wounded" | "injured" | "stabbed" | "struck" | "hit"
            ) {
                return Some(("killed", at + 2));
            }
            return Some(("killed", at + 1));
        }
        "shot" | "gunned" | "stabbed" => {
            if word(1) == "at" {
                return None;
            }
            if word(1) == "dead" || (word(1) == "to" && word(2) == "death") {
                return Some(("killed", at + 2 + usize::from(word(1) == "to")));
            }
            if word(1) == "and" && matches!(word(2), "killed" | "fatally") {
                return Some(("killed", at + 3));
            }
            if word(1) == "down" {
                let outcome = if token.is("gunned") { "killed" } else { "shot" };
                return Some((outcome, at + 2));
            }
            // "Was shot in the neck and pronounced dead", "shot last Thursday and died".
            let mut offset = 1;
            while offset < 10 && !matches!(word(offset), "" | "." | ";" | "but") {
                if word(offset) == "and" {
                    let mut next = offset + 1;
                    if matches!(word(next), "was" | "later" | "eventually" | "then") {
                        next += 1;
                    }
                    let fatal = matches!(word(next), "died" | "killed")
                        || (matches!(word(next), "pronounced" | "declared" | "found")
                            && word(next + 1) == "dead");
                    if fatal {
                        return Some(("killed", at + 1));
                    }
                    break;
                }
                offset += 1;
            }
            if token.is("stabbed") {
                return Some(("injured", at + 1));
            }
            "shot"
        }
        "critically" | "seriously" | "badly" | "severely" | "slightly" | "critical" => {
            if matches!(word(1), "wounded" | "injured" | "hurt" | "condition") {
                return Some(("injured", at + 2));
            }
            return None;
        }
        "injured" | "wounded" | "hurt" | "hospitalised" | "hospitalized" | "injuries"
        | "wounds" => "injured",
        "missing" | "disappeared" => "missing",
        "kidnapped" | "abducted" | "taken" if !token.is("taken") || word(1) == "hostage" => {
            "kidnapped"
        }
        "arrested" | "detained" | "apprehended" => "arrested",
        "displaced" | "evacuated" => "displaced",
        _ => return None,
    };
    Some((outcome, at + 1))
}

/// The outcome after a victim phrase ending at `end`: "nine people *were killed*", "a man,
/// 25, *was shot*", "30 *dead*".
fn outcome_following(tokens: &[Word<'_>], end: usize, bare: bool) -> Option<&'static str> {
    let mut index = end;
    // An appositive: ", 25," or ", of Wamego,".
    if !bare && tokens.get(index).is_some_and(|t| t.is_punct(',')) {
        let close = (index + 1..index + 7)
            .find(|&i| tokens.get(i).is_some_and(|t| t.is_punct(',')))
            .filter(|&i| {
                tokens.get(index + 1..i).is_some_and(|inner| {
                    inner.iter().all(|t| {
                        t.kind == TokenKind::Number
                            || t.is("of")
                            || t.is("from")
                            || t.is("age")
                            || t.capitalized()
                    })
                })
            });
        if let Some(close) = close {
            index = close + 1;
        }
    }
    let mut skipped = 0;
    while let Some(token) = tokens.get(index) {
        if let Some((outcome, _)) = outcome_after(tokens, index) {
            // "A man killed his wife": an active verb, not the victim's fate.
            let active = skipped == 0
                && matches!(
                    token.lower.as_str(),
                    "killed" | "shot" | "murdered" | "stabbed" | "hurt" | "injured"
                )
                && tokens.get(index + 1).is_some_and(|next| {
                    matches!(
                        next.lower.as_str(),
                        "a" | "an" | "the" | "his" | "her" | "their" | "him" | "them" | "two"
                    ) || next.kind == TokenKind::Number
                        || next.capitalized()
                });
            if active {
                return None;
            }
            return Some(outcome);
        }
        if skipped >= if bare { 2 } else { 4 } || !AUXILIARIES.contains(&token.lower.as_str()) {
            break;
        }
        skipped += 1;
        index += 1;
    }
    // "with gunshot wounds", "suffering from a gunshot wound", "in critical condition".
    if !bare {
        let window = tokens.get(end..(end + 10).min(tokens.len()))?;
        for (offset, token) in window.iter().enumerate() {
            if token.is_punct(';') || token.kind == TokenKind::Number {
                break;
            }
            if token.lower.starts_with("gunshot") && offset > 0 {
                return Some("shot");
            }
            let condition = matches!(
                token.lower.as_str(),
                "critical" | "stable" | "serious" | "good" | "fair" | "grave"
            ) && window.get(offset + 1).is_some_and(|t| t.is("condition"));
            let hurt = matches!(
                token.lower.as_str(),
                "injuries" | "non-life-threatening" | "life-threatening"
            );
            if condition || hurt {
                return Some("injured");
            }
        }
    }
    None
}

/// An active outcome just before a count starting at `start`: "*killed* nine people",
/// "*killing* at least seven", "the *death toll rose to* 30".
fn outcome_preceding(tokens: &[Word<'_>], start: usize) -> Option<&'static str> {
    let word = |back: usize| {
        start
            .checked_sub(back)
            .and_then(|index| tokens.get(index))
            .map_or("", |token| token.lower.as_str())
    };
    let outcome = match word(1) {
        "killed" | "killing" | "kills" | "kill" | "murdered" | "murdering" | "executed"
        | "slaying" | "killings" | "deaths" | "murders" => "killed",
        "wounded" | "wounding" | "injured" | "injuring" | "injures" | "wounds" | "hurt"
        | "hurting" | "stabbed" | "stabbing" => "injured",
        "shot" | "shooting" | "shoots" => {
            if word(2) == "fatally" {
                "killed"
            } else {
                "shot"
            }
        }
        "kidnapped" | "kidnapping" | "abducted" | "abducting" => "kidnapped",
        "arrested" | "arresting" | "detained" | "detaining" => "arrested",
        "displaced" | "displacing" => "displaced",
        "of" if word(2) == "lives" && word(3) == "the" => "killed",
        "of" if word(3) != "attempted"
            && matches!(
                word(2),
                "death"
                    | "deaths"
                    | "homicide"
                    | "killing"
                    | "killings"
                    | "murder"
                    | "murders"
                    | "slaying"
                    | "body"
                    | "bodies"
            ) =>
        {
            "killed"
        }
        "of" if word(2) == "shooting" => "shot",
        _ => {
            // "The death toll rose to 30", "a death toll of 30".
            let toll = (1..=5).any(|back| word(back) == "toll")
                && (1..=5).all(|back| !matches!(word(back), "." | ";"));
            if toll {
                "killed"
            } else {
                return None;
            }
        }
    };
    Some(outcome)
}

// --- Claims

/// Verbs that attribute a figure to someone.
const CLAIM_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "reported",
    "reports",
    "claimed",
    "claims",
    "told",
    "announced",
    "stated",
    "confirmed",
];

/// Words a claimant may be made of besides capitalised words.
const CLAIMANT_WORDS: &[&str] = &[
    "the",
    "police",
    "officials",
    "official",
    "authorities",
    "ministry",
    "health",
    "interior",
    "defence",
    "defense",
    "foreign",
    "army",
    "military",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "witnesses",
    "sources",
    "media",
    "state",
    "agency",
    "deputies",
    "sheriff",
    "sheriff's",
    "investigators",
    "prosecutors",
    "coroner",
    "hospital",
    "doctors",
    "medics",
    "local",
    "department",
    "office",
    "group",
    "rebels",
    "militants",
    "government",
    "'s",
];

/// Who the sentence attributes its figures to.
fn claimant(sentence: &[Word<'_>]) -> Option<String> {
    for (index, token) in sentence.iter().enumerate() {
        if token.is("according") && sentence.get(index + 1).is_some_and(|t| t.is("to")) {
            let words: Vec<&Word<'_>> = sentence
                .iter()
                .skip(index + 2)
                .take(5)
                .take_while(|t| {
                    t.kind == TokenKind::Word
                        && (t.capitalized() || CLAIMANT_WORDS.contains(&t.lower.as_str()))
                })
                .collect();
            if let Some(name) = join(&words) {
                return Some(name);
            }
        }
        if !CLAIM_VERBS.contains(&token.lower.as_str()) {
            continue;
        }
        let mut first = index;
        while first > 0 && index - first < 5 {
            let Some(previous) = sentence.get(first - 1) else {
                break;
            };
            let fits = previous.kind == TokenKind::Word
                && (previous.capitalized() || CLAIMANT_WORDS.contains(&previous.lower.as_str()));
            if !fits {
                break;
            }
            first -= 1;
        }
        let words: Vec<&Word<'_>> = sentence.get(first..index)?.iter().collect();
        // "He said" or a lone article is no claimant.
        let named = words
            .iter()
            .any(|t| !t.is("the") && !t.is("he") && !t.is("she") && !t.is("they"));
        if named && let Some(name) = join(&words) {
            return Some(name);
        }
    }
    None
}

/// The tokens' words joined by single spaces.
fn join(words: &[&Word<'_>]) -> Option<String> {
    let mut name = String::new();
    for word in words {
        if !name.is_empty() && !word.text.starts_with('\'') && !word.text.starts_with('’') {
            name.push(' ');
        }
        name.push_str(word.text);
    }
    (!name.is_empty()).then_some(name)
}

// --- Sentences to mentions

/// Units and contexts after which a number is no casualty count.
const NOT_VICTIMS: &[&str] = &[
    "a.m", "p.m", "percent", "%", "years", "year", "months", "days", "hours", "minutes", "seconds",
    "times", "rounds", "shots", "bullets", "miles", "feet", "blocks", "pounds", "dollars",
    "o'clock", "mm", "caliber",
];

/// Pronoun and name subjects of a singular outcome ("He was pronounced dead").
fn singular_subject(sentence: &[Word<'_>], verb: usize) -> Option<(usize, usize)> {
    let mut verb = verb;
    // "He later died".
    while sentence.get(verb.checked_sub(1)?).is_some_and(|t| {
        matches!(
            t.lower.as_str(),
            "later" | "also" | "then" | "eventually" | "subsequently" | "ultimately"
        )
    }) {
        verb -= 1;
    }
    let previous = sentence.get(verb.checked_sub(1)?)?;
    if matches!(previous.lower.as_str(), "he" | "she") {
        return Some((verb - 1, verb));
    }
    // "Ethan M. Straub, 25, of Wamego, was killed": walk back over an appositive.
    let mut end = verb;
    if previous.is_punct(',') {
        // The first comma that follows a capitalised word opens the appositive.
        end = (verb.saturating_sub(9).max(1)..verb - 1).find(|&i| {
            sentence.get(i).is_some_and(|t| t.is_punct(','))
                && sentence
                    .get(i - 1)
                    .is_some_and(|t| t.kind == TokenKind::Word && t.capitalized())
        })?;
    }
    let mut start = end;
    while start > 0 {
        let Some(token) = sentence.get(start - 1) else {
            break;
        };
        if token.kind == TokenKind::Word && token.capitalized() {
            start -= 1;
        } else if token.is_punct('.') && start >= 2 && end - start > 0 {
            // "M." inside a name.
            start -= 1;
        } else {
            break;
        }
    }
    // Drop a leading full stop, and names that are a sentence's first word only ("The").
    while sentence
        .get(start)
        .is_some_and(|t| t.kind == TokenKind::Punct)
    {
        start += 1;
    }
    if start >= end {
        return None;
    }
    let first = sentence.get(start)?;
    let articles = ["the", "a", "an", "police", "it", "this", "that", "there"];
    if articles.contains(&first.lower.as_str()) || end - start > 4 {
        return None;
    }
    Some((start, end))
}

fn find_in_sentence(sentence: &[Word<'_>], mentions: &mut Vec<CasualtyMention>) {
    let first_in_sentence = mentions.len();
    let claimed_by = claimant(sentence);
    let mut covered_until = 0;
    let mut index = 0;
    while index < sentence.len() {
        if index < covered_until {
            index += 1;
            continue;
        }
        if let Some((mention, end)) = mention_at(sentence, index, first_in_sentence, mentions) {
            let mut mention = mention;
            mention.claimed_by.clone_from(&claimed_by);
            mentions.push(mention);
            covered_until = end;
            index = end;
            continue;
        }
        index += 1;
    }
    // One victim without a count: "Straub was pronounced dead", "fatally wounding Quincetta
    // Daniels", "a fatal shooting".
    if mentions.len() > first_in_sentence {
        return;
    }
    let Some(implicit) = implicit_mention(sentence) else {
        return;
    };
    let (Some(first), Some(last)) = (
        sentence.get(implicit.start),
        sentence.get(implicit.end.saturating_sub(1)),
    ) else {
        return;
    };
    mentions.push(CasualtyMention {
        start: first.char_start,
        end: last.char_end,
        count: Some(implicit.count),
        low: Some(implicit.count),
        high: (implicit.qualifier == "exact").then_some(implicit.count),
        qualifier: implicit.qualifier,
        outcome: implicit.outcome.to_owned(),
        victims: None,
        claimed_by,
        part_of: None,
    });
}

/// A figure implied by a singular outcome or an event noun.
struct Implicit {
    start: usize,
    end: usize,
    count: u64,
    qualifier: &'static str,
    outcome: &'static str,
}

/// Whether the token at `index` is `word`.
fn token_is(sentence: &[Word<'_>], index: usize, word: &str) -> bool {
    sentence.get(index).is_some_and(|token| token.is(word))
}

/// A victim noun, an age noun ("17-year-old") or "who".
fn is_person_word(token: &Word<'_>) -> bool {
    token.is("who")
        || token.is("someone")
        || token.is("somebody")
        || token.lower.ends_with("-year-old")
        || VICTIMS
            .iter()
            .any(|(singular, plural)| token.is(singular) || token.is(plural))
}

/// Capitalised words that are no names, besides the names of months and weekdays.
const NOT_NAMES: &[&str] = &[
    "police", "i", "the", "a", "an", "in", "on", "at", "this", "that",
];

/// Whether a capitalised word is no name: a month, a weekday, "Police", "The", ...
fn is_not_name(lower: &str) -> bool {
    is_calendar_name(lower) || NOT_NAMES.contains(&lower)
}

/// The capitalised name starting at `at`: index one past it.
fn name_at(sentence: &[Word<'_>], at: usize) -> Option<usize> {
    let mut end = at;
    while let Some(token) = sentence.get(end) {
        let part =
            token.kind == TokenKind::Word && token.capitalized() && !is_not_name(&token.lower);
        let initial = token.is_punct('.') && end > at;
        if !(part || initial) || end - at >= 4 {
            break;
        }
        end += 1;
    }
    while end > at
        && sentence
            .get(end - 1)
            .is_some_and(|t| t.kind == TokenKind::Punct)
    {
        end -= 1;
    }
    (end > at).then_some(end)
}

fn implicit_mention(sentence: &[Word<'_>]) -> Option<Implicit> {
    let word = |index: usize| sentence.get(index).map_or("", |t| t.lower.as_str());
    for (index, token) in sentence.iter().enumerate() {
        // "Straub was pronounced dead", "the man, who was shot, died".
        let passive = match token.lower.as_str() {
            "was" | "has" | "had" => {
                let mut next = index + 1;
                while matches!(
                    word(next),
                    "been" | "later" | "also" | "reportedly" | "then" | "since" | "now" | "found"
                ) && next < index + 3
                {
                    next += 1;
                }
                // "Has killed opportunities" is active: "has" needs "been" or "died".
                let perfect_active = token.lower != "was"
                    && !(index + 1..next).any(|i| word(i) == "been")
                    && !matches!(word(next), "died" | "succumbed" | "passed");
                outcome_after(sentence, next)
                    .filter(|(outcome, _)| matches!(*outcome, "killed" | "injured" | "shot"))
                    .filter(|_| !perfect_active && word(next + 1) != "up")
            }
            "died" | "dies" => Some(("killed", index + 1)),
            // "After being shot".
            "being" => outcome_after(sentence, index + 1)
                .filter(|(outcome, _)| matches!(*outcome, "killed" | "injured" | "shot")),
            _ => None,
        };
        // "No one was hurt", "nobody was injured", "none were wounded".
        let negated = (1..=4).any(|back| {
            matches!(
                word(index.wrapping_sub(back)),
                "nobody" | "none" | "anyone" | "anybody" | "no-one" | "no" | "whether" | "if"
            )
        });
        if let (Some((outcome, outcome_end)), false) = (passive, negated) {
            // Without a named or pronoun subject, a person must be named just before ("a man
            // who threatened deputies was shot") so that "its reputation was hurt" is no
            // casualty.
            let person_before = matches!(word(index.wrapping_sub(1)), "and" | "where")
                || sentence
                    .get(index.saturating_sub(8).max(1)..index)
                    .is_some_and(|before| {
                        before.iter().any(|t| {
                            is_person_word(t) || (t.kind == TokenKind::Word && t.capitalized())
                        })
                    });
            let subject = singular_subject(sentence, index);
            if subject.is_none() && !person_before {
                continue;
            }
            let (start, end) = subject.unwrap_or((index, outcome_end.max(index + 1)));
            return Some(Implicit {
                start,
                end,
                count: 1,
                qualifier: "exact",
                outcome,
            });
        }
        // "fatally wounding Quincetta Daniels", "the shooting death of Lavon Spaights".
        let active = match token.lower.as_str() {
            "killed" | "killing" | "murdered" | "murdering" => Some("killed"),
            "shot" | "wounding" | "wounded" => {
                if word(index.wrapping_sub(1)) == "fatally" {
                    Some("killed")
                } else {
                    Some("shot")
                }
            }
            "of" if matches!(
                word(index.wrapping_sub(1)),
                "death" | "murder" | "killing" | "homicide" | "slaying"
            ) =>
            {
                Some("killed")
            }
            _ => None,
        };
        if let Some(outcome) = active
            && let Some(end) = name_at(sentence, index + 1)
        {
            return Some(Implicit {
                start: index + 1,
                end,
                count: 1,
                qualifier: "exact",
                outcome,
            });
        }
        // "A fatal shooting", "a murder-suicide".
        let event = match (token.lower.as_str(), word(index + 1)) {
            ("fatal" | "deadly", "shooting" | "stabbing" | "attack") => Some((1, 2)),
            ("shooting", "death") => Some((1, 2)),
            ("double", "homicide" | "murder" | "murder-suicide") => Some((2, 2)),
            ("triple", "homicide" | "murder") => Some((3, 2)),
            ("murder-suicide", _) => Some((2, 1)),
            _ => None,
        };
        if let Some((count, length)) = event {
            return Some(Implicit {
                start: index,
                end: index + length,
                count,
                qualifier: "at least",
                outcome: "killed",
            });
        }
        // "Found with a gunshot wound": one person shot.
        if token.is("gunshot") && word(index + 1) == "wound" {
            return Some(Implicit {
                start: index,
                end: index + 2,
                count: 1,
                qualifier: "at least",
                outcome: "shot",
            });
        }
    }
    None
}

/// "A man and a teenage boy are dead": two victim phrases joined by "and" make one figure.
fn coordinated(
    sentence: &[Word<'_>],
    count: Count,
    victim: Option<(String, usize, bool)>,
) -> (Count, Option<(String, usize, bool)>) {
    let Some((group, end, _)) = &victim else {
        return (count, victim);
    };
    if !sentence.get(*end).is_some_and(|t| t.is("and")) {
        return (count, victim);
    }
    let Some(other) = count_at(sentence, end + 1).filter(|other| other.qualifier == "exact") else {
        // "Civilians and fighters were killed": one more group, no more count.
        if let Some((other_group, other_end, _)) = victim_after(sentence, end + 1) {
            let group = if *group == other_group {
                other_group
            } else {
                "people".to_owned()
            };
            return (count, Some((group, other_end, false)));
        }
        return (count, victim);
    };
    if count.qualifier != "exact" {
        return (count, victim);
    }
    let Some((other_group, other_end, other_singular)) = victim_after(sentence, other.end) else {
        return (count, victim);
    };
    if other.singular_article {
        let noun_fits = sentence
            .get(other_end - 1)
            .is_some_and(|noun| SINGULAR_ARTICLE_NOUNS.contains(&noun.lower.as_str()));
        if !other_singular || !noun_fits {
            return (count, victim);
        }
    }
    let (Some(first), Some(second)) = (count.count, other.count) else {
        return (count, victim);
    };
    let total = first.saturating_add(second);
    let merged = Count {
        count: Some(total),
        low: Some(total),
        high: Some(total),
        ..count
    };
    let group = if *group == other_group {
        other_group
    } else {
        "people".to_owned()
    };
    (merged, Some((group, other_end, false)))
}

/// A casualty mention whose count starts at token `index` (or whose qualifier does).
fn mention_at(
    sentence: &[Word<'_>],
    index: usize,
    first_in_sentence: usize,
    mentions: &[CasualtyMention],
) -> Option<(CasualtyMention, usize)> {
    let count = count_at(sentence, index)?;
    let previous = index.checked_sub(1).and_then(|i| sentence.get(i));
    if previous.is_some_and(|p| p.is("aged") || p.is("age") || p.is("in") || p.is("since"))
        && !count.singular_article
        && count.qualifier != "vague"
    {
        return None;
    }
    // "No one was hurt".
    if previous.is_some_and(|p| p.is("no")) {
        return None;
    }
    let victim = victim_after(sentence, count.end);
    // "One dead, another wounded".
    let another_bare = token_is(sentence, index, "another")
        && victim.is_none()
        && outcome_after(sentence, count.end).is_some();
    if count.singular_article && !another_bare {
        // Only "a man", "the victim", "his girlfriend": singular person nouns.
        let (_, _, singular) = victim.as_ref()?;
        let noun = sentence.get(victim.as_ref()?.1 - 1)?;
        let person = SINGULAR_ARTICLE_NOUNS.contains(&noun.lower.as_str())
            || noun.lower.ends_with("-year-old");
        if !singular || !person {
            return None;
        }
    }
    // "10 SDF killed": a group name straight before the outcome.
    let victim = victim.or_else(|| {
        let group = sentence.get(count.end)?;
        let named = group.kind == TokenKind::Word
            && group.capitalized()
            && !count.singular_article
            && outcome_after(sentence, count.end + 1).is_some();
        named.then(|| (group.lower.clone(), count.end + 1, false))
    });
    let (count, victim) = coordinated(sentence, count, victim);
    let after_count = sentence.get(count.end);
    if victim.is_none()
        && after_count.is_some_and(|next| NOT_VICTIMS.contains(&next.lower.as_str()))
    {
        return None;
    }
    // "Two of them", "one of whom": a sub-count.
    let of_them = victim.is_none()
        && after_count.is_some_and(|t| t.is("of"))
        && sentence
            .get(count.end + 1)
            .is_some_and(|t| matches!(t.lower.as_str(), "them" | "whom" | "those" | "the"));
    let of_group = if of_them {
        // "One of the robbery suspects": one unknown modifier may come first.
        victim_after(sentence, count.end + 2)
            .or_else(|| victim_after(sentence, count.end + 3))
            .map(|(_, end, _)| end)
    } else {
        None
    };
    let phrase_end = match &victim {
        Some((_, end, _)) => *end,
        None if of_them => of_group.unwrap_or(count.end + 2),
        None => count.end,
    };
    let bare = victim.is_none();
    let mut outcome = outcome_following(sentence, phrase_end, bare && !of_them);
    let mut span_end = phrase_end;
    if bare && !of_them {
        // "30 dead": the outcome word is part of the span.
        if let Some((_, end)) = outcome_after(sentence, phrase_end)
            && outcome.is_some()
        {
            span_end = end;
        }
    }
    // "Fired one shot": a bare count before "shot" is a shot fired unless it opens the
    // sentence ("Two shot in drive-by").
    if bare && outcome == Some("shot") && count.start > 0 {
        outcome = None;
    }
    if outcome.is_none() {
        outcome = outcome_preceding(sentence, count.start);
    }
    // "A shooting sent two men to the hospital".
    let sent = count
        .start
        .checked_sub(1)
        .and_then(|i| sentence.get(i))
        .is_some_and(|t| matches!(t.lower.as_str(), "sent" | "sends" | "sending"));
    let to_hospital = (phrase_end..phrase_end + 4).any(|i| token_is(sentence, i, "hospital"));
    if outcome.is_none() && sent && !bare && to_hospital {
        outcome = Some("injured");
    }
    // A bare year or age is never a count on its own.
    if bare
        && count
            .count
            .is_some_and(|value| (1900..=2100).contains(&value))
    {
        return None;
    }
    // Sub-counts: "including four children", "two people were shot, one fatally".
    let introduced = (1..=2).any(|back| {
        count
            .start
            .checked_sub(back)
            .and_then(|i| sentence.get(i))
            .is_some_and(|t| t.is("including") || t.is("among"))
    }) || of_them
        || (bare
            && previous.is_some_and(|p| p.is_punct(','))
            && sentence.get(count.end).is_some_and(|t| t.is("fatally")));
    let parent = if introduced {
        (first_in_sentence..mentions.len()).rev().find(|&i| {
            mentions
                .get(i)
                .is_some_and(|m| m.part_of.is_none() && m.count >= count.count)
        })
    } else {
        None
    };
    let outcome = match (outcome, parent) {
        (Some(outcome), _) => outcome.to_owned(),
        (None, Some(parent)) => mentions.get(parent)?.outcome.clone(),
        (None, None) => return None,
    };
    let first = sentence.get(count.start)?;
    let last = sentence.get(span_end.checked_sub(1)?)?;
    let mention = CasualtyMention {
        start: first.char_start,
        end: last.char_end,
        count: count.count,
        low: count.low,
        high: count.high,
        qualifier: count.qualifier,
        outcome,
        victims: victim.map(|(group, _, _)| group),
        claimed_by: None,
        part_of: parent,
    };
    Some((mention, span_end.max(count.end)))
}

#[cfg(test)]
mod tests {
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
}
