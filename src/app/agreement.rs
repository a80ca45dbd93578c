//! The Agreement view's use of the service: computing the report on a background job with
//! the view's coder and label filters, turning it into the rows the view shows, saving it as
//! the CSV `annalist agree --csv` prints, and opening an article at a disagreement's span.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crate::model::{ArticleId, plural};
use crate::service::{AgreementOptions, AgreementReport, agreement_rows};

use super::AnnalistApp;
use super::jobs::{JobId, JobKind};
use super::state::{AgreementView, DisagreementRow, DisagreementSide, FigureRow};

/// A measure of the CSV as the table names it.
fn measure_name(measure: &str) -> &'static str {
    match measure {
        "f1_exact" => "F1 exact",
        "f1_overlap" => "F1 overlap",
        "cohen_kappa_tokens" => "Cohen's κ (tokens)",
        "fleiss_kappa_tokens" => "Fleiss' κ (tokens)",
        "unitizing_alpha" => "α_u (spans)",
        "alpha_values" => "α (values)",
        _ => "other",
    }
}

/// Fills the view with `report`: the summary, one row per figure, the disagreements.
fn show_report(view: &mut AgreementView, report: AgreementReport) {
    view.summary = format!(
        "coders: {} · {} coded by two or more ({} by all, {} by one only, not measured)",
        report.coders.join(", "),
        plural(report.articles, "article", "articles"),
        report.complete_articles,
        report.single_coder_articles
    );
    view.partial = (report.partial.articles > 0).then(|| {
        format!(
            "{} ({}) coded by only some coders: in the pairs' figures and the values' α, not in Fleiss' κ nor α_u",
            plural(report.partial.articles, "article", "articles"),
            plural(report.partial.tokens, "token", "tokens")
        )
    });
    view.rows = agreement_rows(&report)
        .into_iter()
        .map(|row| FigureRow {
            measure: measure_name(row.measure),
            label: row.label.to_owned(),
            attribute: [row.attribute, row.metric]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" · "),
            coders: match row.pair {
                Some((a, b)) => format!("{a} ~ {b}"),
                None => format!("{} coders", row.coders),
            },
            value: row.value,
            rests_on: format!(
                "{}, {}, {}",
                plural(row.articles, "article", "articles"),
                plural(row.units, row.unit.trim_end_matches('s'), row.unit),
                plural(row.coders, "coder", "coders")
            ),
        })
        .collect();
    view.disagreements = report
        .disagreements
        .iter()
        .map(|d| DisagreementRow {
            article_id: d.article_id,
            label: d.label.clone(),
            attribute: d.attribute.clone(),
            sides: d
                .spans
                .iter()
                .map(|s| DisagreementSide {
                    coder: s.coder.clone(),
                    start: s.start,
                    end: s.end,
                    text: s.text.clone(),
                    value: s.value.clone(),
                })
                .collect(),
        })
        .collect();
    // The coders to filter by: every coder the report saw, ticks kept.
    for coder in &report.coders {
        if !view.coders.iter().any(|(c, _)| c == coder) {
            view.coders.push((coder.clone(), false));
        }
    }
    view.coders.sort();
    view.report = Some(report);
}

impl AnnalistApp {
    /// `Command::ShowAgreement`: opens the view; the first time, the coders assigned are
    /// offered as filters and the report is computed.
    pub(super) fn show_agreement(&mut self) {
        let view = &mut self.state.coders.agreement;
        view.open = true;
        if view.report.is_some() || view.job.is_some() {
            return;
        }
        match self.archive.coder_work() {
            Ok(work) => {
                for w in work {
                    if !view.coders.iter().any(|(c, _)| *c == w.coder) {
                        view.coders.push((w.coder, false));
                    }
                }
                view.coders.sort();
            }
            Err(e) => view.message = Some(Err(format!("{e:#}"))),
        }
        self.compute_agreement();
    }

    /// `Command::ComputeAgreement`: a job with progress and cancel; a report still being
    /// computed is cancelled first.
    pub(super) fn compute_agreement(&mut self) {
        if let Some(old) = self.state.coders.agreement.job.take() {
            self.cancel_job(old);
        }
        let view = &self.state.coders.agreement;
        let options = AgreementOptions {
            coders: view
                .coders
                .iter()
                .filter(|(_, ticked)| *ticked)
                .map(|(c, _)| c.clone())
                .collect(),
            label: view.label.clone(),
            query: None,
        };
        let cancel = Arc::new(AtomicBool::new(false));
        let id = self.jobs.agreement(options, Arc::clone(&cancel));
        self.new_job(id, JobKind::Agreement, cancel);
        let view = &mut self.state.coders.agreement;
        view.job = Some(id);
        view.message = None;
    }

    /// The agreement job's report (or why there is none).
    pub(super) fn agreement_computed(
        &mut self,
        id: JobId,
        result: Result<Option<AgreementReport>, String>,
    ) {
        let view = &mut self.state.coders.agreement;
        if view.job != Some(id) {
            return;
        }
        view.job = None;
        match result {
            Ok(Some(report)) => show_report(view, report),
            Ok(None) => {
                view.message = Some(Err("cancelled; the table shows the last report".to_owned()))
            }
            Err(e) => {
                view.report = None;
                view.rows.clear();
                view.disagreements.clear();
                view.summary.clear();
                view.partial = None;
                view.message = Some(Err(e));
            }
        }
    }

    /// `Command::SaveAgreementCsv`: at the typed path, else where the system dialog says;
    /// written on a job of its own.
    pub(super) fn save_agreement_csv(&mut self, path: Option<PathBuf>) {
        let Some(report) = self.state.coders.agreement.report.clone() else {
            self.state.coders.agreement.message = Some(Err(
                "nothing to save yet: compute the report first".to_owned(),
            ));
            return;
        };
        let path = match path {
            Some(path) => path,
            None => {
                let picked = rfd::FileDialog::new()
                    .add_filter("csv", &["csv"])
                    .set_file_name("agreement.csv")
                    .save_file();
                let Some(path) = picked else {
                    self.state.coders.agreement.message = Some(Err(
                        "no file was picked (if no system file dialog appeared, type the path beside Save)".to_owned(),
                    ));
                    return;
                };
                path
            }
        };
        let view = &mut self.state.coders.agreement;
        view.csv_path = path.display().to_string();
        view.message = Some(Ok(format!("saving to {}…", path.display())));
        let id = self.jobs.save_agreement_csv(report, path);
        self.new_job(id, JobKind::Export, Arc::default());
    }

    /// `Command::OpenArticleAt`: the article opens with the span selected and in view.
    pub(super) fn open_article_at(&mut self, article: ArticleId, start: usize, end: usize) {
        self.open_article(article);
        if let Some(reader) = &mut self.state.reader
            && reader.article.id == article
        {
            reader.selection = Some((start, end));
            reader.scroll_to = Some(start);
        }
    }
}
