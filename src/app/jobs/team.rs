//! The team pull loop of a replica open in the app: a named thread that sends the edits
//! this desktop made (the outbox) and copies in the server's changes whenever the server
//! announces one, and says how the replica stands ("offline, N edits waiting") for the
//! status bar. It reads and writes SQLite through a handle of its own; the writer thread
//! indexes what it copied in when the app asks it to.

use std::path::PathBuf;
use std::sync::mpsc::SyncSender;
use std::sync::{Arc, Weak};
use std::time::Duration;

use super::JobEvent;
use crate::service::{TeamError, follow_team};

/// The slow timer of the loop: it catches up even when no notification arrived.
const INTERVAL: Duration = Duration::from_secs(5);

/// Starts the loop on the archive in `dir` (it ends at once when the archive is no
/// replica); it stops when `alive` has no owner left (the archive was closed).
pub(super) fn start(
    dir: PathBuf,
    events: SyncSender<JobEvent>,
    repaint: Arc<dyn Fn() + Send + Sync>,
    alive: Weak<()>,
) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("annalist-team-sync".to_owned())
        .spawn(move || {
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
