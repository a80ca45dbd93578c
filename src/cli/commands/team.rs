//! `annalist team init|add-coder|push|join|status|send|sync`: the team archive on PostgreSQL.

use std::io::BufRead;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use anyhow::Context;

use crate::cli::args::TeamCommand;
use crate::cli::opening::{open, open_read};
use crate::cli::{EXIT_OK, output};
use crate::service::{
    FollowRound, OutboxState, PG_SCHEMA_VERSION, PgStore, PgTarget, TeamRole, follow_team,
    team_init,
};

/// Runs a `team` subcommand and prints what it did.
pub(in crate::cli) fn team(dir: Option<PathBuf>, command: TeamCommand) -> anyhow::Result<u8> {
    match command {
        TeamCommand::Init { url } => {
            let target = PgTarget::parse(&url)?;
            let before = team_init(&target)?;
            let line = if before == PG_SCHEMA_VERSION {
                format!("team archive at {target} is up to date (schema version {before})")
            } else if before == 0 {
                format!("created the team archive at {target} (schema version {PG_SCHEMA_VERSION})")
            } else {
                format!(
                    "migrated the team archive at {target} from schema version {before} to {PG_SCHEMA_VERSION}"
                )
            };
            println!("{}", output::line(&line));
        }
        TeamCommand::AddCoder { name, role, url } => {
            let role = TeamRole::parse(&role)?;
            let password = member_password(&name)?;
            let target = PgTarget::parse(&url)?;
            let mut team = PgStore::open(&target)?;
            team.add_member(&name, role, &password)?;
            println!(
                "{}",
                output::line(&format!("{name} is a team {} of {target}", role.as_str()))
            );
        }
        TeamCommand::Push { url } => {
            let target = PgTarget::parse(&url)?;
            let mut archive = open_read(dir)?;
            let bar = output::progress_bar("push");
            let report =
                archive.push_to_team(&target, &AtomicBool::new(false), |done, total| {
                    bar.set_length(total);
                    bar.set_position(done);
                })?;
            bar.finish_and_clear();
            println!("{}", output::line(&report.to_string()));
        }
        TeamCommand::Join { url } => {
            let target = PgTarget::parse(&url)?;
            crate::service::use_team_login(&target);
            let mut archive = open(dir)?;
            let bar = output::progress_bar("join");
            let report =
                archive.sync_from_team(&target, &AtomicBool::new(false), |done, total| {
                    bar.set_length(total);
                    bar.set_position(done);
                })?;
            bar.finish_and_clear();
            println!("{}", output::line(&report.to_string()));
        }
        TeamCommand::Status { url, json } => return status(dir, url, json),
        TeamCommand::Send => {
            let mut archive = open_read(dir)?;
            let Some(target) = archive.team_target()? else {
                anyhow::bail!("this archive is not a team replica: nothing to send");
            };
            let report = archive.send_outbox(&target, &AtomicBool::new(false))?;
            for refused in &report.refused {
                eprintln!("warning: refused by the server: {}", output::line(refused));
            }
            let state = OutboxState {
                counts: archive.outbox_counts()?,
                offline: report.offline.is_some(),
            };
            println!(
                "{}",
                output::line(&format!("sent {} edits to {target}; {state}", report.sent))
            );
            if let Some(reason) = report.offline {
                eprintln!("note: {}", output::line(&reason));
                return Ok(crate::cli::EXIT_NOTHING);
            }
        }
        TeamCommand::Sync {
            follow,
            interval_ms,
        } => return sync(dir, follow, interval_ms),
    }
    Ok(EXIT_OK)
}

/// The new member's password: $ANNALIST_MEMBER_PASSWORD, else one line of standard input.
fn member_password(name: &str) -> anyhow::Result<String> {
    if let Ok(password) = std::env::var("ANNALIST_MEMBER_PASSWORD")
        && !password.is_empty()
    {
        return Ok(password);
    }
    eprintln!("password for {}:", output::line(name));
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the new member's password from standard input")?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    anyhow::ensure!(
        !password.is_empty(),
        "no password given for {name}: set ANNALIST_MEMBER_PASSWORD or type it on standard input"
    );
    Ok(password)
}

/// `team sync`: once (send, pull, index), or following the server until stopped.
fn sync(dir: Option<PathBuf>, follow: bool, interval_ms: u64) -> anyhow::Result<u8> {
    if !follow {
        let mut archive = open(dir)?;
        let Some(target) = archive.team_target()? else {
            anyhow::bail!("this archive is not a team replica: join one with `team join URL`");
        };
        let sent = archive.send_outbox(&target, &AtomicBool::new(false))?;
        for refused in &sent.refused {
            eprintln!("warning: refused by the server: {}", output::line(refused));
        }
        if let Some(reason) = sent.offline {
            anyhow::bail!("{reason}");
        }
        let report = archive.sync_from_team(&target, &AtomicBool::new(false), |_, _| {})?;
        println!(
            "{}",
            output::line(&format!("sent {} edits; {report}", sent.sent))
        );
        return Ok(EXIT_OK);
    }
    let dir = dir
        .or_else(crate::service::default_archive_dir)
        .context("no archive folder: pass --archive DIR or set ANNALIST_ARCHIVE")?;
    eprintln!("following the team server (stop with Ctrl-C)");
    follow_team(
        &dir,
        std::time::Duration::from_millis(interval_ms.max(100)),
        &|| false,
        |round: &FollowRound| {
            let mut line = Vec::new();
            if let Some(sent) = &round.sent {
                line.push(format!("sent {} edits", sent.sent));
                for refused in &sent.refused {
                    eprintln!("warning: refused by the server: {}", output::line(refused));
                }
            }
            if let Some(pulled) = round.pulled.as_ref().filter(|_| round.changed()) {
                line.push(pulled.to_string());
            }
            line.push(round.state.to_string());
            println!("{}", output::line(&line.join("; ")));
        },
    )?;
    Ok(EXIT_OK)
}

/// `team status`: the server's counts and members; on a replica first how its edits
/// stand ("offline, N edits waiting" when the server cannot be reached).
fn status(dir: Option<PathBuf>, url: Option<String>, json: bool) -> anyhow::Result<u8> {
    let replica = replica_state(dir)?;
    let target = match (&url, &replica) {
        (Some(url), _) => PgTarget::parse(url)?,
        (None, Some((target, ..))) => target.clone(),
        (None, None) => anyhow::bail!(
            "no team server: pass --url URL (or set ANNALIST_TEAM_URL), or run it in a replica (--archive DIR)"
        ),
    };
    let server = match PgStore::open(&target).and_then(|mut t| t.status()) {
        Ok(status) => Some(status),
        Err(e) if e.is_connection_lost() && replica.is_some() => None,
        Err(e) => return Err(e.into()),
    };
    if json {
        let mut value = serde_json::json!({});
        if let Some(status) = &server {
            let members: Vec<_> = status
                .members
                .iter()
                .map(|(login, role)| serde_json::json!({"login": login, "role": role}))
                .collect();
            value = serde_json::json!({
                "schema_version": status.schema_version,
                "articles": status.articles,
                "annotations": status.annotations,
                "last_change": status.last_change,
                "members": members,
            });
        }
        if let Some((_, state, refused)) = &replica {
            value["outbox"] = serde_json::json!({
                "waiting": state.counts.waiting,
                "refused": state.counts.refused,
                "offline": state.offline,
                "refused_edits": refused.iter().map(|e| serde_json::json!({
                    "uid": e.uid, "queued_at": e.queued_at, "reason": e.refused,
                })).collect::<Vec<_>>(),
            });
        }
        output::json_line(&mut output::stdout(), &value)?;
        return Ok(EXIT_OK);
    }
    if let Some((target, state, refused)) = &replica {
        println!("{}", output::line(&format!("replica of {target}: {state}")));
        for entry in refused {
            println!(
                "{}",
                output::line(&format!(
                    "refused: {} (queued {}): {}",
                    entry.uid,
                    entry.queued_at,
                    entry.refused.as_deref().unwrap_or_default()
                ))
            );
        }
    }
    let Some(status) = server else {
        return Ok(EXIT_OK);
    };
    println!("{}", output::line(&format!("team archive {target}")));
    println!("schema version {}", status.schema_version);
    println!(
        "{} articles, {} annotations",
        status.articles, status.annotations
    );
    println!("change log at {}", status.last_change);
    for (login, role) in &status.members {
        println!("{}", output::line(&format!("member {login} ({role})")));
    }
    Ok(EXIT_OK)
}

/// How a replica stands (its server, its outbox, what was refused), after one more try
/// to send what waits; `None` where the folder holds no archive or is no replica.
fn replica_state(
    dir: Option<PathBuf>,
) -> anyhow::Result<Option<(PgTarget, OutboxState, Vec<crate::service::OutboxEntry>)>> {
    let Some(dir) = dir.or_else(crate::service::default_archive_dir) else {
        return Ok(None);
    };
    if !dir.join(crate::service::DATABASE_FILE).is_file() {
        return Ok(None);
    }
    let mut archive = open_read(Some(dir))?;
    let Some(target) = archive.team_target()? else {
        return Ok(None);
    };
    let sent = archive.send_waiting(std::time::Duration::from_secs(3))?;
    let offline = match sent {
        Some(report) => report.offline.is_some(),
        None => PgStore::open(&target.with_connect_timeout(std::time::Duration::from_secs(3)))
            .is_err_and(|e| e.is_connection_lost()),
    };
    let state = OutboxState {
        counts: archive.outbox_counts()?,
        offline,
    };
    let refused = archive.refused_edits(20)?;
    Ok(Some((target, state, refused)))
}
