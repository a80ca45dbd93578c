//! Global annotation ids (`uid`): one name for an annotation on every laptop, made from what
//! it was when created, so that two archives built the same way give the same ids.

use sha2::{Digest, Sha256};

/// Bytes of the SHA-256 a uid keeps (32 hex digits).
const UID_BYTES: usize = 16;

/// The uid of an annotation as created: 32 lowercase hex digits, made of three SHA-256s:
/// 6 bytes over its coder, 4 over its article's content hash, and 6 over coder, content
/// hash, label, span and `n`, the smallest number that makes it unique in the archive (so a
/// coder recreating a deleted span gets a new one). Computed once: relabelling, resizing or
/// changing attributes keeps it. The first two parts say whose layer and which text a uid
/// was made in ([`uid_made_in`]), so a bundle cannot claim another coder's uid.
pub fn annotation_uid(
    coder: &str,
    content_sha256: &str,
    label: &str,
    start: usize,
    end: usize,
    n: u32,
) -> String {
    let mut hex = String::with_capacity(UID_BYTES * 2);
    push_hex(&mut hex, &digest(&["coder", coder]), CODER_BYTES);
    push_hex(
        &mut hex,
        &digest(&["article", content_sha256]),
        ARTICLE_BYTES,
    );
    let span = format!("{start}\u{1f}{end}\u{1f}{n}");
    push_hex(
        &mut hex,
        &digest(&[coder, content_sha256, label, &span]),
        UID_BYTES - CODER_BYTES - ARTICLE_BYTES,
    );
    hex
}

/// Bytes of a uid that name its coder, then its article's text.
const CODER_BYTES: usize = 6;
const ARTICLE_BYTES: usize = 4;

/// Whether `uid` was made in `coder`'s layer of the article with this content hash.
pub fn uid_made_in(uid: &str, coder: &str, content_sha256: &str) -> bool {
    let mut prefix = String::with_capacity((CODER_BYTES + ARTICLE_BYTES) * 2);
    push_hex(&mut prefix, &digest(&["coder", coder]), CODER_BYTES);
    push_hex(
        &mut prefix,
        &digest(&["article", content_sha256]),
        ARTICLE_BYTES,
    );
    is_uid(uid) && uid.starts_with(&prefix)
}

/// SHA-256 over fields joined by the unit separator, which no coder name, hash or label holds.
fn digest(fields: &[&str]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for field in fields {
        hasher.update(field.as_bytes());
        hasher.update([0x1f]);
    }
    hasher.finalize().into()
}

fn push_hex(out: &mut String, bytes: &[u8], n: usize) {
    use std::fmt::Write as _;
    for byte in bytes.iter().take(n) {
        let _ = write!(out, "{byte:02x}");
    }
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
        assert!(uid_made_in(&uid, "ana", "h"));
        assert!(!uid_made_in(&uid, "ben", "h"), "another coder's");
        assert!(!uid_made_in(&uid, "ana", "g"), "another article's");
        assert!(!is_uid("3f"));
        assert!(!is_uid(&uid.to_uppercase()));
    }
}
