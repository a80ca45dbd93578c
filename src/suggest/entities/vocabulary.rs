//! The word lists of names: connectors, function words, stop words, titles, and the head words
//! of organisations and places, as sets built once.

use super::name_words::NameWord;
use std::collections::HashSet;
use std::sync::LazyLock;

/// Words that join capitalised words into one name ("Ministry of Defence", "Abu Mohammed
/// al-Julani", "Sistan and Baluchestan").
#[rustfmt::skip]
pub(super) const CONNECTORS: &[&str] = &[
    "of", "the", "and", "for", "al", "bin", "ibn", "de", "del", "van", "von", "der", "den",
    "da", "dos", "du", "el", "ul", "la", "le", "y", "va", "e",
];

/// Connectors that never sit inside a person's name.
#[rustfmt::skip]
pub(super) const PERSON_BREAKS: &[&str] = &[
    "of", "the", "and", "for",
];

/// Function words, days and months: they start no name.
#[rustfmt::skip]
pub(super) const FUNCTION_WORDS: &[&str] = &[
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
pub(super) const STOPWORDS: &[&str] = &[
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
    "pashto", "dari", "hebrew", "kenyan", "kenyans", "brazilian", "brazilians", "namibian",
    "briton", "australian", "australians", "canadian", "canadians", "greek", "greeks",
    "ethiopians", "nigerians", "somalis", "moroccan", "algerian", "tunisian",
];

/// Words that, right before a name, say it is a person (and are not part of the span).
#[rustfmt::skip]
pub(super) const TITLE_HEADS: &[&str] = &[
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
pub(super) const TITLE_MODIFIERS: &[&str] = &[
    "prime", "foreign", "defence", "defense", "interior", "home", "finance", "health",
    "justice", "deputy", "vice", "acting", "caretaker", "interim", "former", "ex", "shadow",
    "chief", "army", "military", "supreme", "state", "junior", "senior", "opposition", "party",
    "labour", "tory", "conservative", "culture", "education", "trade", "transport",
    "environment", "work", "works", "pensions", "economy", "energy", "information", "general",
    "attorney", "lord", "first", "grand", "high", "commander-in-chief",
];

/// Last words of organisation names.
#[rustfmt::skip]
pub(super) const ORG_HEADS: &[&str] = &[
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
pub(super) const ORG_OF_HEADS: &[&str] = &[
    "ministry", "department", "university", "bank", "council", "court", "house", "office",
    "organisation", "organization", "league", "church", "board", "bureau", "federation",
    "union", "association", "institute", "commission", "college", "army", "front", "legion",
    "party", "movement", "brigade", "brigades", "centre", "center",
];

/// First words of Arabic names of armed groups ("Jaysh al-Islam", "Ahrar al-Sham").
#[rustfmt::skip]
pub(super) const ORG_FIRST_WORDS: &[&str] = &[
    "jaysh", "jaish", "liwa", "harakat", "jabhat", "hayat", "hay'at", "ahrar", "kataib",
    "katibat", "saraya", "faylaq", "tanzim", "lashkar", "jamaat", "jamaat-ud-dawa",
];

/// Last words of place names ("Yarmouk Basin", "Idlib Province").
#[rustfmt::skip]
pub(super) const LOC_HEADS: &[&str] = &[
    "basin", "valley", "mountains", "mountain", "desert", "plain", "plains", "hills", "heights",
    "gulf", "bay", "sea", "lake", "river", "province", "governorate", "district", "camp",
    "crossing", "island", "islands", "peninsula", "strait", "coast", "oblast", "region",
    "prefecture",
];

/// First words of place names followed by "of" ("Gulf of Aden", "Strait of Hormuz").
#[rustfmt::skip]
pub(super) const LOC_OF_HEADS: &[&str] = &[
    "gulf", "bay", "sea", "island", "isle", "isles", "strait", "straits", "province",
    "governorate", "district", "city", "republic", "lake", "mount",
];

/// First words of Arabic and Persian place names ("Deir Ezzor", "Khan Tuman", "Ras al-Ayn").
#[rustfmt::skip]
pub(super) const LOC_FIRST_WORDS: &[&str] = &[
    "deir", "dayr", "khan", "ras", "jisr", "tal", "tell", "kafr", "kfar", "ain", "ein", "beit",
    "bayt", "bir", "jabal", "jebel", "wadi", "maarat", "ma'arat", "qasr", "hayy", "tel", "marj",
    "sheikh", "mount", "lake", "port", "fort",
];

/// Last words that say a capitalised sequence is neither a person nor an organisation.
#[rustfmt::skip]
pub(super) const NON_ENTITY_HEADS: &[&str] = &[
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
pub(super) struct Words {
    pub(super) stop: HashSet<&'static str>,
    pub(super) function: HashSet<&'static str>,
    pub(super) connectors: HashSet<&'static str>,
    pub(super) title_heads: HashSet<&'static str>,
    pub(super) title_modifiers: HashSet<&'static str>,
    pub(super) non_entity_heads: HashSet<&'static str>,
    pub(super) org: Heads<'static>,
    pub(super) loc: Heads<'static>,
}

/// A set built once and kept for the life of the program.
pub(super) fn leaked_set(words: &[&'static str]) -> &'static HashSet<&'static str> {
    Box::leak(Box::new(words.iter().copied().collect()))
}

pub(super) static WORDS: LazyLock<Words> = LazyLock::new(|| Words {
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

pub(super) fn trim_dot(word: &str) -> &str {
    word.strip_suffix('.').unwrap_or(word)
}

pub(super) fn is_title_head(lower: &str) -> bool {
    WORDS.title_heads.contains(trim_dot(lower))
}

pub(super) fn is_title_word(lower: &str) -> bool {
    let lower = trim_dot(lower);
    WORDS.title_heads.contains(lower) || WORDS.title_modifiers.contains(lower)
}

pub(super) fn is_connector(token: &NameWord<'_>) -> bool {
    !token.capitalised && WORDS.connectors.contains(token.lower.as_str())
}

/// A capitalised word, or an Arabic article joined to one ("al-Julani", "el-Sisi").
pub(super) fn is_name_word(token: &NameWord<'_>) -> bool {
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

/// Head words that name a kind of entity: last words ("... Army"), first words followed by
/// "of" ("Ministry of ..."), and first words that begin a name ("Jaysh ...", "Deir ...").
pub(super) struct Heads<'w> {
    pub(super) last: &'w HashSet<&'static str>,
    pub(super) before_of: &'w HashSet<&'static str>,
    pub(super) first: &'w HashSet<&'static str>,
}
