//! Global annotation ids (`uid`): one name for an annotation on every laptop, made from what
//! it was when created, so that two archives built the same way give the same ids.

use sha2::{Digest, Sha256};

/// Bytes of the SHA-256 a uid keeps (32 hex digits).
const UID_BYTES: usize = 16;

/// The uid of an annotation as created: lowercase hex of the first 16 bytes of SHA-256 over
/// its coder, its article's content hash, label, span and `n`, the smallest number that
/// makes it unique in the archive (so a coder recreating a deleted span gets a new one).
/// Computed once: relabelling, resizing or changing attributes keeps it.
pub fn annotation_uid(
    coder: &str,
    content_sha256: &str,
    label: &str,
    start: usize,
    end: usize,
    n: u32,
) -> String {
    let mut hasher = Sha256::new();
    // Fields joined by the unit separator, which no coder name, hash or label holds.
    for field in [coder, content_sha256, label] {
        hasher.update(field.as_bytes());
        hasher.update([0x1f]);
    }
    hasher.update(format!("{start}\u{1f}{end}\u{1f}{n}").as_bytes());
    let mut hex = String::with_capacity(UID_BYTES * 2);
    for byte in hasher.finalize().iter().take(UID_BYTES) {
        use std::fmt::Write as _;
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// Whether `text` has the shape of a uid (32 lowercase hex digits).
pub fn is_uid(text: &str) -> bool {
    text.len() == UID_BYTES * 2 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The id an importer gives an annotation that a record names by uid only (a native export),
/// so that links naming the uid follow it to the id the store gives. Never stored: it is
/// below the ids a file may ask for.
pub fn uid_link_id(index: usize) -> i64 {
    i64::MIN.saturating_add(i64::try_from(index).unwrap_or(i64::MAX))
}

/// Whether an id is one of [`uid_link_id`]'s.
pub fn is_uid_link_id(id: i64) -> bool {
    id < i64::MIN + (1 << 40)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uids_are_stable_and_differ_by_every_field() {
        let uid = annotation_uid("ana", "h", "LOC", 3, 9, 0);
        assert_eq!(uid, annotation_uid("ana", "h", "LOC", 3, 9, 0));
        assert!(is_uid(&uid), "{uid}");
        let others = [
            annotation_uid("ben", "h", "LOC", 3, 9, 0),
            annotation_uid("ana", "g", "LOC", 3, 9, 0),
            annotation_uid("ana", "h", "PER", 3, 9, 0),
            annotation_uid("ana", "h", "LOC", 4, 9, 0),
            annotation_uid("ana", "h", "LOC", 3, 8, 0),
            annotation_uid("ana", "h", "LOC", 3, 9, 1),
            // The separator keeps "a" + "nah" apart from "an" + "ah".
            annotation_uid("a", "nah", "LOC", 3, 9, 0),
        ];
        for other in others {
            assert_ne!(uid, other);
        }
        assert!(!is_uid("3f"));
        assert!(!is_uid(&uid.to_uppercase()));
    }
}
