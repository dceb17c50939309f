//! `flit check` on a project: every problem a build would meet, found
//! without writing anything.
//!
//! The check runs the real build into a sink that only counts bytes, so it
//! cannot pass where a build would fail (a symlink escape found while
//! copying, a file that vanished, an archive limit): checking and building
//! share one path.

use std::io::{Seek, SeekFrom, Write};

use crate::build::{ArchiveSink, Formats, build};
use crate::diagnostic::Diagnostics;
use crate::dynamic::ModuleImporter;
use crate::options::BuildOptions;
use crate::parallel::Sequential;
use crate::path::RelPath;
use crate::tree::ProjectTree;

/// Every problem (errors and warnings) with building the project whose
/// configuration is `config_file`. Empty when the project is clean.
pub fn check_project(
    tree: &dyn ProjectTree,
    config_file: &RelPath,
    options: &BuildOptions,
    importer: Option<&dyn ModuleImporter>,
) -> Diagnostics {
    match build(tree, config_file, Formats::BOTH, options, importer, &mut CountingSink, &Sequential) {
        Ok(output) => output.warnings,
        Err(diagnostics) => diagnostics,
    }
}

/// Archives that are measured, not kept.
struct CountingSink;

impl ArchiveSink for CountingSink {
    type Writer = CountingWriter;

    fn create(&mut self, _file_name: &str) -> std::io::Result<CountingWriter> {
        Ok(CountingWriter::default())
    }

    fn finish(&mut self, _file_name: &str, _writer: CountingWriter) -> std::io::Result<()> {
        Ok(())
    }
}

/// A writer that discards bytes but keeps its position, so the zip writer
/// can seek back to patch headers.
#[derive(Default)]
struct CountingWriter {
    position: u64,
    length: u64,
}

impl Write for CountingWriter {
    fn write(&mut self, buffer: &[u8]) -> std::io::Result<usize> {
        self.position += buffer.len() as u64;
        self.length = self.length.max(self.position);
        Ok(buffer.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Seek for CountingWriter {
    fn seek(&mut self, position: SeekFrom) -> std::io::Result<u64> {
        let target = match position {
            SeekFrom::Start(offset) => Some(offset),
            SeekFrom::End(delta) => self.length.checked_add_signed(delta),
            SeekFrom::Current(delta) => self.position.checked_add_signed(delta),
        };
        self.position =
            target.ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "seek before the start"))?;
        Ok(self.position)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::MemoryTree;

    fn project(pyproject: &str) -> MemoryTree {
        let mut tree = MemoryTree::new();
        tree.add_file(&RelPath::new("pyproject.toml").unwrap(), pyproject.as_bytes().to_vec(), false);
        tree.add_file(&RelPath::new("demo.py").unwrap(), b"\"\"\"Demo.\"\"\"\n__version__ = '1.0'\n".to_vec(), false);
        tree
    }

    #[test]
    fn a_clean_project_has_no_problems() {
        let tree = project(
            "[build-system]\nrequires = [\"flit_core >=3.11,<5\"]\nbuild-backend = \"flit_core.buildapi\"\n\n[project]\nname = \"demo\"\ndynamic = [\"version\", \"description\"]\n",
        );
        let found = check_project(&tree, &RelPath::new("pyproject.toml").unwrap(), &BuildOptions::default(), None);
        assert!(found.is_empty(), "{found}");
    }

    #[test]
    fn problems_found_while_building_are_reported() {
        let mut tree = project("[project]\nname = \"demo\"\ndynamic = [\"version\", \"description\"]\n");
        tree.add_file(&RelPath::new("pyproject.toml").unwrap(), b"[project]\nname = \"demo\"\nversion = \"1\"\ndescription = \"d\"\n[tool.flit.sdist]\nexclude = [\"demo.py\"]\n".to_vec(), false);
        let found = check_project(&tree, &RelPath::new("pyproject.toml").unwrap(), &BuildOptions::default(), None);
        assert_eq!(found.errors().map(|d| d.code).collect::<Vec<_>>(), ["crucial-file-excluded"]);
    }
}
