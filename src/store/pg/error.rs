//! The team store's errors: what the server said, named so a coder knows what to do.

/// Errors of the PostgreSQL team store.
#[derive(Debug, thiserror::Error)]
pub enum PgError {
    /// The connection string (or a `PG*` variable) cannot be read.
    #[error("bad connection string: {reason}")]
    BadConnectionString {
        /// What is wrong with it.
        reason: String,
    },
    /// The server refused the password (or there was none to give).
    #[error(
        "the server at {target} refused the password for user {user:?} (wrong password, or none given: set PGPASSWORD, a ~/.pgpass line, or answer the prompt)"
    )]
    WrongPassword {
        /// The server (without the password).
        target: String,
        /// The user that tried.
        user: String,
    },
    /// The server cannot be reached (refused, timed out, no such host).
    #[error("cannot reach the PostgreSQL server at {target}: {reason}")]
    Unreachable {
        /// The server (without the password).
        target: String,
        /// What the network said.
        reason: String,
    },
    /// TLS could not be set up.
    #[error("TLS setup failed: {0}")]
    Tls(String),
    /// The team schema was written by a newer Annalist; it is left untouched.
    #[error(
        "the team archive at {target} has schema version {found}; this build knows up to {supported}: upgrade Annalist to use it"
    )]
    NewerSchema {
        /// Version found on the server.
        found: i64,
        /// Newest version this build knows.
        supported: i64,
        /// The server (without the password).
        target: String,
    },
    /// The database holds no team archive yet.
    #[error("{target} holds no team archive: run `annalist team init` on it first")]
    NotInitialised {
        /// The server (without the password).
        target: String,
    },
    /// The database refused an operation to this role (its policies or grants).
    #[error("the team archive refused this to {user:?}: {message}")]
    Refused {
        /// The user.
        user: String,
        /// The server's message.
        message: String,
    },
    /// An article metadata edit was based on an older version than the server's, and
    /// the server's value of a field it changes is another: nothing was overwritten.
    #[error(transparent)]
    Conflict(crate::store::MetaConflict),
    /// A value handed in is not acceptable (a role name, a coder name).
    #[error("{0}")]
    Invalid(String),
    /// Any other error the server or the connection gave.
    #[error("PostgreSQL: {}", db_message(.0))]
    Db(postgres::Error),
}

impl From<postgres::Error> for PgError {
    fn from(error: postgres::Error) -> Self {
        Self::Db(error)
    }
}

impl PgError {
    /// Names a failed connection: a refused password, an unreachable server, or else the
    /// server's own message.
    pub(super) fn from_connect(error: postgres::Error, target: &str, user: &str) -> Self {
        use postgres::error::SqlState;
        if let Some(code) = error.code() {
            if *code == SqlState::INVALID_PASSWORD
                || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
            {
                return Self::WrongPassword {
                    target: target.to_owned(),
                    user: user.to_owned(),
                };
            }
            return Self::Db(error);
        }
        let text = db_message(&error);
        if text.contains("password missing") {
            return Self::WrongPassword {
                target: target.to_owned(),
                user: user.to_owned(),
            };
        }
        Self::Unreachable {
            target: target.to_owned(),
            reason: text,
        }
    }

    /// Names a refusal by the database's grants or policies.
    pub(super) fn of_statement(error: postgres::Error, user: &str) -> Self {
        use postgres::error::SqlState;
        if error.code() == Some(&SqlState::INSUFFICIENT_PRIVILEGE) {
            return Self::Refused {
                user: user.to_owned(),
                message: db_message(&error),
            };
        }
        Self::Db(error)
    }

    /// Whether the connection is lost (worth retrying later), not refused.
    pub fn is_connection_lost(&self) -> bool {
        match self {
            Self::Unreachable { .. } => true,
            // Class 08 is a connection exception; class 57 the server shutting down or
            // restarting (`terminating connection due to administrator command`).
            Self::Db(e) => {
                e.is_closed()
                    || e.code()
                        .is_none_or(|c| c.code().starts_with("08") || c.code().starts_with("57"))
            }
            _ => false,
        }
    }
}

/// The server's message (with its detail) or the client's, with the source chain.
fn db_message(error: &postgres::Error) -> String {
    if let Some(db) = error.as_db_error() {
        return match db.detail() {
            Some(detail) => format!("{} ({detail})", db.message()),
            None => db.message().to_owned(),
        };
    }
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
