//! `annalist suggest`: suggestions for articles, and `--learn TEXT`, the user's yes to
//! suggesting an accepted text everywhere.

use std::io::Write;
use std::path::PathBuf;

use crate::cli::EXIT_OK;
use crate::cli::opening::open;
use crate::cli::output::{self, progress_bar, stdout};
use crate::model::{ArticleId, plural};
use crate::service::CONFIRM_ABOVE_ARTICLES;
use crate::service::{HeldBack, LearnScope};

/// A held-back learning, with what to do about it.
pub(super) fn held_back_advice(held_back: &HeldBack) -> String {
    match held_back {
        HeldBack::TooCommon { text, .. } => format!(
            "{held_back}; to suggest it in all of them: annalist suggest --learn {}",
            shell_quote(text)
        ),
        HeldBack::Unlearnable { .. } => held_back.to_string(),
    }
}

/// `text` quoted for a POSIX shell.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// `annalist suggest --learn TEXT`: the user confirms suggesting an accepted text everywhere.
pub(in crate::cli) fn learn_everywhere(
    dir: Option<PathBuf>,
    text: &str,
    json: bool,
) -> anyhow::Result<u8> {
    let mut archive = open(dir)?;
    let learned = archive.learn_from(text, LearnScope::Everywhere)?;
    let mut out = stdout();
    if json {
        let held_back = learned.held_back.as_ref().map(ToString::to_string);
        output::json_line(
            &mut out,
            &serde_json::json!({"learned": learned.created.len(), "held_back": held_back}),
        )?;
    } else if let Some(held_back) = &learned.held_back {
        writeln!(out, "{}", output::line(&held_back.to_string()))?;
    } else if learned.created.is_empty() {
        writeln!(
            out,
            "nothing to suggest: {} is not accepted with one label, or every other occurrence is already decided",
            output::line(&format!("{text:?}"))
        )?;
    } else {
        writeln!(
            out,
            "suggested {} in {}",
            output::line(&format!("{text:?}")),
            plural(learned.created.len(), "more place", "more places")
        )?;
    }
    out.flush()?;
    Ok(EXIT_OK)
}

/// Suggests for the articles `ids` (or all), with a progress bar.
pub(in crate::cli) fn suggest(
    dir: Option<PathBuf>,
    ids: &[i64],
    all: bool,
    json: bool,
) -> anyhow::Result<u8> {
    let mut archive = open(dir)?;
    let ids: Vec<ArticleId> = ids.iter().copied().map(ArticleId).collect();
    for &id in &ids {
        archive.article(id)?;
    }
    let bar = progress_bar("suggest");
    let report = archive.suggest((!all).then_some(ids.as_slice()), &mut |done, total| {
        bar.set_length(total);
        bar.set_position(done);
        true
    })?;
    bar.finish_and_clear();
    let mut out = stdout();
    if json {
        output::json_line(&mut out, &serde_json::to_value(report)?)?;
    } else {
        writeln!(out, "{report}")?;
        if report.too_common > 0 {
            writeln!(
                out,
                "held back {} that each occur in more than {CONFIRM_ABOVE_ARTICLES} articles; suggest one everywhere with: annalist suggest --learn TEXT",
                plural(report.too_common, "accepted text", "accepted texts")
            )?;
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}
