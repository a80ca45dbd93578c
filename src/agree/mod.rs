//! Agreement between coders: Krippendorff's α (nominal, ordinal, interval, ratio), Cohen's
//! and Fleiss' κ, span F1 with exact and overlapping boundaries, BIO tags of tokens,
//! Krippendorff's unitizing α_u, and the report that puts them together over coded
//! articles.
//!
//! Owns: the measures, as pure functions over coded spans given as plain data. Must not:
//! read the store, the index or files, or know how a coder's layer is chosen (the service
//! decides that, in `service/agreement.rs`).

pub mod alpha;
pub mod kappa;
mod report;
pub mod spans;
pub mod tokens;
pub mod unitizing;
pub mod values;

pub use alpha::{Alpha, Metric};
pub use report::{
    CodedArticle, CodedSpan, CoderValue, Disagreement, LabelFigures, PairFigures, PairLabel,
    Partial, Report, SpanF1, ValueFigure, report,
};
