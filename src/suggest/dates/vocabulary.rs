//! The words of date expressions besides months, weekdays and numbers (those are in
//! `suggest::text`): ordinals, decades, the words that make a number a count or a date, the
//! words that can begin an expression, and the markers of tense.

pub(super) const ORDINALS: [(&str, u32); 4] =
    [("first", 1), ("second", 2), ("third", 3), ("fourth", 4)];

pub(super) const DECADE_WORDS: [(&str, i32); 8] = [
    ("twenties", 192),
    ("thirties", 193),
    ("forties", 194),
    ("fifties", 195),
    ("sixties", 196),
    ("seventies", 197),
    ("eighties", 198),
    ("nineties", 199),
];

// Words after a four-digit number that make it a count, not a year.
pub(super) const COUNT_NOUNS: [&str; 48] = [
    "people",
    "persons",
    "person",
    "troops",
    "soldiers",
    "civilians",
    "men",
    "women",
    "children",
    "deaths",
    "dead",
    "killed",
    "injured",
    "wounded",
    "casualties",
    "victims",
    "refugees",
    "fighters",
    "militants",
    "rebels",
    "police",
    "officers",
    "prisoners",
    "detainees",
    "families",
    "homes",
    "houses",
    "buildings",
    "km",
    "kilometres",
    "kilometers",
    "miles",
    "metres",
    "meters",
    "feet",
    "tonnes",
    "tons",
    "dollars",
    "euros",
    "pounds",
    "shares",
    "gmt",
    "utc",
    "hours",
    "hrs",
    "percent",
    "votes",
    "points",
];

// Words before a four-digit number that make it a count.
pub(super) const COUNT_CONTEXT: [&str; 22] = [
    "killed",
    "killing",
    "kill",
    "kills",
    "wounded",
    "injured",
    "injuring",
    "wounding",
    "about",
    "around",
    "nearly",
    "almost",
    "some",
    "least",
    "than",
    "estimated",
    "approximately",
    "roughly",
    "total",
    "only",
    "number",
    "no",
];

// Words before a number or a month that make it a date.
pub(super) const DATE_CONTEXT: [&str; 22] = [
    "in", "since", "by", "until", "till", "from", "during", "before", "after", "of", "on", "early",
    "late", "mid", "fiscal", "last", "next", "this", "through", "between", "and", "to",
];

// Every word that can begin an expression, sorted: the scanner skips all others at once.
pub(super) const STARTERS: [&[u8]; 85] = [
    b"a",
    b"an",
    b"apr",
    b"april",
    b"aug",
    b"august",
    b"autumn",
    b"coming",
    b"current",
    b"currently",
    b"dec",
    b"december",
    b"eight",
    b"eighties",
    b"eleven",
    b"fall",
    b"feb",
    b"february",
    b"fifties",
    b"first",
    b"five",
    b"forties",
    b"four",
    b"fourth",
    b"friday",
    b"jan",
    b"january",
    b"jul",
    b"july",
    b"jun",
    b"june",
    b"last",
    b"mar",
    b"march",
    b"may",
    b"monday",
    b"next",
    b"nine",
    b"nineteen",
    b"nineties",
    b"nov",
    b"november",
    b"now",
    b"nowadays",
    b"oct",
    b"october",
    b"one",
    b"past",
    b"previous",
    b"q",
    b"recent",
    b"recently",
    b"saturday",
    b"second",
    b"sep",
    b"sept",
    b"september",
    b"seven",
    b"seventies",
    b"six",
    b"sixties",
    b"soon",
    b"spring",
    b"summer",
    b"sunday",
    b"ten",
    b"the",
    b"these",
    b"third",
    b"thirties",
    b"this",
    b"three",
    b"thursday",
    b"today",
    b"tomorrow",
    b"tonight",
    b"tuesday",
    b"twelve",
    b"twenties",
    b"twenty",
    b"two",
    b"wednesday",
    b"winter",
    b"year",
    b"yesterday",
];

// True when the word can begin a date expression (allocation-free, case-insensitive).
pub(super) fn may_start(word: &str) -> bool {
    let mut buffer = [0_u8; 12];
    let Some(lower) = buffer.get_mut(..word.len()) else {
        return false;
    };
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    STARTERS.binary_search(&&*lower).is_ok()
}

pub(super) const FUTURE_MARKERS: [&str; 11] = [
    "will",
    "shall",
    "ll",
    "won",
    "would",
    "going",
    "scheduled",
    "expected",
    "due",
    "plans",
    "upcoming",
];

pub(super) const PAST_MARKERS: [&str; 10] = [
    "said", "was", "were", "had", "did", "ago", "told", "began", "met", "went",
];

pub(super) const NOT_PAST: [&str; 8] = [
    "need", "speed", "feed", "seed", "bed", "red", "hundred", "indeed",
];
