//! Fuzzes format detection and gzip: the file's format is guessed from its bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    annalist_fuzz::import_guessed(data);
});
