//! What a package installs beside the binary: `annalist --version` names the crate and the
//! archive schema, shell completions and man pages come from the clap definitions
//! (`annalist generate`, hidden), and `scripts/build-deb.sh` uses them.

use std::process::Command;

use annalist::service::SCHEMA_VERSION;

fn annalist(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(args)
        .env_remove("ANNALIST_ARCHIVE")
        .output()
        .unwrap()
}

fn stdout(args: &[&str]) -> String {
    let out = annalist(args);
    assert!(
        out.status.success(),
        "annalist {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn version_names_the_crate_and_the_schema() {
    let said = stdout(&["--version"]);
    assert_eq!(
        said,
        format!(
            "annalist {} (archive schema {SCHEMA_VERSION})\n",
            env!("CARGO_PKG_VERSION")
        )
    );
    assert_eq!(stdout(&["-V"]), said);
}

#[test]
fn completions_cover_the_subcommands_in_every_shell() {
    let bash = stdout(&["generate", "completions", "bash"]);
    assert!(
        bash.contains("_annalist()") && bash.contains("complete -F _annalist"),
        "{bash}"
    );
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = stdout(&["generate", "completions", shell]);
        for word in [
            "import",
            "export",
            "adjudicate",
            "archive",
            "include-suggestions",
        ] {
            assert!(script.contains(word), "{shell} lacks {word}");
        }
    }
    let fish = stdout(&["generate", "completions", "fish"]);
    assert!(fish.contains("complete -c annalist"), "{fish}");
    let refused = annalist(&["generate", "completions", "tcsh"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("tcsh"));
}

#[test]
fn man_pages_are_written_for_the_command_and_its_subcommands() {
    let dir = tempfile::tempdir().unwrap();
    let man = dir.path().join("man1");
    stdout(&["generate", "man", man.to_str().unwrap()]);
    let page = std::fs::read_to_string(man.join("annalist.1")).unwrap();
    assert!(
        page.starts_with(".ie \\n(.g .ds Aq") || page.contains(".TH annalist 1"),
        "{page}"
    );
    assert!(page.contains(".TH annalist 1"), "{page}");
    assert!(page.contains("annalist\\-export(1)"), "{page}");
    let export = std::fs::read_to_string(man.join("annalist-export.1")).unwrap();
    assert!(export.contains("\\-\\-format"), "{export}");
    assert!(
        !man.join("annalist-generate.1").exists(),
        "the hidden command has no page"
    );
}

#[test]
fn the_generate_command_is_hidden_from_help() {
    let help = stdout(&["--help"]);
    assert!(
        help.contains("export") && !help.contains("generate"),
        "{help}"
    );
}
