//! The team pull loop of a replica open in the app: a named thread that sends the edits
//! this desktop made (the outbox) and copies in the server's changes whenever the server
//! announces one, and says how the replica stands ("offline, N edits waiting") for the
//! status bar. It reads and writes SQLite through a handle of its own; the writer thread
//! indexes what it copied in when the app asks it to.

use std::path::PathBuf;
use std::sync::mpsc::SyncSender;
use std::sync::{Arc, Weak};
use std::time::Duration;

use std::sync::atomic::AtomicBool;

use super::{JobEvent, JobId};
use crate::service::{Archive, TeamError, follow_team};

/// The slow timer of the loop: it catches up even when no notification arrived.
const INTERVAL: Duration = Duration::from_secs(5);

/// Whether the archive in `dir` is a replica made but not yet copied (`--archive
/// postgres://…` the first time): the loop then copies it first, as a job.
pub(super) fn needs_first_copy(dir: &std::path::Path) -> bool {
    Archive::open_reader(dir).is_ok_and(|reader| {
        reader.team_server().is_ok_and(|s| s.is_some())
            && reader.team_copied().is_ok_and(|copied| !copied)
    })
}

/// Starts the loop on the archive in `dir` (it ends at once when the archive is no
/// replica); it stops when `alive` has no owner left (the archive was closed). With
/// `first_copy`, the replica is first copied from the server as that job, with progress.
pub(super) fn start(
    dir: PathBuf,
    events: SyncSender<JobEvent>,
    repaint: Arc<dyn Fn() + Send + Sync>,
    alive: Weak<()>,
    first_copy: Option<JobId>,
) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("annalist-team-sync".to_owned())
        .spawn(move || {
            if let Some(id) = first_copy {
                let outcome = copy(&dir, &|done, total| {
                    super::progress(&events, &*repaint, id, done, total, String::new());
                });
                let copied = outcome.is_ok();
                let _ = events.send(JobEvent::Finished {
                    id,
                    outcome,
                    details: Vec::new(),
                });
                if copied {
                    let _ = events.send(JobEvent::Team {
                        line: "copied".to_owned(),
                        changed: true,
                    });
                }
                repaint();
            }
            let result = follow_team(&dir, INTERVAL, &|| alive.strong_count() == 0, |round| {
                let refused: Vec<String> = round
                    .sent
                    .iter()
                    .flat_map(|s| &s.refused)
                    .map(|r| format!("the team server refused an edit, kept as refused: {r}"))
                    .collect();
                if !refused.is_empty() {
                    let _ = events.try_send(JobEvent::Warnings(refused));
                }
                let _ = events.try_send(JobEvent::Team {
                    line: round.state.to_string(),
                    changed: round.changed(),
                });
                repaint();
            });
            match result {
                Ok(()) | Err(TeamError::NotJoined { .. }) => {}
                Err(e) => {
                    let _ = events.try_send(JobEvent::Team {
                        line: format!("team sync stopped: {e}"),
                        changed: false,
                    });
                    repaint();
                }
            }
        })
        .map(drop)
}

/// The replica's first copy (every article and layer), into SQLite; the writer indexes it.
fn copy(dir: &std::path::Path, progress: &dyn Fn(u64, u64)) -> Result<String, String> {
    let mut reader = Archive::open_reader(dir).map_err(|e| format!("{e:#}"))?;
    let target = reader
        .team_target()
        .map_err(|e| format!("{e:#}"))?
        .ok_or_else(|| "the archive is no team replica".to_owned())?;
    let report = reader
        .pull_from_team(&target, &AtomicBool::new(false), |done, total| {
            progress(done, total);
        })
        .map_err(|e| format!("{e:#}"))?;
    Ok(report.to_string())
}
