//! The boundary between Annalist and tantivy's reading code: a panic inside tantivy (it
//! panics on some damaged segment files instead of returning an error) becomes
//! [`IndexError::Damaged`] here, and its message is kept out of the terminal.

use std::cell::{Cell, RefCell};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

use super::{IndexError, Result};

thread_local! {
    /// Set while this thread runs tantivy code under [`catching`].
    static CATCHING: Cell<bool> = const { Cell::new(false) };
    /// The message of the last panic caught on this thread.
    static CAUGHT: RefCell<Option<String>> = const { RefCell::new(None) };
}

static HOOK: Once = Once::new();

/// Installs (once per process) a panic hook that keeps quiet about panics [`catching`] turns
/// into errors, and passes every other panic to the hook that was there before.
fn install_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if CATCHING.with(Cell::get) {
                let message = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "no message".to_owned());
                let place = info
                    .location()
                    .map(|l| format!(" at {}:{}", l.file(), l.line()))
                    .unwrap_or_default();
                CAUGHT.with(|c| *c.borrow_mut() = Some(format!("{message}{place}")));
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs `read` (code that reads the index through tantivy); a panic in it is returned as
/// [`IndexError::Damaged`]. The index handle is not used again by the caller's search
/// after such a panic: the service rebuilds the index or tells the user how.
pub(super) fn catching<T>(read: impl FnOnce() -> Result<T>) -> Result<T> {
    install_hook();
    let was_catching = CATCHING.with(|c| c.replace(true));
    let outcome = catch_unwind(AssertUnwindSafe(read));
    CATCHING.with(|c| c.set(was_catching));
    match outcome {
        Ok(result) => result,
        Err(_) => {
            let message = CAUGHT
                .with(|c| c.borrow_mut().take())
                .unwrap_or_else(|| "no message".to_owned());
            Err(IndexError::Damaged {
                reason: format!("reading it failed inside tantivy ({message})"),
            })
        }
    }
}

/// Like [`catching`], for reading code that holds a query already parsed: any error tantivy
/// returns from there comes from the index's files, so it is [`IndexError::Damaged`] too.
pub(super) fn reading<T>(read: impl FnOnce() -> Result<T>) -> Result<T> {
    catching(read).map_err(|e| match e {
        IndexError::Tantivy(tantivy_error) => IndexError::Damaged {
            reason: format!(
                "reading it failed: {}",
                IndexError::Tantivy(tantivy_error).short_reason()
            ),
        },
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_damaged_error_and_other_results_pass() {
        let caught = catching::<()>(|| panic!("index out of bounds"));
        let Err(IndexError::Damaged { reason }) = caught else {
            panic!("expected Damaged, got {caught:?}");
        };
        assert!(reason.contains("index out of bounds"), "{reason}");
        assert_eq!(catching(|| Ok(7)).unwrap(), 7);
        assert!(matches!(
            catching::<()>(|| Err(IndexError::Busy)),
            Err(IndexError::Busy)
        ));
    }
}
