//! The native binary's allocator: mimalloc, called the way its own `malloc` is fastest.
//!
//! The engine allocates many small values (JSON, event details); mimalloc halves the time
//! glibc's allocator takes on the bench workloads (callgrind: allocation was 45-55 % of all
//! instructions with glibc). The `mimalloc` crate's `GlobalAlloc` always enters mimalloc through
//! its aligned functions, which re-check the alignment on every call: ~41 instructions per
//! allocation against ~20 for `mi_malloc` (callgrind, batch-retry-catch with events: 83
//! allocations per execution). mimalloc's `mi_malloc` already returns blocks aligned to
//! `min(size, 16)` (`mi_malloc_is_naturally_aligned` in its `alloc-aligned.c`), so layouts within
//! that guarantee go straight to it, the rest to the aligned functions.
//! The page (wasm) keeps Rust's default allocator.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;

/// mimalloc's `MI_MAX_ALIGN_SIZE` on 64-bit targets.
const NATURAL_ALIGN: usize = 16;

pub struct MiMalloc;

/// Whether `mi_malloc` alone gives this alignment for this size.
#[inline]
fn natural(align: usize, size: usize) -> bool {
    align <= NATURAL_ALIGN && align <= size
}

// SAFETY: every function hands the request to mimalloc, which returns memory aligned as asked:
// directly for layouts within its natural-alignment guarantee, through its aligned entry points
// otherwise. Frees go to `mi_free`, which accepts pointers from all of them.
unsafe impl GlobalAlloc for MiMalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: plain C calls; a null return is passed on as allocation failure.
        unsafe {
            if natural(layout.align(), layout.size()) {
                mi::mi_malloc(layout.size()).cast()
            } else {
                mi::mi_malloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as in `alloc`.
        unsafe {
            if natural(layout.align(), layout.size()) {
                mi::mi_zalloc(layout.size()).cast()
            } else {
                mi::mi_zalloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from this allocator (GlobalAlloc's contract).
        unsafe { mi::mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` came from this allocator with `layout` (GlobalAlloc's contract).
        unsafe {
            if natural(layout.align(), new_size) {
                mi::mi_realloc(ptr.cast::<c_void>(), new_size).cast()
            } else {
                mi::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_layout_comes_back_aligned_and_usable() {
        let a = MiMalloc;
        for align in [1usize, 2, 4, 8, 16, 32, 64, 4096] {
            for size in [1usize, 3, 8, 15, 16, 24, 48, 100, 4096, 100_000] {
                let Ok(layout) = Layout::from_size_align(size, align) else {
                    continue;
                };
                let Ok(grown) = Layout::from_size_align(size * 3, align) else {
                    continue;
                };
                // SAFETY: non-zero sizes; every pointer is freed with the layout it has.
                unsafe {
                    let p = a.alloc(layout);
                    assert!(!p.is_null());
                    assert_eq!(p as usize % align, 0, "size {size} align {align}");
                    p.write_bytes(0xAB, size);
                    let q = a.realloc(p, layout, grown.size());
                    assert!(!q.is_null());
                    assert_eq!(q as usize % align, 0, "realloc size {size} align {align}");
                    assert_eq!(*q.add(size - 1), 0xAB);
                    a.dealloc(q, grown);
                    let z = a.alloc_zeroed(layout);
                    assert_eq!(z as usize % align, 0);
                    assert!((0..size).all(|i| *z.add(i) == 0));
                    a.dealloc(z, layout);
                }
            }
        }
    }
}
