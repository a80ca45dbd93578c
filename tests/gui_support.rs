//! What the egui_kittest tests share: the real app on an archive in a harness that runs at
//! a display's frame rate, and waiting for its background jobs.

use std::sync::Arc;
use std::time::Duration;

use annalist::app::AnnalistApp;
use annalist::app::state::ThemeChoice;
use egui_kittest::Harness;

pub const WAIT: Duration = Duration::from_secs(60);

/// The app on `dir`, once its writer is ready (a previous app on the same folder may still
/// be letting its writer go).
pub fn app_on(dir: &std::path::Path) -> AnnalistApp {
    for _ in 0..100 {
        let repaint: Arc<dyn Fn() + Send + Sync> = Arc::new(|| {});
        let mut app = AnnalistApp::new(dir, ThemeChoice::Light, repaint).unwrap();
        assert!(app.wait_for_jobs(WAIT), "the archive did not open");
        if app
            .state
            .jobs
            .first()
            .and_then(|j| j.outcome.as_ref())
            .is_some_and(Result::is_ok)
        {
            return app;
        }
        drop(app);
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("the archive {} did not open", dir.display());
}

/// A harness of `size` running the app on `dir`.
pub fn harness_at(dir: &std::path::Path, size: egui::Vec2) -> Harness<'static, AnnalistApp> {
    let app = app_on(dir);
    let mut harness = Harness::builder()
        .with_size(size)
        // A display's frame rate: a double-click's two clicks come within 0.3 s.
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(120)
        .build_ui_state(
            |ui, app: &mut AnnalistApp| {
                if ui.ctx().cumulative_frame_nr() == 0 {
                    annalist::ui::install_fonts(ui.ctx());
                }
                app.logic();
                app.draw(ui);
            },
            app,
        );
    harness.run();
    harness
}

/// Runs frames, waits for background jobs, runs frames again (twice: a job's outcome may
/// start another, such as learning after an acceptance).
pub fn settle(harness: &mut Harness<'static, AnnalistApp>) {
    for _ in 0..2 {
        // Running jobs animate their progress bars, so step rather than run to rest.
        harness.run_steps(3);
        assert!(
            harness.state_mut().wait_for_jobs(WAIT),
            "background jobs did not finish"
        );
    }
    harness.run();
}
