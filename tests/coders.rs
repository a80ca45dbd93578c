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
    assign_every_article_to_ana_and_ben(&cli);
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

/// Gives every article of `cli`'s archive to both ana and ben.
pub fn assign_every_article_to_ana_and_ben(cli: &Cli) {
    cli.ok(&[
        "assign",
        "--coders",
        "ana,ben",
        "--overlap",
        "1",
        "--seed",
        "1",
    ]);
}

/// One article, "Report 0\n\nTiny said the convoy 0 left at dawn.", coded by ana and ben.
fn double_coded() -> Cli {
    let cli = Cli::new();
    import_reports_naming_tiny(&cli, 1);
    assign_every_article_to_ana_and_ben(&cli);
    cli
}

fn layer(cli: &Cli, coder: &str, extra: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec!["--coder", coder];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["annotate", "list", "1", "--json"]);
    json_lines(&cli.ok(&args))
}

#[test]
fn blind_coders_see_only_their_own_layer_and_a_reviewer_sees_both() {
    let cli = double_coded();
    // ana labels "Tiny" (10..14) PER; ben labels it ORG and "dawn" (38..42).
    cli.ok(&[
        "--coder", "ana", "annotate", "add", "1", "--label", "PER", "--start", "10", "--end", "14",
    ]);
    cli.ok(&[
        "--coder", "ben", "annotate", "add", "1", "--label", "ORG", "--start", "10", "--end", "14",
    ]);
    cli.ok(&[
        "--coder", "ben", "annotate", "add", "1", "--label", "LOC", "--start", "38", "--end", "42",
    ]);
    let ana = layer(&cli, "ana", &[]);
    assert_eq!(ana.len(), 1, "{ana:?}");
    assert_eq!(
        (ana[0]["label"].as_str(), ana[0]["coder"].as_str()),
        (Some("PER"), Some("ana"))
    );
    let ben = layer(&cli, "ben", &[]);
    assert_eq!(ben.len(), 2, "{ben:?}");
    assert!(ben.iter().all(|a| a["coder"] == "ben"));
    let review = layer(&cli, "pi", &["--all-layers"]);
    assert_eq!(review.len(), 3, "{review:?}");
    // Nobody changes another coder's layer.
    let ana_id = ana[0]["id"].to_string();
    let out = cli.run(&["--coder", "ben", "annotate", "remove", &ana_id]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains(&format!(
            "annotation {ana_id} is in ana's layer and you code as ben"
        )),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(layer(&cli, "ana", &[]).len(), 1);
}

#[test]
fn each_coder_gets_their_own_suggestions_and_reviews_only_those() {
    let cli = Cli::new();
    cli.import_texts([(
        "quetta.txt".to_owned(),
        "Blast in Quetta\n\nNine people were killed in Quetta on Thursday, police said.\n",
    )]);
    assign_every_article_to_ana_and_ben(&cli);
    let report = |coder: &str| -> serde_json::Value {
        serde_json::from_str(&cli.ok(&["--coder", coder, "suggest", "1", "--json"])).unwrap()
    };
    let ana_made = report("ana")["suggested"].as_u64().unwrap();
    assert!(
        ana_made > 0,
        "the suggester proposes something in the report"
    );
    assert!(
        layer(&cli, "ben", &[]).is_empty(),
        "ben sees none of ana's suggestions"
    );
    assert_eq!(
        report("ben")["suggested"].as_u64().unwrap(),
        ana_made,
        "ben gets his own"
    );
    // ana accepts all of hers; ben's stay suggested, and ben cannot accept ana's by id.
    cli.ok(&["--coder", "ana", "suggestions", "accept", "--article", "1"]);
    let ana = layer(&cli, "ana", &[]);
    assert!(ana.iter().all(|a| a["status"] == "accepted"), "{ana:?}");
    let ben = layer(&cli, "ben", &[]);
    assert!(
        !ben.is_empty() && ben.iter().all(|a| a["status"] == "suggested"),
        "{ben:?}"
    );
    let out = cli.run(&[
        "--coder",
        "ben",
        "suggestions",
        "reject",
        &ana[0]["id"].to_string(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert!(
        layer(&cli, "ana", &[])
            .iter()
            .all(|a| a["status"] == "accepted")
    );
}

#[test]
fn exports_choose_a_layer_and_carry_the_coder() {
    let cli = double_coded();
    cli.ok(&[
        "--coder", "ana", "annotate", "add", "1", "--label", "PER", "--start", "10", "--end", "14",
    ]);
    cli.ok(&[
        "--coder", "ben", "annotate", "add", "1", "--label", "ORG", "--start", "10", "--end", "14",
    ]);
    let spans = |layer: &str| -> Vec<(String, String)> {
        let out = cli.ok(&["export", "--format", "jsonl", "--layer", layer]);
        json_lines(&out)[0]["annotations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (
                    a["label"].as_str().unwrap().to_owned(),
                    a["coder"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    assert_eq!(
        spans("all"),
        [("ORG".into(), "ben".into()), ("PER".into(), "ana".into())]
    );
    assert_eq!(spans("ana"), [("PER".to_owned(), "ana".to_owned())]);
    assert_eq!(spans("coder:ben"), [("ORG".to_owned(), "ben".to_owned())]);
    let csv = cli.ok(&["export", "--format", "csv"]);
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let column = header.iter().position(|c| *c == "coder").unwrap();
    let coders: Vec<String> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(column).unwrap().to_owned())
        .collect();
    assert_eq!(coders, ["ben", "ana"]);
    let out = cli.run(&["export", "--layer", "a,b"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_native_export_of_two_layers_imports_into_the_same_layers() {
    let cli = double_coded();
    cli.ok(&[
        "--coder", "ana", "annotate", "add", "1", "--label", "PER", "--start", "10", "--end", "14",
    ]);
    cli.ok(&[
        "--coder", "ben", "annotate", "add", "1", "--label", "ORG", "--start", "10", "--end", "14",
    ]);
    let path = cli.dir.path().join("both.jsonl");
    cli.ok(&[
        "export",
        "--format",
        "jsonl",
        "--out",
        path.to_str().unwrap(),
    ]);
    let other = Cli::new();
    other.ok(&["--coder", "carl", "import", path.to_str().unwrap()]);
    let all = json_lines(&other.ok(&["--all-layers", "annotate", "list", "1", "--json"]));
    let mut coders: Vec<&str> = all.iter().map(|a| a["coder"].as_str().unwrap()).collect();
    coders.sort_unstable();
    assert_eq!(
        coders,
        ["ana", "ben"],
        "the layers the file names, not the importer's"
    );
}

#[test]
fn a_blind_coders_searches_read_only_their_own_layer() {
    let cli = Cli::new();
    import_reports_naming_tiny(&cli, 2);
    assign_every_article_to_ana_and_ben(&cli);
    // In article 1 ana labels "Tiny" (10..14) PER, ben labels it ORG; each label is
    // suggested on the "Tiny" of article 2 in its coder's layer.
    cli.ok(&[
        "--coder", "ana", "annotate", "add", "1", "--label", "PER", "--start", "10", "--end", "14",
    ]);
    cli.ok(&[
        "--coder", "ben", "annotate", "add", "1", "--label", "ORG", "--start", "10", "--end", "14",
    ]);
    let hits = |coder: &str, extra: &[&str], query: &str| -> Vec<i64> {
        let mut args = vec!["--coder", coder];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["search", query, "--json"]);
        let out = cli.run(&args);
        assert!(
            out.status.code().is_some_and(|c| c <= 1),
            "{}",
            stderr_of(&out)
        );
        json_lines(&String::from_utf8_lossy(&out.stdout))
            .iter()
            .map(|hit| hit["id"].as_i64().unwrap())
            .collect::<std::collections::BTreeSet<i64>>()
            .into_iter()
            .collect()
    };
    assert_eq!(hits("ana", &[], "label:ORG"), Vec::<i64>::new());
    assert_eq!(hits("ben", &[], "label:ORG"), [1, 2]);
    assert_eq!(hits("ana", &[], "label:PER"), [1, 2]);
    assert_eq!(hits("ben", &[], "label:PER"), Vec::<i64>::new());
    assert_eq!(hits("ben", &[], "entity:tiny label:ORG"), [1, 2]);
    assert_eq!(hits("ana", &[], "state:done"), [1]);
    assert_eq!(hits("ana", &[], "state:suggested"), [2]);
    assert_eq!(
        hits("chen", &[], "state:unannotated"),
        [1, 2],
        "chen coded nothing"
    );
    assert_eq!(hits("ana", &[], "state:unannotated"), Vec::<i64>::new());
    // A reviewer searches every layer.
    assert_eq!(hits("pi", &["--all-layers"], "label:ORG"), [1, 2]);
    let facets = |coder: &str| -> serde_json::Value {
        serde_json::from_str(&cli.ok(&["--coder", coder, "search", "", "--facets", "--json"]))
            .unwrap()
    };
    assert_eq!(facets("ana")["labels"], serde_json::json!([["PER", 2]]));
    assert_eq!(facets("ben")["labels"], serde_json::json!([["ORG", 2]]));
    // A blind coder's export by query reads the same layer.
    let path = cli.dir.path().join("ana.jsonl");
    let path = path.to_str().unwrap();
    let export = |coder: &str| {
        cli.ok(&[
            "--coder",
            coder,
            "export",
            "--format",
            "jsonl",
            "--query",
            "label:ORG",
            "--out",
            path,
        ]);
        json_lines(&std::fs::read_to_string(path).unwrap()).len()
    };
    assert_eq!(export("ana"), 0);
    assert_eq!(export("ben"), 2);
}
