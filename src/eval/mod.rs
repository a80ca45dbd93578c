//! Evaluation of the pipeline against gold data: how well the importers do their job.
//!
//! Owns: benchmark runners and their scores. Must not write to the store or the index; it
//! only reads benchmark folders and calls the importers.

pub mod casualties;
pub mod extraction;
pub mod geocoding;
pub mod ner;
pub mod timebank;
