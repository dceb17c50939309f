//! Native builds write the sdist and the wheel at the same time, on two
//! threads. (Under WASI there are no threads: the core's `Sequential`.)

use std::sync::{Mutex, PoisonError};

use flit_core::parallel::Parallel;

/// Runs the second closure on a thread of its own.
#[derive(Debug, Clone, Copy, Default)]
pub struct Threads;

impl Parallel for Threads {
    fn join<A: Send, B: Send>(&self, first: impl FnOnce() -> A + Send, second: impl FnOnce() -> B + Send) -> (A, B) {
        // Kept where both threads can reach it, so that if no thread can be
        // started the work still runs here.
        let second = Mutex::new(Some(second));
        let take = || second.lock().unwrap_or_else(PoisonError::into_inner).take();
        std::thread::scope(|scope| {
            let spawned =
                std::thread::Builder::new().name("flit-archive".to_owned()).spawn_scoped(scope, || take().map(|f| f()));
            let first_result = first();
            let second_result = match spawned {
                Ok(handle) => match handle.join() {
                    Ok(result) => result,
                    // A panic on the other thread is a bug; let it surface
                    // as it would have on this one.
                    Err(payload) => std::panic::resume_unwind(payload),
                },
                Err(_) => None,
            };
            let second_result = match second_result {
                Some(result) => result,
                None => match take() {
                    Some(f) => f(),
                    None => unreachable!("the second closure ran on neither thread"),
                },
            };
            (first_result, second_result)
        })
    }
}
