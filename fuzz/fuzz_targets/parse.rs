//! Definition text → parse + validate (stepwise_asl::parse).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = stepwise_asl::parse(text);
    }
});
