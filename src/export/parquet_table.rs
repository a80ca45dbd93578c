//! One Parquet file of flat typed columns, written a row group at a time: the columns of
//! the rows not yet written are the only thing held in memory.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use parquet::basic::Compression;
use parquet::data_type::{ByteArray, ByteArrayType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use sha2::{Digest, Sha256};

use super::WrittenFile;

/// What a column holds, and so its Parquet physical and logical type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// `INT64`: ids, offsets, counts.
    Int64,
    /// `INT32 (DATE)`: days since 1970-01-01 (Arrow's `date32`).
    Date,
    /// `INT64 (TIMESTAMP(MILLIS, true))`: milliseconds since the epoch, UTC.
    Timestamp,
    /// `BYTE_ARRAY (STRING)`: UTF-8 text.
    Text,
}

/// One column of a table: its name, kind and whether it may be null.
#[derive(Debug, Clone, Copy)]
pub(super) struct Column {
    /// The column name.
    pub(super) name: &'static str,
    /// What it holds.
    pub(super) kind: Kind,
    /// Whether a row may leave it empty (null).
    pub(super) optional: bool,
}

/// One cell of a row, in the column's kind; `None` is null.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Cell {
    /// An `Int64` or `Timestamp` cell.
    Int(Option<i64>),
    /// A `Date` cell: days since 1970-01-01.
    Date(Option<i32>),
    /// A `Text` cell.
    Text(Option<String>),
}

impl Cell {
    fn is_null(&self) -> bool {
        matches!(self, Self::Int(None) | Self::Date(None) | Self::Text(None))
    }
}

/// The values of one column for the rows not yet written, with their definition levels.
#[derive(Default)]
struct Buffer {
    ints: Vec<i64>,
    dates: Vec<i32>,
    texts: Vec<ByteArray>,
    /// 1 where the row has a value, 0 where it is null (optional columns only).
    defined: Vec<i16>,
}

/// A Parquet file being written: its columns, the rows buffered for the next row group,
/// and the SHA-256 of what reached the file.
pub(super) struct Table {
    path: PathBuf,
    name: String,
    columns: &'static [Column],
    buffers: Vec<Buffer>,
    rows: usize,
    text_bytes: usize,
    rows_per_group: usize,
    writer: SerializedFileWriter<Hashing>,
}

/// Text buffered before a row group is written, whatever the row count.
const GROUP_TEXT_BYTES: usize = 32 << 20;

impl Table {
    /// Creates `name` (a new file) in `dir` with the columns given.
    pub(super) fn create(
        dir: &Path,
        name: &str,
        columns: &'static [Column],
        rows_per_group: usize,
    ) -> io::Result<Self> {
        let path = dir.join(name);
        let schema = parse_message_type(&message(name, columns))
            .map_err(|e| io::Error::other(format!("the Parquet schema of {name}: {e}")))?;
        let properties = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!("annalist {}", env!("CARGO_PKG_VERSION")))
            .build();
        let file = File::create_new(&path)
            .map_err(|e| with_path(e, "cannot create the Parquet file", &path))?;
        let out = Hashing {
            out: BufWriter::new(file),
            sha256: Sha256::new(),
        };
        let writer = SerializedFileWriter::new(out, Arc::new(schema), Arc::new(properties))
            .map_err(|e| parquet_error(&e, &path))?;
        Ok(Self {
            path,
            name: name.to_owned(),
            columns,
            buffers: columns.iter().map(|_| Buffer::default()).collect(),
            rows: 0,
            text_bytes: 0,
            rows_per_group,
            writer,
        })
    }

    /// Adds one row (a cell per column, in column order); writes a row group when enough
    /// rows or text are buffered.
    pub(super) fn push(&mut self, row: Vec<Cell>) -> io::Result<()> {
        if row.len() != self.columns.len() {
            return Err(io::Error::other(format!(
                "a row of {} cells for the {} columns of {}",
                row.len(),
                self.columns.len(),
                self.name
            )));
        }
        for (cell, column) in row.iter().zip(self.columns) {
            let fits = matches!(
                (cell, column.kind),
                (Cell::Int(_), Kind::Int64 | Kind::Timestamp)
                    | (Cell::Date(_), Kind::Date)
                    | (Cell::Text(_), Kind::Text)
            );
            if !fits || (!column.optional && cell.is_null()) {
                return Err(io::Error::other(format!(
                    "the cell {cell:?} does not fit the {} column {} of {}",
                    if column.optional {
                        "optional"
                    } else {
                        "required"
                    },
                    column.name,
                    self.name
                )));
            }
        }
        for ((cell, buffer), column) in row.into_iter().zip(&mut self.buffers).zip(self.columns) {
            let defined = match cell {
                Cell::Int(value) => value.map(|v| buffer.ints.push(v)).is_some(),
                Cell::Date(value) => value.map(|v| buffer.dates.push(v)).is_some(),
                Cell::Text(value) => value
                    .map(|v| {
                        self.text_bytes += v.len();
                        buffer.texts.push(ByteArray::from(v.into_bytes()));
                    })
                    .is_some(),
            };
            if column.optional {
                buffer.defined.push(i16::from(defined));
            }
        }
        self.rows += 1;
        if self.rows >= self.rows_per_group || self.text_bytes >= GROUP_TEXT_BYTES {
            self.flush_group()?;
        }
        Ok(())
    }

    /// Writes the buffered rows as one row group.
    fn flush_group(&mut self) -> io::Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let path = self.path.clone();
        let error = |e: parquet::errors::ParquetError| parquet_error(&e, &path);
        let mut group = self.writer.next_row_group().map_err(error)?;
        for (buffer, column) in self.buffers.iter_mut().zip(self.columns) {
            let Some(mut writer) = group.next_column().map_err(error)? else {
                return Err(io::Error::other(format!(
                    "the Parquet writer has no column {} in {}",
                    column.name,
                    path.display()
                )));
            };
            let levels = column.optional.then_some(buffer.defined.as_slice());
            match column.kind {
                Kind::Int64 | Kind::Timestamp => {
                    writer
                        .typed::<Int64Type>()
                        .write_batch(&buffer.ints, levels, None)
                }
                Kind::Date => writer
                    .typed::<Int32Type>()
                    .write_batch(&buffer.dates, levels, None),
                Kind::Text => {
                    writer
                        .typed::<ByteArrayType>()
                        .write_batch(&buffer.texts, levels, None)
                }
            }
            .map_err(error)?;
            writer.close().map_err(error)?;
            *buffer = Buffer::default();
        }
        group.close().map_err(error)?;
        self.rows = 0;
        self.text_bytes = 0;
        Ok(())
    }

    /// Writes the last row group and the footer, flushes, and returns the file's name and
    /// hash for the manifest.
    pub(super) fn finish(mut self) -> io::Result<WrittenFile> {
        self.flush_group()?;
        let path = self.path.clone();
        let mut out = self
            .writer
            .into_inner()
            .map_err(|e| parquet_error(&e, &path))?;
        out.flush()
            .map_err(|e| with_path(e, "cannot write the Parquet file", &path))?;
        out.out
            .get_ref()
            .sync_all()
            .map_err(|e| with_path(e, "cannot write the Parquet file", &path))?;
        Ok(WrittenFile {
            name: self.name,
            sha256: format!("{:x}", out.sha256.finalize()),
        })
    }
}

/// The Parquet schema of the columns, in the schema language `parse_message_type` reads.
fn message(name: &str, columns: &[Column]) -> String {
    let mut message = format!("message {} {{\n", name.trim_end_matches(".parquet"));
    for column in columns {
        let repetition = if column.optional {
            "OPTIONAL"
        } else {
            "REQUIRED"
        };
        let kind = match column.kind {
            Kind::Int64 => "INT64",
            Kind::Date => "INT32",
            Kind::Timestamp => "INT64",
            Kind::Text => "BYTE_ARRAY",
        };
        let logical = match column.kind {
            Kind::Int64 => "",
            Kind::Date => " (DATE)",
            Kind::Timestamp => " (TIMESTAMP(MILLIS, true))",
            Kind::Text => " (STRING)",
        };
        message.push_str(&format!(
            "  {repetition} {kind} {}{logical};\n",
            column.name
        ));
    }
    message.push('}');
    message
}

/// The file writer's output: buffered, hashing every byte that passes.
struct Hashing {
    out: BufWriter<File>,
    sha256: Sha256,
}

impl Write for Hashing {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let written = self.out.write(bytes)?;
        self.sha256.update(bytes.get(..written).unwrap_or(bytes));
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

fn parquet_error(error: &parquet::errors::ParquetError, path: &Path) -> io::Error {
    io::Error::other(format!(
        "cannot write the Parquet file: {error}: {}",
        path.display()
    ))
}

fn with_path(error: io::Error, what: &str, path: &Path) -> io::Error {
    io::Error::new(error.kind(), format!("{what}: {error}: {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_names_every_column_with_its_logical_type() {
        const COLUMNS: [Column; 3] = [
            Column {
                name: "id",
                kind: Kind::Int64,
                optional: false,
            },
            Column {
                name: "day",
                kind: Kind::Date,
                optional: true,
            },
            Column {
                name: "at",
                kind: Kind::Timestamp,
                optional: true,
            },
        ];
        let text = message("t.parquet", &COLUMNS);
        assert_eq!(
            text,
            "message t {\n  REQUIRED INT64 id;\n  OPTIONAL INT32 day (DATE);\n  OPTIONAL INT64 at (TIMESTAMP(MILLIS, true));\n}"
        );
        assert!(parse_message_type(&text).is_ok());
    }

    #[test]
    fn a_row_of_the_wrong_shape_is_an_error_not_a_panic() {
        static COLUMNS: [Column; 1] = [Column {
            name: "id",
            kind: Kind::Int64,
            optional: false,
        }];
        let dir = tempfile::tempdir().unwrap();
        let mut table = Table::create(dir.path(), "t.parquet", &COLUMNS, 10).unwrap();
        assert!(table.push(vec![]).is_err());
        assert!(table.push(vec![Cell::Text(Some("x".into()))]).is_err());
        assert!(table.push(vec![Cell::Int(None)]).is_err());
        table.push(vec![Cell::Int(Some(1))]).unwrap();
        let written = table.finish().unwrap();
        assert_eq!(written.name, "t.parquet");
        let bytes = std::fs::read(dir.path().join("t.parquet")).unwrap();
        assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"));
        assert_eq!(written.sha256, format!("{:x}", Sha256::digest(&bytes)));
    }

    #[test]
    fn rows_go_out_in_groups_of_the_size_given() {
        use parquet::file::reader::{FileReader, SerializedFileReader};
        static COLUMNS: [Column; 2] = [
            Column {
                name: "id",
                kind: Kind::Int64,
                optional: false,
            },
            Column {
                name: "note",
                kind: Kind::Text,
                optional: true,
            },
        ];
        let dir = tempfile::tempdir().unwrap();
        let mut table = Table::create(dir.path(), "t.parquet", &COLUMNS, 2).unwrap();
        for id in 0..5 {
            let note = (id % 2 == 0).then(|| format!("note {id} 👨‍👩‍👧"));
            table
                .push(vec![Cell::Int(Some(id)), Cell::Text(note)])
                .unwrap();
        }
        table.finish().unwrap();
        let file = std::fs::File::open(dir.path().join("t.parquet")).unwrap();
        let reader = SerializedFileReader::new(file).unwrap();
        assert_eq!(reader.metadata().num_row_groups(), 3);
        let notes: Vec<String> = reader
            .get_row_iter(None)
            .unwrap()
            .map(|row| row.unwrap().to_string())
            .collect();
        assert_eq!(notes.len(), 5);
        assert!(
            notes[2].contains("note 2 👨‍👩‍👧") && notes[1].contains("null"),
            "{notes:?}"
        );
    }
}
