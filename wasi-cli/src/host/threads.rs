//! Native builds use the machine's cores: the sdist and the wheel are
//! written at the same time, and large files are compressed in segments on
//! several threads. (Under WASI there are no threads: the core's
//! `Sequential`.)

use std::sync::{Mutex, PoisonError};

use flit_core::parallel::{Parallel, Task};

/// Runs tasks on scoped threads, the first on the calling thread.
#[derive(Debug, Clone, Copy, Default)]
pub struct Threads;

/// At most this many threads work on one archive: deflate segments are
/// small, and more threads than cores only add switching.
const MAX_WIDTH: usize = 8;

impl Parallel for Threads {
    fn run_all(&self, tasks: Vec<Task<'_>>) {
        let mut tasks = tasks.into_iter();
        let Some(first) = tasks.next() else { return };
        // Each remaining task waits in a slot both sides can reach, so that a
        // task whose thread cannot be started still runs here.
        let slots: Vec<Mutex<Option<Task<'_>>>> = tasks.map(|task| Mutex::new(Some(task))).collect();
        std::thread::scope(|scope| {
            let handles: Vec<_> = slots
                .iter()
                .filter_map(|slot| {
                    std::thread::Builder::new()
                        .name("flit-worker".to_owned())
                        .spawn_scoped(scope, move || {
                            if let Some(task) = take(slot) {
                                task();
                            }
                        })
                        .ok()
                })
                .collect();
            first();
            for handle in handles {
                if let Err(payload) = handle.join() {
                    // A panic on a worker is a bug; let it surface as it
                    // would have on this thread.
                    std::panic::resume_unwind(payload);
                }
            }
        });
        for slot in &slots {
            if let Some(task) = take(slot) {
                task();
            }
        }
    }

    fn width(&self) -> usize {
        std::thread::available_parallelism().map_or(1, |cores| cores.get().min(MAX_WIDTH))
    }
}

/// Takes the task out of its slot, if nobody has yet.
fn take<'t>(slot: &Mutex<Option<Task<'t>>>) -> Option<Task<'t>> {
    slot.lock().unwrap_or_else(PoisonError::into_inner).take()
}
