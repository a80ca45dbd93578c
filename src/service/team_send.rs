//! Sending a team replica's outbox to the server: every edit made on this desktop, in
//! order, as the replica's own login (so the server's row-level security decides), each
//! entry removed only once the server committed it; a refusal is kept and shown, never
//! dropped and never blocking what follows; an unreachable server leaves the queue as it
//! is for the next try. A send replayed after a crash changes nothing on the server.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::ArchiveReader;
use super::team::TeamError;
use crate::model::plural;
use crate::store::{
    ContractError, OutboxCounts, OutboxEntry, OutboxKind, PgStore, PgTarget, SharedStore,
};

/// The `meta` key holding the connection string (without its password) a replica sends as.
pub(super) const TEAM_URL_KEY: &str = "team_url";

/// Entries read from the outbox at a time.
const SEND_PAGE: usize = 200;

/// What one send did, and what is left.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SendReport {
    /// Entries the server committed (or had already).
    pub sent: u64,
    /// Entries the server refused now, with its reason.
    pub refused: Vec<String>,
    /// Entries still waiting.
    pub waiting: u64,
    /// Why the server could not be reached, when it could not.
    pub offline: Option<String>,
}

/// How a replica stands with its server, for `team status` and the app's status bar.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutboxState {
    /// The outbox's counts.
    pub counts: OutboxCounts,
    /// Whether the last try to reach the server failed.
    pub offline: bool,
}

impl std::fmt::Display for OutboxState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let waiting = plural(
            usize::try_from(self.counts.waiting).unwrap_or(usize::MAX),
            "edit",
            "edits",
        );
        match (self.offline, self.counts.waiting) {
            (true, _) => write!(f, "offline, {waiting} waiting")?,
            (false, 0) => write!(f, "all edits sent")?,
            (false, _) => write!(f, "{waiting} waiting")?,
        }
        if self.counts.refused > 0 {
            write!(
                f,
                "; {} refused by the server (`annalist team status` lists them)",
                plural(
                    usize::try_from(self.counts.refused).unwrap_or(usize::MAX),
                    "edit",
                    "edits"
                )
            )?;
        }
        Ok(())
    }
}

/// The team logins this process was given (`--archive postgres://user:password@…`), used
/// for a replica of that server and user instead of looking the password up again.
static SESSION_LOGINS: std::sync::Mutex<Vec<PgTarget>> = std::sync::Mutex::new(Vec::new());

/// Remembers, for this process only, the login (with its password) a replica of that
/// server is reached with; it is never written anywhere.
pub fn use_team_login(target: &PgTarget) {
    if let Ok(mut logins) = SESSION_LOGINS.lock() {
        logins.push(target.clone());
    }
}

impl ArchiveReader {
    /// The server and login this replica sends as (the password from this process's
    /// [`use_team_login`], `PGPASSWORD` or the password file), or `None` when the archive
    /// is no replica.
    pub fn team_target(&self) -> Result<Option<PgTarget>, TeamError> {
        let Some(conn) = self.store.meta_value(TEAM_URL_KEY)? else {
            return Ok(None);
        };
        let stored = PgTarget::parse(&conn)?;
        let session = SESSION_LOGINS.lock().ok().and_then(|logins| {
            logins
                .iter()
                .rev()
                .find(|s| s.server() == stored.server() && s.user() == stored.user())
                .cloned()
        });
        Ok(Some(session.unwrap_or(stored)))
    }

    /// The outbox's counts (all zero on an archive that is no replica).
    pub fn outbox_counts(&self) -> Result<OutboxCounts, TeamError> {
        Ok(self.store.outbox_counts()?)
    }

    /// The edits the server refused, oldest first, at most `limit`.
    pub fn refused_edits(&self, limit: usize) -> Result<Vec<OutboxEntry>, TeamError> {
        Ok(self.store.outbox_refused(limit)?)
    }

    /// Sends what waits, if anything does, to this replica's server with a short connect
    /// timeout (the CLI after a command, the app's sender thread); `None` when there is
    /// nothing to send or the archive is no replica.
    pub fn send_waiting(
        &mut self,
        connect_timeout: Duration,
    ) -> Result<Option<SendReport>, TeamError> {
        if self.store.outbox_counts()?.waiting == 0 {
            return Ok(None);
        }
        let Some(target) = self.team_target()? else {
            return Ok(None);
        };
        let target = target.with_connect_timeout(connect_timeout);
        self.send_outbox(&target, &AtomicBool::new(false)).map(Some)
    }

    /// Sends the outbox to `target` in order until it is empty, the server cannot be
    /// reached (the rest waits) or `cancel` is set.
    pub fn send_outbox(
        &mut self,
        target: &PgTarget,
        cancel: &AtomicBool,
    ) -> Result<SendReport, TeamError> {
        let mut team = match PgStore::open(target) {
            Ok(team) => team,
            Err(e) if e.is_connection_lost() => {
                return Ok(SendReport {
                    offline: Some(e.to_string()),
                    waiting: self.store.outbox_counts()?.waiting,
                    ..SendReport::default()
                });
            }
            Err(e) => return Err(e.into()),
        };
        self.send_outbox_on(&mut team, cancel)
    }

    /// [`Self::send_outbox`] into a store the caller keeps open (the pull loop's
    /// connection, a benchmark's), through the store contract.
    pub fn send_outbox_on(
        &mut self,
        team: &mut dyn SharedStore,
        cancel: &AtomicBool,
    ) -> Result<SendReport, TeamError> {
        let mut report = SendReport::default();
        'pages: loop {
            let page = self.store.outbox_waiting(SEND_PAGE)?;
            if page.is_empty() {
                break;
            }
            for entry in &page {
                if cancel.load(Ordering::Relaxed) {
                    break 'pages;
                }
                match self.send_entry(team, entry)? {
                    Ok(()) => {
                        self.store.outbox_sent(entry)?;
                        report.sent += 1;
                    }
                    Err(e) if e.is_connection_lost() => {
                        report.offline = Some(e.to_string());
                        break 'pages;
                    }
                    Err(e) => {
                        let reason = e.to_string();
                        self.store.outbox_refuse(entry.seq, &reason)?;
                        report.refused.push(format!("{}: {reason}", entry.uid));
                    }
                }
            }
        }
        report.waiting = self.store.outbox_counts()?.waiting;
        Ok(report)
    }

    /// Sends one entry: the annotation as it is here now, its deletion, or nothing when
    /// it is neither (made and deleted before the server saw it is still sent as deleted
    /// only when the server has it). The outer error is this replica's own; the inner one
    /// is the server's (unreachable, or a refusal).
    fn send_entry(
        &mut self,
        team: &mut dyn SharedStore,
        entry: &OutboxEntry,
    ) -> Result<Result<(), ContractError>, TeamError> {
        match entry.kind {
            OutboxKind::Annotation => {
                // The annotation as it is here now, read through the contract too.
                let here = SharedStore::annotations_by_uid(
                    &mut self.store,
                    std::slice::from_ref(&entry.uid),
                )?;
                Ok(match here.first() {
                    Some(row) if row.deleted => {
                        team.delete_by_uid(&row.uid, &row.updated_at).map(drop)
                    }
                    Some(row) => team.put_annotation(row).map(drop),
                    None => Ok(()),
                })
            }
            OutboxKind::Article => self.send_article_edit(team, entry),
        }
    }

    /// A metadata edit: the fields it changed, checked against the server's version it
    /// was based on (a conflict is a refusal naming the field and both values); the new
    /// version is kept.
    fn send_article_edit(
        &mut self,
        team: &mut dyn SharedStore,
        entry: &OutboxEntry,
    ) -> Result<Result<(), ContractError>, TeamError> {
        let payload: serde_json::Value = entry
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok())
            .unwrap_or_default();
        let text = |v: &serde_json::Value| v.as_str().map(str::to_owned);
        let mut fields = Vec::new();
        for column in ["title", "published", "url", "source"] {
            let (before, after) = (text(&payload[column][0]), text(&payload[column][1]));
            if before != after {
                fields.push((column, before, after));
            }
        }
        if fields.is_empty() {
            return Ok(Ok(()));
        }
        // An edit from before versions were kept is checked field by field.
        let base = entry.base_version.unwrap_or(-1);
        let version = match team.edit_article_meta(&entry.uid, base, &fields) {
            Ok(version) => version,
            Err(e) => return Ok(Err(e)),
        };
        if let Some(id) = self.store.article_by_hash(&entry.uid)? {
            self.store.set_team_article_version(id, version)?;
        }
        Ok(Ok(()))
    }
}
