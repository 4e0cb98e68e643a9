//! Stable sorting with one copy of the sort code in the page.
//!
//! `slice::sort_by` is generic: every element type and every comparison closure gets its own
//! copy of the whole stable sort (about 3.5 KB of wasm each). These helpers sort a permutation
//! of indices with a comparison behind `dyn`, so the sort itself is compiled once; only a small
//! permutation step is generic. Same result as `sort_by`/`sort_by_key` (stable, O(n log n)).

use std::cmp::Ordering;

/// Sorts `v` stably by `cmp`, like `v.sort_by(cmp)`.
pub fn sort_stable_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    let order = {
        let items: &[T] = v;
        sorted_order(
            items.len(),
            &mut |a, b| match (items.get(a), items.get(b)) {
                (Some(x), Some(y)) => cmp(x, y),
                _ => Ordering::Equal,
            },
        )
    };
    permute(v, order);
}

/// Sorts `v` stably by the key `f`, like `v.sort_by_key(f)`.
pub fn sort_stable_by_key<T, K: Ord>(v: &mut [T], mut f: impl FnMut(&T) -> K) {
    sort_stable_by(v, |a, b| f(a).cmp(&f(b)));
}

/// The stable sorting permutation of `0..n`: `order[i]` is the index of the element that goes
/// to position `i`. The only instantiation of the standard stable sort these helpers use.
fn sorted_order(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

/// Rearranges `v` so that the new `v[i]` is the old `v[order[i]]`, following cycles with swaps.
fn permute<T>(v: &mut [T], mut order: Vec<usize>) {
    for start in 0..order.len() {
        let mut at = start;
        loop {
            let from = order[at];
            order[at] = at;
            if from == start || from == at {
                break;
            }
            v.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_std_stable_sort() {
        // Pseudo-random pairs with many equal keys: stability shows in the second field.
        let mut seed = 12_345u32;
        for len in [0usize, 1, 2, 3, 7, 20, 64, 257, 1000] {
            let items: Vec<(u32, usize)> = (0..len)
                .map(|i| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    ((seed >> 16) % 7, i)
                })
                .collect();
            let mut want = items.clone();
            want.sort_by_key(|p| p.0);
            let mut got = items.clone();
            sort_stable_by_key(&mut got, |p| p.0);
            assert_eq!(got, want, "len {len}");
            let mut want = items.clone();
            want.sort_by_key(|p| std::cmp::Reverse(p.0));
            let mut got = items;
            sort_stable_by(&mut got, |a, b| b.0.cmp(&a.0));
            assert_eq!(got, want, "len {len} (descending)");
        }
    }
}
