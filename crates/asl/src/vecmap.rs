//! A small ordered map on a sorted `Vec`, for the page's size.
//!
//! Every `BTreeMap<K, V>` key/value pair compiles its own copy of the B-tree code (node
//! splitting, merging, iteration, drop: 2–4 KB of wasm each). `VecMap` keeps its entries in a
//! `Vec` sorted by key and finds them by binary search, so each instantiation is a few hundred
//! bytes. Iteration is in key order, like `BTreeMap`, so replacing one does not change any
//! output. Inserting a new key is O(n): meant for maps of states, tasks and names (tens to a
//! few hundreds of entries), not for large data.

use std::borrow::Borrow;

/// A map ordered by key, stored as a sorted `Vec` of entries (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VecMap<K, V> {
    entries: Vec<(K, V)>,
}

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        VecMap {
            entries: Vec::new(),
        }
    }
}

impl<K: Ord, V> VecMap<K, V> {
    /// An empty map.
    pub fn new() -> Self {
        VecMap {
            entries: Vec::new(),
        }
    }

    fn find<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.entries.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    /// The value for `key`.
    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        let i = self.find(key).ok()?;
        self.entries.get(i).map(|(_, v)| v)
    }

    /// The value for `key`, mutably.
    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        let i = self.find(key).ok()?;
        self.entries.get_mut(i).map(|(_, v)| v)
    }

    /// Whether `key` has a value.
    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(key).is_ok()
    }

    /// Sets the value of `key`; returns the previous one (the key itself is kept).
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(i) => self
                .entries
                .get_mut(i)
                .map(|(_, v)| std::mem::replace(v, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    /// The value of `key`, inserting `make()` first when there is none (like
    /// `btree.entry(key).or_insert_with(make)`).
    pub fn get_or_insert_with(&mut self, key: K, make: impl FnOnce() -> V) -> &mut V {
        let i = match self.find(&key) {
            Ok(i) => i,
            Err(i) => {
                self.entries.insert(i, (key, make()));
                i
            }
        };
        &mut self.entries[i].1
    }

    /// The entry of `key`, like `BTreeMap::entry` (`or_insert`, `or_insert_with`, `or_default`).
    pub fn entry(&mut self, key: K) -> Entry<'_, K, V> {
        Entry { map: self, key }
    }

    /// Removes `key`; returns its value.
    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        let i = self.find(key).ok()?;
        Some(self.entries.remove(i).1)
    }
}

/// A key of a [`VecMap`] and the map, to read or insert its value (see [`VecMap::entry`]).
pub struct Entry<'a, K, V> {
    map: &'a mut VecMap<K, V>,
    key: K,
}

impl<'a, K: Ord, V> Entry<'a, K, V> {
    /// The value, inserting `value` when there is none.
    pub fn or_insert(self, value: V) -> &'a mut V {
        self.map.get_or_insert_with(self.key, || value)
    }

    /// The value, inserting `make()` when there is none.
    pub fn or_insert_with(self, make: impl FnOnce() -> V) -> &'a mut V {
        self.map.get_or_insert_with(self.key, make)
    }

    /// The value, inserting `V::default()` when there is none.
    pub fn or_default(self) -> &'a mut V
    where
        V: Default,
    {
        self.map.get_or_insert_with(self.key, V::default)
    }
}

impl<K, V> VecMap<K, V> {
    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Entries in key order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&K, &V)> + ExactSizeIterator {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// Keys in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator {
        self.entries.iter().map(|(k, _)| k)
    }

    /// Values in key order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        self.entries.iter().map(|(_, v)| v)
    }

    /// Values in key order, mutably.
    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut V> + ExactSizeIterator {
        self.entries.iter_mut().map(|(_, v)| v)
    }

    /// Removes every entry.
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// Keeps only the entries for which `keep` is true (in key order).
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.entries.retain_mut(|(k, v)| keep(k, v));
    }

    /// Values in key order, by value.
    pub fn into_values(self) -> impl DoubleEndedIterator<Item = V> + ExactSizeIterator {
        self.entries.into_iter().map(|(_, v)| v)
    }
}

impl<K, V> IntoIterator for VecMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'a, K, V> IntoIterator for &'a VecMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

impl<'a, K, V> IntoIterator for &'a mut VecMap<K, V> {
    type Item = (&'a K, &'a mut V);
    type IntoIter =
        std::iter::Map<std::slice::IterMut<'a, (K, V)>, fn(&'a mut (K, V)) -> (&'a K, &'a mut V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter_mut().map(|(k, v)| (&*k, v))
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for VecMap<K, V> {
    /// Like `BTreeMap::from_iter`: a later duplicate key replaces the value of an earlier one.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut entries: Vec<(K, V)> = iter.into_iter().collect();
        crate::sort::sort_stable_by(&mut entries, |a, b| a.0.cmp(&b.0));
        // Equal keys are now adjacent in insertion order: keep the first key with the last value.
        entries.dedup_by(|later, earlier| {
            let same = later.0 == earlier.0;
            if same {
                std::mem::swap(&mut later.1, &mut earlier.1);
            }
            same
        });
        VecMap { entries }
    }
}

/// Serializes as a map in key order, like `BTreeMap`.
impl<K: serde::Serialize, V: serde::Serialize> serde::Serialize for VecMap<K, V> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::VecMap;
    use std::collections::BTreeMap;

    #[test]
    fn behaves_like_btreemap() {
        let keys = ["b", "a", "d", "a", "c", "b", "e", "a"];
        let mut v: VecMap<&str, usize> = VecMap::new();
        let mut b: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(v.insert(k, i), b.insert(k, i));
            *v.get_or_insert_with(k, || 100) += 1;
            *b.entry(k).or_insert_with(|| 100) += 1;
            assert_eq!(v.len(), b.len());
        }
        assert!(v.iter().eq(b.iter()));
        assert_eq!(v.get("a"), b.get("a"));
        assert_eq!(v.get("z"), None);
        assert!(v.contains_key("e") && !v.contains_key("f"));
        assert_eq!(v.get("d"), b.get("d"));
        let from: VecMap<&str, usize> = keys.iter().map(|k| (*k, k.len())).collect();
        assert!(from.keys().eq(b.keys()));
        *v.entry("f").or_default() += 7;
        *b.entry("f").or_default() += 7;
        *v.entry("a").or_insert(0) += 1;
        *b.entry("a").or_insert(0) += 1;
        assert_eq!(v.remove("b"), b.remove("b"));
        assert_eq!(v.remove("b"), None);
        v.retain(|k, _| *k != "c");
        b.retain(|k, _| *k != "c");
        assert!((&v).into_iter().eq(&b));
        assert_eq!(
            serde_json::to_string(&v).ok(),
            serde_json::to_string(&b).ok()
        );
        assert!(v.into_values().eq(b.into_values()));
        let dups = [("b", 1), ("a", 2), ("b", 3), ("c", 4), ("a", 5)];
        let v: VecMap<&str, i32> = dups.iter().copied().collect();
        let b: BTreeMap<&str, i32> = dups.iter().copied().collect();
        assert!(v.iter().eq(b.iter()));
    }
}
