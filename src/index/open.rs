//! Opening the index folder: as the writer (creating it anew when missing, outdated or
//! damaged) or as a reader beside it; re-opening, validating and re-creating it.

use std::path::Path;

use tantivy::schema::Schema;
use tantivy::{Index, ReloadPolicy, directory::MmapDirectory};

use super::schema::{Fields, INDEX_FORMAT_VERSION, VERSION_FILE, build_schema};
use super::{IndexError, OpenState, Result, SearchIndex, guard};

impl SearchIndex {
    /// Opens the index in `dir` for reading only: searches see the last commit after
    /// [`Self::reload`]; every write fails with [`IndexError::Busy`]. Another handle (the
    /// writer) keeps it up to date. A missing or outdated index reads as empty until the
    /// writer has built it; a damaged one makes searches fail with [`IndexError::Damaged`]
    /// (this handle cannot rebuild it), everything else works.
    pub fn open_reader(dir: &Path) -> Result<(Self, OpenState)> {
        let (schema, fields) = build_schema();
        if !is_current(dir) {
            // Until the writer has built it, searches run on an empty index in memory.
            let index = Self::with_index(Index::create_in_ram(schema), fields, dir, false)?;
            return Ok((index, OpenState::NeedsRebuild));
        }
        match open_existing(dir, fields, false) {
            Ok(index) => Ok((index, OpenState::Ready)),
            Err(reason) => {
                let mut index = Self::with_index(Index::create_in_ram(schema), fields, dir, false)?;
                index.damage_found = Some(reason.clone());
                index.unusable = Some(reason);
                Ok((index, OpenState::Damaged))
            }
        }
    }

    fn with_index(index: Index, fields: Fields, dir: &Path, writable: bool) -> Result<Self> {
        // Layer terms are written as made (see `layers.rs`); reading them here, outside a
        // layer, puts no tag in front.
        super::layers::register_tokenizers(index.tokenizers(), "");
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            index,
            reader,
            writer: None,
            writable,
            fields,
            path: dir.to_owned(),
            damage_found: None,
            unusable: None,
        })
    }

    /// Re-reads the index from disk (a reader handle after the writer committed). A reader
    /// opened before the index existed, or while it was damaged, re-opens it.
    pub fn reload(&mut self) -> Result<()> {
        let stale = self.doc_count() == 0 || self.unusable.is_some();
        if !self.writable && stale && self.path.join("meta.json").exists() {
            let (fresh, _) = Self::open_reader(&self.path)?;
            *self = fresh;
            return Ok(());
        }
        guard::catching(|| Ok(self.reader.reload()?))
    }

    /// Opens the index in `dir`, creating it (empty) when missing or outdated. A damaged
    /// index (its files cannot be opened as an index) is created anew too and reported as
    /// [`OpenState::Damaged`], with the reason in [`Self::damage_found`]; where the folder
    /// cannot be written either, the handle works without search (searches fail with
    /// [`IndexError::Damaged`], saying why) instead of failing to open.
    pub fn open(dir: &Path) -> Result<(Self, OpenState)> {
        let (schema, fields) = build_schema();
        let mut damage = None;
        if is_current(dir) {
            match open_existing(dir, fields, true) {
                Ok(index) => return Ok((index, OpenState::Ready)),
                Err(reason) => damage = Some(reason),
            }
        }
        let state = if damage.is_some() {
            OpenState::Damaged
        } else {
            OpenState::NeedsRebuild
        };
        match create_on_disk(dir, schema.clone()) {
            Ok(index) => {
                let mut index = Self::with_index(index, fields, dir, true)?;
                index.damage_found = damage;
                Ok((index, state))
            }
            Err(error) => {
                let reason = match &damage {
                    Some(damage) => format!(
                        "{damage}; it could not be created anew: {}",
                        error.short_reason()
                    ),
                    None => format!(
                        "it is missing or of an older format and could not be created: {}",
                        error.short_reason()
                    ),
                };
                let mut index = Self::with_index(Index::create_in_ram(schema), fields, dir, false)?;
                index.damage_found = Some(reason.clone());
                index.unusable = Some(reason);
                Ok((index, OpenState::Damaged))
            }
        }
    }

    /// Why the index was found damaged when this handle opened it, if it was.
    pub fn damage_found(&self) -> Option<&str> {
        self.damage_found.as_deref()
    }

    /// Why searches cannot run on this handle, if they cannot.
    pub fn unusable(&self) -> Option<&str> {
        self.unusable.as_deref()
    }

    /// Throws the index folder away and creates it anew, empty (to be rebuilt from the
    /// store): for an index found damaged after it was opened. Only `dir` (the index
    /// folder) is removed; a link there is removed, not followed.
    pub fn recreate(&mut self) -> Result<()> {
        if !self.writable && self.unusable.is_none() {
            return Err(IndexError::Busy);
        }
        self.writer = None;
        let (schema, fields) = build_schema();
        let index = create_on_disk(&self.path, schema)?;
        let damage_found = self.damage_found.take();
        *self = Self::with_index(index, fields, &self.path.clone(), true)?;
        self.damage_found = damage_found;
        Ok(())
    }

    /// Every problem found in the index's files: segment files missing, or whose
    /// checksum does not match their content (bytes overwritten, truncated). Reads every
    /// file of every segment: for `check`, not for every open.
    pub fn validate(&self) -> Vec<String> {
        if let Some(reason) = &self.unusable {
            return vec![reason.clone()];
        }
        let checked = guard::catching(|| {
            let metas = self.index.searchable_segment_metas()?;
            let directory = self.index.directory();
            let mut problems = Vec::new();
            for meta in metas {
                let mut components = vec![
                    tantivy::index::SegmentComponent::Postings,
                    tantivy::index::SegmentComponent::Positions,
                    tantivy::index::SegmentComponent::Terms,
                    tantivy::index::SegmentComponent::Store,
                    tantivy::index::SegmentComponent::FastFields,
                    tantivy::index::SegmentComponent::FieldNorms,
                ];
                if meta.has_deletes() {
                    components.push(tantivy::index::SegmentComponent::Delete);
                }
                for component in components {
                    let file = meta.relative_path(component);
                    let name = file.display();
                    if !self.path.join(&file).exists() {
                        problems.push(format!("segment file {name} is missing"));
                        continue;
                    }
                    match directory.validate_checksum(&file) {
                        Ok(true) => {}
                        Ok(false) => problems.push(format!(
                            "segment file {name} does not match its checksum (its bytes were changed)"
                        )),
                        Err(e) => problems.push(format!("segment file {name} cannot be read: {e}")),
                    }
                }
            }
            Ok(problems)
        });
        checked.unwrap_or_else(|e| vec![e.short_reason()])
    }

    /// Whether this handle may write.
    pub fn is_writable(&self) -> bool {
        self.writable
    }

    /// Number of documents visible to searches.
    pub fn doc_count(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Folder of the index.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Whether `dir` holds an index of the current format (it may still be damaged).
fn is_current(dir: &Path) -> bool {
    let version = std::fs::read_to_string(dir.join(VERSION_FILE))
        .ok()
        .and_then(|v| v.trim().parse::<u32>().ok());
    version == Some(INDEX_FORMAT_VERSION) && dir.join("meta.json").exists()
}

/// Opens the index in `dir` and every segment of its last commit; the reason why not, in
/// words, when its files cannot be read as an index.
fn open_existing(dir: &Path, fields: Fields, writable: bool) -> Result<SearchIndex, String> {
    guard::catching(|| {
        let index = Index::open_in_dir(dir)?;
        // Opening the reader opens every segment file the last commit names.
        SearchIndex::with_index(index, fields, dir, writable)
    })
    .map_err(|e| damage_in_words(&e))
}

/// What a failure to open the index says about its files, in words.
fn damage_in_words(error: &IndexError) -> String {
    use tantivy::TantivyError as T;
    use tantivy::directory::error::OpenReadError as R;
    let name = |path: &Path| {
        path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    };
    match error {
        IndexError::Damaged { reason } => reason.clone(),
        IndexError::Tantivy(T::OpenReadError(R::FileDoesNotExist(path))) => {
            format!("its file {} is missing", name(path))
        }
        IndexError::Tantivy(T::OpenReadError(R::IoError { io_error, filepath })) => {
            format!("its file {} cannot be read: {io_error}", name(filepath))
        }
        IndexError::Tantivy(T::DataCorruption(corruption)) => {
            // Its text quotes the file's content: name the file, not the bytes.
            let text = format!("{corruption:?}");
            let file = text
                .split('`')
                .nth(1)
                .map(|quoted| quoted.trim_matches('"').to_owned());
            match file {
                Some(file) => format!("its file {file} is corrupt"),
                None => "a file of it is corrupt".to_owned(),
            }
        }
        other => other.short_reason(),
    }
}

/// Removes the index folder `dir` (nothing else) and creates an empty index in it.
fn create_on_disk(dir: &Path, schema: Schema) -> Result<Index> {
    let io = |source| IndexError::Io {
        source,
        path: dir.to_owned(),
    };
    // A link named like the index folder is removed, never followed.
    match std::fs::symlink_metadata(dir) {
        Ok(meta) if meta.is_symlink() => std::fs::remove_file(dir).map_err(io)?,
        Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(dir).map_err(io)?,
        Ok(_) => {
            return Err(io(std::io::Error::other(
                "a file, not a folder, is where the index folder should be",
            )));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io(e)),
    }
    std::fs::create_dir_all(dir).map_err(io)?;
    let index = Index::create(
        MmapDirectory::open(dir).map_err(|e| IndexError::Tantivy(e.into()))?,
        schema,
        tantivy::IndexSettings::default(),
    )?;
    std::fs::write(dir.join(VERSION_FILE), INDEX_FORMAT_VERSION.to_string()).map_err(io)?;
    Ok(index)
}
