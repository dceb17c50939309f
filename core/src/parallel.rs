//! How the core runs independent pieces of work: one after the other, or at
//! the same time when the host can.
//!
//! The core starts no threads itself: it must run where there are none (a
//! browser's main thread, a WASI command). The native host passes a
//! [`Parallel`] that uses threads; everyone else passes [`Sequential`]. The
//! result never depends on which was used: each piece of work writes its
//! own output, and the caller combines the results in a fixed order.

/// Runs two independent closures and returns both results.
pub trait Parallel: Sync {
    /// Runs `first` and `second`, possibly at the same time.
    fn join<A: Send, B: Send>(&self, first: impl FnOnce() -> A + Send, second: impl FnOnce() -> B + Send) -> (A, B);
}

/// Runs everything on the calling thread, `first` then `second`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sequential;

impl Parallel for Sequential {
    fn join<A: Send, B: Send>(&self, first: impl FnOnce() -> A + Send, second: impl FnOnce() -> B + Send) -> (A, B) {
        (first(), second())
    }
}
