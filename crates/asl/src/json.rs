//! The JSON value the simulator computes with: a near drop-in for `serde_json::Value`
//! (with its `preserve_order` and `float_roundtrip` features) whose strings, arrays and
//! objects are shared, reference-counted subtrees. Cloning a [`Value`] or selecting a
//! subtree with JSONPath costs a reference count, not a deep copy; a shared array or
//! object is copied (one level, shallowly) only when it is changed (`Arc::make_mut`).
//!
//! What is the same as `serde_json::Value`, by design:
//! - objects keep insertion order; inserting an existing key keeps its position and
//!   replaces the value; [`Map::remove`] is `swap_remove` (as serde_json's with
//!   `preserve_order`); parsing duplicate keys keeps the last value at the first position;
//! - equality: objects compare order-insensitively, numbers as [`Number`] does;
//! - text: `Display` and `Serialize` give byte-identical JSON (numbers are
//!   `serde_json::Number`, written by serde_json's writer); `Deserialize` mirrors
//!   serde_json's visitor.
//!
//! [`Value::from`] a `serde_json::Value` (and back) converts deeply; `json!` builds a
//! value from serde_json's macro (tests and cold paths).

use std::borrow::{Borrow, Cow};
use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

pub use serde_json::Number;

/// `json!({...})`: serde_json's macro, converted to a [`Value`] (for tests and cold paths;
/// hot paths build values directly).
#[doc(hidden)]
#[macro_export]
macro_rules! __stepwise_json {
    ($($t:tt)+) => {
        $crate::json::Value::from(::serde_json::json!($($t)+))
    };
}
pub use crate::__stepwise_json as json;

// ---------------------------------------------------------------------------------------
// Hasher

/// The FxHash function (as rustc uses): deterministic and much cheaper than SipHash for
/// short keys. Object iteration order never depends on it (the map keeps insertion order).
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, w: u64) {
        self.hash = (self.hash.rotate_left(5) ^ w).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            self.add(u64::from_le_bytes(b));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(b) ^ ((rest.len() as u64) << 59));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.hash.rotate_left(26)
    }
}

/// Up to this many entries a key is found by comparing keys in order (see `Map::find`).
const SCAN_MAX: usize = 8;

// ---------------------------------------------------------------------------------------
// Str

/// A shared, immutable string (a JSON string value or an object key).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Str(Arc<str>);

impl Str {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for Str {
    fn default() -> Self {
        Str(Arc::from(""))
    }
}

impl Deref for Str {
    type Target = str;
    #[inline]
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Str {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Str {
    #[inline]
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Str {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Str {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl From<&str> for Str {
    fn from(s: &str) -> Self {
        Str(Arc::from(s))
    }
}
impl From<&String> for Str {
    fn from(s: &String) -> Self {
        Str(Arc::from(s.as_str()))
    }
}
impl From<String> for Str {
    fn from(s: String) -> Self {
        Str(Arc::from(s))
    }
}
impl From<&Str> for Str {
    fn from(s: &Str) -> Self {
        s.clone()
    }
}
impl From<Cow<'_, str>> for Str {
    fn from(s: Cow<'_, str>) -> Self {
        Str(Arc::from(s))
    }
}
impl From<Arc<str>> for Str {
    fn from(s: Arc<str>) -> Self {
        Str(s)
    }
}
impl From<Str> for String {
    fn from(s: Str) -> Self {
        String::from(&*s.0)
    }
}

impl PartialEq<str> for Str {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}
impl PartialEq<&str> for Str {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}
impl PartialEq<String> for Str {
    fn eq(&self, other: &String) -> bool {
        &*self.0 == other.as_str()
    }
}
impl PartialEq<Str> for str {
    fn eq(&self, other: &Str) -> bool {
        self == &*other.0
    }
}
impl PartialEq<Str> for &str {
    fn eq(&self, other: &Str) -> bool {
        *self == &*other.0
    }
}
impl PartialEq<Str> for String {
    fn eq(&self, other: &Str) -> bool {
        self.as_str() == &*other.0
    }
}

impl Serialize for Str {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Str {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Str::from)
    }
}

// ---------------------------------------------------------------------------------------
// Array

/// A shared array: reads go through `Deref<Target = Vec<Value>>`; writes (`DerefMut`)
/// copy the vector first when it is shared (its elements are shared, not copied).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Array(Arc<Vec<Value>>);

impl Array {
    pub fn new() -> Self {
        Array::default()
    }
    pub fn with_capacity(n: usize) -> Self {
        Array(Arc::new(Vec::with_capacity(n)))
    }
    /// The elements, copied only if the vector is shared.
    pub fn into_vec(self) -> Vec<Value> {
        Arc::unwrap_or_clone(self.0)
    }
    /// Whether both are the same shared vector.
    pub fn ptr_eq(&self, other: &Array) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Deref for Array {
    type Target = Vec<Value>;
    #[inline]
    fn deref(&self) -> &Vec<Value> {
        &self.0
    }
}

impl DerefMut for Array {
    #[inline]
    fn deref_mut(&mut self) -> &mut Vec<Value> {
        Arc::make_mut(&mut self.0)
    }
}

impl fmt::Debug for Array {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self.0, f)
    }
}

impl From<Vec<Value>> for Array {
    fn from(v: Vec<Value>) -> Self {
        Array(Arc::new(v))
    }
}

impl FromIterator<Value> for Array {
    fn from_iter<I: IntoIterator<Item = Value>>(iter: I) -> Self {
        Array(Arc::new(iter.into_iter().collect()))
    }
}

impl IntoIterator for Array {
    type Item = Value;
    type IntoIter = std::vec::IntoIter<Value>;
    fn into_iter(self) -> Self::IntoIter {
        self.into_vec().into_iter()
    }
}

impl<'a> IntoIterator for &'a Array {
    type Item = &'a Value;
    type IntoIter = std::slice::Iter<'a, Value>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<'a> IntoIterator for &'a mut Array {
    type Item = &'a mut Value;
    type IntoIter = std::slice::IterMut<'a, Value>;
    fn into_iter(self) -> Self::IntoIter {
        Arc::make_mut(&mut self.0).iter_mut()
    }
}

impl Serialize for Array {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter())
    }
}

// ---------------------------------------------------------------------------------------
// Map

/// The entries of an object in order, with a hash index of the keys' positions once there
/// are more than [`SCAN_MAX`] of them (smaller objects, most payloads, are scanned: no table
/// to build, copy or free).
#[derive(Clone, Default)]
struct Inner {
    entries: Vec<(Str, Value)>,
    /// Position of every key; `Some` exactly when there are more than [`SCAN_MAX`] entries.
    index: Option<HashMap<Str, usize, BuildHasherDefault<FxHasher>>>,
}

impl Inner {
    fn with_capacity(n: usize) -> Inner {
        Inner {
            entries: Vec::with_capacity(n),
            index: None,
        }
    }

    #[inline]
    fn find(&self, key: &str) -> Option<usize> {
        match &self.index {
            None => self.entries.iter().position(|(k, _)| k.as_str() == key),
            Some(index) => index.get(key).copied(),
        }
    }

    /// Makes the index match the entries (built above [`SCAN_MAX`], dropped at or below).
    fn reindex(&mut self) {
        if self.entries.len() <= SCAN_MAX {
            self.index = None;
            return;
        }
        let index = self.index.get_or_insert_with(HashMap::default);
        index.clear();
        index.reserve(self.entries.len());
        for (i, (k, _)) in self.entries.iter().enumerate() {
            index.insert(k.clone(), i);
        }
    }

    /// Inserts; an existing key keeps its position (and its key) and gets the new value.
    #[inline]
    fn insert(&mut self, key: Str, value: Value) -> Option<Value> {
        if let Some(i) = self.find(&key) {
            return self
                .entries
                .get_mut(i)
                .map(|(_, v)| std::mem::replace(v, value));
        }
        let i = self.entries.len();
        match &mut self.index {
            Some(index) => {
                index.insert(key.clone(), i);
                self.entries.push((key, value));
            }
            None => {
                self.entries.push((key, value));
                if self.entries.len() > SCAN_MAX {
                    self.reindex();
                }
            }
        }
        None
    }

    fn swap_remove_entry(&mut self, key: &str) -> Option<(Str, Value)> {
        let i = self.find(key)?;
        let removed = self.entries.swap_remove(i);
        if self.entries.len() <= SCAN_MAX {
            self.index = None;
        } else if let Some(index) = &mut self.index {
            index.remove(key);
            if let Some((moved, _)) = self.entries.get(i) {
                index.insert(moved.clone(), i);
            }
        }
        Some(removed)
    }

    fn shift_remove_entry(&mut self, key: &str) -> Option<(Str, Value)> {
        let i = self.find(key)?;
        let removed = self.entries.remove(i);
        if self.entries.len() <= SCAN_MAX {
            self.index = None;
        } else if let Some(index) = &mut self.index {
            index.remove(key);
            for p in index.values_mut() {
                if *p > i {
                    *p -= 1;
                }
            }
        }
        Some(removed)
    }
}

/// A shared JSON object: insertion-ordered (entries in a `Vec` behind an `Arc`, with a hash
/// index above [`SCAN_MAX`] keys), copied (shallowly) on the first change while shared. The API
/// follows `serde_json::Map` with `preserve_order` (an `IndexMap`): `remove` is `swap_remove`,
/// equality ignores order.
#[derive(Clone, Default)]
pub struct Map(Arc<Inner>);

/// A place for a key in a [`Map`] (`or_insert`, `or_insert_with`, `or_default`, as
/// `indexmap::map::Entry`).
pub struct Entry<'a> {
    inner: &'a mut Inner,
    key: Str,
}

impl<'a> Entry<'a> {
    pub fn or_insert(self, default: Value) -> &'a mut Value {
        self.or_insert_with(|| default)
    }

    pub fn or_insert_with(self, make: impl FnOnce() -> Value) -> &'a mut Value {
        let i = match self.inner.find(&self.key) {
            Some(i) => i,
            None => {
                let i = self.inner.entries.len();
                self.inner.insert(self.key, make());
                i
            }
        };
        &mut self.inner.entries[i].1
    }

    pub fn or_default(self) -> &'a mut Value {
        self.or_insert_with(Value::default)
    }
}

pub type Iter<'a> = std::iter::Map<
    std::slice::Iter<'a, (Str, Value)>,
    fn(&'a (Str, Value)) -> (&'a Str, &'a Value),
>;
pub type IterMut<'a> = std::iter::Map<
    std::slice::IterMut<'a, (Str, Value)>,
    fn(&'a mut (Str, Value)) -> (&'a Str, &'a mut Value),
>;
pub type Keys<'a> =
    std::iter::Map<std::slice::Iter<'a, (Str, Value)>, fn(&'a (Str, Value)) -> &'a Str>;
pub type Values<'a> =
    std::iter::Map<std::slice::Iter<'a, (Str, Value)>, fn(&'a (Str, Value)) -> &'a Value>;
pub type ValuesMut<'a> = std::iter::Map<
    std::slice::IterMut<'a, (Str, Value)>,
    fn(&'a mut (Str, Value)) -> &'a mut Value,
>;
pub type IntoIter = std::vec::IntoIter<(Str, Value)>;
pub type IntoValues = std::iter::Map<std::vec::IntoIter<(Str, Value)>, fn((Str, Value)) -> Value>;

fn pair_ref(e: &(Str, Value)) -> (&Str, &Value) {
    (&e.0, &e.1)
}
fn pair_mut(e: &mut (Str, Value)) -> (&Str, &mut Value) {
    (&e.0, &mut e.1)
}
fn key_ref(e: &(Str, Value)) -> &Str {
    &e.0
}
fn value_ref(e: &(Str, Value)) -> &Value {
    &e.1
}
fn value_mut(e: &mut (Str, Value)) -> &mut Value {
    &mut e.1
}
fn value_own(e: (Str, Value)) -> Value {
    e.1
}

impl Map {
    pub fn new() -> Self {
        Map::default()
    }

    pub fn with_capacity(n: usize) -> Self {
        Map(Arc::new(Inner::with_capacity(n)))
    }

    /// The object of `entries` in their order (a repeated key keeps its first position and
    /// its last value, as inserting them one by one does).
    pub fn from_entries(entries: Vec<(Str, Value)>) -> Self {
        let distinct = entries.len() <= SCAN_MAX
            && entries
                .iter()
                .enumerate()
                .all(|(i, (k, _))| entries.iter().take(i).all(|(j, _)| j != k));
        if distinct {
            return Map(Arc::new(Inner {
                entries,
                index: None,
            }));
        }
        entries.into_iter().collect()
    }

    #[inline]
    fn inner_mut(&mut self) -> &mut Inner {
        Arc::make_mut(&mut self.0)
    }

    /// Whether both are the same shared object.
    pub fn ptr_eq(&self, other: &Map) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    pub fn clear(&mut self) {
        if !self.0.entries.is_empty() {
            let m = self.inner_mut();
            m.entries.clear();
            m.index = None;
        }
    }

    /// The position of `key`: small objects are scanned, larger ones use the hash index.
    #[inline]
    fn find(&self, key: &str) -> Option<usize> {
        self.0.find(key)
    }

    #[inline]
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.find(key)
            .and_then(|i| self.0.entries.get(i))
            .map(|(_, v)| v)
    }

    pub fn get_key_value(&self, key: &str) -> Option<(&Str, &Value)> {
        self.find(key).and_then(|i| self.get_index(i))
    }

    pub fn get_index(&self, i: usize) -> Option<(&Str, &Value)> {
        self.0.entries.get(i).map(pair_ref)
    }

    pub fn get_index_of(&self, key: &str) -> Option<usize> {
        self.find(key)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        let i = self.find(key)?;
        self.inner_mut().entries.get_mut(i).map(|(_, v)| v)
    }

    #[inline]
    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_some()
    }

    /// Inserts; an existing key keeps its position and gets the new value.
    #[inline]
    pub fn insert(&mut self, key: impl Into<Str>, value: Value) -> Option<Value> {
        self.inner_mut().insert(key.into(), value)
    }

    /// Like `serde_json::Map::remove` with `preserve_order`: `swap_remove`.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.swap_remove(key)
    }

    pub fn swap_remove(&mut self, key: &str) -> Option<Value> {
        self.remove_entry(key).map(|(_, v)| v)
    }

    pub fn shift_remove(&mut self, key: &str) -> Option<Value> {
        self.shift_remove_entry(key).map(|(_, v)| v)
    }

    pub fn remove_entry(&mut self, key: &str) -> Option<(Str, Value)> {
        if !self.contains_key(key) {
            return None;
        }
        self.inner_mut().swap_remove_entry(key)
    }

    pub fn shift_remove_entry(&mut self, key: &str) -> Option<(Str, Value)> {
        if !self.contains_key(key) {
            return None;
        }
        self.inner_mut().shift_remove_entry(key)
    }

    /// Inserts at `index`, or moves an existing key there (clamped to the end, never panics).
    pub fn shift_insert(
        &mut self,
        index: usize,
        key: impl Into<Str>,
        value: Value,
    ) -> Option<Value> {
        let key = key.into();
        let m = self.inner_mut();
        let old = match m.find(&key) {
            Some(from) => {
                let (k, old) = m.entries.remove(from);
                let to = index.min(m.entries.len());
                m.entries.insert(to, (k, value));
                Some(old)
            }
            None => {
                let to = index.min(m.entries.len());
                m.entries.insert(to, (key, value));
                None
            }
        };
        m.reindex();
        old
    }

    pub fn entry(&mut self, key: impl Into<Str>) -> Entry<'_> {
        Entry {
            inner: self.inner_mut(),
            key: key.into(),
        }
    }

    /// Moves every entry of `other` into `self` (as `serde_json::Map::append`).
    pub fn append(&mut self, other: &mut Map) {
        let other = std::mem::take(other);
        self.extend(other);
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&Str, &mut Value) -> bool) {
        let m = self.inner_mut();
        let before = m.entries.len();
        m.entries.retain_mut(|(k, v)| keep(k, v));
        if m.entries.len() != before {
            m.reindex();
        }
    }

    pub fn sort_keys(&mut self) {
        let m = self.inner_mut();
        m.entries.sort_by(|a, b| a.0.cmp(&b.0));
        m.reindex();
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.0.entries.len()
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.0.entries.is_empty()
    }

    pub fn iter(&self) -> Iter<'_> {
        self.0.entries.iter().map(pair_ref as _)
    }

    pub fn iter_mut(&mut self) -> IterMut<'_> {
        self.inner_mut().entries.iter_mut().map(pair_mut as _)
    }

    pub fn keys(&self) -> Keys<'_> {
        self.0.entries.iter().map(key_ref as _)
    }

    pub fn values(&self) -> Values<'_> {
        self.0.entries.iter().map(value_ref as _)
    }

    pub fn values_mut(&mut self) -> ValuesMut<'_> {
        self.inner_mut().entries.iter_mut().map(value_mut as _)
    }

    pub fn into_values(self) -> IntoValues {
        Arc::unwrap_or_clone(self.0)
            .entries
            .into_iter()
            .map(value_own as _)
    }

    pub fn first(&self) -> Option<(&Str, &Value)> {
        self.0.entries.first().map(pair_ref)
    }
}

impl PartialEq for Map {
    fn eq(&self, other: &Map) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
            || (self.len() == other.len()
                && self
                    .iter()
                    .all(|(k, v)| other.get(k).is_some_and(|o| o == v)))
    }
}
impl Eq for Map {}

impl fmt::Debug for Map {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl std::ops::Index<&str> for Map {
    type Output = Value;
    fn index(&self, key: &str) -> &Value {
        self.get(key).unwrap_or(&NULL)
    }
}

impl<K: Into<Str>> FromIterator<(K, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (K, Value)>>(iter: I) -> Self {
        let mut m = Inner::default();
        for (k, v) in iter {
            m.insert(k.into(), v);
        }
        Map(Arc::new(m))
    }
}

impl<K: Into<Str>> Extend<(K, Value)> for Map {
    fn extend<I: IntoIterator<Item = (K, Value)>>(&mut self, iter: I) {
        let m = self.inner_mut();
        for (k, v) in iter {
            m.insert(k.into(), v);
        }
    }
}

impl IntoIterator for Map {
    type Item = (Str, Value);
    type IntoIter = IntoIter;
    fn into_iter(self) -> Self::IntoIter {
        Arc::unwrap_or_clone(self.0).entries.into_iter()
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a Str, &'a Value);
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a> IntoIterator for &'a mut Map {
    type Item = (&'a Str, &'a mut Value);
    type IntoIter = IterMut<'a>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

impl Serialize for Map {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.len()))?;
        for (k, v) in self.iter() {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Map {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::Object(m) => Ok(m),
            other => Err(serde::de::Error::invalid_type(
                match &other {
                    Value::Null => serde::de::Unexpected::Unit,
                    Value::Bool(b) => serde::de::Unexpected::Bool(*b),
                    Value::Number(_) => serde::de::Unexpected::Other("number"),
                    Value::String(s) => serde::de::Unexpected::Str(s),
                    Value::Array(_) => serde::de::Unexpected::Seq,
                    Value::Object(_) => serde::de::Unexpected::Map,
                },
                &"a map",
            )),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Value

/// A JSON value with shared strings, arrays and objects (see the module docs).
#[derive(Clone, PartialEq, Eq, Default)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Number(Number),
    String(Str),
    Array(Array),
    Object(Map),
}

static NULL: Value = Value::Null;

/// What [`Value::get`] and `value[...]` accept: a key (objects) or an index (arrays).
pub trait JsonIndex {
    fn index_into<'v>(&self, v: &'v Value) -> Option<&'v Value>;
    fn index_into_mut<'v>(&self, v: &'v mut Value) -> Option<&'v mut Value>;
}

impl JsonIndex for usize {
    fn index_into<'v>(&self, v: &'v Value) -> Option<&'v Value> {
        match v {
            Value::Array(a) => a.get(*self),
            _ => None,
        }
    }
    fn index_into_mut<'v>(&self, v: &'v mut Value) -> Option<&'v mut Value> {
        match v {
            Value::Array(a) if *self < a.len() => a.get_mut(*self),
            _ => None,
        }
    }
}

impl JsonIndex for str {
    fn index_into<'v>(&self, v: &'v Value) -> Option<&'v Value> {
        match v {
            Value::Object(m) => m.get(self),
            _ => None,
        }
    }
    fn index_into_mut<'v>(&self, v: &'v mut Value) -> Option<&'v mut Value> {
        match v {
            Value::Object(m) => m.get_mut(self),
            _ => None,
        }
    }
}

impl JsonIndex for String {
    fn index_into<'v>(&self, v: &'v Value) -> Option<&'v Value> {
        self.as_str().index_into(v)
    }
    fn index_into_mut<'v>(&self, v: &'v mut Value) -> Option<&'v mut Value> {
        self.as_str().index_into_mut(v)
    }
}

impl JsonIndex for Str {
    fn index_into<'v>(&self, v: &'v Value) -> Option<&'v Value> {
        self.as_str().index_into(v)
    }
    fn index_into_mut<'v>(&self, v: &'v mut Value) -> Option<&'v mut Value> {
        self.as_str().index_into_mut(v)
    }
}

impl<T: JsonIndex + ?Sized> JsonIndex for &T {
    fn index_into<'v>(&self, v: &'v Value) -> Option<&'v Value> {
        (**self).index_into(v)
    }
    fn index_into_mut<'v>(&self, v: &'v mut Value) -> Option<&'v mut Value> {
        (**self).index_into_mut(v)
    }
}

impl<I: JsonIndex> std::ops::Index<I> for Value {
    type Output = Value;
    /// `v["key"]` / `v[0]`: `Null` when absent (never panics).
    fn index(&self, index: I) -> &Value {
        index.index_into(self).unwrap_or(&NULL)
    }
}

/// `v["key"] = x` (as serde_json): `Null` becomes an empty object, a missing key is added
/// (as `Null`, then assigned). Panics on a value that is neither an object nor `Null`, like
/// serde_json does: for tests and code that built the value itself, never on user data.
impl std::ops::IndexMut<&str> for Value {
    fn index_mut(&mut self, key: &str) -> &mut Value {
        if self.is_null() {
            *self = Value::Object(Map::new());
        }
        match self {
            Value::Object(m) => m.entry(key).or_insert(Value::Null),
            other => panic!("cannot access key {key:?} in JSON {}", kind(other)),
        }
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn parse_index(s: &str) -> Option<usize> {
    if s.starts_with('+') || (s.starts_with('0') && s.len() != 1) {
        return None;
    }
    s.parse().ok()
}

impl Value {
    pub const NULL: Value = Value::Null;

    pub fn get<I: JsonIndex>(&self, index: I) -> Option<&Value> {
        index.index_into(self)
    }

    pub fn get_mut<I: JsonIndex>(&mut self, index: I) -> Option<&mut Value> {
        index.index_into_mut(self)
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
    pub fn is_boolean(&self) -> bool {
        matches!(self, Value::Bool(_))
    }
    pub fn is_number(&self) -> bool {
        matches!(self, Value::Number(_))
    }
    pub fn is_string(&self) -> bool {
        matches!(self, Value::String(_))
    }
    pub fn is_array(&self) -> bool {
        matches!(self, Value::Array(_))
    }
    pub fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }
    pub fn is_i64(&self) -> bool {
        matches!(self, Value::Number(n) if n.is_i64())
    }
    pub fn is_u64(&self) -> bool {
        matches!(self, Value::Number(n) if n.is_u64())
    }
    pub fn is_f64(&self) -> bool {
        matches!(self, Value::Number(n) if n.is_f64())
    }

    pub fn as_null(&self) -> Option<()> {
        match self {
            Value::Null => Some(()),
            _ => None,
        }
    }
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => n.as_f64(),
            _ => None,
        }
    }
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n) => n.as_i64(),
            _ => None,
        }
    }
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Number(n) => n.as_u64(),
            _ => None,
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s.as_str()),
            _ => None,
        }
    }
    /// The shared string (cloning it is a reference count).
    pub fn as_shared_str(&self) -> Option<&Str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }
    /// The array, copied first if it is shared.
    pub fn as_array_mut(&mut self) -> Option<&mut Vec<Value>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }
    /// Whether `self` and `other` are the same value by identity: the same shared object,
    /// array or string, or the same `null` / boolean (their JSON texts are then the same).
    /// Numbers are never the same (`0.0` equals `-0.0` but is written differently).
    pub fn is_same(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Object(a), Value::Object(b)) => a.ptr_eq(b),
            (Value::Array(a), Value::Array(b)) => a.ptr_eq(b),
            (Value::String(a), Value::String(b)) => Arc::ptr_eq(&a.0, &b.0),
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            _ => false,
        }
    }

    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }
    /// The object (its mutating methods copy it first if it is shared).
    pub fn as_object_mut(&mut self) -> Option<&mut Map> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// RFC 6901 JSON Pointer lookup (as `serde_json::Value::pointer`).
    pub fn pointer(&self, pointer: &str) -> Option<&Value> {
        pointer_tokens(pointer)?.try_fold(self, |target, token| match target {
            Value::Object(map) => map.get(&token),
            Value::Array(list) => parse_index(&token).and_then(|x| list.get(x)),
            _ => None,
        })
    }

    pub fn pointer_mut(&mut self, pointer: &str) -> Option<&mut Value> {
        pointer_tokens(pointer)?.try_fold(self, |target, token| match target {
            Value::Object(map) => map.get_mut(&token),
            Value::Array(list) => parse_index(&token).and_then(move |x| list.get_mut(x)),
            _ => None,
        })
    }

    /// Takes the value out, leaving `Null`.
    pub fn take(&mut self) -> Value {
        std::mem::replace(self, Value::Null)
    }

    /// A new array value.
    pub fn array(v: Vec<Value>) -> Value {
        Value::Array(Array::from(v))
    }

    /// A new string value.
    pub fn string(s: impl Into<Str>) -> Value {
        Value::String(s.into())
    }

    /// Whether both are the same shared string, array or object (a cheap check before
    /// a deep comparison; `false` says nothing).
    pub fn ptr_eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Array(a), Value::Array(b)) => a.ptr_eq(b),
            (Value::Object(a), Value::Object(b)) => a.ptr_eq(b),
            (Value::String(a), Value::String(b)) => Arc::ptr_eq(&a.0, &b.0),
            _ => false,
        }
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("Null"),
            Value::Bool(b) => write!(f, "Bool({b})"),
            Value::Number(n) => fmt::Debug::fmt(n, f),
            Value::String(s) => write!(f, "String({:?})", s.as_str()),
            Value::Array(a) => {
                f.write_str("Array ")?;
                fmt::Debug::fmt(&**a, f)
            }
            Value::Object(m) => {
                f.write_str("Object ")?;
                fmt::Debug::fmt(m, f)
            }
        }
    }
}

impl fmt::Display for Value {
    /// Compact JSON (as `serde_json::to_string`); `{:#}` is pretty (as `to_string_pretty`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = if f.alternate() {
            serde_json::to_string_pretty(self)
        } else {
            serde_json::to_string(self)
        };
        f.write_str(&text.unwrap_or_default())
    }
}

impl Serialize for Value {
    #[inline]
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Number(n) => n.serialize(s),
            Value::String(v) => s.serialize_str(v),
            Value::Array(a) => a.serialize(s),
            Value::Object(m) => m.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        struct ValueVisitor;

        impl<'de> Visitor<'de> for ValueVisitor {
            type Value = Value;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any valid JSON value")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
                Ok(Value::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
                Ok(Value::Number(v.into()))
            }
            fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<Value, E> {
                let de = serde::de::value::I128Deserializer::new(v);
                Number::deserialize(de).map(Value::Number)
            }
            fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
                Ok(Value::Number(v.into()))
            }
            fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<Value, E> {
                let de = serde::de::value::U128Deserializer::new(v);
                Number::deserialize(de).map(Value::Number)
            }
            fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
                Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
            }
            fn visit_str<E>(self, v: &str) -> Result<Value, E> {
                Ok(Value::String(Str::from(v)))
            }
            fn visit_string<E>(self, v: String) -> Result<Value, E> {
                Ok(Value::String(Str::from(v)))
            }
            fn visit_none<E>(self) -> Result<Value, E> {
                Ok(Value::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
                Deserialize::deserialize(d)
            }
            fn visit_unit<E>(self) -> Result<Value, E> {
                Ok(Value::Null)
            }
            fn visit_seq<V: SeqAccess<'de>>(self, mut seq: V) -> Result<Value, V::Error> {
                let mut vec = Vec::new();
                while let Some(elem) = seq.next_element()? {
                    vec.push(elem);
                }
                Ok(Value::array(vec))
            }
            fn visit_map<V: MapAccess<'de>>(self, mut access: V) -> Result<Value, V::Error> {
                let mut m = Inner::default();
                while let Some((k, v)) = access.next_entry::<Str, Value>()? {
                    m.insert(k, v);
                }
                Ok(Value::Object(Map(Arc::new(m))))
            }
        }

        d.deserialize_any(ValueVisitor)
    }
}

impl std::str::FromStr for Value {
    type Err = serde_json::Error;
    fn from_str(s: &str) -> Result<Value, serde_json::Error> {
        serde_json::from_str(s)
    }
}

// ---------------------------------------------------------------------------------------
// Equality with plain values (as serde_json's)

impl PartialEq<str> for Value {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == Some(other)
    }
}
impl PartialEq<&str> for Value {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}
impl PartialEq<String> for Value {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == Some(other.as_str())
    }
}
impl PartialEq<Value> for str {
    fn eq(&self, other: &Value) -> bool {
        other.as_str() == Some(self)
    }
}
impl PartialEq<Value> for &str {
    fn eq(&self, other: &Value) -> bool {
        other.as_str() == Some(*self)
    }
}
impl PartialEq<bool> for Value {
    fn eq(&self, other: &bool) -> bool {
        self.as_bool() == Some(*other)
    }
}
macro_rules! eq_num {
    ($($t:ty => $as:ident as $c:ty),*) => {$(
        impl PartialEq<$t> for Value {
            fn eq(&self, other: &$t) -> bool {
                self.$as() == Some(*other as $c)
            }
        }
    )*};
}
eq_num!(i32 => as_i64 as i64, i64 => as_i64 as i64, u32 => as_u64 as u64, u64 => as_u64 as u64,
    usize => as_u64 as u64, f64 => as_f64 as f64);

// ---------------------------------------------------------------------------------------
// Conversions

macro_rules! from_integer {
    ($($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(n: $t) -> Self {
                Value::Number(n.into())
            }
        }
    )*};
}
from_integer!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

impl From<f32> for Value {
    fn from(f: f32) -> Self {
        Number::from_f64(f64::from(f)).map_or(Value::Null, Value::Number)
    }
}
impl From<f64> for Value {
    fn from(f: f64) -> Self {
        Number::from_f64(f).map_or(Value::Null, Value::Number)
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s.into())
    }
}
impl From<&String> for Value {
    fn from(s: &String) -> Self {
        Value::String(s.into())
    }
}
impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.into())
    }
}
impl From<Cow<'_, str>> for Value {
    fn from(s: Cow<'_, str>) -> Self {
        Value::String(s.into())
    }
}
impl From<Str> for Value {
    fn from(s: Str) -> Self {
        Value::String(s)
    }
}
impl From<Number> for Value {
    fn from(n: Number) -> Self {
        Value::Number(n)
    }
}
impl From<Map> for Value {
    fn from(m: Map) -> Self {
        Value::Object(m)
    }
}
impl From<Array> for Value {
    fn from(a: Array) -> Self {
        Value::Array(a)
    }
}
impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(v: Vec<T>) -> Self {
        Value::Array(v.into_iter().map(Into::into).collect())
    }
}
impl<T: Clone + Into<Value>> From<&[T]> for Value {
    fn from(v: &[T]) -> Self {
        Value::Array(v.iter().cloned().map(Into::into).collect())
    }
}
impl From<()> for Value {
    fn from((): ()) -> Self {
        Value::Null
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(o: Option<T>) -> Self {
        o.map_or(Value::Null, Into::into)
    }
}
impl<T: Into<Value>> FromIterator<T> for Value {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Value::Array(iter.into_iter().map(Into::into).collect())
    }
}
impl<K: Into<Str>> FromIterator<(K, Value)> for Value {
    fn from_iter<I: IntoIterator<Item = (K, Value)>>(iter: I) -> Self {
        Value::Object(iter.into_iter().collect())
    }
}

impl From<serde_json::Value> for Value {
    fn from(v: serde_json::Value) -> Self {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(b),
            serde_json::Value::Number(n) => Value::Number(n),
            serde_json::Value::String(s) => Value::String(s.into()),
            serde_json::Value::Array(a) => Value::Array(a.into_iter().map(Value::from).collect()),
            serde_json::Value::Object(m) => {
                Value::Object(m.into_iter().map(|(k, v)| (k, Value::from(v))).collect())
            }
        }
    }
}

impl From<&Value> for serde_json::Value {
    fn from(v: &Value) -> Self {
        match v {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::Value::Number(n.clone()),
            Value::String(s) => serde_json::Value::String(s.to_string()),
            Value::Array(a) => serde_json::Value::Array(a.iter().map(Into::into).collect()),
            Value::Object(m) => serde_json::Value::Object(
                m.iter()
                    .map(|(k, v)| (k.to_string(), serde_json::Value::from(v)))
                    .collect(),
            ),
        }
    }
}

impl From<Value> for serde_json::Value {
    fn from(v: Value) -> Self {
        serde_json::Value::from(&v)
    }
}

/// `serde_json::to_value` for our [`Value`] (through serde_json's; cold paths).
pub fn to_value<T: Serialize + ?Sized>(v: &T) -> Result<Value, serde_json::Error> {
    serde_json::to_value(v).map(Value::from)
}

/// `stepwise_asl::json::from_value` for our [`Value`] (through serde_json's; cold paths).
pub fn from_value<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, serde_json::Error> {
    serde_json::from_value(serde_json::Value::from(&v))
}

/// The unescaped reference tokens of an RFC 6901 JSON Pointer (none for `""`), or `None` when
/// it does not start with `/`.
fn pointer_tokens(pointer: &str) -> Option<impl Iterator<Item = String> + '_> {
    if !pointer.is_empty() && !pointer.starts_with('/') {
        return None;
    }
    Some(
        pointer
            .split('/')
            .skip(1)
            .map(|x| x.replace("~1", "/").replace("~0", "~")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both(text: &str) -> (Value, serde_json::Value) {
        (
            serde_json::from_str(text).expect("ours"),
            serde_json::from_str(text).expect("serde_json"),
        )
    }

    const DOCS: &[&str] = &[
        r#"{"b": 1, "a": [1, 2.5, -3, 1e300, 0.1, -0.0, 18446744073709551615, -9223372036854775808], "c": {"x": "é\u0000\"\\/\n", "y": null, "z": true}}"#,
        r#"[{"k": 1, "k": 2, "j": 3, "k": 4}]"#,
        r#""plain""#,
        "12345678901234567890123",
        "1.7976931348623157e308",
        "5e-324",
        "[]",
        "{}",
        r#"{"": {"": []}}"#,
    ];

    #[test]
    fn shift_insert_clamps_instead_of_panicking() {
        let mut m: Map = [("a", Value::from(1)), ("b", Value::from(2))]
            .into_iter()
            .collect();
        m.shift_insert(9, "a", Value::from(3)); // moved past the end: becomes last
        assert_eq!(Value::Object(m.clone()).to_string(), r#"{"b":2,"a":3}"#);
        m.shift_insert(9, "c", Value::from(4)); // new past the end: appended
        m.shift_insert(0, "c", Value::from(5)); // moved to the front
        assert_eq!(Value::Object(m).to_string(), r#"{"c":5,"b":2,"a":3}"#);
    }

    #[test]
    fn text_is_identical_to_serde_json() {
        for doc in DOCS {
            let (ours, theirs) = both(doc);
            assert_eq!(
                serde_json::to_string(&ours).unwrap(),
                serde_json::to_string(&theirs).unwrap(),
                "{doc}"
            );
            assert_eq!(
                serde_json::to_string_pretty(&ours).unwrap(),
                serde_json::to_string_pretty(&theirs).unwrap()
            );
            assert_eq!(ours.to_string(), theirs.to_string());
            assert_eq!(format!("{ours:#}"), format!("{theirs:#}"));
            assert_eq!(Value::from(theirs.clone()), ours);
            assert_eq!(serde_json::Value::from(&ours), theirs);
            assert_eq!(format!("{ours:?}"), format!("{theirs:?}"));
        }
    }

    #[test]
    fn duplicate_keys_keep_first_position_last_value() {
        let (ours, _) = both(r#"{"k": 1, "j": 3, "k": 4}"#);
        assert_eq!(ours.to_string(), r#"{"k":4,"j":3}"#);
    }

    #[test]
    fn map_semantics_match_serde_json() {
        let mut ours = Map::new();
        let mut theirs = serde_json::Map::new();
        for (k, v) in [("a", 1), ("b", 2), ("c", 3), ("d", 4), ("b", 5)] {
            assert_eq!(
                ours.insert(k, v.into()).map(serde_json::Value::from),
                theirs.insert(k.into(), v.into())
            );
        }
        let shared = ours.clone();
        assert_eq!(ours.remove("a"), theirs.remove("a").map(Value::from));
        assert_eq!(ours.remove("zz"), None);
        assert_eq!(
            Value::Object(ours.clone()).to_string(),
            serde_json::Value::Object(theirs.clone()).to_string()
        );
        assert_eq!(
            ours.shift_remove("d"),
            theirs.shift_remove("d").map(Value::from)
        );
        assert_eq!(
            Value::Object(ours.clone()).to_string(),
            serde_json::Value::Object(theirs.clone()).to_string()
        );
        // The shared copy did not change.
        assert_eq!(
            Value::Object(shared).to_string(),
            r#"{"a":1,"b":5,"c":3,"d":4}"#
        );
    }

    #[test]
    fn large_map_semantics_match_serde_json_across_the_index_threshold() {
        let mut ours = Map::new();
        let mut theirs = serde_json::Map::new();
        let same = |ours: &Map, theirs: &serde_json::Map<String, serde_json::Value>| {
            assert_eq!(
                Value::Object(ours.clone()).to_string(),
                serde_json::Value::Object(theirs.clone()).to_string()
            );
            for (i, k) in theirs.keys().enumerate() {
                assert_eq!(ours.get_index_of(k), Some(i), "{k}");
                assert_eq!(
                    ours.get(k).map(serde_json::Value::from),
                    theirs.get(k).cloned()
                );
            }
            assert_eq!(ours.get("nope"), None);
        };
        for i in 0..20u64 {
            let k = format!("k{i}");
            assert_eq!(
                ours.insert(k.as_str(), i.into())
                    .map(serde_json::Value::from),
                theirs.insert(k, i.into())
            );
            same(&ours, &theirs);
        }
        assert_eq!(
            ours.insert("k3", 99.into()).map(serde_json::Value::from),
            theirs.insert("k3".into(), 99.into())
        );
        let shared = ours.clone();
        for k in ["k0", "k19", "k7", "zz"] {
            assert_eq!(ours.remove(k), theirs.remove(k).map(Value::from));
            same(&ours, &theirs);
        }
        for k in ["k1", "k10", "k18"] {
            assert_eq!(
                ours.shift_remove(k),
                theirs.shift_remove(k).map(Value::from)
            );
            same(&ours, &theirs);
        }
        // Down to the scanned size (the index dropped at 8 keys) and back up.
        ours.retain(|k, _| k.as_str() < "k5");
        theirs.retain(|k, _| k.as_str() < "k5");
        same(&ours, &theirs);
        assert_eq!(ours.len(), 10);
        for k in ["k11", "k12", "k13"] {
            assert_eq!(ours.remove(k), theirs.remove(k).map(Value::from));
            same(&ours, &theirs);
        }
        assert_eq!(
            ours.shift_remove("k2"),
            theirs.shift_remove("k2").map(Value::from)
        );
        same(&ours, &theirs);
        assert_eq!(ours.len(), SCAN_MAX - 2);
        for i in 30..40u64 {
            let k = format!("k{i}");
            ours.insert(k.as_str(), i.into());
            theirs.insert(k, i.into());
        }
        same(&ours, &theirs);
        assert_eq!(ours.shift_insert(1, "k33", Value::Null), Some(33.into()));
        assert_eq!(ours.shift_insert(0, "new", Value::Null), None);
        assert_eq!(ours.get_index_of("k33"), Some(2));
        assert_eq!(ours.get_index_of("new"), Some(0));
        *ours.entry("k31").or_insert(Value::Null) = 7.into();
        *ours.entry("fresh").or_default() = 8.into();
        assert_eq!(ours.get("k31"), Some(&Value::from(7)));
        assert_eq!(ours.get("fresh"), Some(&Value::from(8)));
        assert_eq!(ours.get_index_of("fresh"), Some(ours.len() - 1));
        ours.sort_keys();
        let keys: Vec<&str> = ours.keys().map(Str::as_str).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(ours.get_index_of(k), Some(i));
        }
        assert_eq!(shared.len(), 20);
        assert_eq!(shared.get("k3"), Some(&Value::from(99)));
    }

    #[test]
    fn from_entries_is_inserting_in_order() {
        let pairs = |ks: &[&str]| -> Vec<(Str, Value)> {
            ks.iter()
                .enumerate()
                .map(|(i, k)| (Str::from(*k), Value::from(i)))
                .collect()
        };
        for ks in [
            &["a", "b"][..],
            &["b", "a", "b"],
            &[],
            &[
                "k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9", "k1",
            ],
        ] {
            let direct = Map::from_entries(pairs(ks));
            let inserted: Map = pairs(ks).into_iter().collect();
            assert_eq!(
                Value::Object(direct.clone()).to_string(),
                Value::Object(inserted).to_string()
            );
            for k in ks.iter() {
                assert!(direct.get(k).is_some());
            }
        }
    }

    #[test]
    fn equality_is_order_insensitive_for_objects_and_numeric_like_serde_json() {
        let pairs = [
            (r#"{"a":1,"b":2}"#, r#"{"b":2,"a":1}"#),
            ("[1,2]", "[2,1]"),
            ("1", "1.0"),
            ("-0.0", "0"),
            ("0.0", "-0.0"),
            (r#"{"a":[1,{"x":1,"y":2}]}"#, r#"{"a":[1,{"y":2,"x":1}]}"#),
            ("18446744073709551615", "18446744073709551615"),
        ];
        for (a, b) in pairs {
            let (oa, ta) = both(a);
            let (ob, tb) = both(b);
            assert_eq!(oa == ob, ta == tb, "{a} vs {b}");
        }
    }

    #[test]
    fn copy_on_write_leaves_clones_alone() {
        let mut a: Value = json!({"xs": [1, 2], "o": {"k": "v"}});
        let b = a.clone();
        if let Some(xs) = a.get_mut("xs").and_then(Value::as_array_mut) {
            xs.push(3.into());
        }
        if let Some(o) = a.get_mut("o").and_then(Value::as_object_mut) {
            o.insert("k2", Value::Null);
        }
        assert_eq!(b.to_string(), r#"{"xs":[1,2],"o":{"k":"v"}}"#);
        assert_eq!(a.to_string(), r#"{"xs":[1,2,3],"o":{"k":"v","k2":null}}"#);
        assert_eq!(a.pointer("/xs/2"), Some(&Value::from(3)));
        assert_eq!(a["missing"], Value::Null);
        assert_eq!(a["xs"][7], Value::Null);
    }
}
