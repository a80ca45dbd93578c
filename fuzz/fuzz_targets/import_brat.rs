//! Fuzzes the brat importer: the input is split at its first 0xFF byte into the text
//! (`doc.txt`, written beside) and the annotations (`doc.ann`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    annalist_fuzz::import_brat(data);
});
