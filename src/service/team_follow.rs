//! The team pull loop of a replica (`team sync --follow`, the app's `team-sync` thread):
//! listen to the server's change notifications, and on each (or on a slow timer) send the
//! edits waiting here and copy in the server's changes; offline, keep trying.
//!
//! It works through a reader handle of its own, so it never holds the archive's writer
//! lock: the articles it changes are queued for the index, which the writer catches up.

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use super::team::TeamError;
use super::team_send::{OutboxState, SendReport};
use super::{Archive, ArchiveReader, SyncReport};
use crate::store::{PgError, PgStore, PgTarget};

/// How long one wait for a notification lasts before the loop looks at its stop flag
/// and its own outbox again.
const TICK: Duration = Duration::from_millis(200);
/// How soon an offline loop tries the server again.
const OFFLINE_RETRY: Duration = Duration::from_secs(1);
/// The connect timeout of the loop's connections.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// What one round of the loop did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FollowRound {
    /// The edits sent, when there were any to send.
    pub sent: Option<SendReport>,
    /// The changes copied in, when the server had any.
    pub pulled: Option<SyncReport>,
    /// How the replica stands now.
    pub state: OutboxState,
}

impl FollowRound {
    /// Whether the replica's articles changed (views showing them are out of date).
    pub fn changed(&self) -> bool {
        self.pulled
            .as_ref()
            .is_some_and(|p| p.articles + p.annotations + p.deleted + p.metadata > 0)
    }
}

/// Follows the team server of the replica in `dir` until `stop()` says so: the first
/// round, and every round that sent or copied something or in which the replica went
/// offline or came back, is handed to `on_round`; so is a change in the count of edits
/// waiting (the app's "N edits waiting"). `interval` is the slow timer that catches up
/// even when no notification came.
pub fn follow_team(
    dir: &Path,
    interval: Duration,
    stop: &dyn Fn() -> bool,
    mut on_round: impl FnMut(&FollowRound),
) -> Result<(), TeamError> {
    let mut reader = Archive::open_reader(dir)?;
    let Some(target) = reader.team_target()? else {
        return Err(TeamError::NotJoined {
            dir: dir.display().to_string(),
        });
    };
    let target = target.with_connect_timeout(CONNECT_TIMEOUT);
    let mut listener: Option<PgStore> = None;
    let mut offline = false;
    let mut first = true;
    let mut due = Instant::now();
    let mut reported_waiting = 0;
    while !stop() {
        let counts = reader.outbox_counts()?;
        let waiting = counts.waiting;
        if waiting != reported_waiting && !first {
            reported_waiting = waiting;
            on_round(&FollowRound {
                state: OutboxState { counts, offline },
                ..FollowRound::default()
            });
        }
        let woken = match listener.as_mut() {
            Some(team) => match team.wait_for_changes(TICK) {
                Ok(n) => n > 0,
                Err(e) if e.is_connection_lost() => {
                    listener = None;
                    false
                }
                Err(e) => return Err(e.into()),
            },
            None => {
                std::thread::sleep(TICK);
                false
            }
        };
        let timer = Instant::now() >= due;
        if !(woken || timer || (waiting > 0 && listener.is_some())) {
            continue;
        }
        due = Instant::now() + interval;
        if listener.is_none() {
            listener = listen(&target)?;
        }
        let round = one_round(&mut reader, &target, listener.as_mut())?;
        let now_offline = round.state.offline;
        if first || round.sent.is_some() || round.changed() || now_offline != offline {
            reported_waiting = round.state.counts.waiting;
            on_round(&round);
        }
        first = false;
        offline = now_offline;
        if offline || listener.is_none() {
            // Try again soon (the server may be starting up), not only at the slow timer.
            listener = None;
            due = Instant::now() + interval.min(OFFLINE_RETRY);
        }
    }
    Ok(())
}

/// Connects and listens; `None` when the server cannot be reached now.
fn listen(target: &PgTarget) -> Result<Option<PgStore>, TeamError> {
    match PgStore::open(target).and_then(|mut team| team.listen().map(|()| team)) {
        Ok(team) => Ok(Some(team)),
        Err(e) if e.is_connection_lost() => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Sends what waits, then pulls; an unreachable server makes the round an offline one.
fn one_round(
    reader: &mut ArchiveReader,
    target: &PgTarget,
    listener: Option<&mut PgStore>,
) -> Result<FollowRound, TeamError> {
    let mut round = FollowRound::default();
    let reachable = listener.is_some();
    if reader.outbox_counts()?.waiting > 0 {
        let no = AtomicBool::new(false);
        // The listening connection sends too (notifications wait in its buffer).
        let report = match listener {
            Some(team) => reader.send_outbox_on(team, &no)?,
            None => reader.send_outbox(target, &no)?,
        };
        round.state.offline = report.offline.is_some();
        round.sent = Some(report);
    }
    if reachable && !round.state.offline {
        match reader.pull_from_team(target, &AtomicBool::new(false), |_, _| {}) {
            Ok(report) => round.pulled = Some(report),
            Err(TeamError::Pg(e)) if e.is_connection_lost() => round.state.offline = true,
            Err(e) => return Err(e),
        }
    } else if !reachable {
        round.state.offline = true;
    }
    round.state.counts = reader.outbox_counts()?;
    Ok(round)
}

/// Whether an error means only that the server is out of reach for now.
pub fn is_offline(error: &TeamError) -> bool {
    matches!(error, TeamError::Pg(e) if PgError::is_connection_lost(e))
}
