//! Annalist: a local archive for conflict-news research.
//!
//! Layers (arrows mean "may use"): `cli -> service -> {store, index, import, export} -> model`.
//! See `docs/ARCHITECTURE.md`.

pub mod agree;
pub mod app;
pub mod cli;
pub mod eval;
pub mod export;
pub mod import;
pub mod index;
pub mod model;
pub mod service;
pub mod store;
pub mod suggest;
pub mod ui;
