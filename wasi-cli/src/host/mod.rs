//! What the command line adds around the pure core: the real file system,
//! output files, and (natively) a Python interpreter.

mod fs_tree;
mod output;
#[cfg(not(target_os = "wasi"))]
mod python;
#[cfg(not(target_os = "wasi"))]
mod threads;
#[cfg(not(target_os = "wasi"))]
mod vcs;

pub use fs_tree::FsTree;
#[cfg(not(target_os = "wasi"))]
pub(crate) use fs_tree::owner_executable;
pub use output::OutputDirectory;
#[cfg(not(target_os = "wasi"))]
pub(crate) use output::set_archive_permissions;
#[cfg(not(target_os = "wasi"))]
pub use python::PythonImporter;
#[cfg(not(target_os = "wasi"))]
pub use threads::Threads;
#[cfg(not(target_os = "wasi"))]
pub use vcs::vcs_files;
