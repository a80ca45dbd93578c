//! The desktop app in a real window, driven as a person does it: an X server (Xvfb), the
//! built binary with a fresh HOME, real X input events from xdotool. What happened is
//! checked through the CLI (what was stored), the layout file the app writes when
//! `ANNALIST_LAYOUT_FILE` names one (which word is drawn where, the selection as it will be
//! stored, the open context menu), and the pixels of screenshots.
//!
//! They need `Xvfb`, `xdotool` and ImageMagick's `import` (Debian: xvfb, xdotool,
//! imagemagick), so they are ignored by a plain `cargo test`; `.ci/run` installs those and
//! runs them: `cargo test --test tests real_window -- --ignored`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{Cli, fixtures, json_lines};

pub(crate) const WAIT: Duration = Duration::from_secs(30);
static SHOTS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// An X server of our own on a free display number.
struct Xvfb {
    child: Child,
    display: String,
}

impl Xvfb {
    fn start() -> Self {
        // Above the displays other checkouts' tests on this machine start from (40 to 340).
        let base = 400 + std::process::id() % 200;
        for n in base..base + 100 {
            if !display_free(n) {
                continue;
            }
            let display = format!(":{n}");
            let mut child = Command::new("Xvfb")
                // -noreset: without it the server resets whenever its last client leaves.
                .args([
                    &display,
                    "-screen",
                    "0",
                    "1400x900x24",
                    "-nolisten",
                    "tcp",
                    "-noreset",
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("Xvfb runs (Debian package xvfb)");
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                // Ready once a client can connect, not merely when the socket appears.
                let connects = Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                    && Command::new("xdotool")
                        .arg("getdisplaygeometry")
                        .env("DISPLAY", &display)
                        .stdout(Stdio::null())
                        .stderr(Stdio::null())
                        .status()
                        .is_ok_and(|s| s.success());
                // A server of another test that took the display first answers too, while
                // ours exits ("already active"): ours must still run.
                if connects {
                    std::thread::sleep(Duration::from_millis(300));
                    if matches!(child.try_wait(), Ok(None)) {
                        return Self { child, display };
                    }
                    break;
                }
                if let Ok(Some(_)) = child.try_wait() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("no X server could be started");
    }
}

/// Whether display `n` can be used: no lock file, or one left by a server that is gone (an X
/// server killed with SIGKILL leaves its lock and socket behind; they pile up over many
/// runs), which is removed with its socket.
fn display_free(n: u32) -> bool {
    let lock = PathBuf::from(format!("/tmp/.X{n}-lock"));
    let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
    match std::fs::read_to_string(&lock) {
        Ok(text) => {
            let alive = text
                .trim()
                .parse::<u32>()
                .is_ok_and(|pid| Path::new(&format!("/proc/{pid}")).exists());
            if alive {
                return false;
            }
            let _ = std::fs::remove_file(&lock);
            let _ = std::fs::remove_file(&socket);
            true
        }
        Err(_) => !socket.exists(),
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        // SIGTERM first, so the server removes its lock file and socket.
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The app's window on an X server.
pub(crate) struct Window {
    app: Child,
    display: String,
    window: String,
    layout_file: PathBuf,
    log: PathBuf,
    _home: tempfile::TempDir,
    // Last: the X server outlives the app.
    _x: Xvfb,
}

impl Window {
    /// Starts the built binary on `cli`'s archive in a window of its own.
    pub(crate) fn open(cli: &Cli) -> Self {
        Self::open_with(cli, &[])
    }

    /// [`Self::open`] with more environment variables (`ANNALIST_CODER`).
    pub(crate) fn open_with(cli: &Cli, environment: &[(&str, &str)]) -> Self {
        let x = Xvfb::start();
        let home = tempfile::tempdir().unwrap();
        let layout_file = home.path().join("layout.json");
        let log = home.path().join("app.log");
        let app = Command::new(env!("CARGO_BIN_EXE_annalist"))
            .arg("--archive")
            .arg(cli.archive())
            .env("DISPLAY", &x.display)
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path().join(".config"))
            .env("XDG_DATA_HOME", home.path().join(".local/share"))
            .env("ANNALIST_LAYOUT_FILE", &layout_file)
            .env("ANNALIST_ANNOTATOR", "tester")
            .env_remove("WAYLAND_DISPLAY")
            .env_remove("ANNALIST_ARCHIVE")
            .env_remove("ANNALIST_CODER")
            .envs(environment.iter().copied())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let mut window = Self {
            app,
            display: x.display.clone(),
            window: String::new(),
            layout_file,
            log,
            _home: home,
            _x: x,
        };
        let deadline = Instant::now() + WAIT;
        loop {
            let found = window.xdotool_output(&["search", "--onlyvisible", "--name", "^Annalist$"]);
            if let Some(id) = found.lines().next().filter(|l| !l.trim().is_empty()) {
                window.window = id.trim().to_owned();
                break;
            }
            if let Ok(Some(status)) = window.app.try_wait() {
                panic!("the app exited with {status}: {}", window.log_text());
            }
            assert!(
                Instant::now() < deadline,
                "no window: {}",
                window.log_text()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        window.xdotool(&["windowfocus", "--sync", &window.window.clone()]);
        window.wait_layout("the first frame", |_| true);
        window
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn xdotool_output(&self, args: &[&str]) -> String {
        let out = Command::new("xdotool")
            .args(args)
            .env("DISPLAY", &self.display)
            .output()
            .expect("xdotool runs (Debian package xdotool)");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn xdotool(&self, args: &[&str]) {
        let status = Command::new("xdotool")
            .args(args)
            .env("DISPLAY", &self.display)
            .status()
            .expect("xdotool runs (Debian package xdotool)");
        assert!(status.success(), "xdotool {args:?} failed");
        // Give the app a frame to take the event.
        std::thread::sleep(Duration::from_millis(60));
    }

    /// The layout file as the app last wrote it.
    pub(crate) fn layout(&self) -> Option<Value> {
        let text = std::fs::read_to_string(&self.layout_file).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Waits until the layout file satisfies `ready`.
    pub(crate) fn wait_layout(&self, what: &str, ready: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(layout) = self.layout()
                && ready(&layout)
            {
                return layout;
            }
            assert!(
                Instant::now() < deadline,
                "waited in vain for {what}; layout: {:?}; app log: {}",
                self.layout().map(|l| {
                    let mut l = l;
                    l["words"] = Value::from(l["words"].as_array().map_or(0, Vec::len));
                    l
                }),
                self.log_text()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Keys as xdotool names them (`ctrl+k`, `Return`, `5`).
    pub(crate) fn key(&self, keys: &str) {
        self.xdotool(&["key", "--clearmodifiers", keys]);
    }

    pub(crate) fn type_text(&self, text: &str) {
        self.xdotool(&["type", "--delay", "20", text]);
    }

    fn move_to(&self, (x, y): (f32, f32)) {
        let (x, y) = (x.round().to_string(), y.round().to_string());
        self.xdotool(&["mousemove", "--window", &self.window, &x, &y]);
    }

    /// Presses the left button at `from`, moves in small steps to `to`, releases.
    pub(crate) fn drag(&self, from: (f32, f32), to: (f32, f32)) {
        self.move_to(from);
        self.xdotool(&["mousedown", "1"]);
        for k in 1..=6 {
            let t = k as f32 / 6.0;
            self.move_to((from.0 + (to.0 - from.0) * t, from.1 + (to.1 - from.1) * t));
        }
        self.xdotool(&["mouseup", "1"]);
    }

    /// Clicks as a hand does: the pointer comes to rest, then each click is a press held
    /// briefly and a release (twice, quickly, for a double-click).
    pub(crate) fn click(&self, at: (f32, f32), button: &str, repeat: u32) {
        self.move_to(at);
        std::thread::sleep(Duration::from_millis(150));
        for _ in 0..repeat {
            self.xdotool(&["mousedown", button]);
            self.xdotool(&["mouseup", button]);
        }
    }

    /// Opens the article titled `title` by searching for `query` and opening the first hit.
    pub(crate) fn open_article(&self, query: &str, id: i64) -> Value {
        self.key("ctrl+k");
        self.key("ctrl+a");
        self.type_text(query);
        self.key("Return");
        std::thread::sleep(Duration::from_millis(300));
        self.key("ctrl+Down");
        self.wait_layout("the article to open", |l| {
            l["article"] == id && !l["words"].as_array().is_none_or(Vec::is_empty)
        })
    }

    /// A screenshot of the window: width, height and RGB bytes (a frame after the last
    /// change, so what the layout file says is on screen). Saved as PNG too when
    /// `ANNALIST_SCREENSHOTS` names a folder.
    pub(crate) fn screenshot(&self) -> (usize, usize, Vec<u8>) {
        std::thread::sleep(Duration::from_millis(400));
        if let Some(dir) = std::env::var_os("ANNALIST_SCREENSHOTS") {
            let n = SHOTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let png = PathBuf::from(dir).join(format!("window-{}-{n}.png", std::process::id()));
            let _ = Command::new("import")
                .args(["-window", &self.window])
                .arg(&png)
                .env("DISPLAY", &self.display)
                .status();
        }
        let out = Command::new("import")
            .args(["-window", &self.window, "-depth", "8", "ppm:-"])
            .env("DISPLAY", &self.display)
            .output()
            .expect("ImageMagick's import runs (Debian package imagemagick)");
        assert!(out.status.success(), "import failed");
        parse_ppm(&out.stdout)
    }
}

impl Drop for Window {
    fn drop(&mut self) {
        let _ = self.app.kill();
        let _ = self.app.wait();
    }
}

/// Reads a binary PPM (P6, max value 255).
fn parse_ppm(bytes: &[u8]) -> (usize, usize, Vec<u8>) {
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        if bytes.get(at) == Some(&b'#') {
            while bytes.get(at).is_some_and(|&b| b != b'\n') {
                at += 1;
            }
            continue;
        }
        let start = at;
        while bytes.get(at).is_some_and(|b| !b.is_ascii_whitespace()) {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..at]).into_owned());
    }
    assert_eq!(fields[0], "P6", "a binary PPM");
    let width: usize = fields[1].parse().unwrap();
    let height: usize = fields[2].parse().unwrap();
    let data = bytes[at + 1..].to_vec();
    assert_eq!(data.len(), width * height * 3, "PPM size");
    (width, height, data)
}

/// Share of pixels in `rect` whose brightness differs from the rect's most common
/// brightness by more than a third of the range: text drawn in a contrasting colour.
pub(crate) fn ink(shot: &(usize, usize, Vec<u8>), rect: [f32; 4]) -> (f64, u8) {
    let (width, height, data) = shot;
    let mut histogram = [0usize; 256];
    let mut values = Vec::new();
    let x0 = rect[0].max(0.0) as usize;
    let y0 = rect[1].max(0.0) as usize;
    let x1 = (rect[2] as usize).min(*width);
    let y1 = (rect[3] as usize).min(*height);
    for y in y0..y1 {
        for x in x0..x1 {
            let k = (y * width + x) * 3;
            let luma =
                (u32::from(data[k]) * 3 + u32::from(data[k + 1]) * 6 + u32::from(data[k + 2])) / 10;
            let luma = luma.min(255) as u8;
            histogram[luma as usize] += 1;
            values.push(luma);
        }
    }
    let background = (0..256).max_by_key(|&v| histogram[v]).unwrap_or(0) as u8;
    let contrasting = values
        .iter()
        .filter(|&&v| v.abs_diff(background) > 85)
        .count();
    (contrasting as f64 / values.len().max(1) as f64, background)
}

/// The words of the layout file: (start, end, text, rect).
pub(crate) fn words(layout: &Value) -> Vec<(usize, usize, String, [f32; 4])> {
    layout["words"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            let r = w["rect"].as_array().unwrap();
            let r: Vec<f32> = r.iter().map(|v| v.as_f64().unwrap() as f32).collect();
            (
                w["start"].as_u64().unwrap() as usize,
                w["end"].as_u64().unwrap() as usize,
                w["text"].as_str().unwrap().to_owned(),
                [r[0], r[1], r[2], r[3]],
            )
        })
        .collect()
}

pub(crate) fn word<'a>(
    words: &'a [(usize, usize, String, [f32; 4])],
    text: &str,
) -> &'a (usize, usize, String, [f32; 4]) {
    words
        .iter()
        .find(|w| w.2 == text)
        .unwrap_or_else(|| panic!("{text:?} is not among the visible words"))
}

/// A point `fraction` of the way across a word's rectangle, halfway down.
pub(crate) fn within(rect: [f32; 4], fraction: f32) -> (f32, f32) {
    (
        rect[0] + (rect[2] - rect[0]) * fraction,
        (rect[1] + rect[3]) / 2.0,
    )
}

fn code_point_slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

pub(crate) fn article_text(cli: &Cli, id: i64) -> String {
    let shown: Value = serde_json::from_str(&cli.ok(&["show", &id.to_string(), "--json"])).unwrap();
    shown["text"].as_str().unwrap().to_owned()
}

pub(crate) fn annotations(cli: &Cli, id: i64) -> Vec<Value> {
    json_lines(&cli.ok(&["annotate", "list", &id.to_string(), "--json"]))
}

/// Polls the CLI until an annotation satisfies `found`.
fn wait_annotation(cli: &Cli, id: i64, what: &str, found: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(a) = annotations(cli, id).into_iter().find(|a| found(a)) {
            return a;
        }
        assert!(
            Instant::now() < deadline,
            "no {what}; stored: {:?}",
            annotations(cli, id)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

pub(crate) fn imported_strikes(cli: &Cli) -> i64 {
    cli.ok(&[
        "import",
        fixtures().join("news/strikes.txt").to_str().unwrap(),
        "--published",
        "2024-01-18",
        "--source",
        "Wire",
    ]);
    let rows = json_lines(&cli.ok(&["list", "--json"]));
    rows[0]["id"].as_i64().unwrap()
}

#[test]
#[ignore = "needs Xvfb, xdotool and ImageMagick (run by .ci/run)"]
fn drag_over_nine_people_and_press_5_stores_the_casualty_with_the_suggestions_attributes() {
    let cli = Cli::new();
    let id = imported_strikes(&cli);
    cli.ok(&["suggest", "--all"]);
    let text = article_text(&cli, id);
    let suggested = annotations(&cli, id)
        .into_iter()
        .find(|a| a["text"] == "nine people" && a["label"] == "CASUALTY")
        .expect("the suggester proposes the casualty figure");
    let window = Window::open(&cli);
    let layout = window.open_article("Saravan", id);
    let words = words(&layout);
    let nine = word(&words, "nine");
    let people = word(&words, "people");
    // A sloppy drag, from inside "nine" to inside "people", as a hand makes it.
    window.drag(within(nine.3, 0.3), within(people.3, 0.7));
    let (start, end) = (nine.0, people.1);
    assert_eq!(code_point_slice(&text, start, end), "nine people");
    window.wait_layout("the selection to snap to \"nine people\"", |l| {
        l["selection"] == serde_json::json!([start, end])
    });
    window.key("5");
    let stored = wait_annotation(&cli, id, "accepted CASUALTY", |a| {
        a["label"] == "CASUALTY" && a["status"] == "accepted"
    });
    assert_eq!(
        (stored["start"].as_u64(), stored["end"].as_u64()),
        (Some(start as u64), Some(end as u64))
    );
    assert_eq!(stored["text"], "nine people");
    assert_eq!(
        stored["attrs"]["count"], suggested["attrs"]["count"],
        "{stored}"
    );
    assert_eq!(stored["attrs"]["outcome"], "killed", "{stored}");
    assert_eq!(
        annotations(&cli, id)
            .iter()
            .filter(|a| a["start"] == stored["start"]
                && a["end"] == stored["end"]
                && a["status"] != "rejected")
            .count(),
        1,
        "labelling over the suggestion does not add a second span"
    );
}

#[test]
#[ignore = "needs Xvfb, xdotool and ImageMagick (run by .ci/run)"]
fn right_click_on_a_selection_offers_the_labels() {
    let cli = Cli::new();
    let id = imported_strikes(&cli);
    let text = article_text(&cli, id);
    let window = Window::open(&cli);
    let layout = window.open_article("Jaish", id);
    let words = words(&layout);
    let first = word(&words, "Jaish");
    let last = word(&words, "al-Adl.");
    window.drag(within(first.3, 0.2), within(last.3, 0.6));
    let (start, end) = (first.0, last.1 - 1);
    assert_eq!(code_point_slice(&text, start, end), "Jaish al-Adl");
    window.wait_layout("the selection", |l| {
        l["selection"] == serde_json::json!([start, end])
    });
    window.click(within(first.3, 0.5), "3", 1);
    let layout = window.wait_layout("the context menu", |l| {
        l["menu"].as_array().is_some_and(|m| !m.is_empty())
    });
    assert_eq!(
        layout["selection"],
        serde_json::json!([start, end]),
        "the right-click kept the selection"
    );
    let org = layout["menu"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["label"] == "ORG")
        .expect("ORG in the menu")
        .clone();
    let r: Vec<f32> = org["rect"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap() as f32)
        .collect();
    window.click(((r[0] + r[2]) / 2.0, (r[1] + r[3]) / 2.0), "1", 1);
    let stored = wait_annotation(&cli, id, "ORG", |a| a["label"] == "ORG");
    assert_eq!(stored["text"], "Jaish al-Adl");
}

/// Our own text: paragraphs in Urdu and Arabic, long enough to wrap, a name at the start
/// of a right-to-left line (its right edge) and one in the middle.
const RTL_ARTICLE: &str = "سرحد پر کشیدگی\n\nاسلام آباد میں حکام نے بتایا کہ پاکستان نے سرحد کے قریب ایک کارروائی کی اور اس میں کئی افراد ہلاک ہو گئے۔ حکام کے مطابق ماحولیاتی تبدیلی پر ہونے والا ایک اجلاس بھی ملتوی کر دیا گیا۔\n\nقال مسؤولون في دمشق إن تسعة أشخاص قتلوا في القرية، بينهم أربعة أطفال، وإن الهجوم وقع فجر الخميس.\n\nThe English line: Saravan is near the border.";

#[test]
#[ignore = "needs Xvfb, xdotool and ImageMagick (run by .ci/run)"]
fn in_urdu_and_arabic_the_stored_span_is_the_word_under_the_pointer() {
    let cli = Cli::new();
    let file = cli.dir.path().join("rtl.txt");
    std::fs::write(&file, RTL_ARTICLE).unwrap();
    cli.ok(&["import", file.to_str().unwrap()]);
    let id = json_lines(&cli.ok(&["list", "--json"]))[0]["id"]
        .as_i64()
        .unwrap();
    let text = article_text(&cli, id);
    let window = Window::open(&cli);
    let layout = window.open_article("Saravan", id);
    let all = words(&layout);
    // Every word the app says it drew at a place is ink there (the layout is what is drawn).
    let shot = window.screenshot();
    for w in &all {
        let (share, _) = ink(&shot, w.3);
        assert!(share > 0.02, "{:?} at {:?} shows no text", w.2, w.3);
    }

    // Double-click «پاکستان» (mid-line): that word is selected, key 3 stores it as LOC.
    let pakistan = word(&all, "پاکستان").clone();
    window.click(within(pakistan.3, 0.5), "1", 2);
    window.wait_layout("the double-clicked word selected", |l| {
        l["selection"] == serde_json::json!([pakistan.0, pakistan.1])
    });
    window.key("3");
    let stored = wait_annotation(&cli, id, "LOC «پاکستان»", |a| a["label"] == "LOC");
    let (s, e) = (
        stored["start"].as_u64().unwrap() as usize,
        stored["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(code_point_slice(&text, s, e), "پاکستان");

    // Drag over «اسلام آباد» at the right edge, right to left as it is read.
    let islam = word(&all, "اسلام").clone();
    let abad = word(&all, "آباد").clone();
    assert!(
        islam.3[0] > abad.3[0],
        "the first word of an Urdu line is right of the second"
    );
    assert!(
        islam.3[2] > 900.0 - 400.0,
        "and near the right edge: {:?}",
        islam.3
    );
    window.drag(within(islam.3, 0.8), within(abad.3, 0.2));
    window.wait_layout("«اسلام آباد» selected", |l| {
        l["selection"] == serde_json::json!([islam.0, abad.1])
    });
    window.key("3");
    let stored = wait_annotation(&cli, id, "LOC «اسلام آباد»", |a| {
        a["label"] == "LOC" && a["start"] == islam.0
    });
    let (s, e) = (
        stored["start"].as_u64().unwrap() as usize,
        stored["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(code_point_slice(&text, s, e), "اسلام آباد");

    // Arabic: a double-click on «دمشق» selects it.
    let damascus = word(&all, "دمشق").clone();
    window.click(within(damascus.3, 0.5), "1", 2);
    window.wait_layout("«دمشق» selected", |l| {
        l["selection"] == serde_json::json!([damascus.0, damascus.1])
    });
    assert_eq!(code_point_slice(&text, damascus.0, damascus.1), "دمشق");
}

#[test]
#[ignore = "needs Xvfb, xdotool and ImageMagick (run by .ci/run)"]
fn switching_the_theme_keeps_the_open_article_drawn() {
    let cli = Cli::new();
    let id = imported_strikes(&cli);
    let window = Window::open(&cli);
    let layout = window.open_article("Saravan", id);
    let all = words(&layout);
    let sample: Vec<[f32; 4]> = all.iter().take(20).map(|w| w.3).collect();
    let text_share = |shot: &(usize, usize, Vec<u8>)| {
        sample.iter().map(|r| ink(shot, *r).0).sum::<f64>() / sample.len() as f64
    };
    let light = window.screenshot();
    let (light_ink, light_background) = (text_share(&light), ink(&light, sample[0]).1);
    assert!(
        light_ink > 0.05,
        "text drawn in the light theme: {light_ink}"
    );
    window.key("ctrl+shift+l");
    window.wait_layout("the dark theme", |l| l["theme"] == "dark");
    std::thread::sleep(Duration::from_millis(300));
    let dark = window.screenshot();
    let (dark_ink, dark_background) = (text_share(&dark), ink(&dark, sample[0]).1);
    assert!(
        dark_background < light_background,
        "the background turned dark"
    );
    assert!(
        dark_ink > 0.05,
        "text still drawn after switching to dark: {dark_ink} (light {light_ink})"
    );
    window.key("ctrl+shift+l");
    window.wait_layout("the light theme", |l| l["theme"] == "light");
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        text_share(&window.screenshot()) > 0.05,
        "and back in the light theme"
    );
}

#[test]
#[ignore = "needs Xvfb, xdotool and ImageMagick (run by .ci/run)"]
fn after_suggesting_and_accepting_ctrl_down_opens_the_next_article_of_the_list() {
    let cli = Cli::new();
    cli.ok(&[
        "import",
        fixtures().join("news").to_str().unwrap(),
        "--published",
        "2024-01-19",
    ]);
    let window = Window::open(&cli);
    // The list as it first shows; open its first article.
    window.key("ctrl+Down");
    let layout = window.wait_layout("an article open", |l| !l["article"].is_null());
    let hits: Vec<i64> = layout["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_i64().unwrap())
        .collect();
    assert_eq!(hits.len(), 3);
    let first = layout["article"].as_i64().unwrap();
    assert_eq!(first, hits[0]);
    // Suggest for it (Ctrl+G), select the first suggestion (]) and accept it (Enter).
    window.key("ctrl+g");
    wait_annotation(&cli, first, "a suggestion", |a| a["status"] == "suggested");
    std::thread::sleep(Duration::from_millis(500));
    window.key("bracketright");
    window.wait_layout("a suggestion selected", |l| !l["selected"].is_null());
    window.key("Return");
    wait_annotation(&cli, first, "an accepted suggestion", |a| {
        a["status"] == "accepted"
    });
    std::thread::sleep(Duration::from_millis(800));
    window.key("ctrl+Down");
    let layout = window.wait_layout("the next article", |l| l["article"] != first);
    assert_eq!(
        layout["article"].as_i64(),
        Some(hits[1]),
        "Ctrl+Down goes to the article after the open one, as the list showed it"
    );
}

#[test]
#[ignore = "needs Xvfb, xdotool and ImageMagick (run by .ci/run)"]
fn two_actions_turn_the_suggested_figure_into_an_events_row_with_its_date_and_place() {
    let cli = Cli::new();
    let id = imported_strikes(&cli);
    cli.ok(&["suggest", "--all"]);
    let window = Window::open(&cli);
    let layout = window.open_article("Saravan", id);
    let words = words(&layout);
    // Action 1: click the suggested "nine people". Action 2: Enter accepts it.
    window.click(within(word(&words, "nine").3, 0.5), "1", 1);
    window.wait_layout("the suggestion selected", |l| !l["selected"].is_null());
    window.key("Return");
    let stored = wait_annotation(&cli, id, "the accepted figure", |a| {
        a["text"] == "nine people" && a["status"] == "accepted"
    });
    assert_eq!(stored["attrs"]["count"], 9);
    assert_eq!(stored["attrs"]["outcome"], "killed");
    assert_eq!(stored["attrs"]["claimed_by"], "Iranian officials");
    assert_events_row_has_date_and_place(&cli, "nine people", "2024-01-18", "Saravan");
}

/// The events-csv export has a row for the claim quoted `quote` with this date value and
/// place.
fn assert_events_row_has_date_and_place(cli: &Cli, quote: &str, date: &str, place: &str) {
    let events = cli.ok(&["export", "--format", "events-csv"]);
    let mut rows = csv_rows(&events);
    let header = rows.remove(0);
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name} in {header:?}"))
    };
    let row = rows
        .iter()
        .find(|r| r[column("quote")] == quote)
        .unwrap_or_else(|| panic!("a row for {quote:?}: {events}"));
    assert_eq!(row[column("date_value")], date, "{events}");
    assert_eq!(row[column("place_text")], place, "{events}");
}

/// Rows of a CSV text (quoted fields with commas and doubled quotes).
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            ('\r', false) => {}
            (c, _) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

#[test]
#[ignore = "needs Xvfb, xdotool and ImageMagick (run by .ci/run)"]
fn by_hand_six_actions_make_a_casualty_with_count_outcome_claimant_date_and_place() {
    let cli = Cli::new();
    let id = imported_strikes(&cli);
    let window = Window::open(&cli);
    let layout = window.open_article("Saravan", id);
    let words = words(&layout);
    // 1, 2: double-click "Thursday's" (the possessive is left out), 4 = DATE.
    window.click(within(word(&words, "Thursday's").3, 0.4), "1", 2);
    window.wait_layout("Thursday selected", |l| !l["selection"].is_null());
    window.key("4");
    wait_annotation(&cli, id, "the DATE", |a| {
        a["label"] == "DATE" && a["text"] == "Thursday"
    });
    // 3, 4: double-click "Saravan,", 3 = LOC.
    window.click(within(word(&words, "Saravan,").3, 0.4), "1", 2);
    window.wait_layout("Saravan selected", |l| !l["selection"].is_null());
    window.key("3");
    wait_annotation(&cli, id, "the LOC", |a| {
        a["label"] == "LOC" && a["text"] == "Saravan"
    });
    // 5, 6: drag over "nine people", 5 = CASUALTY.
    window.drag(
        within(word(&words, "nine").3, 0.2),
        within(word(&words, "people").3, 0.8),
    );
    window.wait_layout("nine people selected", |l| !l["selection"].is_null());
    window.key("5");
    let stored = wait_annotation(&cli, id, "the CASUALTY", |a| a["label"] == "CASUALTY");
    assert_eq!(stored["text"], "nine people");
    assert_eq!(stored["attrs"]["count"], 9, "{stored}");
    assert_eq!(stored["attrs"]["outcome"], "killed", "{stored}");
    assert_eq!(
        stored["attrs"]["claimed_by"], "Iranian officials",
        "{stored}"
    );
    assert_events_row_has_date_and_place(&cli, "nine people", "2024-01-18", "Saravan");
}

#[test]
#[ignore = "needs Xvfb, xdotool and ImageMagick (run by .ci/run)"]
fn a_name_in_more_than_a_thousand_articles_is_learned_after_a_click_on_yes() {
    let cli = Cli::new();
    crate::support::import_reports_naming_tiny(&cli, 1_001);
    let learned_in = |id: i64| {
        annotations(&cli, id)
            .into_iter()
            .filter(|a| a["annotator"] == "annalist-learned")
            .count()
    };
    let window = Window::open(&cli);
    let layout = window.open_article("\"Report 0\"", 1);
    let words = words(&layout);
    let tiny = word(&words, "Tiny");
    window.click(within(tiny.3, 0.5), "1", 2);
    window.wait_layout("\"Tiny\" selected", |l| {
        l["selection"] == serde_json::json!([10, 14])
    });
    window.key("1");
    wait_annotation(&cli, 1, "accepted PER \"Tiny\"", |a| {
        a["label"] == "PER" && a["status"] == "accepted"
    });
    let layout = window.wait_layout("the question whether to suggest it everywhere", |l| {
        l["buttons"]
            .as_array()
            .is_some_and(|b| b.iter().any(|b| b["label"] == "Suggest everywhere"))
    });
    let _ = window.screenshot();
    assert_eq!(learned_in(2), 0, "nothing is learned before the yes");
    let yes = layout["buttons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["label"] == "Suggest everywhere")
        .unwrap()["rect"]
        .clone();
    let rect: [f32; 4] = serde_json::from_value(yes).unwrap();
    window.click(within(rect, 0.5), "1", 1);
    let deadline = Instant::now() + WAIT;
    while learned_in(1001) == 0 {
        assert!(Instant::now() < deadline, "nothing learned after the yes");
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(learned_in(2), 1);
    window.wait_layout("the question gone", |l| {
        l["buttons"].as_array().is_some_and(Vec::is_empty)
    });
}

#[test]
#[ignore = "needs Xvfb, xdotool and ImageMagick (run by .ci/run)"]
fn a_blind_coder_sees_only_their_own_layer_and_labels_into_it() {
    let cli = Cli::new();
    let id = imported_strikes(&cli);
    crate::coders::assign_every_article_to_ana_and_ben(&cli);
    let text = article_text(&cli, id);
    let at = text.find("Saravan").unwrap();
    let start = text[..at].chars().count();
    let (start, end) = (start.to_string(), (start + "Saravan".len()).to_string());
    let article = id.to_string();
    cli.ok(&[
        "--coder", "ben", "annotate", "add", &article, "--label", "LOC", "--start", &start,
        "--end", &end,
    ]);
    let layer = |coder: &str| {
        json_lines(&cli.ok(&["--coder", coder, "annotate", "list", &article, "--json"]))
    };
    let window = Window::open_with(&cli, &[("ANNALIST_CODER", "ana")]);
    // Opened through a search for another word: the reader marks the words a search found.
    let layout = window.open_article("Balochistan", id);
    let words = words(&layout);
    let saravan = word(&words, "Saravan,").3;
    let plain = word(&words, "nine").3;
    let before = window.screenshot();
    assert_eq!(
        ink(&before, saravan).1,
        ink(&before, plain).1,
        "ben's span is not drawn for ana: Saravan has the background of a plain word"
    );
    // ana labels Saravan herself: double-click, 3 = LOC.
    window.click(within(saravan, 0.4), "1", 2);
    window.wait_layout("Saravan selected", |l| !l["selection"].is_null());
    window.key("3");
    let deadline = Instant::now() + WAIT;
    while layer("ana").is_empty() {
        assert!(Instant::now() < deadline, "ana's LOC was not stored");
        std::thread::sleep(Duration::from_millis(100));
    }
    let ana = layer("ana");
    assert_eq!(ana.len(), 1, "{ana:?}");
    assert_eq!(
        (
            ana[0]["label"].as_str(),
            ana[0]["text"].as_str(),
            ana[0]["coder"].as_str()
        ),
        (Some("LOC"), Some("Saravan"), Some("ana"))
    );
    let ben = layer("ben");
    assert_eq!(ben.len(), 1, "ben's layer keeps his one span: {ben:?}");
    assert_eq!(ben[0]["coder"], "ben");
    let after = window.screenshot();
    assert_ne!(
        ink(&after, saravan).1,
        ink(&after, plain).1,
        "ana's own span is drawn (the measure sees a highlight)"
    );
}
