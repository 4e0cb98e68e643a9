//! Share links (stepwise_engine::share): decode never panics, and whatever opens re-encodes to a
//! link that opens to the same scenario. The first byte picks what the rest is:
//! 0: link text; 1: compressed data after `#v1/` (exercises inflate, the 1 MiB limit, the
//! checksum); otherwise: the JSON inside a well-formed link (exercises the envelope reader).
#![no_main]

use libfuzzer_sys::fuzz_target;
use stepwise_engine::share;

fuzz_target!(|data: &[u8]| {
    let Some((mode, rest)) = data.split_first() else {
        return;
    };
    let link = match mode % 3 {
        0 => String::from_utf8_lossy(rest).into_owned(),
        1 => format!("#v1/{}", base64_url(rest)),
        _ => match share::encode_payload(rest) {
            Ok(l) => l,
            Err(_) => return,
        },
    };
    let _ = share::decode_text(&link);
    if let Ok(env) = share::decode(&link) {
        // Re-encoding can only fail when pretty-printing a definition given as an object pushed
        // the JSON past 1 MiB.
        let Ok(again) = share::encode(&env) else {
            return;
        };
        assert_eq!(share::decode(&again).as_ref(), Ok(&env));
        let file = env.to_file_text();
        assert_eq!(share::Envelope::parse(&file).as_ref(), Ok(&env));
    }
});

fn base64_url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}
