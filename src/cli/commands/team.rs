//! `annalist team init|add-coder|push|status`: the team archive on PostgreSQL.

use std::io::BufRead;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use anyhow::Context;

use crate::cli::args::TeamCommand;
use crate::cli::opening::{open, open_read};
use crate::cli::{EXIT_OK, output};
use crate::service::{PG_SCHEMA_VERSION, PgStore, PgTarget, TeamRole, team_init};

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
            let archive = open_read(dir)?;
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
        TeamCommand::Status { url, json } => {
            let target = PgTarget::parse(&url)?;
            let status = PgStore::open(&target)?.status()?;
            if json {
                let members: Vec<_> = status
                    .members
                    .iter()
                    .map(|(login, role)| serde_json::json!({"login": login, "role": role}))
                    .collect();
                let value = serde_json::json!({
                    "schema_version": status.schema_version,
                    "articles": status.articles,
                    "annotations": status.annotations,
                    "last_change": status.last_change,
                    "members": members,
                });
                output::json_line(&mut output::stdout(), &value)?;
            } else {
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
            }
        }
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
