//! Several coders on one corpus through the real CLI: articles spread over coders with a
//! share double-coded, each coder's queue and done marks.

use crate::support::{Cli, import_reports_naming_tiny, json_lines};

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn assign_spreads_articles_with_the_overlap_asked_and_the_seed_reproduces_it() {
    let one = Cli::new();
    let two = Cli::new();
    for cli in [&one, &two] {
        import_reports_naming_tiny(cli, 20);
    }
    let report = one.ok(&[
        "assign",
        "--coders",
        "ana,ben,چن",
        "--overlap",
        "0.25",
        "--seed",
        "11",
    ]);
    assert_eq!(
        report.trim(),
        "assigned 20 articles to 3 coders (ana 9, ben 8, چن 8); 5 double-coded (overlap 0.25, seed 11)"
    );
    two.ok(&[
        "assign",
        "--coders",
        "ana,ben,چن",
        "--overlap",
        "0.25",
        "--seed",
        "11",
    ]);
    let queues = |cli: &Cli| {
        ["ana", "ben", "چن"]
            .map(|coder| cli.ok(&["--coder", coder, "queue", "--json"]))
            .join("")
    };
    assert_eq!(queues(&one), queues(&two), "the same seed, the same plan");
    let all: Vec<serde_json::Value> = ["ana", "ben", "چن"]
        .iter()
        .flat_map(|c| json_lines(&one.ok(&["--coder", c, "queue", "--json"])))
        .collect();
    assert_eq!(all.len(), 25);
    let double: Vec<&serde_json::Value> = all
        .iter()
        .filter(|e| e["coders"].as_array().unwrap().len() == 2)
        .collect();
    assert_eq!(double.len(), 10, "5 articles, each in two queues");
    // Assigning again leaves every article with the coders it has.
    let again = one.ok(&["assign", "--coders", "dee", "--seed", "1"]);
    assert_eq!(
        again.trim(),
        "nothing assigned: every article chosen has its coders already (20 articles)"
    );
}

#[test]
fn a_coder_marks_done_in_their_own_queue_only() {
    let cli = Cli::new();
    import_reports_naming_tiny(&cli, 4);
    cli.ok(&[
        "assign",
        "--coders",
        "ana,ben",
        "--overlap",
        "1",
        "--seed",
        "3",
    ]);
    assert_eq!(
        cli.ok(&["--coder", "ana", "done", "2"]).trim(),
        "article 2 is done for ana"
    );
    let ana = json_lines(&cli.ok(&["--coder", "ana", "queue", "--json"]));
    let ben = json_lines(&cli.ok(&["--coder", "ben", "queue", "--json"]));
    assert_eq!(
        ana.last().unwrap()["article_id"],
        2,
        "done comes last: {ana:?}"
    );
    assert!(ana.last().unwrap()["done_at"].is_string());
    assert!(ben.iter().all(|e| e["done_at"].is_null()), "{ben:?}");
    let counts = cli.ok(&["queue", "--all"]);
    assert_eq!(
        counts,
        "ana\t4 assigned\t1 done\t3 to do\nben\t4 assigned\t0 done\t4 to do\n"
    );
    cli.ok(&["--coder", "ana", "done", "2", "--undo"]);
    let ana = json_lines(&cli.ok(&["--coder", "ana", "queue", "--json"]));
    assert!(ana.iter().all(|e| e["done_at"].is_null()));
}

#[test]
fn bad_coders_and_shares_are_refused_by_name() {
    let cli = Cli::new();
    import_reports_naming_tiny(&cli, 2);
    let cases: [(&[&str], &str); 6] = [
        (&["assign", "--coders", "a,a"], "coder 'a' is named twice"),
        (
            &["assign", "--coders", "a", "--overlap", "1.5"],
            "'1.5' is not a share from 0 to 1",
        ),
        (&["assign", "--coders", "@adjudicated"], "starts with '@'"),
        (
            &["queue"],
            "say whose queue: --coder NAME, or set ANNALIST_CODER",
        ),
        (
            &["--coder", "ana", "done", "1"],
            "article 1 is not assigned to ana",
        ),
        (&["--coder", "ana", "done", "99"], "no article with id 99"),
    ];
    for (args, message) in cases {
        let out = cli.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr_of(&out).contains(message),
            "{args:?}: {}",
            stderr_of(&out)
        );
    }
}
