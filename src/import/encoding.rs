//! Bytes to text: BOMs, UTF-8, declared charsets (HTML meta, XML declaration), detection.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{
    Encoding, ISO_8859_2, ISO_8859_3, ISO_8859_4, ISO_8859_13, ISO_8859_15, ISO_8859_16, UTF_8,
    UTF_16BE, UTF_16LE, WINDOWS_1250, WINDOWS_1252, WINDOWS_1254, WINDOWS_1257,
};

use super::bytes::find;

/// How many leading bytes the binary check and the charset sniffers look at.
const SNIFF_BYTES: usize = 8192;

/// Decodes a file's bytes, trying in order: a byte order mark (UTF-8, UTF-16LE/BE); UTF-16
/// without a BOM (many NULs at alternating positions); valid UTF-8; the `declared` label
/// (from `<meta charset>` or `<?xml encoding>`, any WHATWG label such as `ISO-8859-1` or
/// `gb2312`); UTF-8 with a few stray legacy bytes (each read as windows-1252); and last
/// chardetng's guess. Returns the text (without BOM) and the encoding used. Never fails:
/// bytes that are invalid in the chosen encoding become U+FFFD.
pub fn decode_text(bytes: &[u8], declared: Option<&str>) -> (String, &'static Encoding) {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let rest = bytes.get(bom_len..).unwrap_or_default();
        return (decode_with(encoding, rest), encoding);
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        return (decode_with(encoding, bytes), encoding);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (text.to_owned(), UTF_8);
    }
    let declared = declared
        .and_then(|label| Encoding::for_label(label.trim().as_bytes()))
        .map(Encoding::output_encoding);
    if let Some(encoding) = declared.filter(|&encoding| encoding != UTF_8) {
        return (decode_with(encoding, bytes), encoding);
    }
    if mostly_utf8(bytes) {
        return (decode_utf8_with_stray_bytes(bytes), UTF_8);
    }
    let encoding = guess_encoding(bytes);
    (decode_with(encoding, bytes), encoding)
}

/// What to tell the user about bytes that had no declared encoding and were not valid
/// UTF-8 (nothing for UTF-8, or UTF-16 and UTF-8 with a byte order mark): which encoding
/// [`decode_text`] read them as.
pub(crate) fn undeclared_encoding_note(bytes: &[u8], used: &'static Encoding) -> Option<String> {
    if std::str::from_utf8(bytes).is_ok()
        || Encoding::for_bom(bytes).is_some()
        || used == UTF_16LE
        || used == UTF_16BE
    {
        return None;
    }
    Some(if used == UTF_8 {
        "not valid UTF-8: the stray bytes were read as windows-1252".to_owned()
    } else {
        format!("not valid UTF-8: read as {}", used.name())
    })
}

/// True for NUL bytes near the start of something that is not UTF-16 text.
pub(crate) fn looks_binary(bytes: &[u8]) -> bool {
    let head = bytes.get(..SNIFF_BYTES).unwrap_or(bytes);
    if !head.contains(&0) {
        return false;
    }
    !is_utf16(bytes)
}

/// True when the bytes are UTF-16, with or without a BOM.
pub(crate) fn is_utf16(bytes: &[u8]) -> bool {
    let utf16_bom =
        matches!(Encoding::for_bom(bytes), Some((e, _)) if e == UTF_16LE || e == UTF_16BE);
    utf16_bom || utf16_without_bom(bytes).is_some()
}

/// The encoding for the invalid parts of a file that is not valid UTF-8: UTF-8 itself when
/// the file is mostly UTF-8 (stray bytes then read as windows-1252), else chardetng's guess.
pub(crate) fn fallback_encoding(bytes: &[u8]) -> &'static Encoding {
    if mostly_utf8(bytes) {
        UTF_8
    } else {
        guess_encoding(bytes)
    }
}

/// Decodes a piece of a file with the file's [`fallback_encoding`].
pub(crate) fn decode_fallback(encoding: &'static Encoding, bytes: &[u8]) -> String {
    if encoding == UTF_8 {
        decode_utf8_with_stray_bytes(bytes)
    } else {
        decode_with(encoding, bytes)
    }
}

/// chardetng's guess for bytes with no usable label.
///
/// chardetng needs a few dozen non-ASCII bytes to tell the Latin encodings apart: with a
/// single `0xA3` it reads `Ł` (windows-1250) where English text meant `£`. With fewer than
/// [`MIN_LATIN_EVIDENCE`] non-ASCII bytes, a guess of another Latin-script single-byte
/// encoding is replaced by windows-1252, the superset of Latin-1 that such files mostly use.
pub(crate) fn guess_encoding(bytes: &[u8]) -> &'static Encoding {
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, Utf8Detection::Allow);
    let non_ascii = bytes.iter().filter(|b| !b.is_ascii()).count();
    if non_ascii < MIN_LATIN_EVIDENCE && OTHER_LATIN_ENCODINGS.contains(&guess) {
        WINDOWS_1252
    } else {
        guess
    }
}

/// Non-ASCII bytes chardetng needs before its choice among Latin encodings is trusted.
const MIN_LATIN_EVIDENCE: usize = 20;

/// Latin-script single-byte encodings other than windows-1252.
const OTHER_LATIN_ENCODINGS: [&Encoding; 9] = [
    WINDOWS_1250,
    WINDOWS_1254,
    WINDOWS_1257,
    ISO_8859_2,
    ISO_8859_3,
    ISO_8859_4,
    ISO_8859_13,
    ISO_8859_15,
    ISO_8859_16,
];

/// The charset an HTML page declares in its head (`<meta charset=..>` or
/// `<meta http-equiv="Content-Type" content="text/html; charset=..">`).
pub(crate) fn html_declared_charset(bytes: &[u8]) -> Option<String> {
    let head = bytes
        .get(..SNIFF_BYTES)
        .unwrap_or(bytes)
        .to_ascii_lowercase();
    let mut rest = head.as_slice();
    while let Some(at) = find(rest, b"charset") {
        rest = rest.get(at + b"charset".len()..)?;
        let after = skip_spaces(rest);
        let Some(after_equals) = after.strip_prefix(b"=") else {
            continue;
        };
        let value = skip_spaces(after_equals);
        let value = value
            .strip_prefix(b"\"")
            .or_else(|| value.strip_prefix(b"'"))
            .unwrap_or(value);
        if let Some(label) = read_label(value) {
            return Some(label);
        }
    }
    None
}

/// The `encoding="..."` of an XML declaration at the very start of the file.
pub(crate) fn xml_declared_encoding(bytes: &[u8]) -> Option<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let head = skip_spaces(bytes.get(..SNIFF_BYTES).unwrap_or(bytes));
    if !head.starts_with(b"<?xml") {
        return None;
    }
    let end = find(head, b"?>")?;
    let declaration = head.get(..end)?.to_ascii_lowercase();
    let at = find(&declaration, b"encoding")?;
    let value = skip_spaces(declaration.get(at + b"encoding".len()..)?);
    let value = skip_spaces(value.strip_prefix(b"=")?);
    let value = value
        .strip_prefix(b"\"")
        .or_else(|| value.strip_prefix(b"'"))?;
    read_label(value)
}

fn skip_spaces(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    bytes.get(start..).unwrap_or_default()
}

/// An encoding label: letters, digits and `-_.:`, up to 40 bytes.
fn read_label(bytes: &[u8]) -> Option<String> {
    let len = bytes
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
        .count();
    let label = bytes.get(..len)?;
    if label.is_empty() || label.len() > 40 {
        return None;
    }
    String::from_utf8(label.to_vec()).ok()
}

fn decode_with(encoding: &'static Encoding, bytes: &[u8]) -> String {
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

/// UTF-16 written without a BOM: mostly-ASCII text has a NUL in every other byte.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = bytes.get(..SNIFF_BYTES).unwrap_or(bytes);
    let pairs = head.len() / 2;
    if pairs < 2 {
        return None;
    }
    let (mut even_nuls, mut odd_nuls) = (0usize, 0usize);
    for pair in head.chunks_exact(2) {
        if let [first, second] = pair {
            even_nuls += usize::from(*first == 0);
            odd_nuls += usize::from(*second == 0);
        }
    }
    // Little-endian ASCII is `x 00`; big-endian is `00 x`. Demand a clear majority on one side
    // and almost none on the other, so binary files with scattered NULs do not qualify.
    let clear = |many: usize, few: usize| many * 10 >= pairs * 4 && few * 20 <= pairs;
    if clear(odd_nuls, even_nuls) {
        Some(UTF_16LE)
    } else if clear(even_nuls, odd_nuls) {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Invalid UTF-8, but with at least as many valid multi-byte sequences as invalid bytes:
/// a UTF-8 file with some stray legacy bytes rather than a legacy-encoded file.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut valid_multibyte, mut invalid) = (0usize, 0usize);
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(text) => {
                valid_multibyte += text.chars().filter(|c| !c.is_ascii()).count();
                break;
            }
            Err(error) => {
                let (valid, after) = rest
                    .split_at_checked(error.valid_up_to())
                    .unwrap_or((rest, &[]));
                valid_multibyte += std::str::from_utf8(valid)
                    .map(|text| text.chars().filter(|c| !c.is_ascii()).count())
                    .unwrap_or_default();
                let bad_len = error.error_len().unwrap_or(after.len()).max(1);
                invalid += bad_len;
                rest = after.get(bad_len..).unwrap_or_default();
            }
        }
    }
    valid_multibyte > 0 && valid_multibyte >= invalid
}

/// UTF-8 where each invalid byte is read as windows-1252 (so a stray `0xA3` is `£`).
fn decode_utf8_with_stray_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(text) => {
                out.push_str(text);
                return out;
            }
            Err(error) => {
                let (valid, after) = rest
                    .split_at_checked(error.valid_up_to())
                    .unwrap_or((rest, &[]));
                out.push_str(std::str::from_utf8(valid).unwrap_or_default());
                let bad_len = error.error_len().unwrap_or(after.len()).max(1);
                let bad = after.get(..bad_len).unwrap_or(after);
                out.push_str(&WINDOWS_1252.decode_without_bom_handling(bad).0);
                rest = after.get(bad_len..).unwrap_or_default();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{GBK, SHIFT_JIS};

    #[test]
    fn latin1_without_label_keeps_the_pound_sign() {
        let bytes = b"Price rose to \xA3100m in Z\xFCrich, says caf\xE9 owner";
        let (text, encoding) = decode_text(bytes, None);
        assert_eq!(text, "Price rose to £100m in Zürich, says café owner");
        assert_eq!(encoding, WINDOWS_1252);
    }

    #[test]
    fn a_lone_pound_byte_is_not_read_as_polish() {
        let (text, encoding) = decode_text(b"Transfer fee\n\nA \xA315.8m signing.", None);
        assert_eq!(text, "Transfer fee\n\nA £15.8m signing.");
        assert_eq!(encoding, WINDOWS_1252);
    }

    #[test]
    fn detector_still_reads_longer_central_european_text() {
        let polish = "Zażółć gęślą jaźń. Właściciel sklepu powiedział, że źródło problemu leży gdzie indziej. Ślęża, Łódź, Gdańsk i Kraków.";
        let (encoded, _, _) = WINDOWS_1250.encode(polish);
        assert_eq!(
            decode_text(&encoded, None),
            (polish.to_owned(), WINDOWS_1250)
        );
    }

    #[test]
    fn declared_label_is_used_when_bytes_are_not_utf8() {
        let (encoded, _, _) = GBK.encode("国内新闻：北京今日天气晴朗");
        let (text, encoding) = decode_text(&encoded, Some("gb2312"));
        assert_eq!(text, "国内新闻：北京今日天气晴朗");
        assert_eq!(encoding, GBK);
        let (text, _) = decode_text(b"Not\xEDcias", Some("ISO-8859-1"));
        assert_eq!(text, "Notícias");
    }

    #[test]
    fn valid_utf8_wins_over_a_wrong_label() {
        let (text, encoding) = decode_text("Notícias".as_bytes(), Some("iso-8859-1"));
        assert_eq!(text, "Notícias");
        assert_eq!(encoding, UTF_8);
    }

    #[test]
    fn boms_are_honoured_and_removed() {
        let (text, encoding) = decode_text(b"\xEF\xBB\xBFhi", None);
        assert_eq!((text.as_str(), encoding), ("hi", UTF_8));
        let utf16le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Zürich".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode_text(&utf16le, None), ("Zürich".to_owned(), UTF_16LE));
        let utf16be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("Zürich".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode_text(&utf16be, None), ("Zürich".to_owned(), UTF_16BE));
    }

    #[test]
    fn utf16_without_bom_is_text_not_binary() {
        let bytes: Vec<u8> = "Headline\nSome body text."
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert!(!looks_binary(&bytes));
        assert_eq!(decode_text(&bytes, None).0, "Headline\nSome body text.");
    }

    #[test]
    fn nul_bytes_mean_binary() {
        assert!(looks_binary(
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"
        ));
        assert!(!looks_binary("plain text £".as_bytes()));
    }

    #[test]
    fn utf8_with_one_stray_latin1_byte_keeps_both() {
        let bytes = b"caf\xC3\xA9 na\xC3\xAFve \xC3\xBCber costs \xA35";
        assert_eq!(decode_text(bytes, None).0, "café naïve über costs £5");
    }

    #[test]
    fn detector_reads_undeclared_shift_jis() {
        let (encoded, _, _) = SHIFT_JIS.encode("東京で地震があり、多くの建物が被害を受けました。");
        let (text, encoding) = decode_text(&encoded, None);
        assert_eq!(encoding, SHIFT_JIS);
        assert!(text.starts_with("東京で地震"), "{text}");
    }

    #[test]
    fn sniffs_declared_labels() {
        assert_eq!(
            xml_declared_encoding(b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\" ?>\n<rss>")
                .as_deref(),
            Some("iso-8859-1")
        );
        assert_eq!(xml_declared_encoding(b"<?xml version='1.0'?><rss>"), None);
        assert_eq!(xml_declared_encoding(b"<rss encoding=\"x\">"), None);
        assert_eq!(
            html_declared_charset(b"<html><head><meta charset=\"windows-1251\">").as_deref(),
            Some("windows-1251")
        );
        assert_eq!(
            html_declared_charset(
                b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=EUC-KR\">"
            )
            .as_deref(),
            Some("euc-kr")
        );
        assert_eq!(html_declared_charset(b"<p>no charset here</p>"), None);
    }
}
