//! The eframe glue: the window's options, the archive the app opens first, and the split of
//! a frame into `logic` and `ui`; settings are persisted on the way out.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context as _;

use crate::service::{DATABASE_FILE, default_archive_dir, demo_archive_dir, open_demo};
use crate::ui;

use super::AnnalistApp;
use super::settings::{SETTINGS_KEY, Settings};

/// The eframe wrapper: splits a frame into `logic` and `ui`, and persists settings.
struct EframeApp {
    app: AnnalistApp,
}

impl eframe::App for EframeApp {
    fn logic(&mut self, _ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.app.logic();
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.app.draw(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.app.settings());
    }
}

/// Which archive the app opens: the one asked for, else the last one, else the demo.
fn choose_archive(asked: Option<PathBuf>, settings: &Settings) -> anyhow::Result<PathBuf> {
    if let Some(dir) = asked {
        return Ok(dir);
    }
    if let Some(last) = settings
        .last_archive
        .as_ref()
        .filter(|d| d.join(DATABASE_FILE).exists())
    {
        return Ok(last.clone());
    }
    let demo = demo_archive_dir()
        .or_else(default_archive_dir)
        .context("no folder for the demo archive: pass --archive DIR")?;
    // Loads the demo articles on first start; later starts find them there.
    open_demo(&demo)
        .with_context(|| format!("cannot create the demo archive {}", demo.display()))?;
    Ok(demo)
}

/// Runs the desktop app until its window closes.
pub fn run_gui(archive: Option<PathBuf>) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Annalist")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([720.0, 480.0])
            .with_drag_and_drop(true),
        ..eframe::NativeOptions::default()
    };
    eframe::run_native(
        "Annalist",
        options,
        Box::new(move |cc| {
            let settings: Settings = cc
                .storage
                .and_then(|s| eframe::get_value(s, SETTINGS_KEY))
                .unwrap_or_default();
            ui::install_fonts(&cc.egui_ctx);
            let dir = choose_archive(archive, &settings)?;
            let ctx = cc.egui_ctx.clone();
            let repaint: Arc<dyn Fn() + Send + Sync> = Arc::new(move || ctx.request_repaint());
            let mut app = AnnalistApp::new(&dir, settings.theme, repaint)?;
            app.restore(&settings);
            Ok(Box::new(EframeApp { app }))
        }),
    )
    .map_err(|e| anyhow::anyhow!("the window could not be opened: {e}"))
}
