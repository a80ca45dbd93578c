//! The tagger's file format: `ANTG`, a format version (u16, little-endian), then a deflated
//! body: a JSON header (labels, hash bits, weight scale, what it was trained on), the
//! transition weights as f32, and the non-zero emission rows as (bucket delta varint, one
//! i16 per tag scaled by the header's scale).
//!
//! Owns: writing and reading model bytes. Must not: train or tag.

use std::io::{Read, Write};

use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use serde::{Deserialize, Serialize};

use super::perceptron::{Weights, tag_count};
use super::{ModelInfo, TaggerError, TaggerModel};

/// The first bytes of every model file.
const MAGIC: &[u8; 4] = b"ANTG";

/// The version of the format this build writes and reads.
pub const FORMAT_VERSION: u16 = 1;

/// Largest body accepted when reading (a model of 2^24 buckets is far below it).
const MAX_BODY_BYTES: u64 = 256 << 20;

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    labels: Vec<String>,
    bits: u8,
    scale: f32,
    info: ModelInfo,
}

/// The model as bytes.
pub(super) fn to_bytes(model: &TaggerModel) -> Result<Vec<u8>, TaggerError> {
    let weights = &model.weights;
    let max = weights.emission.iter().fold(0.0f32, |m, w| m.max(w.abs()));
    let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
    let header = Header {
        labels: model.labels.clone(),
        bits: weights.bits,
        scale,
        info: model.info.clone(),
    };
    let header = serde_json::to_vec(&header).map_err(|e| TaggerError::Corrupt(e.to_string()))?;
    let mut body = Vec::new();
    push_u32(&mut body, header.len());
    body.extend_from_slice(&header);
    for w in &weights.transition {
        body.extend_from_slice(&w.to_le_bytes());
    }
    let mut rows = Vec::new();
    let mut count = 0usize;
    let mut last = 0usize;
    for (bucket, row) in weights.emission.chunks_exact(weights.tags).enumerate() {
        let quantised: Vec<i16> = row.iter().map(|w| quantise(*w, scale)).collect();
        if quantised.iter().all(|&q| q == 0) {
            continue;
        }
        push_varint(&mut rows, bucket - last);
        last = bucket;
        for q in quantised {
            rows.extend_from_slice(&q.to_le_bytes());
        }
        count += 1;
    }
    push_u32(&mut body, count);
    body.extend_from_slice(&rows);
    let mut out = Vec::with_capacity(body.len() / 3);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    let mut encoder = DeflateEncoder::new(out, Compression::best());
    encoder.write_all(&body)?;
    Ok(encoder.finish()?)
}

fn quantise(w: f32, scale: f32) -> i16 {
    let q = (w / scale).round().clamp(-32767.0, 32767.0);
    // In range after the clamp.
    #[expect(clippy::cast_possible_truncation, reason = "clamped to the i16 range")]
    let q = q as i16;
    q
}

fn push_u32(out: &mut Vec<u8>, value: usize) {
    out.extend_from_slice(&u32::try_from(value).unwrap_or(u32::MAX).to_le_bytes());
}

fn push_varint(out: &mut Vec<u8>, mut value: usize) {
    loop {
        let low = u8::try_from(value & 0x7f).unwrap_or(0);
        value >>= 7;
        if value == 0 {
            out.push(low);
            return;
        }
        out.push(low | 0x80);
    }
}

/// Reads what [`to_bytes`] wrote; damage is an error, never a panic.
pub(super) fn from_bytes(bytes: &[u8]) -> Result<TaggerModel, TaggerError> {
    let (magic, rest) = bytes.split_at_checked(4).ok_or(TaggerError::NotAModel)?;
    if magic != MAGIC {
        return Err(TaggerError::NotAModel);
    }
    let (version, rest) = rest.split_at_checked(2).ok_or(TaggerError::NotAModel)?;
    let version = u16::from_le_bytes([
        version.first().copied().unwrap_or(0),
        version.get(1).copied().unwrap_or(0),
    ]);
    if version != FORMAT_VERSION {
        return Err(TaggerError::Version {
            found: version,
            supported: FORMAT_VERSION,
        });
    }
    let mut body = Vec::new();
    DeflateDecoder::new(rest)
        .take(MAX_BODY_BYTES)
        .read_to_end(&mut body)
        .map_err(|e| TaggerError::Corrupt(format!("the compressed body: {e}")))?;
    let mut reader = Reader { bytes: &body };
    let header_len = reader.u32()?;
    let header: Header = serde_json::from_slice(reader.take(header_len)?)
        .map_err(|e| TaggerError::Corrupt(format!("the header: {e}")))?;
    if !(4..=24).contains(&header.bits) || header.labels.len() > 64 {
        return Err(TaggerError::Corrupt(format!(
            "{} hash bits and {} labels",
            header.bits,
            header.labels.len()
        )));
    }
    let tags = tag_count(header.labels.len());
    let mut weights = Weights::zero(header.bits, tags);
    for w in &mut weights.transition {
        *w = reader.f32()?;
    }
    let rows = reader.u32()?;
    let mut bucket = 0usize;
    for _ in 0..rows {
        bucket += reader.varint()?;
        let row = weights
            .emission
            .get_mut(bucket * tags..(bucket + 1) * tags)
            .ok_or_else(|| TaggerError::Corrupt(format!("bucket {bucket} out of range")))?;
        for w in row {
            *w = f32::from(reader.i16()?) * header.scale;
        }
    }
    if !reader.bytes.is_empty() {
        return Err(TaggerError::Corrupt("bytes after the last row".into()));
    }
    Ok(TaggerModel {
        labels: header.labels,
        weights,
        info: header.info,
    })
}

struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], TaggerError> {
        let (head, rest) = self
            .bytes
            .split_at_checked(n)
            .ok_or_else(|| TaggerError::Corrupt("the body ends early".into()))?;
        self.bytes = rest;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], TaggerError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn u32(&mut self) -> Result<usize, TaggerError> {
        Ok(usize::try_from(u32::from_le_bytes(self.array()?)).unwrap_or(usize::MAX))
    }

    fn f32(&mut self) -> Result<f32, TaggerError> {
        Ok(f32::from_le_bytes(self.array()?))
    }

    fn i16(&mut self) -> Result<i16, TaggerError> {
        Ok(i16::from_le_bytes(self.array()?))
    }

    fn varint(&mut self) -> Result<usize, TaggerError> {
        let mut value = 0usize;
        for shift in (0..35).step_by(7) {
            let [byte] = self.array()?;
            value |= usize::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(TaggerError::Corrupt("a bucket number too long".into()))
    }
}
