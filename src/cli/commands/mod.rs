//! One file per command (or group of commands): each opens the archive, calls the service
//! and prints what it did. Parsing is in `args.rs`, dispatch in `cli/mod.rs`.

pub(super) mod adjudicate;
pub(super) mod agree;
pub(super) mod annotate;
pub(super) mod articles;
pub(super) mod bundle;
pub(super) mod coding;
pub(super) mod demo;
pub(super) mod edit;
pub(super) mod eval;
pub(super) mod events;
pub(super) mod export;
pub(super) mod generate;
pub(super) mod import;
pub(super) mod labels;
pub(super) mod maintenance;
pub(super) mod model;
pub(super) mod review;
pub(super) mod search;
pub(super) mod suggest;
pub(super) mod team;
