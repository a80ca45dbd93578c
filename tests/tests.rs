//! Integration tests, linked as one binary: the real CLI on temporary archives, and the
//! library against the shared corpora.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    unreachable_pub,
    reason = "tests fail loudly on purpose, and their helpers are not an API"
)]

mod bad_input;
mod cli;
mod corpora;
mod crash;
mod export_safety;
mod formats;
mod gui;
mod gui_dialogs;
mod gui_review;
mod gui_support;
mod hostile_import;
mod index_damage;
mod layers;
mod learning;
mod real_window;
mod suggest;
mod support;
