//! `--archive postgres://…`: a team archive named by its server opens as this desktop's
//! replica of it, in a folder under the user's data directory kept per server and login
//! (joined, with a progress bar, the first time; caught up from the change log after).

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use anyhow::Context;

use super::output;
use crate::service::{
    Archive, ArchiveError, DATABASE_FILE, PgTarget, is_offline, team_replica_dir, use_team_login,
};

/// The archive folder `--archive` names: itself, or for a `postgres://` URL this desktop's
/// replica of that team archive, made or caught up first.
pub fn resolve_archive(archive: Option<PathBuf>) -> anyhow::Result<Option<PathBuf>> {
    resolve(archive, false)
}

/// [`resolve_archive`] for the app: a replica not yet copied is only made one (the app's
/// pull loop copies it as a job with a progress bar), and one already copied is caught up
/// by that loop too.
pub fn resolve_archive_for_app(archive: Option<PathBuf>) -> anyhow::Result<Option<PathBuf>> {
    resolve(archive, true)
}

fn resolve(archive: Option<PathBuf>, for_app: bool) -> anyhow::Result<Option<PathBuf>> {
    let Some(path) = archive else {
        return Ok(None);
    };
    let Some(url) = path
        .to_str()
        .filter(|s| s.starts_with("postgres://") || s.starts_with("postgresql://"))
    else {
        return Ok(Some(path));
    };
    let target = PgTarget::parse(url)?;
    use_team_login(&target);
    let dir = team_replica_dir(&target).context(
        "no data directory for the team archive's replica (set XDG_DATA_HOME or HOME), or pass --archive DIR and run `team join URL`",
    )?;
    let joined = dir.join(DATABASE_FILE).is_file();
    let mut archive = match Archive::open(&dir) {
        Ok(archive) => archive,
        // The app or another command has it open: read the replica as it is.
        Err(ArchiveError::InUse { .. }) if joined => return Ok(Some(dir)),
        Err(e) => {
            return Err(e).with_context(|| format!("cannot open the replica {}", dir.display()));
        }
    };
    if for_app {
        archive.become_replica(&target)?;
        return Ok(Some(dir));
    }
    let bar = output::progress_bar("join");
    let result = archive.sync_from_team(&target, &AtomicBool::new(false), |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    });
    bar.finish_and_clear();
    match result {
        Ok(report) if report.first => eprintln!(
            "note: {} into {}",
            output::line(&report.to_string()),
            dir.display()
        ),
        Ok(_) => {}
        Err(e) if joined && is_offline(&e) => eprintln!(
            "note: offline, reading the replica {} as it is: {}",
            dir.display(),
            output::line(&e.to_string())
        ),
        Err(e) => return Err(e.into()),
    }
    Ok(Some(dir))
}
