//! A place's attributes in the inspector, driven through egui_kittest as a keyboard drives
//! them: a suggested LOC shows its coordinates, region and precision; typed coordinates are
//! checked and saved, a choice of `where_prec` is saved, and undo takes an edit back.

use annalist::app::AnnalistApp;
use annalist::app::command::Command;
use annalist::model::{Annotation, ArticleId};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

use crate::gui_support::{harness_at, settle};
use crate::support::{Cli, fixtures, json_lines};

const STRIKES: &str = "Pakistan and Iran trade cross-border strikes";

fn push(harness: &mut Harness<'static, AnnalistApp>, command: Command) {
    harness.state_mut().push(command);
    settle(harness);
}

/// The strikes article open with its suggestions, and the suggested LOC "Saravan" selected.
fn saravan_selected(cli: &Cli) -> (Harness<'static, AnnalistApp>, Annotation) {
    cli.ok(&[
        "import",
        fixtures().join("news").to_str().unwrap(),
        "--published",
        "2024-01-19",
    ]);
    let rows = json_lines(&cli.ok(&["list", "--json"]));
    let id = rows
        .iter()
        .find(|r| r["title"] == STRIKES)
        .and_then(|r| r["id"].as_i64())
        .unwrap();
    let mut harness = harness_at(&cli.archive(), egui::vec2(1400.0, 900.0));
    push(&mut harness, Command::OpenArticle(ArticleId(id)));
    push(&mut harness, Command::Suggest { all: false });
    let saravan = stored(&harness, "Saravan");
    push(&mut harness, Command::SelectAnnotation(Some(saravan.id)));
    (harness, saravan)
}

/// The open article's first LOC annotation over `text`, as the app holds it after a save.
fn stored(harness: &Harness<'static, AnnalistApp>, text: &str) -> Annotation {
    let reader = harness.state().state.reader.as_ref().unwrap();
    reader
        .annotations
        .iter()
        .find(|a| a.text == text && a.label == "LOC")
        .unwrap_or_else(|| panic!("no LOC {text:?} in {:#?}", reader.annotations))
        .clone()
}

/// A key as a keyboard sends it: pressed (with the text it types, if any), then released.
fn key(harness: &mut Harness<'static, AnnalistApp>, key: egui::Key, modifiers: egui::Modifiers) {
    let event = |pressed| egui::Event::Key {
        key,
        physical_key: Some(key),
        pressed,
        repeat: false,
        modifiers,
    };
    harness.event(event(true));
    harness.event(event(false));
    harness.run();
}

/// Types `text` one character at a time, each as a key press with its text event.
fn type_keys(harness: &mut Harness<'static, AnnalistApp>, text: &str) {
    for c in text.chars() {
        let name = c.to_string();
        let key = egui::Key::from_name(&name).unwrap_or_else(|| panic!("no key for {c:?}"));
        let event = |pressed| egui::Event::Key {
            key,
            physical_key: Some(key),
            pressed,
            repeat: false,
            modifiers: egui::Modifiers::NONE,
        };
        harness.event(event(true));
        harness.event(egui::Event::Text(name));
        harness.event(event(false));
        harness.run();
    }
}

/// Replaces the text of the inspector field `label` by `text` and leaves it with Tab.
fn retype(harness: &mut Harness<'static, AnnalistApp>, label: &str, text: &str) {
    harness
        .get_by_role_and_label(Role::TextInput, label)
        .focus();
    harness.run();
    key(harness, egui::Key::A, egui::Modifiers::COMMAND);
    type_keys(harness, text);
    key(harness, egui::Key::Tab, egui::Modifiers::NONE);
    settle(harness);
}

#[test]
fn a_place_s_coordinates_and_precision_are_shown_edited_checked_and_undone() {
    let cli = Cli::new();
    let (mut harness, saravan) = saravan_selected(&cli);
    // The suggestion carries the gazetteer's point, region and precision, and shows them.
    let lat = saravan.attrs["lat"].as_f64().expect("a suggested latitude");
    assert!((lat - 27.37).abs() < 0.01, "{:?}", saravan.attrs);
    assert_eq!(saravan.attrs["adm1"], "Sistan and Baluchestan");
    assert_eq!(saravan.attrs["where_prec"], 1);
    let shown = harness.get_by_role_and_label(Role::TextInput, "lat");
    assert_eq!(shown.value().as_deref(), Some(lat.to_string().as_str()));
    let precision = harness.get_by_role_and_label(Role::ComboBox, "where_prec");
    assert!(
        format!("{precision:?}").contains("1 exact place"),
        "where_prec shown by name: {precision:?}"
    );

    // A latitude out of range is refused with the reason, and nothing is stored.
    retype(&mut harness, "lat", "95.5");
    assert!(
        harness
            .query_by_label_contains("lat must be a number from -90 to 90")
            .is_some(),
        "the inspector says why"
    );
    assert_eq!(
        stored(&harness, "Saravan").attrs["lat"],
        saravan.attrs["lat"]
    );

    // A good one is stored as a number.
    retype(&mut harness, "lat", "27.25");
    assert_eq!(stored(&harness, "Saravan").attrs["lat"], 27.25);
    assert!(
        harness
            .query_by_label_contains("must be a number")
            .is_none(),
        "the error is gone"
    );

    // The precision is chosen from UCDP's list by name and stored as its number.
    harness
        .get_by_role_and_label(Role::ComboBox, "where_prec")
        .click();
    harness.run();
    harness
        .get_by_label("4 first-order region (province)")
        .click();
    settle(&mut harness);
    assert_eq!(stored(&harness, "Saravan").attrs["where_prec"], 4);

    // The CLI sees what the app stored; undo takes the last edit back.
    let listed = cli.ok(&[
        "annotate",
        "list",
        "--json",
        &saravan.article_id.0.to_string(),
    ]);
    assert!(listed.contains("\"where_prec\":4"), "{listed}");
    push(&mut harness, Command::Undo);
    let after_undo = stored(&harness, "Saravan");
    assert_eq!(after_undo.attrs["where_prec"], 1);
    assert_eq!(after_undo.attrs["lat"], 27.25);
}
