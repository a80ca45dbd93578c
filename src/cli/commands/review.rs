//! `annalist suggestions accept|reject`: suggestions reviewed in batches.

use std::path::PathBuf;

use anyhow::bail;

use super::suggest::held_back_advice;
use crate::cli::EXIT_OK;
use crate::cli::args::SuggestionsCommand;
use crate::cli::opening::open;
use crate::cli::output;
use crate::model::{AnnotationId, AnnotationStatus, ArticleId, Edit, plural};
use crate::service::{HeldBack, LearnScope, ReviewScope};

/// Accepts or rejects the suggestions the arguments name; accepted texts are learned.
pub(in crate::cli) fn suggestions(
    dir: Option<PathBuf>,
    command: SuggestionsCommand,
) -> anyhow::Result<u8> {
    let (args, status) = match command {
        SuggestionsCommand::Accept(args) => (args, AnnotationStatus::Accepted),
        SuggestionsCommand::Reject(args) => (args, AnnotationStatus::Rejected),
    };
    if args.ids.is_empty() && args.article.is_none() && args.label.is_none() && !args.all {
        bail!("say which suggestions: annotation ids, --article ID, --label LABEL or --all");
    }
    let mut archive = open(dir)?;
    let scope = ReviewScope {
        ids: (!args.ids.is_empty()).then(|| args.ids.iter().copied().map(AnnotationId).collect()),
        article: args.article.map(ArticleId),
        label: args.label,
    };
    let edit = archive.review_suggestions(&scope, status)?;
    archive.sync_index()?;
    let changed = match &edit {
        Edit::Batch(edits) => edits.len(),
        _ => 1,
    };
    let mut learned = 0;
    let mut held_back = Vec::new();
    for text in edit.accepted_texts() {
        let outcome = archive.learn_from(&text, LearnScope::Bounded)?;
        learned += outcome.created.len();
        held_back.extend(outcome.held_back);
    }
    println!("{status} {}", plural(changed, "suggestion", "suggestions"));
    if learned > 0 {
        println!("suggested {learned} more occurrences of the accepted texts");
    }
    for held_back in held_back
        .iter()
        .filter(|h| matches!(h, HeldBack::TooCommon { .. }))
    {
        eprintln!("note: {}", output::line(&held_back_advice(held_back)));
    }
    Ok(EXIT_OK)
}
