//! The link codec: `#v1/<base64url-no-pad(raw deflate(JSON) ++ CRC-32(JSON) as 4 bytes BE)>`.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use miniz_oxide::inflate::stream::{InflateState, inflate};
use miniz_oxide::{DataFormat, MZError, MZFlush, MZStatus};

use super::FORMAT;
use super::envelope::{Envelope, EnvelopeError};

/// What a v1 link starts with (the fragment, `#` included).
pub const LINK_PREFIX: &str = "#v1/";

/// The most JSON a link may inflate to (1 MiB); decoding stops as soon as it is exceeded.
pub const MAX_JSON_BYTES: usize = 1 << 20;

/// The common chat limit on a pasted link's length: above it the page also offers the file.
pub const CHAT_LIMIT: usize = 2000;

/// Deflate level: miniz_oxide's best ("uber") compression.
const LEVEL: u8 = 10;

/// Why a link does not open. `Display` is the message to show (in a `role="alert"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    /// Nothing after the `#`.
    Empty,
    /// The fragment does not start with a format marker like `v1/`.
    NoVersion { found: String },
    /// `#v1/` with nothing after it.
    NoData,
    /// A format newer than this code reads (`version` as written, digits only).
    Newer { version: String },
    /// A character that cannot appear in base64url; `position` counts characters (1-based) in
    /// the text given to [`decode`].
    BadCharacter { position: usize, character: char },
    /// A base64 length that no encoder produces (the link was cut).
    BadLength { length: usize },
    /// The last character carries bits no encoder sets (cut or edited).
    BadLastCharacter { position: usize, character: char },
    /// The compressed data ends before the compressed stream does.
    Truncated,
    /// The data is not a raw deflate stream (`offset`: compressed byte where it failed).
    NotDeflate { offset: usize },
    /// It inflates past [`MAX_JSON_BYTES`] (a bomb or not ours): stopped early.
    TooLarge,
    /// The 4-byte checksum after the compressed stream is missing or incomplete.
    ChecksumMissing,
    /// Bytes after the checksum.
    TrailingData { bytes: usize },
    /// The checksum does not match the contents (a changed character).
    ChecksumMismatch,
    /// The contents are not UTF-8 text.
    NotText { offset: usize },
    /// The contents are not JSON.
    NotJson {
        line: usize,
        column: usize,
        message: String,
    },
    /// The JSON is not a Stepwise scenario: `pointer` (RFC 6901) says where.
    WrongShape { pointer: String, message: String },
}

const DAMAGED: &str = "This link is damaged:";

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::Empty => write!(
                f,
                "{DAMAGED} it is empty (there is no scenario after the '#')."
            ),
            LinkError::NoVersion { found } => write!(
                f,
                "{DAMAGED} it does not start with a Stepwise format marker like #v1/ (it starts with \"{found}\")."
            ),
            LinkError::NoData => write!(
                f,
                "{DAMAGED} there is nothing after #v1/ (the scenario data is missing)."
            ),
            LinkError::Newer { version } => write!(
                f,
                "This link was made by a newer Stepwise (format v{version}); this page reads v{FORMAT}."
            ),
            LinkError::BadCharacter {
                position,
                character,
            } => write!(
                f,
                "{DAMAGED} character {position} ({}) cannot appear in a Stepwise link (only letters, digits, '-' and '_' can).",
                describe(*character)
            ),
            LinkError::BadLength { length } => write!(
                f,
                "{DAMAGED} its data has an impossible length ({length} characters); it was probably cut off. Copy the whole link."
            ),
            LinkError::BadLastCharacter {
                position,
                character,
            } => write!(
                f,
                "{DAMAGED} its last character ({}, character {position}) is not possible there; the link was cut off or edited.",
                describe(*character)
            ),
            LinkError::Truncated => write!(
                f,
                "{DAMAGED} its data ends too early; it was probably cut off. Copy the whole link."
            ),
            LinkError::NotDeflate { offset } => write!(
                f,
                "{DAMAGED} its data does not decompress (it fails at byte {offset}); it was edited or is not a Stepwise link."
            ),
            LinkError::TooLarge => write!(
                f,
                "{DAMAGED} it decompresses to more than 1 MiB, the most a link may hold; it was not opened."
            ),
            LinkError::ChecksumMissing => write!(
                f,
                "{DAMAGED} its checksum is missing from the end; it was probably cut off. Copy the whole link."
            ),
            LinkError::TrailingData { bytes } => write!(
                f,
                "{DAMAGED} it has {bytes} unexpected byte{} after its end; it was edited or characters were added to it.",
                if *bytes == 1 { "" } else { "s" }
            ),
            LinkError::ChecksumMismatch => write!(
                f,
                "{DAMAGED} its contents do not match its checksum; a character in it was changed."
            ),
            LinkError::NotText { offset } => write!(
                f,
                "{DAMAGED} its contents are not text (invalid UTF-8 at byte {offset})."
            ),
            LinkError::NotJson {
                line,
                column,
                message,
            } => write!(
                f,
                "{DAMAGED} its contents are not JSON (line {line}, column {column}: {message})."
            ),
            LinkError::WrongShape { pointer, message } if pointer.is_empty() => {
                write!(f, "{DAMAGED} {message}.")
            }
            LinkError::WrongShape { pointer, message } => {
                write!(f, "{DAMAGED} at {pointer}: {message}.")
            }
        }
    }
}

impl std::error::Error for LinkError {}

impl LinkError {
    /// A stable short name of the failure (for tests, logs and the page's styling).
    pub fn kind(&self) -> &'static str {
        match self {
            LinkError::Empty => "empty",
            LinkError::NoVersion { .. } => "no-version",
            LinkError::NoData => "no-data",
            LinkError::Newer { .. } => "newer",
            LinkError::BadCharacter { .. } => "bad-character",
            LinkError::BadLength { .. } => "bad-length",
            LinkError::BadLastCharacter { .. } => "bad-last-character",
            LinkError::Truncated => "truncated",
            LinkError::NotDeflate { .. } => "not-deflate",
            LinkError::TooLarge => "too-large",
            LinkError::ChecksumMissing => "checksum-missing",
            LinkError::TrailingData { .. } => "trailing-data",
            LinkError::ChecksumMismatch => "checksum-mismatch",
            LinkError::NotText { .. } => "not-text",
            LinkError::NotJson { .. } => "not-json",
            LinkError::WrongShape { .. } => "wrong-shape",
        }
    }

    /// True for "made by a newer Stepwise" (not damage: the link may be fine).
    pub fn is_newer(&self) -> bool {
        matches!(self, LinkError::Newer { .. })
    }
}

impl From<EnvelopeError> for LinkError {
    fn from(e: EnvelopeError) -> Self {
        match e {
            EnvelopeError::NotJson {
                line,
                column,
                message,
            } => LinkError::NotJson {
                line,
                column,
                message,
            },
            EnvelopeError::Shape { pointer, message } => LinkError::WrongShape { pointer, message },
            EnvelopeError::Newer { format } => LinkError::Newer {
                version: format.to_string(),
            },
        }
    }
}

/// A character for a message: `'%'`, `a space`, `U+0007`.
fn describe(c: char) -> String {
    match c {
        ' ' => "a space".to_string(),
        c if c.is_control() => format!("U+{:04X}", c as u32),
        c => format!("'{c}'"),
    }
}

/// Why a scenario cannot become a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EncodeError {
    /// The JSON is larger than [`MAX_JSON_BYTES`]: the link would not open anywhere.
    TooLarge { bytes: usize },
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EncodeError::TooLarge { bytes } => write!(
                f,
                "This scenario is too large for a link ({bytes} bytes of JSON; a link holds at most 1 MiB). Download it as a .stepwise.json file instead."
            ),
        }
    }
}

impl std::error::Error for EncodeError {}

/// The share link fragment of a scenario, `#` included: `#v1/…`. Append it to the page URL
/// (see [`url`]). Deterministic: the same envelope always gives the same link.
pub fn encode(envelope: &Envelope) -> Result<String, EncodeError> {
    encode_payload(envelope.to_json_text().as_bytes())
}

/// The link fragment for arbitrary payload bytes (normally the envelope's compact JSON). Public
/// for tools and tests that need to build links around other contents.
pub fn encode_payload(json: &[u8]) -> Result<String, EncodeError> {
    if json.len() > MAX_JSON_BYTES {
        return Err(EncodeError::TooLarge { bytes: json.len() });
    }
    let mut bin = miniz_oxide::deflate::compress_to_vec(json, LEVEL);
    bin.extend_from_slice(&crc32(json).to_be_bytes());
    let mut out = String::with_capacity(LINK_PREFIX.len() + bin.len().div_ceil(3) * 4);
    out.push_str(LINK_PREFIX);
    URL_SAFE_NO_PAD.encode_string(&bin, &mut out);
    Ok(out)
}

/// The full URL: `base` (any fragment it has is dropped, and so is a `sample=` query
/// parameter: the link carries the whole scenario, a stale sample query would only mislead)
/// followed by the link fragment.
pub fn url(base: &str, fragment: &str) -> String {
    let base = without_sample_query(base.split('#').next().unwrap_or(base));
    let fragment = fragment.trim_start_matches('#');
    format!("{base}#{fragment}")
}

/// `url` without its `sample=` query parameters (other parameters and any fragment kept; the
/// `?` goes when nothing is left).
pub fn without_sample_query(url: &str) -> String {
    let (head, fragment) = match url.find('#') {
        Some(i) => url.split_at(i),
        None => (url, ""),
    };
    let Some((path, query)) = head.split_once('?') else {
        return url.to_string();
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && *p != "sample" && !p.starts_with("sample="))
        .collect();
    if kept.is_empty() {
        format!("{path}{fragment}")
    } else {
        format!("{path}?{}{fragment}", kept.join("&"))
    }
}

/// True when `text` (a fragment with or without `#`, or a whole URL) looks like a Stepwise link
/// of any format version (`v` and a digit after the `#`): the page should [`decode`] it and show
/// the error if it fails; other fragments are not ours.
pub fn looks_like_link(text: &str) -> bool {
    let (_, fragment) = fragment_of(text);
    let mut chars = fragment.chars();
    chars.next() == Some('v') && chars.next().is_some_and(|c| c.is_ascii_digit())
}

/// The fragment part of `text` (after the first `#`, or all of it), trimmed, with its byte
/// offset in `text`.
fn fragment_of(text: &str) -> (usize, &str) {
    let lead = text.len() - text.trim_start().len();
    let body = text.trim();
    match body.find('#') {
        Some(i) => (lead + i + 1, body.get(i + 1..).unwrap_or("")),
        None => (lead, body),
    }
}

/// Open a link: `text` is the fragment (`#v1/…` or `v1/…`) or a whole URL containing it;
/// surrounding whitespace is ignored. Never panics; every failure is a distinct [`LinkError`].
pub fn decode(text: &str) -> Result<Envelope, LinkError> {
    let json = decode_text(text)?;
    Envelope::parse(&json).map_err(LinkError::from)
}

/// The JSON text inside a link (checked against its checksum), without reading it as a
/// scenario: for a "show raw" view when [`decode`] reports the wrong shape.
pub fn decode_text(text: &str) -> Result<String, LinkError> {
    let (offset, fragment) = fragment_of(text);
    if fragment.is_empty() {
        return Err(LinkError::Empty);
    }
    let Some(rest) = fragment.strip_prefix('v') else {
        return Err(no_version(fragment));
    };
    let digits_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    let (digits, after) = rest.split_at(digits_len);
    if digits.is_empty() || digits.starts_with('0') {
        return Err(no_version(fragment));
    }
    if digits != "1" {
        return Err(LinkError::Newer {
            version: digits.to_string(),
        });
    }
    let data = match after.strip_prefix('/') {
        Some(d) => d,
        None if after.is_empty() => return Err(LinkError::NoData),
        None => return Err(no_version(fragment)),
    };
    if data.is_empty() {
        return Err(LinkError::NoData);
    }
    // Character positions (1-based) in the text as given.
    let data_start = offset + 1 + digits_len + 1;
    let position_of = |byte_in_data: usize| {
        text.get(..data_start + byte_in_data)
            .map_or(0, |s| s.chars().count())
            + 1
    };
    if let Some((i, c)) = data
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(LinkError::BadCharacter {
            position: position_of(i),
            character: c,
        });
    }
    if data.len() % 4 == 1 {
        return Err(LinkError::BadLength { length: data.len() });
    }
    let bin = URL_SAFE_NO_PAD.decode(data).map_err(|e| match e {
        base64::DecodeError::InvalidLastSymbol(i, b) | base64::DecodeError::InvalidByte(i, b) => {
            LinkError::BadLastCharacter {
                position: position_of(i),
                character: char::from(b),
            }
        }
        base64::DecodeError::InvalidLength(n) => LinkError::BadLength { length: n },
        base64::DecodeError::InvalidPadding => LinkError::BadLength { length: data.len() },
    })?;
    let (json, consumed) = inflate_limited(&bin, MAX_JSON_BYTES)?;
    let trailer = bin.get(consumed..).unwrap_or(&[]);
    let checksum = match trailer.len() {
        0..=3 => return Err(LinkError::ChecksumMissing),
        4 => trailer
            .iter()
            .fold(0u32, |acc, b| (acc << 8) | u32::from(*b)),
        n => return Err(LinkError::TrailingData { bytes: n - 4 }),
    };
    if checksum != crc32(&json) {
        return Err(LinkError::ChecksumMismatch);
    }
    String::from_utf8(json).map_err(|e| LinkError::NotText {
        offset: e.utf8_error().valid_up_to(),
    })
}

fn no_version(fragment: &str) -> LinkError {
    let found: String = fragment.chars().take(12).collect();
    let found = if fragment.chars().count() > 12 {
        format!("{found}…")
    } else {
        found
    };
    LinkError::NoVersion { found }
}

/// Inflate a raw deflate stream into at most `limit` bytes, growing the output as it goes.
/// Returns the data and the number of compressed bytes the stream used.
fn inflate_limited(bin: &[u8], limit: usize) -> Result<(Vec<u8>, usize), LinkError> {
    let mut state = InflateState::new_boxed(DataFormat::Raw);
    let mut chunk = vec![0u8; 32 * 1024];
    let mut out = Vec::new();
    let mut pos = 0usize;
    let mut stalled = 0u8;
    loop {
        let input = bin.get(pos..).unwrap_or(&[]);
        let r = inflate(&mut state, input, &mut chunk, MZFlush::None);
        pos += r.bytes_consumed;
        if out.len() + r.bytes_written > limit {
            return Err(LinkError::TooLarge);
        }
        out.extend_from_slice(chunk.get(..r.bytes_written).unwrap_or(&[]));
        match r.status {
            Ok(MZStatus::StreamEnd) => return Ok((out, pos)),
            Ok(_) => {
                if r.bytes_consumed == 0 && r.bytes_written == 0 {
                    stalled += 1;
                    if stalled > 2 {
                        return Err(if pos >= bin.len() {
                            LinkError::Truncated
                        } else {
                            LinkError::NotDeflate { offset: pos }
                        });
                    }
                } else {
                    stalled = 0;
                }
            }
            Err(MZError::Buf) if pos >= bin.len() => return Err(LinkError::Truncated),
            Err(_) => return Err(LinkError::NotDeflate { offset: pos }),
        }
    }
}

/// CRC-32 (IEEE 802.3, as in gzip and PNG) of `data`.
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for b in data {
        let index = usize::from((crc as u8) ^ b);
        crc = CRC_TABLE.get(index).copied().unwrap_or(0) ^ (crc >> 8);
    }
    !crc
}

const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn the_stream_end_is_found_before_the_checksum() {
        let table: [&[u8]; 4] = [b"", b"{}", b"hello hello hello hello", &[0u8; 100_000]];
        for data in table {
            let bin = miniz_oxide::deflate::compress_to_vec(data, LEVEL);
            let mut with_trailer = bin.clone();
            with_trailer.extend_from_slice(&[1, 2, 3, 4]);
            let got = inflate_limited(&with_trailer, MAX_JSON_BYTES);
            assert_eq!(got, Ok((data.to_vec(), bin.len())), "{} bytes", data.len());
        }
    }
}

#[cfg(test)]
mod url_tests {
    use super::*;

    #[test]
    fn shared_urls_drop_the_sample_query() {
        for (base, wanted) in [
            ("http://h/?sample=x", "http://h/#v1/A"),
            ("http://h/?sample=x#v1/old", "http://h/#v1/A"),
            ("http://h/?a=1&sample=x&b=2", "http://h/?a=1&b=2#v1/A"),
            ("http://h/p?sample", "http://h/p#v1/A"),
            ("http://h/", "http://h/#v1/A"),
            ("http://h/?samples=1", "http://h/?samples=1#v1/A"),
        ] {
            assert_eq!(url(base, "#v1/A"), wanted, "{base}");
        }
        assert_eq!(without_sample_query("/?sample=a#x"), "/#x");
    }
}
