//! Outcomes: what happened to the victims, passive ("were killed"), adjectival ("30 dead") or
//! active ("killed nine people"), normalised ("killed", "injured", "shot", ...).

use crate::suggest::text::{TokenKind, Word};

/// Words skipped between a victim phrase and its outcome ("were *reportedly* killed").
pub(super) const AUXILIARIES: &[&str] = &[
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
pub(super) fn outcome_after(tokens: &[Word<'_>], at: usize) -> Option<(&'static str, usize)> {
    let token = tokens.get(at)?;
    let word = |offset: usize| tokens.get(at + offset).map_or("", |t| t.lower.as_str());
    let outcome = match token.lower.as_str() {
        "killed" | "dead" | "died" | "die" | "dies" | "slain" | "murdered" | "fatalities"
        | "deaths" | "massacred" | "deceased" => "killed",
        // "Took his own life".
        "took"
            if matches!(word(1), "his" | "her" | "their")
                && word(2) == "own"
                && matches!(word(3), "life" | "lives") =>
        {
            return Some(("killed", at + 4));
        }
        "lost" if word(1) == "their" || word(1) == "his" || word(1) == "her" => {
            if word(2) == "lives" || word(2) == "life" {
                return Some(("killed", at + 3));
            }
            return None;
        }
        "passed" if word(1) == "away" => return Some(("killed", at + 2)),
        "succumbed" => "killed",
        "struck" | "hit" | "grazed" => {
            if !hit_by_gunfire(tokens, at) {
                return None;
            }
            "shot"
        }
        "in" if (word(1) == "hospital"
            || (matches!(word(1), "the" | "a") && word(2) == "hospital")) =>
        {
            return Some(("injured", at + 2 + usize::from(word(1) != "hospital")));
        }
        "pronounced" | "found" | "declared" | "left" if matches!(word(1), "dead" | "deceased") => {
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
        "shot" | "gunned" | "stabbed" => return shot_outcome(tokens, at),
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

/// "Struck by a bullet", "hit in the leg": whether a hit is a gunshot.
fn hit_by_gunfire(tokens: &[Word<'_>], at: usize) -> bool {
    let word = |offset: usize| tokens.get(at + offset).map_or("", |t| t.lower.as_str());
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
    by_gunfire || body_part
}

/// "Shot", "gunned", "stabbed" at token `at`: shot, or killed when the sentence says the
/// victim died ("shot dead", "shot and killed", "shot in the neck and pronounced dead").
fn shot_outcome(tokens: &[Word<'_>], at: usize) -> Option<(&'static str, usize)> {
    let token = tokens.get(at)?;
    let word = |offset: usize| tokens.get(at + offset).map_or("", |t| t.lower.as_str());
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
            let fatal = matches!(word(next), "died" | "killed" | "succumbed")
                || (word(next) == "passed" && word(next + 1) == "away")
                || (matches!(word(next), "pronounced" | "declared" | "found")
                    && matches!(word(next + 1), "dead" | "deceased"));
            if fatal {
                return Some(("killed", at + 1));
            }
            break;
        }
        offset += 1;
    }
    // "A man who was shot in the stomach ... passed away Tuesday".
    if super::implicit::died_later(tokens, at + 1) {
        return Some(("killed", at + 1));
    }
    if token.is("stabbed") {
        return Some(("injured", at + 1));
    }
    Some(("shot", at + 1))
}

/// Words before a bare verb that make it a threat, an attempt or a wish, not a casualty:
/// "threatened to kill himself", "would kill himself".
const UNREALIZING: &[&str] = &[
    "to", "would", "will", "could", "might", "may", "should", "can", "cannot", "not", "never",
];

/// Words before an "-ing" verb that make it what did not happen: "prevented him from killing
/// himself". Not "to": "admitted to shooting a man" says he did.
const UNREALIZING_ING: &[&str] = &["from", "not", "never"];

/// Whether the verb `verb` just before a victim phrase (`word(1)`) says what did not happen:
/// a bare verb after one of `UNREALIZING` ("to kill"), an "-ing" form after one of
/// `UNREALIZING_ING` ("from killing"), or a bare verb joined by "and" to a threat
/// ("threatened to harm his family and kill himself"). A past form ("killed") or a headline's
/// present ("Gunmen kill five") is what happened.
fn unrealized<'a>(verb: &str, word: &impl Fn(usize) -> &'a str) -> bool {
    let ing = matches!(
        verb,
        "killing" | "shooting" | "wounding" | "injuring" | "hurting" | "murdering" | "stabbing"
    );
    if ing {
        return UNREALIZING_ING.contains(&word(2));
    }
    let base = matches!(
        verb,
        "kill" | "shoot" | "wound" | "injure" | "hurt" | "murder" | "stab"
    );
    if !base {
        return false;
    }
    if UNREALIZING.contains(&word(2)) {
        return true;
    }
    word(2) == "and"
        && (3..=8)
            .map(word)
            .take_while(|w| !matches!(*w, "" | "." | ";"))
            .any(|w| matches!(w, "to" | "would" | "will" | "threatened" | "threatening"))
}

/// The outcome after a victim phrase ending at `end`: "nine people *were killed*", "a man,
/// 25, *was shot*", "30 *dead*".
pub(super) fn outcome_following(
    tokens: &[Word<'_>],
    end: usize,
    bare: bool,
) -> Option<&'static str> {
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
pub(super) fn outcome_preceding(tokens: &[Word<'_>], start: usize) -> Option<&'static str> {
    let word = |back: usize| {
        start
            .checked_sub(back)
            .and_then(|index| tokens.get(index))
            .map_or("", |token| token.lower.as_str())
    };
    if unrealized(word(1), &word) {
        return None;
    }
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
