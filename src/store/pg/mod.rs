//! The team archive on PostgreSQL: connecting as libpq users expect (`connect.rs`), the
//! schema with its roles and row-level security (`schema.rs`), and the team's members.
//!
//! Must not know tantivy, egui or file formats; all SQL is parameterised.

mod connect;
mod error;
mod pull;
mod push;
mod schema;
mod send;

use postgres::Client;

pub use connect::PgTarget;
pub use error::PgError;
pub use pull::{TeamAnnotation, TeamArticle};
pub use push::PushCounts;
pub use schema::PG_SCHEMA_VERSION;

/// A team role: what a member may write (the database enforces it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeamRole {
    /// Writes only their own layer.
    Coder,
    /// Writes the adjudicated layer (and their own), reads all.
    Adjudicator,
    /// Assigns, edits labels, imports, adds members.
    Admin,
}

impl TeamRole {
    /// The role's name (`coder`, `adjudicator`, `admin`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Coder => "coder",
            Self::Adjudicator => "adjudicator",
            Self::Admin => "admin",
        }
    }

    /// Reads a role's name.
    pub fn parse(name: &str) -> Result<Self, PgError> {
        match name {
            "coder" => Ok(Self::Coder),
            "adjudicator" => Ok(Self::Adjudicator),
            "admin" => Ok(Self::Admin),
            other => Err(PgError::Invalid(format!(
                "unknown team role {other:?}: one of coder, adjudicator, admin"
            ))),
        }
    }
}

/// What `team status` tells about a team archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamStatus {
    /// Schema version on the server.
    pub schema_version: i64,
    /// Articles on the server.
    pub articles: i64,
    /// Live annotations on the server, over every layer.
    pub annotations: i64,
    /// The change log's last sequence number (0 when empty).
    pub last_change: i64,
    /// Members with their role, by login.
    pub members: Vec<(String, String)>,
}

/// A connection to a team archive on PostgreSQL.
pub struct PgStore {
    client: Client,
    target: PgTarget,
}

impl PgStore {
    /// Creates or migrates the team schema at `target` (harmless when it is up to date);
    /// returns the store and the version that was there before (0 for a new one).
    pub fn init(target: &PgTarget) -> Result<(Self, i64), PgError> {
        let mut client = target.connect()?;
        let before = schema::migrate(&mut client, &target.to_string())
            .map_err(|e| refused(e, target.user()))?;
        Ok((
            Self {
                client,
                target: target.clone(),
            },
            before,
        ))
    }

    /// Opens an initialised team archive; a missing or newer schema is refused.
    pub fn open(target: &PgTarget) -> Result<Self, PgError> {
        let mut client = target.connect()?;
        schema::check(&mut client, &target.to_string())?;
        Ok(Self {
            client,
            target: target.clone(),
        })
    }

    /// Where this store is connected (without the password).
    pub fn target(&self) -> &PgTarget {
        &self.target
    }

    /// Adds a member (or changes their role and password): a login role in the role's
    /// group, allowed to connect to this database. Needs an admin (or the owner).
    pub fn add_member(
        &mut self,
        login: &str,
        role: TeamRole,
        password: &str,
    ) -> Result<(), PgError> {
        if login.is_empty() || login.len() > 63 {
            return Err(PgError::Invalid(format!(
                "a member's login is 1 to 63 bytes long (PostgreSQL's limit); {login:?} is {} bytes",
                login.len()
            )));
        }
        if login.starts_with("annalist_") || login.starts_with("pg_") {
            return Err(PgError::Invalid(format!(
                "{login:?} starts with a prefix reserved for roles (annalist_, pg_)"
            )));
        }
        self.client
            .execute(
                "SELECT annalist.add_member($1, $2, $3)",
                &[&login, &role.as_str(), &password],
            )
            .map_err(|e| PgError::of_statement(e, self.target.user()))?;
        Ok(())
    }

    /// Counts, the change log's head and the members.
    pub fn status(&mut self) -> Result<TeamStatus, PgError> {
        let schema_version = schema::check(&mut self.client, &self.target.to_string())?;
        let row = self.client.query_one(
            "SELECT (SELECT count(*) FROM annalist.articles),
                    (SELECT count(*) FROM annalist.annotations WHERE NOT deleted),
                    (SELECT coalesce(max(seq), 0) FROM annalist.changes)",
            &[],
        )?;
        let members = self
            .client
            .query(
                "SELECT login, role FROM annalist.members ORDER BY login",
                &[],
            )?
            .into_iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        Ok(TeamStatus {
            schema_version,
            articles: row.get(0),
            annotations: row.get(1),
            last_change: row.get(2),
            members,
        })
    }
}

/// A migration refused for want of rights is named as such.
fn refused(error: PgError, user: &str) -> PgError {
    match error {
        PgError::Db(e) => PgError::of_statement(e, user),
        other => other,
    }
}
