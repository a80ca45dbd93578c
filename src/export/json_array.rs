//! Streaming of single-document JSON exports: the opening, one item per line with commas,
//! then the closing, so a document of any size is written in constant memory.

use std::io::{self, Write};

use serde::Serialize;

/// Writes `opening`, the items separated by `,\n`, and `closing`.
pub(super) struct JsonArrayWriter<W: Write> {
    out: W,
    closing: &'static str,
    items: u64,
}

impl<W: Write> JsonArrayWriter<W> {
    /// Writes `opening` (which must end inside the array, after `[`).
    pub(super) fn begin(mut out: W, opening: &str, closing: &'static str) -> io::Result<Self> {
        out.write_all(opening.as_bytes())?;
        Ok(Self {
            out,
            closing,
            items: 0,
        })
    }

    /// Writes one item as compact JSON on its own line.
    pub(super) fn item(&mut self, item: &impl Serialize) -> io::Result<()> {
        let separator: &[u8] = if self.items == 0 { b"\n" } else { b",\n" };
        self.out.write_all(separator)?;
        serde_json::to_writer(&mut self.out, item)?;
        self.items += 1;
        Ok(())
    }

    /// Writes the closing and a final newline, then flushes.
    pub(super) fn finish(mut self) -> io::Result<()> {
        if self.items > 0 {
            self.out.write_all(b"\n")?;
        }
        self.out.write_all(self.closing.as_bytes())?;
        self.out.write_all(b"\n")?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_valid_json_with_and_without_items() {
        let mut out = Vec::new();
        JsonArrayWriter::begin(&mut out, "[", "]")
            .unwrap()
            .finish()
            .unwrap();
        assert_eq!(out, b"[]\n");
        let mut out = Vec::new();
        let mut writer = JsonArrayWriter::begin(&mut out, "{\"items\":[", "]}").unwrap();
        writer.item(&1).unwrap();
        writer.item(&"two").unwrap();
        writer.finish().unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"items\":[\n1,\n\"two\"\n]}\n"
        );
    }
}
