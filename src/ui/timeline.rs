//! The events timeline (egui_plot): deaths per day, week or month as bars, the low–high
//! band as two lines, events and sources on hover; a click on a bar filters the table to it.

use chrono::{Datelike, NaiveDate};
use egui_plot::{Bar, BarChart, Line, Plot, PlotPoints};

use crate::app::state::{EventsView, ThemeChoice};
use crate::model::event_stats::{Period, TimeBin, Timeline};

use super::theme;

/// Days since 1970-01-01: the plot's x.
fn day_number(date: NaiveDate) -> f64 {
    f64::from(date.num_days_from_ce() - 719_163)
}

/// The date of a plot x.
fn date_of(x: f64) -> Option<NaiveDate> {
    #[expect(clippy::cast_possible_truncation, reason = "a day number of the plot")]
    let days = x.floor() as i32;
    NaiveDate::from_num_days_from_ce_opt(days.checked_add(719_163)?)
}

/// What a bar says on hover.
pub(super) fn bin_text(bin: &TimeBin, period: Period) -> String {
    let band = if bin.low == bin.high {
        String::new()
    } else {
        format!(" ({}–{})", bin.low, bin.high)
    };
    let when = match period {
        Period::Day => bin.start.to_string(),
        Period::Week => format!("week of {}", bin.start),
        Period::Month => bin.start.format("%Y-%m").to_string(),
    };
    format!(
        "{when}: {} dead{band} · {} · {}",
        bin.best,
        crate::model::plural(bin.events, "event", "events"),
        crate::model::plural(bin.sources, "source", "sources")
    )
}

/// The switch, then the plot (public for the frame benchmark); a click on a bar sets (or
/// clears) `view.picked_bin`.
pub fn timeline_ui(
    ui: &mut egui::Ui,
    view: &mut EventsView,
    timeline: &Timeline,
    theme_choice: ThemeChoice,
    height: f32,
) {
    ui.horizontal(|ui| {
        ui.label("deaths per");
        for period in Period::ALL {
            if ui
                .selectable_label(view.period == period, period.name())
                .clicked()
                && view.period != period
            {
                view.period = period;
                view.picked_bin = None;
            }
        }
        if timeline.undated > 0 {
            ui.weak(format!(
                "({} without a date, not drawn)",
                crate::model::plural(timeline.undated, "event", "events")
            ));
        }
        if let Some(start) = view.picked_bin
            && ui
                .button(format!("× only {}", start))
                .on_hover_text("Show every event in the table again")
                .clicked()
        {
            view.picked_bin = None;
        }
    });
    let period = view.period;
    let width = match period {
        Period::Day => 0.9,
        Period::Week => 6.3,
        Period::Month => 27.0,
    };
    let fill = theme::event_fill(theme_choice);
    let bars: Vec<Bar> = timeline
        .bins
        .iter()
        .map(|bin| {
            #[expect(clippy::cast_precision_loss, reason = "deaths in a plot")]
            let best = bin.best as f64;
            // No name per bar: thousands of texts a frame; the hover text is made for the
            // one bar hovered (the formatter below).
            Bar::new(day_number(bin.start) + width / 2.0, best)
                .width(width)
                .fill(if view.picked_bin == Some(bin.start) {
                    fill.gamma_multiply(0.5)
                } else {
                    fill
                })
        })
        .collect();
    #[expect(clippy::cast_precision_loss, reason = "deaths in a plot")]
    let band = |figure: fn(&TimeBin) -> u64| -> PlotPoints<'static> {
        timeline
            .bins
            .iter()
            .map(|bin| [day_number(bin.start) + width / 2.0, figure(bin) as f64])
            .collect()
    };
    let band_color = theme::event_band(theme_choice);
    let hover_bins = timeline.bins.clone();
    let response = Plot::new("events-timeline")
        .height(height)
        .allow_scroll(false)
        .include_y(0.0)
        .show_grid([false, true])
        .x_axis_formatter(|mark, _| date_of(mark.value).map_or_else(String::new, |d| d.to_string()))
        .label_formatter(|_| None)
        .show(ui, |plot| {
            plot.bar_chart(BarChart::new("deaths", bars).element_formatter(Box::new(
                move |bar, _| {
                    hover_bins
                        .iter()
                        .find(|b| (day_number(b.start) + width / 2.0 - bar.argument).abs() < 0.5)
                        .map(|b| bin_text(b, period))
                        .unwrap_or_default()
                },
            )));
            plot.line(
                Line::new("low", band(|b| b.low))
                    .color(band_color)
                    .width(1.0),
            );
            plot.line(
                Line::new("high", band(|b| b.high))
                    .color(band_color)
                    .width(1.0),
            );
        });
    if response.response.clicked()
        && let Some(pos) = response.response.interact_pointer_pos()
        && let Some(date) = date_of(response.transform.value_from_position(pos).x)
    {
        let start = period.start_of(date);
        let hit = timeline.bins.iter().any(|b| b.start == start);
        view.picked_bin = (hit && view.picked_bin != Some(start)).then_some(start);
    }
}
