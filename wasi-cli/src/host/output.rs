//! Archives written atomically into the output directory.
//!
//! Each archive is written to a hidden temporary file beside its final
//! name; only when the whole build has succeeded are they renamed into
//! place. On failure the temporary files are removed (and the output
//! directory too, if this build created it), so `dist/` gains nothing.

use std::fs;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use flit_core::build::ArchiveSink;

/// Output files being written into one directory.
pub struct OutputDirectory {
    directory: PathBuf,
    created_directory: bool,
    finished: Vec<(tempfile::TempPath, PathBuf)>,
}

/// A temporary archive file, buffered.
pub struct PendingFile {
    file: BufWriter<tempfile::NamedTempFile>,
}

impl Write for PendingFile {
    fn write(&mut self, buffer: &[u8]) -> std::io::Result<usize> {
        self.file.write(buffer)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

impl Seek for PendingFile {
    fn seek(&mut self, position: SeekFrom) -> std::io::Result<u64> {
        self.file.seek(position)
    }
}

impl OutputDirectory {
    /// Archives will go to `directory`, which is created when the first
    /// archive is.
    pub fn new(directory: impl Into<PathBuf>) -> Self {
        OutputDirectory { directory: directory.into(), created_directory: false, finished: Vec::new() }
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.directory
    }

    /// Moves every finished archive to its final name.
    pub fn commit(mut self) -> std::io::Result<Vec<PathBuf>> {
        self.created_directory = false;
        let mut committed = Vec::new();
        for (temporary, destination) in std::mem::take(&mut self.finished) {
            set_archive_permissions(&temporary)?;
            temporary.persist(&destination).map_err(|error| error.error)?;
            committed.push(destination);
        }
        Ok(committed)
    }
}

/// Temporary files are created private (0600); archives are for sharing,
/// so they get 0644 like flit 4.0.3+ gives its wheels.
#[cfg(unix)]
pub(crate) fn set_archive_permissions(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
pub(crate) fn set_archive_permissions(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

impl Drop for OutputDirectory {
    fn drop(&mut self) {
        // Uncommitted: the temporary files go (TempPath deletes on drop),
        // and so does a directory this build created, if left empty.
        self.finished.clear();
        if self.created_directory {
            let _ = fs::remove_dir(&self.directory);
        }
    }
}

impl ArchiveSink for OutputDirectory {
    type Writer = PendingFile;

    fn create(&mut self, file_name: &str) -> std::io::Result<PendingFile> {
        if !self.directory.is_dir() {
            fs::create_dir_all(&self.directory)?;
            self.created_directory = true;
        }
        let file =
            tempfile::Builder::new().prefix(&format!(".{file_name}.")).suffix(".part").tempfile_in(&self.directory)?;
        Ok(PendingFile { file: BufWriter::with_capacity(256 * 1024, file) })
    }

    fn finish(&mut self, file_name: &str, writer: PendingFile) -> std::io::Result<()> {
        let file = writer.file.into_inner().map_err(|error| error.into_error())?;
        file.as_file().sync_all()?;
        self.finished.push((file.into_temp_path(), self.directory.join(file_name)));
        Ok(())
    }
}
