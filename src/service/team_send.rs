//! Sending a team replica's outbox to the server: every edit made on this desktop, in
//! order, as the replica's own login (so the server's row-level security decides), each
//! entry removed only once the server committed it; a refusal is kept and shown, never
//! dropped and never blocking what follows; an unreachable server leaves the queue as it
//! is for the next try. A send replayed after a crash changes nothing on the server.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::ArchiveReader;
use super::team::TeamError;
use crate::model::{Annotation, AnnotationId, link_target_id, link_targets_mut, plural};
use crate::store::{
    OutboxCounts, OutboxEntry, OutboxKind, PgError, PgStore, PgTarget, TeamAnnotation,
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

    /// [`Self::send_outbox`] on a connection the caller keeps (the pull loop's, a
    /// benchmark's).
    pub fn send_outbox_on(
        &mut self,
        team: &mut PgStore,
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
                match self.send_entry(team, entry) {
                    Ok(()) => {
                        self.store.outbox_sent(entry)?;
                        report.sent += 1;
                    }
                    Err(TeamError::Pg(e)) if e.is_connection_lost() => {
                        report.offline = Some(e.to_string());
                        break 'pages;
                    }
                    Err(TeamError::Pg(e)) => {
                        let reason = e.to_string();
                        self.store.outbox_refuse(entry.seq, &reason)?;
                        report.refused.push(format!("{}: {reason}", entry.uid));
                    }
                    Err(other) => return Err(other),
                }
            }
        }
        report.waiting = self.store.outbox_counts()?.waiting;
        Ok(report)
    }

    /// Sends one entry: the annotation as it is here now, its deletion, or nothing when
    /// it is neither (made and deleted before the server saw it is still sent as deleted
    /// only when the server has it).
    fn send_entry(&mut self, team: &mut PgStore, entry: &OutboxEntry) -> Result<(), TeamError> {
        match entry.kind {
            OutboxKind::Annotation => {
                if let Some(annotation) = self.store.annotation_by_uid(&entry.uid)? {
                    let row = self.as_team_row(&annotation)?;
                    team.send_annotation(&row)?;
                } else if let Some(tombstone) = self.store.tombstone_of(&entry.uid)? {
                    team.send_deletion(&tombstone.uid, &tombstone.deleted_at)?;
                }
                Ok(())
            }
            OutboxKind::Article => self.send_article_edit(team, entry),
        }
    }

    /// An annotation as the server holds it: its article by hash, links by uid.
    fn as_team_row(&self, a: &Annotation) -> Result<TeamAnnotation, TeamError> {
        let article_uid = self.store.article_hash(a.article_id)?.ok_or_else(|| {
            PgError::Invalid(format!(
                "annotation {} names article {}, which this replica does not hold",
                a.uid, a.article_id.0
            ))
        })?;
        let mut attrs = a.attrs.clone();
        for item in link_targets_mut(&mut attrs) {
            if let Some(id) = link_target_id(item)
                && let Some(uid) = self.store.uid_of(AnnotationId(id))?
            {
                *item = serde_json::Value::from(uid);
            }
        }
        Ok(TeamAnnotation {
            uid: a.uid.clone(),
            article_uid,
            coder: a.coder.clone(),
            label: a.label.clone(),
            span: a.span,
            text: a.text.clone(),
            attrs,
            status: a.status,
            annotator: a.annotator.clone(),
            created_at: a.created_at.clone(),
            updated_at: a.updated_at.clone(),
            deleted: false,
        })
    }

    /// A metadata edit: the fields it changed, checked against the server's version it
    /// was based on (a conflict is a refusal naming the field and both values); the new
    /// version is kept.
    fn send_article_edit(
        &mut self,
        team: &mut PgStore,
        entry: &OutboxEntry,
    ) -> Result<(), TeamError> {
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
            return Ok(());
        }
        // An edit from before versions were kept is checked field by field.
        let base = entry.base_version.unwrap_or(-1);
        let version = team.send_article_meta(&entry.uid, base, &fields)?;
        if let Some(id) = self.store.article_by_hash(&entry.uid)? {
            self.store.set_team_article_version(id, version)?;
        }
        Ok(())
    }
}
