//! `annalist edit ID --title … --published … --url … --source …`: an article's metadata
//! changed by hand; on a team replica sent at once, a conflict with the server named.

use std::path::PathBuf;
use std::time::Duration;

use crate::cli::opening::open;
use crate::cli::{EXIT_OK, output};
use crate::model::{ArticleId, ArticleMeta, PartialDate};

/// The fields given on the command line (`None`: unchanged; empty: cleared).
pub(in crate::cli) struct Fields {
    pub(in crate::cli) title: Option<String>,
    pub(in crate::cli) published: Option<String>,
    pub(in crate::cli) url: Option<String>,
    pub(in crate::cli) source: Option<String>,
}

/// Changes article `id`'s metadata and prints what it is now.
pub(in crate::cli) fn edit(dir: Option<PathBuf>, id: i64, fields: Fields) -> anyhow::Result<u8> {
    let mut archive = open(dir)?;
    let article = archive.article(ArticleId(id))?;
    let cleared = |v: String| Some(v).filter(|v| !v.trim().is_empty());
    let after = ArticleMeta {
        id: article.id,
        title: fields.title.unwrap_or(article.title),
        published: match fields.published {
            Some(text) => PartialDate::parse_optional(&text)
                .map_err(|e| anyhow::anyhow!("--published {text:?}: {e}"))?,
            None => article.published,
        },
        url: fields.url.map_or(article.url, cleared),
        source: fields.source.map_or(article.source, cleared),
    };
    archive.update_article(after.clone())?;
    archive.sync_index()?;
    if let Some(report) = archive.send_waiting(Duration::from_secs(3))? {
        let hash = &article.content_sha256;
        if let Some(refused) = report.refused.iter().find(|r| r.starts_with(hash.as_str())) {
            let reason = refused.get(hash.len() + 2..).unwrap_or(refused);
            anyhow::bail!("{reason}");
        }
        if let Some(reason) = report.offline {
            eprintln!(
                "note: offline: the edit waits and is sent (with its version check) by the next command that reaches the server: {}",
                output::line(&reason)
            );
        }
    }
    println!(
        "{}",
        output::line(&format!(
            "article {id}: {} · {} · {} · {}",
            after.title,
            after.published.map(|d| d.to_string()).unwrap_or_default(),
            after.url.unwrap_or_default(),
            after.source.unwrap_or_default()
        ))
    );
    Ok(EXIT_OK)
}
