//! The 18 intrinsic functions of JSONPath-mode ASL (`States.Format(...)` and friends).
//!
//! [`Intrinsic::parse`] compiles the call text once: string literals with the escapes
//! `\' \{ \} \\` (any other backslash is kept as written), numbers, `true`/`false`,
//! `null`, paths `$…`/`$$…`/`$var…` and nested calls up to [`MAX_NESTING`] deep.
//! [`Intrinsic::eval`] evaluates it against a [`Scope`]; arguments are borrowed, not
//! copied, unless a function builds a new value. Results keep every backslash (the JS
//! peer drops them).
//!
//! Behaviour taken from AWS recordings (`../shared/conformance/cases.jsonl`):
//! - `States.MathAdd` rounds each operand like Java's `Math.round` (half up:
//!   `-1.5 → -1`, `2.5 → 3`);
//! - `States.StringSplit` drops empty tokens (`",,,,"` → `[]`);
//! - `States.StringToJson("")` and of blanks → `null`;
//! - `States.Format` prints an object argument the way Java's `Map.toString` does
//!   (`{Id=arn:…, Name=…}`), strings unquoted;
//! - `States.JsonMerge` is shallow only; `true` as the third argument is an error.
//!
//! Randomness (`States.MathRandom`, `States.UUID`) comes from the caller's
//! [`RngCore`]; [`SplitMix64`] is a small deterministic generator for that. A
//! `MathRandom` call with an explicit seed uses `SplitMix64::new(seed)` and so returns
//! the same number for the same seed.
//!
//! Error names are not recorded by AWS for intrinsic failures; [`IntrinsicError`]
//! carries the detail text and the engine reports it as `States.Runtime` (the name AWS
//! uses for every other data-processing failure).

use std::borrow::Cow;
use std::fmt;

use crate::json::{Number, Value};
use base64::Engine as _;
use rand_core::RngCore;

use crate::jsonpath::{JsonPath, PathError, Scope, json_eq};

static NULL: Value = Value::Null;

/// How deep intrinsic calls can nest (the outermost call counts as 1).
pub const MAX_NESTING: usize = 10;
/// `States.ArrayRange` result limit.
pub const MAX_RANGE_ITEMS: usize = 1000;
/// Input limit of `States.Base64Encode`, `States.Base64Decode` and `States.Hash`.
pub const MAX_ENCODE_CHARS: usize = 10_000;

/// SplitMix64: a tiny, fast, deterministic generator (Steele, Lea & Flood 2014), used
/// for `States.MathRandom` / `States.UUID` so a seed reproduces a run.
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }
}

impl RngCore for SplitMix64 {
    fn next_u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }

    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for chunk in dest.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            let n = chunk.len();
            chunk.copy_from_slice(&bytes[..n]);
        }
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

/// The intrinsic functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    Format,
    StringToJson,
    JsonToString,
    Array,
    ArrayPartition,
    ArrayContains,
    ArrayRange,
    ArrayGetItem,
    ArrayLength,
    ArrayUnique,
    Base64Encode,
    Base64Decode,
    Hash,
    JsonMerge,
    MathRandom,
    MathAdd,
    StringSplit,
    Uuid,
}

impl Func {
    pub const ALL: [Func; 18] = [
        Func::Format,
        Func::StringToJson,
        Func::JsonToString,
        Func::Array,
        Func::ArrayPartition,
        Func::ArrayContains,
        Func::ArrayRange,
        Func::ArrayGetItem,
        Func::ArrayLength,
        Func::ArrayUnique,
        Func::Base64Encode,
        Func::Base64Decode,
        Func::Hash,
        Func::JsonMerge,
        Func::MathRandom,
        Func::MathAdd,
        Func::StringSplit,
        Func::Uuid,
    ];

    /// The name after `States.`.
    pub fn name(self) -> &'static str {
        match self {
            Func::Format => "Format",
            Func::StringToJson => "StringToJson",
            Func::JsonToString => "JsonToString",
            Func::Array => "Array",
            Func::ArrayPartition => "ArrayPartition",
            Func::ArrayContains => "ArrayContains",
            Func::ArrayRange => "ArrayRange",
            Func::ArrayGetItem => "ArrayGetItem",
            Func::ArrayLength => "ArrayLength",
            Func::ArrayUnique => "ArrayUnique",
            Func::Base64Encode => "Base64Encode",
            Func::Base64Decode => "Base64Decode",
            Func::Hash => "Hash",
            Func::JsonMerge => "JsonMerge",
            Func::MathRandom => "MathRandom",
            Func::MathAdd => "MathAdd",
            Func::StringSplit => "StringSplit",
            Func::Uuid => "UUID",
        }
    }

    pub fn from_name(name: &str) -> Option<Func> {
        Func::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Allowed argument counts (min, max).
    fn arity(self) -> (usize, usize) {
        match self {
            Func::Format => (1, usize::MAX),
            Func::Array => (0, usize::MAX),
            Func::StringToJson
            | Func::JsonToString
            | Func::ArrayLength
            | Func::ArrayUnique
            | Func::Base64Encode
            | Func::Base64Decode => (1, 1),
            Func::ArrayPartition
            | Func::ArrayContains
            | Func::ArrayGetItem
            | Func::Hash
            | Func::MathAdd
            | Func::StringSplit => (2, 2),
            Func::ArrayRange | Func::JsonMerge => (3, 3),
            Func::MathRandom => (2, 3),
            Func::Uuid => (0, 0),
        }
    }
}

/// One piece of a `States.Format` template literal.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Text(String),
    Placeholder,
}

#[derive(Debug, Clone, PartialEq)]
enum Arg {
    /// A `'string'` (kept as a `Value::String`) with its `Format` pieces.
    Str {
        value: Value,
        pieces: Vec<Piece>,
    },
    /// A number, `true`/`false` or `null`.
    Lit(Value),
    Path(JsonPath),
    Call(Box<Intrinsic>),
}

/// A compiled intrinsic call.
#[derive(Debug, Clone, PartialEq)]
pub struct Intrinsic {
    func: Func,
    args: Vec<Arg>,
}

/// A syntax error in an intrinsic call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntrinsicParseError {
    pub text: String,
    /// Character offset in `text`.
    pub offset: usize,
    pub message: String,
}

impl fmt::Display for IntrinsicParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Invalid intrinsic function '{}' at position {}: {}",
            self.text, self.offset, self.message
        )
    }
}

impl std::error::Error for IntrinsicParseError {}

/// An evaluation failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntrinsicError {
    /// A path argument found nothing.
    Path { path: String, error: PathError },
    /// Bad arguments or a failing operation; `message` is the detail.
    Invalid { function: Func, message: String },
}

impl fmt::Display for IntrinsicError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntrinsicError::Path { path, error } => {
                write!(f, "Invalid path '{path}' : {error}")
            }
            IntrinsicError::Invalid { function, message } => {
                write!(
                    f,
                    "Invalid arguments in States.{}: {message}",
                    function.name()
                )
            }
        }
    }
}

impl std::error::Error for IntrinsicError {}

/// True when a `.$` value is an intrinsic call rather than a path.
pub fn looks_like_intrinsic(text: &str) -> bool {
    text.trim_start().starts_with("States.")
}

impl Intrinsic {
    /// Compiles `States.Name(args…)`.
    pub fn parse(text: &str) -> Result<Intrinsic, IntrinsicParseError> {
        let mut p = Parser {
            text,
            chars: text.chars().collect(),
            pos: 0,
        };
        p.skip_ws();
        let call = p.parse_call(1)?;
        p.skip_ws();
        if p.pos < p.chars.len() {
            return p.err("unexpected text after the closing ')'");
        }
        Ok(call)
    }

    pub fn func(&self) -> Func {
        self.func
    }

    /// Every path used by this call and its nested calls.
    pub fn paths(&self) -> Vec<&JsonPath> {
        let mut out = Vec::new();
        self.collect_paths(&mut out);
        out
    }

    fn collect_paths<'a>(&'a self, out: &mut Vec<&'a JsonPath>) {
        for a in &self.args {
            match a {
                Arg::Path(p) => out.push(p),
                Arg::Call(c) => c.collect_paths(out),
                _ => {}
            }
        }
    }

    /// Evaluates the call. `rng` feeds `States.UUID` and unseeded `States.MathRandom`.
    pub fn eval(&self, scope: &Scope<'_>, rng: &mut dyn RngCore) -> Result<Value, IntrinsicError> {
        // Arguments are borrowed from the call or the scope where possible: only the
        // functions that build new values copy. Up to four are held inline (no allocation).
        const INLINE: usize = 4;
        let n = self.args.len();
        if n <= INLINE {
            let mut buf: [Cow<'_, Value>; INLINE] = Default::default();
            for (slot, a) in buf.iter_mut().zip(&self.args) {
                *slot = Self::arg_value(a, scope, rng)?;
            }
            return self.apply(&mut buf[..n], rng);
        }
        let mut vals: Vec<Cow<'_, Value>> = Vec::with_capacity(n);
        for a in &self.args {
            vals.push(Self::arg_value(a, scope, rng)?);
        }
        self.apply(&mut vals, rng)
    }

    fn arg_value<'s>(
        a: &'s Arg,
        scope: &Scope<'s>,
        rng: &mut dyn RngCore,
    ) -> Result<Cow<'s, Value>, IntrinsicError> {
        Ok(match a {
            Arg::Str { value, .. } | Arg::Lit(value) => Cow::Borrowed(value),
            Arg::Path(p) => p.eval(scope).map_err(|error| IntrinsicError::Path {
                path: p.as_str().to_string(),
                error,
            })?,
            Arg::Call(c) => Cow::Owned(c.eval(scope, rng)?),
        })
    }

    fn invalid(&self, message: impl Into<String>) -> IntrinsicError {
        IntrinsicError::Invalid {
            function: self.func,
            message: message.into(),
        }
    }

    fn apply(
        &self,
        vals: &mut [Cow<'_, Value>],
        rng: &mut dyn RngCore,
    ) -> Result<Value, IntrinsicError> {
        let f = self.func;
        if f == Func::Array {
            return Ok(Value::Array(
                vals.iter_mut()
                    .map(|v| std::mem::take(v).into_owned())
                    .collect(),
            ));
        }
        if f == Func::Format {
            let (template, rest) = vals
                .split_first()
                .map_or((&NULL, &[][..]), |(t, r)| (&**t, r));
            return self.format(template, rest);
        }
        let mut it = vals.iter_mut();
        let mut next = || {
            it.next()
                .map(std::mem::take)
                .unwrap_or(Cow::Owned(Value::Null))
        };
        match f {
            Func::Format | Func::Array => Err(self.invalid("unreachable")),
            Func::StringToJson => {
                let s = self.string_arg(next(), 1)?;
                if s.trim().is_empty() {
                    return Ok(Value::Null);
                }
                serde_json::from_str::<Value>(&s)
                    .map(normalize_negative_zero)
                    .map_err(|e| self.invalid(format!("the string is not valid JSON: {e}")))
            }
            Func::JsonToString => Ok(Value::String(next().to_string().into())),
            Func::ArrayPartition => {
                let arr = self.array_arg(next(), 1)?;
                let size = self.int_arg(&next(), 2)?;
                if size <= 0 {
                    return Err(self.invalid(format!(
                        "the chunk size must be a positive integer, but was: {size}"
                    )));
                }
                let size = usize::try_from(size).unwrap_or(usize::MAX);
                Ok(Value::Array(
                    arr.chunks(size)
                        .map(|c| Value::Array(c.to_vec().into()))
                        .collect(),
                ))
            }
            Func::ArrayContains => {
                let arr = self.array_arg(next(), 1)?;
                let needle = next();
                Ok(Value::Bool(arr.iter().any(|x| json_eq(x, &needle))))
            }
            Func::ArrayRange => {
                let start = self.int_arg(&next(), 1)?;
                let end = self.int_arg(&next(), 2)?;
                let step = self.int_arg(&next(), 3)?;
                if step == 0 {
                    return Err(self.invalid("the step must not be 0"));
                }
                let count = if (step > 0 && start > end) || (step < 0 && start < end) {
                    0
                } else {
                    ((end - start) / step) as u64 + 1
                };
                if count > MAX_RANGE_ITEMS as u64 {
                    return Err(self.invalid(format!(
                        "the range would have {count} items; at most {MAX_RANGE_ITEMS} are allowed"
                    )));
                }
                let mut out = Vec::with_capacity(count as usize);
                let mut x = start;
                for _ in 0..count {
                    out.push(Value::from(x));
                    x += step;
                }
                Ok(Value::Array(out.into()))
            }
            Func::ArrayGetItem => {
                let arr = self.array_arg(next(), 1)?;
                let idx = self.int_arg(&next(), 2)?;
                usize::try_from(idx)
                    .ok()
                    .and_then(|i| arr.get(i).cloned())
                    .ok_or_else(|| {
                        self.invalid(format!(
                            "the index {idx} is out of bounds for an array of length {}",
                            arr.len()
                        ))
                    })
            }
            Func::ArrayLength => {
                let arr = self.array_arg(next(), 1)?;
                Ok(Value::from(arr.len()))
            }
            Func::ArrayUnique => {
                let arr = self.array_arg(next(), 1)?;
                let mut out: Vec<Value> = Vec::with_capacity(arr.len());
                for x in arr.iter() {
                    if !out.iter().any(|y| json_eq(y, x)) {
                        out.push(x.clone());
                    }
                }
                Ok(Value::Array(out.into()))
            }
            Func::Base64Encode => {
                let s = self.string_arg(next(), 1)?;
                self.check_len(&s)?;
                Ok(Value::String(
                    base64::engine::general_purpose::STANDARD
                        .encode(s.as_bytes())
                        .into(),
                ))
            }
            Func::Base64Decode => {
                let s = self.string_arg(next(), 1)?;
                self.check_len(&s)?;
                // Like Java's Base64 decoder: padding accepted but not required.
                let engine = base64::engine::GeneralPurpose::new(
                    &base64::alphabet::STANDARD,
                    base64::engine::GeneralPurposeConfig::new()
                        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
                );
                let bytes = engine
                    .decode(s.as_bytes())
                    .map_err(|e| self.invalid(format!("the string is not valid base64: {e}")))?;
                String::from_utf8(bytes)
                    .map(Value::from)
                    .map_err(|_| self.invalid("the decoded bytes are not valid UTF-8"))
            }
            Func::Hash => {
                let d = next();
                let data: Cow<'_, str> = match &*d {
                    Value::String(s) => Cow::Borrowed(s),
                    Value::Null => {
                        return Err(self.invalid("the data to hash (argument 1) must not be null"));
                    }
                    other => Cow::Owned(other.to_string()),
                };
                self.check_len(&data)?;
                let alg = self.string_arg(next(), 2)?;
                let hex = match &*alg {
                    "MD5" => {
                        use md5::Digest;
                        to_hex(&md5::Md5::digest(data.as_bytes()))
                    }
                    "SHA-1" => {
                        use sha1::Digest;
                        to_hex(&sha1::Sha1::digest(data.as_bytes()))
                    }
                    "SHA-256" => {
                        use sha2::Digest;
                        to_hex(&sha2::Sha256::digest(data.as_bytes()))
                    }
                    "SHA-384" => {
                        use sha2::Digest;
                        to_hex(&sha2::Sha384::digest(data.as_bytes()))
                    }
                    "SHA-512" => {
                        use sha2::Digest;
                        to_hex(&sha2::Sha512::digest(data.as_bytes()))
                    }
                    other => {
                        return Err(self.invalid(format!(
                            "unsupported hash algorithm '{other}' (use MD5, SHA-1, SHA-256, SHA-384 or SHA-512)"
                        )));
                    }
                };
                Ok(Value::String(hex.into()))
            }
            Func::JsonMerge => {
                let a = next().into_owned();
                let b = next();
                let deep = next();
                match &*deep {
                    Value::Bool(false) => {}
                    Value::Bool(true) => {
                        return Err(self.invalid(
                            "Step Functions only supports the shallow merging mode: the third argument must be false",
                        ));
                    }
                    other => {
                        return Err(self.invalid(format!(
                            "the merge mode (argument 3) must be a boolean, but was: {other}"
                        )));
                    }
                }
                let (Value::Object(mut a), Value::Object(b)) = (a, &*b) else {
                    return Err(self.invalid("both values to merge must be JSON objects"));
                };
                for (k, v) in b {
                    a.insert(k.clone(), v.clone());
                }
                Ok(Value::Object(a))
            }
            Func::MathRandom => {
                let start = java_round(self.num_arg(&next(), 1)?);
                let end = java_round(self.num_arg(&next(), 2)?);
                let seed = if self.args.len() == 3 {
                    Some(java_round(self.num_arg(&next(), 3)?))
                } else {
                    None
                };
                if end < start {
                    return Err(self.invalid(format!(
                        "the end ({end}) must not be less than the start ({start})"
                    )));
                }
                // [start, end): end exclusive as AWS documents; start when equal.
                let span = (end - start) as u64;
                let r = match seed {
                    Some(s) => SplitMix64::new(s as u64).next_u64(),
                    None => rng.next_u64(),
                };
                let v = if span == 0 {
                    start
                } else {
                    start + (r % span) as i64
                };
                Ok(Value::from(v))
            }
            Func::MathAdd => {
                let a = java_round(self.num_arg(&next(), 1)?);
                let b = java_round(self.num_arg(&next(), 2)?);
                Ok(Value::from(a + b))
            }
            Func::StringSplit => {
                let s = self.string_arg(next(), 1)?;
                let delims = self.string_arg(next(), 2)?;
                let parts: Vec<Value> = s
                    .split(|c: char| delims.contains(c))
                    .filter(|t| !t.is_empty())
                    .map(|t| Value::String(t.to_string().into()))
                    .collect();
                Ok(Value::Array(parts.into()))
            }
            Func::Uuid => {
                let mut b = [0u8; 16];
                rng.fill_bytes(&mut b);
                b[6] = (b[6] & 0x0f) | 0x40;
                b[8] = (b[8] & 0x3f) | 0x80;
                let h = to_hex(&b);
                Ok(Value::String(
                    format!(
                        "{}-{}-{}-{}-{}",
                        &h[0..8],
                        &h[8..12],
                        &h[12..16],
                        &h[16..20],
                        &h[20..32]
                    )
                    .into(),
                ))
            }
        }
    }

    fn format(&self, template: &Value, rest: &[Cow<'_, Value>]) -> Result<Value, IntrinsicError> {
        let computed;
        let pieces: &[Piece] = match self.args.first() {
            Some(Arg::Str { pieces, .. }) => pieces,
            _ => match template {
                Value::String(s) => {
                    computed = split_placeholders(s);
                    &computed
                }
                other => {
                    return Err(self.invalid(format!(
                        "the template (argument 1) must be a string, but was: {other}"
                    )));
                }
            },
        };
        let holes = pieces.iter().filter(|p| **p == Piece::Placeholder).count();
        if holes != rest.len() {
            return Err(self.invalid(format!(
                "the template has {holes} placeholder(s) '{{}}' but {} value(s) were given",
                rest.len()
            )));
        }
        let mut out = String::new();
        let mut values = rest.iter();
        for p in pieces {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Placeholder => {
                    if let Some(v) = values.next() {
                        java_string(v, &mut out);
                    }
                }
            }
        }
        Ok(Value::String(out.into()))
    }

    fn check_len(&self, s: &str) -> Result<(), IntrinsicError> {
        let n = s.chars().count();
        if n > MAX_ENCODE_CHARS {
            return Err(self.invalid(format!(
                "the input has {n} characters; at most {MAX_ENCODE_CHARS} are allowed"
            )));
        }
        Ok(())
    }

    fn string_arg<'a>(&self, v: Cow<'a, Value>, i: usize) -> Result<Cow<'a, str>, IntrinsicError> {
        match v {
            Cow::Borrowed(Value::String(s)) => Ok(Cow::Borrowed(s.as_str())),
            Cow::Owned(Value::String(s)) => Ok(Cow::Owned(s.to_string())),
            other => Err(self.invalid(format!("argument {i} must be a string, but was: {other}"))),
        }
    }

    fn array_arg<'a>(
        &self,
        v: Cow<'a, Value>,
        i: usize,
    ) -> Result<Cow<'a, [Value]>, IntrinsicError> {
        match v {
            Cow::Borrowed(Value::Array(a)) => Ok(Cow::Borrowed(a.as_slice())),
            Cow::Owned(Value::Array(a)) => Ok(Cow::Owned(a.into_vec())),
            other => Err(self.invalid(format!("argument {i} must be an array, but was: {other}"))),
        }
    }

    fn num_arg(&self, v: &Value, i: usize) -> Result<f64, IntrinsicError> {
        match v.as_f64() {
            Some(x) if x.is_finite() && x.abs() <= i32::MAX as f64 + 1.0 => Ok(x),
            Some(_) => Err(self.invalid(format!("argument {i} is out of the integer range: {v}"))),
            None => Err(self.invalid(format!("argument {i} must be a number, but was: {v}"))),
        }
    }

    fn int_arg(&self, v: &Value, i: usize) -> Result<i64, IntrinsicError> {
        let x = self.num_arg(v, i)?;
        if x.fract() != 0.0 {
            return Err(self.invalid(format!("argument {i} must be an integer, but was: {v}")));
        }
        Ok(x as i64)
    }
}

/// `-0` parses as the float `-0.0`; AWS (Jackson) returns the integer `0` (recorded).
fn normalize_negative_zero(v: Value) -> Value {
    match v {
        Value::Number(n)
            if n.as_f64() == Some(0.0) && n.is_f64() && n.to_string().starts_with('-') =>
        {
            Value::from(0)
        }
        Value::Array(a) => Value::Array(a.into_iter().map(normalize_negative_zero).collect()),
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, x)| (k, normalize_negative_zero(x)))
                .collect(),
        ),
        other => other,
    }
}

/// Java's `Math.round`: `floor(x + 0.5)`.
fn java_round(x: f64) -> i64 {
    (x + 0.5).floor() as i64
}

fn to_hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 15) as usize] as char);
    }
    s
}

fn split_placeholders(s: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find("{}") {
        if i > 0 {
            pieces.push(Piece::Text(rest[..i].to_string()));
        }
        pieces.push(Piece::Placeholder);
        rest = &rest[i + 2..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest.to_string()));
    }
    pieces
}

/// Java `toString` of a JSON value (as `States.Format` prints it): strings bare, maps
/// `{k=v, …}`, lists `[a, b]`.
fn java_string(v: &Value, out: &mut String) {
    match v {
        Value::String(s) => out.push_str(s),
        Value::Object(m) => {
            out.push('{');
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(k);
                out.push('=');
                java_string(x, out);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                java_string(x, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

struct Parser<'t> {
    text: &'t str,
    chars: Vec<char>,
    pos: usize,
}

impl Parser<'_> {
    fn err<T>(&self, message: impl Into<String>) -> Result<T, IntrinsicParseError> {
        Err(IntrinsicParseError {
            text: self.text.to_string(),
            offset: self.pos,
            message: message.into(),
        })
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn starts_with(&self, s: &str) -> bool {
        let mut it = self.chars.iter().skip(self.pos);
        s.chars().all(|c| it.next() == Some(&c))
    }

    fn parse_call(&mut self, depth: usize) -> Result<Intrinsic, IntrinsicParseError> {
        if depth > MAX_NESTING {
            return self.err(format!(
                "intrinsic functions can be nested at most {MAX_NESTING} deep"
            ));
        }
        if !self.starts_with("States.") {
            return self.err("expected an intrinsic function 'States.<Name>(…)'");
        }
        self.pos += "States.".len();
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_alphanumeric()) {
            self.pos += 1;
        }
        let name: String = self.chars[start..self.pos].iter().collect();
        let Some(func) = Func::from_name(&name) else {
            self.pos = start;
            return self.err(format!("unknown intrinsic function 'States.{name}'"));
        };
        self.skip_ws();
        if self.peek() != Some('(') {
            return self.err("expected '('");
        }
        self.pos += 1;
        let mut args = Vec::new();
        self.skip_ws();
        if self.peek() == Some(')') {
            self.pos += 1;
        } else {
            loop {
                self.skip_ws();
                args.push(self.parse_arg(depth)?);
                self.skip_ws();
                match self.peek() {
                    Some(',') => self.pos += 1,
                    Some(')') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return self.err("expected ',' or ')'"),
                }
            }
        }
        let (min, max) = func.arity();
        if args.len() < min || args.len() > max {
            let expected = if min == max {
                format!("{min}")
            } else if max == usize::MAX {
                format!("at least {min}")
            } else {
                format!("{min} to {max}")
            };
            return self.err(format!(
                "States.{} takes {expected} argument(s), {} given",
                func.name(),
                args.len()
            ));
        }
        if func == Func::JsonToString && !matches!(args.first(), Some(Arg::Path(_))) {
            return self.err("the argument of States.JsonToString must be a path");
        }
        if func == Func::Format
            && !matches!(
                args.first(),
                Some(Arg::Str { .. } | Arg::Path(_) | Arg::Call(_))
            )
        {
            return self.err("the first argument of States.Format must be a string");
        }
        Ok(Intrinsic { func, args })
    }

    fn parse_arg(&mut self, depth: usize) -> Result<Arg, IntrinsicParseError> {
        match self.peek() {
            Some('\'') => self.parse_string(),
            Some('$') => self.parse_path(),
            Some(c) if c == '-' || c.is_ascii_digit() => {
                let start = self.pos;
                self.pos += 1;
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
                {
                    self.pos += 1;
                }
                let text: String = self.chars[start..self.pos].iter().collect();
                match serde_json::from_str::<Number>(&text) {
                    Ok(n) => Ok(Arg::Lit(Value::Number(n))),
                    Err(_) => {
                        self.pos = start;
                        self.err(format!("invalid number '{text}'"))
                    }
                }
            }
            _ => {
                if self.starts_with("States.") {
                    return Ok(Arg::Call(Box::new(self.parse_call(depth + 1)?)));
                }
                for (word, arg) in [
                    ("null", Arg::Lit(Value::Null)),
                    ("true", Arg::Lit(Value::Bool(true))),
                    ("false", Arg::Lit(Value::Bool(false))),
                ] {
                    if self.starts_with(word) {
                        let after = self.chars.get(self.pos + word.len()).copied();
                        if !after.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                            self.pos += word.len();
                            return Ok(arg);
                        }
                    }
                }
                self.err("expected an argument: a 'string', a number, null, a path or an intrinsic function")
            }
        }
    }

    fn parse_string(&mut self) -> Result<Arg, IntrinsicParseError> {
        self.pos += 1; // opening quote
        let mut value = String::new();
        let mut pieces = Vec::new();
        let mut text = String::new();
        loop {
            let Some(c) = self.peek() else {
                return self.err("unterminated string literal");
            };
            self.pos += 1;
            match c {
                '\'' => break,
                '\\' => {
                    let Some(n) = self.peek() else {
                        return self.err("unterminated escape sequence");
                    };
                    self.pos += 1;
                    if !matches!(n, '\'' | '{' | '}' | '\\') {
                        // Not one of the reserved escapes: keep the backslash (lenient,
                        // so JSON text such as '{"a":"\"q\""}' survives).
                        value.push('\\');
                        text.push('\\');
                    }
                    value.push(n);
                    text.push(n);
                }
                '{' if self.peek() == Some('}') => {
                    self.pos += 1;
                    value.push_str("{}");
                    if !text.is_empty() {
                        pieces.push(Piece::Text(std::mem::take(&mut text)));
                    }
                    pieces.push(Piece::Placeholder);
                }
                _ => {
                    value.push(c);
                    text.push(c);
                }
            }
        }
        if !text.is_empty() {
            pieces.push(Piece::Text(text));
        }
        Ok(Arg::Str {
            value: Value::String(value.into()),
            pieces,
        })
    }

    fn parse_path(&mut self) -> Result<Arg, IntrinsicParseError> {
        let start = self.pos;
        let mut depth = 0usize;
        let mut quote: Option<char> = None;
        let mut escaped = false;
        while let Some(c) = self.peek() {
            if let Some(q) = quote {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
                self.pos += 1;
                continue;
            }
            match c {
                '\'' | '"' if depth > 0 => quote = Some(c),
                '[' | '(' => depth += 1,
                ']' => depth = depth.saturating_sub(1),
                ')' if depth == 0 => break,
                ')' => depth -= 1,
                ',' if depth == 0 => break,
                c if c.is_whitespace() && depth == 0 => break,
                _ => {}
            }
            self.pos += 1;
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        match JsonPath::parse(&text) {
            Ok(p) => Ok(Arg::Path(p)),
            Err(e) => {
                let offset = start + e.offset;
                Err(IntrinsicParseError {
                    text: self.text.to_string(),
                    offset,
                    message: format!("invalid path '{text}': {}", e.message),
                })
            }
        }
    }
}
