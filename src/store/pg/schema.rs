//! The team archive's schema on PostgreSQL: versioned migrations (in `annalist.meta`), the
//! group roles coder, adjudicator and admin, their grants, and the row-level security
//! policies that let a coder write only their own layer, whatever client they connect with.

use postgres::Client;

use super::PgError;

/// Newest team schema version this build writes and reads.
pub const PG_SCHEMA_VERSION: i64 = 1;

/// The group roles, made once per cluster (a concurrent `init` that made one first is fine).
const GROUPS: &str = "
DO $$
DECLARE g text;
BEGIN
    FOREACH g IN ARRAY ARRAY['annalist_coder', 'annalist_adjudicator', 'annalist_admin'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = g) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', g);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
            END;
        END IF;
    END LOOP;
END $$;";

/// Each entry migrates from version `index` to `index + 1`.
const MIGRATIONS: &[&str] = &[
    // 0 -> 1: articles (keyed by content hash, as bundles key them), labels, annotations in
    // coder layers (keyed by their global uid, deleted as a mark so the deletion travels),
    // members, assignments, and the change log every desktop pulls from.
    "
CREATE TABLE annalist.articles (
    uid TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    published TEXT,
    url TEXT,
    source TEXT,
    imported_at TEXT NOT NULL,
    origin_path TEXT,
    origin_format TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE TABLE annalist.labels (
    name TEXT PRIMARY KEY,
    description TEXT NOT NULL DEFAULT '',
    color TEXT NOT NULL,
    shortcut TEXT,
    position INTEGER NOT NULL
);
CREATE TABLE annalist.annotations (
    uid TEXT PRIMARY KEY,
    article_uid TEXT NOT NULL REFERENCES annalist.articles(uid),
    coder TEXT NOT NULL,
    label TEXT NOT NULL,
    start_cp INTEGER NOT NULL CHECK (start_cp >= 0),
    end_cp INTEGER NOT NULL CHECK (end_cp > start_cp),
    text TEXT NOT NULL,
    attrs JSONB NOT NULL DEFAULT '{}',
    status TEXT NOT NULL CHECK (status IN ('suggested', 'accepted', 'rejected')),
    annotator TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX annotations_by_article ON annalist.annotations(article_uid);
CREATE TABLE annalist.members (
    login TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('coder', 'adjudicator', 'admin')),
    added_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE annalist.assignments (
    article_uid TEXT NOT NULL REFERENCES annalist.articles(uid),
    coder TEXT NOT NULL,
    assigned_at TEXT NOT NULL,
    done_at TEXT,
    PRIMARY KEY (article_uid, coder)
);
CREATE TABLE annalist.changes (
    seq BIGSERIAL PRIMARY KEY,
    tbl TEXT NOT NULL,
    key TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);

CREATE FUNCTION annalist.is_admin() RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT pg_has_role(current_user, 'annalist_admin', 'member') $$;

-- Whether the current login may write a row of `layer`: an admin any, an adjudicator the
-- adjudicated layer and their own, a coder only their own.
CREATE FUNCTION annalist.may_write(layer text) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT annalist.is_admin()
        OR layer = current_user::text
        OR (layer = '@adjudicated'
            AND pg_has_role(current_user, 'annalist_adjudicator', 'member'))
$$;

-- Every change is logged in commit order: the lock is held until the writing transaction
-- ends, so a desktop that read up to sequence N never later meets a smaller one.
CREATE FUNCTION annalist.log_change() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, annalist AS $$
DECLARE k text := to_jsonb(NEW) ->> TG_ARGV[0];
BEGIN
    PERFORM pg_advisory_xact_lock(7310418);
    IF TG_ARGV[1] IS NOT NULL THEN
        k := k || '/' || (to_jsonb(NEW) ->> TG_ARGV[1]);
    END IF;
    INSERT INTO annalist.changes (tbl, key) VALUES (TG_TABLE_NAME, k);
    PERFORM pg_notify('annalist_changes', TG_TABLE_NAME);
    RETURN NEW;
END $$;
CREATE TRIGGER articles_log AFTER INSERT OR UPDATE ON annalist.articles
    FOR EACH ROW EXECUTE FUNCTION annalist.log_change('uid');
CREATE TRIGGER labels_log AFTER INSERT OR UPDATE ON annalist.labels
    FOR EACH ROW EXECUTE FUNCTION annalist.log_change('name');
CREATE TRIGGER annotations_log AFTER INSERT OR UPDATE ON annalist.annotations
    FOR EACH ROW EXECUTE FUNCTION annalist.log_change('uid');
CREATE TRIGGER assignments_log AFTER INSERT OR UPDATE ON annalist.assignments
    FOR EACH ROW EXECUTE FUNCTION annalist.log_change('article_uid', 'coder');

-- An annotation never moves to another layer (that would take it from its coder).
CREATE FUNCTION annalist.keep_layer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.coder IS DISTINCT FROM OLD.coder OR NEW.uid IS DISTINCT FROM OLD.uid THEN
        RAISE EXCEPTION 'an annotation stays in its layer (%)', OLD.coder
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER annotations_keep_layer BEFORE UPDATE ON annalist.annotations
    FOR EACH ROW EXECUTE FUNCTION annalist.keep_layer();

ALTER TABLE annalist.annotations ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_all ON annalist.annotations FOR SELECT USING (true);
CREATE POLICY insert_own ON annalist.annotations FOR INSERT
    WITH CHECK (annalist.may_write(coder));
CREATE POLICY update_own ON annalist.annotations FOR UPDATE
    USING (true) WITH CHECK (annalist.may_write(coder));
CREATE POLICY delete_admin ON annalist.annotations FOR DELETE USING (annalist.is_admin());

ALTER TABLE annalist.assignments ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_all ON annalist.assignments FOR SELECT USING (true);
CREATE POLICY admin_assigns ON annalist.assignments FOR ALL
    USING (annalist.is_admin()) WITH CHECK (annalist.is_admin());
CREATE POLICY coder_marks_done ON annalist.assignments FOR UPDATE
    USING (coder = current_user::text) WITH CHECK (coder = current_user::text);

GRANT USAGE ON SCHEMA annalist TO annalist_coder, annalist_adjudicator, annalist_admin;
GRANT SELECT ON ALL TABLES IN SCHEMA annalist
    TO annalist_coder, annalist_adjudicator, annalist_admin;
GRANT INSERT, UPDATE ON annalist.annotations TO annalist_coder, annalist_adjudicator;
GRANT UPDATE (done_at) ON annalist.assignments TO annalist_coder, annalist_adjudicator;
GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA annalist TO annalist_admin;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA annalist TO annalist_admin;
REVOKE INSERT, UPDATE, DELETE ON annalist.changes FROM annalist_admin;

-- A member's login role, in one team role's group; its password is hashed by the server.
CREATE FUNCTION annalist.add_member(member text, team_role text, secret text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE grp text := CASE team_role WHEN 'coder' THEN 'annalist_coder'
    WHEN 'adjudicator' THEN 'annalist_adjudicator' WHEN 'admin' THEN 'annalist_admin' END;
BEGIN
    IF grp IS NULL THEN
        RAISE EXCEPTION 'unknown team role %', team_role USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = member) THEN
        EXECUTE format('ALTER ROLE %I WITH LOGIN PASSWORD %L', member, secret);
    ELSE
        EXECUTE format('CREATE ROLE %I WITH LOGIN PASSWORD %L', member, secret);
    END IF;
    SET LOCAL client_min_messages = error;
    EXECUTE format('REVOKE annalist_coder, annalist_adjudicator, annalist_admin FROM %I', member);
    EXECUTE format('GRANT %I TO %I', grp, member);
    IF team_role = 'admin' THEN
        EXECUTE format('ALTER ROLE %I CREATEROLE', member);
    END IF;
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), member);
    INSERT INTO annalist.members (login, role) VALUES (member, team_role)
        ON CONFLICT (login) DO UPDATE SET role = EXCLUDED.role;
END $$;
",
];

/// Creates or migrates the team schema; a newer one is refused, an up-to-date one is left
/// as it is (so running `team init` twice is harmless).
pub(super) fn migrate(client: &mut Client, target: &str) -> Result<i64, PgError> {
    client.batch_execute(GROUPS)?;
    let mut tx = client.transaction()?;
    // One migrating client at a time per database.
    tx.execute("SELECT pg_advisory_xact_lock(7310417)", &[])?;
    tx.batch_execute(
        "CREATE SCHEMA IF NOT EXISTS annalist;
         CREATE TABLE IF NOT EXISTS annalist.meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
         GRANT USAGE ON SCHEMA annalist TO annalist_coder, annalist_adjudicator, annalist_admin;
         GRANT SELECT ON annalist.meta TO annalist_coder, annalist_adjudicator, annalist_admin;",
    )?;
    let found = read_version(&mut tx)?.unwrap_or(0);
    if found > PG_SCHEMA_VERSION {
        return Err(PgError::NewerSchema {
            found,
            supported: PG_SCHEMA_VERSION,
            target: target.to_owned(),
        });
    }
    for version in found..PG_SCHEMA_VERSION {
        let Some(sql) = usize::try_from(version)
            .ok()
            .and_then(|v| MIGRATIONS.get(v))
        else {
            continue;
        };
        tx.batch_execute(sql)?;
    }
    tx.execute(
        "INSERT INTO annalist.meta (key, value) VALUES ('schema_version', $1)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        &[&PG_SCHEMA_VERSION.to_string()],
    )?;
    // Only the team's members connect (roles are cluster-wide, the database is not).
    tx.execute(
        "DO $$ BEGIN EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM PUBLIC', current_database()); END $$",
        &[],
    )?;
    tx.commit()?;
    Ok(found)
}

/// The schema version on the server: `None` where there is no team schema.
pub(super) fn read_version(
    client: &mut impl postgres::GenericClient,
) -> Result<Option<i64>, PgError> {
    let exists: bool = client
        .query_one("SELECT to_regclass('annalist.meta') IS NOT NULL", &[])?
        .get(0);
    if !exists {
        return Ok(None);
    }
    let row = client.query_opt(
        "SELECT value FROM annalist.meta WHERE key = 'schema_version'",
        &[],
    )?;
    Ok(row.and_then(|r| r.get::<_, String>(0).parse().ok()))
}

/// Checks the server's schema is one this build reads.
pub(super) fn check(client: &mut Client, target: &str) -> Result<i64, PgError> {
    match read_version(client)? {
        None | Some(0) => Err(PgError::NotInitialised {
            target: target.to_owned(),
        }),
        Some(found) if found > PG_SCHEMA_VERSION => Err(PgError::NewerSchema {
            found,
            supported: PG_SCHEMA_VERSION,
            target: target.to_owned(),
        }),
        Some(found) => Ok(found),
    }
}
