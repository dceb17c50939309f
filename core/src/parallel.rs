//! How the core runs independent pieces of work: one after the other, or at
//! the same time when the host can.
//!
//! The core starts no threads itself: it must run where there are none (a
//! browser's main thread, a WASI command). The native host passes a
//! [`Parallel`] that uses threads; everyone else passes [`Sequential`]. The
//! result never depends on which was used: each piece of work writes its
//! own output, and the caller combines the results in a fixed order.

/// One piece of work.
pub type Task<'a> = Box<dyn FnOnce() + Send + 'a>;

/// Runs independent tasks.
pub trait Parallel: Sync {
    /// Runs every task, possibly at the same time, and returns when all
    /// are done.
    fn run_all(&self, tasks: Vec<Task<'_>>);

    /// How many tasks it is worth handing over at once (1 if they run one
    /// after the other).
    fn width(&self) -> usize;
}

/// Runs everything on the calling thread, in order.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sequential;

impl Parallel for Sequential {
    fn run_all(&self, tasks: Vec<Task<'_>>) {
        for task in tasks {
            task();
        }
    }

    fn width(&self) -> usize {
        1
    }
}

/// Runs `first` and `second`, possibly at the same time, and returns both
/// results.
pub fn join<A: Send, B: Send>(
    parallel: &dyn Parallel,
    first: impl FnOnce() -> A + Send,
    second: impl FnOnce() -> B + Send,
) -> (A, B) {
    let mut first_result = None;
    let mut second_result = None;
    parallel.run_all(vec![Box::new(|| first_result = Some(first())), Box::new(|| second_result = Some(second()))]);
    match (first_result, second_result) {
        (Some(first), Some(second)) => (first, second),
        _ => unreachable!("Parallel::run_all returned before running every task"),
    }
}
