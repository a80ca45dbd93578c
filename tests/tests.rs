//! Integration tests, linked as one binary: the real CLI and the real app on temporary
//! archives, and the library against the shared corpora.
//!
//! Where a new test goes (one module per concern; `support` and `gui_support` are helpers):
//! - ignored by `cargo test` and run by `.ci/run`: tests that need root (`#[ignore = "needs
//!   root ..."]`: a full disk, immutable files; they mount only inside `unshare -m`), and the
//!   real-window tests;
//! - tests that read `../shared/corpora` carry
//!   `#[cfg_attr(not(feature = "corpora"), ignore = ...)]`: `cargo test --features corpora`.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    unreachable_pub,
    reason = "tests fail loudly on purpose, and their helpers are not an API"
)]

/// Adjudication through the CLI: units, actions, provenance, export, coders who change.
mod adjudication;
/// `annalist agree` on three coders' layers; the cross-check against the Python packages
/// (ignored unless run with `--ignored` and `ANNALIST_AGREE_VENV`, as `.ci/run` does).
mod agreement;
/// Bad files imported beside good ones: exit code, message (file, line, reason), rest stored.
mod bad_input;
/// Bundles across laptops: merges in every order, repeated, with edits, deletions and hostile files.
mod bundles;
/// The CLI end to end on the project's fixtures: import, search, annotate, export, check.
mod cli;
/// Several coders: assignment, queues, coder layers, blind mode, through the real CLI.
mod coders;
/// The third-party corpora (`--features corpora`): counts, encodings, offsets in Python.
mod corpora;
/// SIGKILL at random points of imports and edit streams; the archive opens sound after each.
mod crash;
/// The event datasets (`events-ucdp`, `events-acled`) and their evidence files; pandas
/// beside the real UCDP file (ignored unless run with `--ignored` and `ANNALIST_AGREE_VENV`).
mod event_datasets;
/// Events across articles through the CLI: the strikes article's two events traced to their
/// spans, the grouping fixture set against its gold grouping, hostile use.
mod events;
/// Exports, backups, the lock and terminal output never destroy or disguise data.
mod export_safety;
/// Every export format read back by real readers; round trips through import.
mod formats;
/// The app through egui_kittest: reading, selecting, labelling, searching, undo.
mod gui;
/// The coding team's side of the app without a window: the coder's name asked on first
/// start, coder settings, the queue and its done marks, the Agreement view and its CSV.
mod gui_coders;
/// The app's dialogs and status line through egui_kittest.
mod gui_dialogs;
/// The events view through egui_kittest: table sorting, a row opens the reader, the
/// search and the timeline restrict the table.
mod gui_events;
/// A place's coordinates, region and precision edited in the inspector (egui_kittest).
mod gui_geo;
/// Findings of the real-window review that the app's logic decides (egui_kittest + CLI).
mod gui_review;
/// Helper: the real app in a kittest harness at a display's frame rate.
mod gui_support;
/// Hostile importer input: links, non-regular files, line ends, ids, invisible text.
mod hostile_import;
/// A damaged or unwritable index: every command still works; check and repair.
mod index_damage;
/// The layer rules of docs/ARCHITECTURE.md, checked on the source.
mod layers;
/// Learning from accepted spans, bounded: function words, confirmation, taking back.
mod learning;
/// What a package installs: `--version`, completions and man pages from clap.
mod packaging;
/// The exports read by the tools researchers use (ignored unless run with `--ignored` and
/// `ANNALIST_AGREE_VENV`, as `.ci/run` does).
mod readers;
/// The built binary in Xvfb driven by xdotool (ignored; `.ci/run` runs them).
mod real_window;
/// Adjudication in the real window: two blind coders, then the adjudicator by keyboard
/// (ignored; `.ci/run` runs it with the other real-window tests).
mod real_window_adjudication;
/// The coding team's side of the app in a real window (ignored; `.ci/run` runs them with
/// the other real-window tests).
mod real_window_coders;
/// The events view in a real window: its shortcut, a row opening the claim, screenshots
/// of the table, the timeline and the map (ignored; `.ci/run` runs it).
mod real_window_events;
/// The tagger learning from the coder in a real window: its key, the learned ORG with its
/// confidence (ignored; `.ci/run` runs it with the other real-window tests).
mod real_window_tagger;
/// The store contract, one suite against SQLite and PostgreSQL (the latter ignored unless
/// run with `--ignored` and `ANNALIST_TEST_PG`).
mod store_contract;
/// Suggestions end to end: the worked example, decisions that stick, batch review.
mod suggest;
/// Helper: the real binary on a temporary archive, Python slicing, privileged guards.
mod support;
/// The entity tagger: `eval ner` on CoNLL files (and against seqeval, ignored), `model`.
mod tagger;
/// The team archive on PostgreSQL (ignored unless run with `--ignored` and
/// `ANNALIST_TEST_PG`, as `.ci/run` does): init, roles and row-level security through
/// `psql`, passwords, injection attempts, push repeated and killed.
mod team;
/// Faults between replicas and the team server, each on a throwaway server of its own:
/// stopped, restarted mid-stream, a client killed mid-send, the network refused, the app's
/// pull loop offline and back (ignored unless run with `--ignored` and `ANNALIST_TEST_PG`).
mod team_faults;
/// A team replica's edits sent to the server through its outbox, and the server's changes
/// followed by other desktops (ignored unless run with `--ignored` and `ANNALIST_TEST_PG`).
mod team_sync;
/// A team replica in a real window: a span labelled offline waits, then reaches the server
/// (ignored; named `team_pg_*`, `.ci/run` runs it with the PostgreSQL tests).
mod team_window;
