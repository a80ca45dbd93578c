//! Fuzzes the conll importer: any bytes give articles or an error naming the file, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    annalist_fuzz::import_as(data, annalist::import::Format::Conll, "fuzz.conll");
});
