//! Fuzzes the query parser (date rewriting, then tantivy's parser) on an empty index.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(query) = std::str::from_utf8(data) {
        annalist_fuzz::search(query);
    }
});
