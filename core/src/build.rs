//! `flit build`: load the project, then write the sdist and the wheel.
//!
//! As flit does, when both are built the wheel is built from the sdist's
//! file set (here a [`SubsetTree`] view rather than an extracted archive),
//! so a file the sdist leaves out cannot end up in the wheel. Archives go to
//! writers the host supplies; the host makes them visible only when the
//! whole build has succeeded.

use std::io::{Seek, Write};

use crate::config::{Config, load_config};
use crate::diagnostic::Diagnostics;
use crate::dynamic::{ModuleImporter, read_dynamic};
use crate::error::BuildError;
use crate::metadata::CoreMetadata;
use crate::module::{Module, find_module};
use crate::options::BuildOptions;
use crate::parallel::{Parallel, join};
use crate::path::RelPath;
use crate::sdist::{select_files, write_sdist};
use crate::tree::{CachedTree, ProjectTree, SubsetTree};
use crate::wheel::{WheelPlan, plan_wheel, write_wheel};

/// A project whose configuration and metadata are valid.
#[derive(Debug, Clone)]
pub struct Project {
    /// The validated configuration.
    pub config: Config,
    /// The module it packages.
    pub module: Module,
    /// The core metadata, version and summary resolved.
    pub metadata: CoreMetadata,
}

/// Loads and validates everything needed to build: configuration, module,
/// dynamic metadata. On success, also returns the warnings found.
pub fn load_project(
    tree: &dyn ProjectTree,
    config_file: &RelPath,
    options: &BuildOptions,
    importer: Option<&dyn ModuleImporter>,
) -> Result<(Project, Diagnostics), Diagnostics> {
    let loaded = load_config(tree, config_file, options);
    let mut diagnostics = loaded.diagnostics;
    let Some(config) = loaded.config else { return Err(diagnostics) };
    let module = match find_module(tree, &config.module) {
        Ok(module) => module,
        Err(error) => {
            diagnostics.extend(BuildError::from(error).into_diagnostics());
            return Err(diagnostics);
        }
    };
    let values = match read_dynamic(tree, &config, &module, options, importer) {
        Ok((values, warnings)) => {
            diagnostics.extend(warnings);
            values
        }
        Err(problems) => {
            diagnostics.extend(problems);
            return Err(diagnostics);
        }
    };
    let (Some(version), summary) =
        (values.version.or_else(|| config.version.clone()), values.summary.or_else(|| config.summary.clone()))
    else {
        // Unreachable in practice: the configuration requires one or the other.
        return Err(diagnostics);
    };
    let metadata = CoreMetadata::new(&config, version, summary);
    Ok((Project { config, module, metadata }, diagnostics))
}

/// What a build would write, without writing it: the metadata and the
/// members of each archive (a dry run, and the browser's file lists).
#[derive(Debug, Clone)]
pub struct ArchivePlan {
    /// The validated project.
    pub project: Project,
    /// `<name>-<version>.tar.gz`.
    pub sdist_name: String,
    /// The sdist's files, relative to the project root (then `PKG-INFO`).
    pub sdist_files: Vec<RelPath>,
    /// The wheel, planned from the sdist's file set as `flit build` does.
    pub wheel: WheelPlan,
    /// Warnings found on the way.
    pub warnings: Diagnostics,
}

/// Plans both archives of a project without writing anything.
pub fn plan_archives(
    tree: &dyn ProjectTree,
    config_file: &RelPath,
    options: &BuildOptions,
    importer: Option<&dyn ModuleImporter>,
) -> Result<ArchivePlan, Diagnostics> {
    let cached = CachedTree::new(tree);
    let tree: &dyn ProjectTree = &cached;
    let (project, warnings) = load_project(tree, config_file, options, importer)?;
    let planned = (|| -> Result<(Vec<RelPath>, WheelPlan), BuildError> {
        let sdist_files = select_files(tree, &project.config, &project.module, options.vcs_files.as_ref())?;
        let view = SubsetTree::new(tree, &sdist_files)?;
        let wheel = plan_wheel_in(&view, None, config_file, options, importer)?;
        Ok((sdist_files, wheel))
    })();
    match planned {
        Ok((sdist_files, wheel)) => {
            let sdist_name = format!("{}.tar.gz", project.metadata.dist_name());
            Ok(ArchivePlan { project, sdist_name, sdist_files, wheel, warnings })
        }
        Err(error) => {
            let mut diagnostics = warnings;
            diagnostics.extend(error.into_diagnostics());
            Err(diagnostics)
        }
    }
}

/// Which archives to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    /// Build the wheel.
    pub wheel: bool,
    /// Build the sdist.
    pub sdist: bool,
}

impl Formats {
    /// Both, as `flit build` does by default.
    pub const BOTH: Formats = Formats { wheel: true, sdist: true };
}

/// Where archives go. The host creates a writer per archive (natively, a
/// temporary file in the output directory) and is told when each is
/// complete; it makes them visible only if [`build`] succeeds.
pub trait ArchiveSink {
    /// The writer for one archive (the two archives may be written on two
    /// threads, hence `Send`).
    type Writer: Write + Seek + Send;
    /// A writer for the archive to be called `file_name`.
    fn create(&mut self, file_name: &str) -> std::io::Result<Self::Writer>;
    /// The archive `file_name` has been written completely.
    fn finish(&mut self, file_name: &str, writer: Self::Writer) -> std::io::Result<()>;
}

/// What a successful build produced.
#[derive(Debug, Clone, Default)]
pub struct BuildOutput {
    /// The sdist's file name, if built.
    pub sdist: Option<String>,
    /// The wheel's file name, if built.
    pub wheel: Option<String>,
    /// Warnings found on the way.
    pub warnings: Diagnostics,
}

/// Builds the requested archives of the project whose configuration is
/// `config_file`. Fails with every problem found.
///
/// Both archives are planned first (the wheel from the sdist's file set);
/// then they are written independently, at the same time if `parallel`
/// allows. The bytes do not depend on that: each archive has its own writer.
pub fn build(
    tree: &dyn ProjectTree,
    config_file: &RelPath,
    formats: Formats,
    options: &BuildOptions,
    importer: Option<&dyn ModuleImporter>,
    sink: &mut impl ArchiveSink,
    parallel: &'static dyn Parallel,
) -> Result<BuildOutput, Diagnostics> {
    let cached = CachedTree::new(tree);
    let tree: &dyn ProjectTree = &cached;
    let (project, warnings) = load_project(tree, config_file, options, importer)?;
    let mut output = BuildOutput { warnings, ..BuildOutput::default() };
    let result = (|| -> Result<(), BuildError> {
        let sdist_files = if formats.sdist {
            Some(select_files(tree, &project.config, &project.module, options.vcs_files.as_ref())?)
        } else {
            None
        };
        // The wheel's view of the project: the sdist's files when there is
        // an sdist, as flit builds the wheel from the unpacked sdist.
        let view = sdist_files.as_ref().map(|files| SubsetTree::new(tree, files)).transpose()?;
        let wheel_tree: &dyn ProjectTree = match &view {
            Some(view) => view,
            None => tree,
        };
        let wheel_plan = if formats.wheel {
            let known = if view.is_some() { None } else { Some(&project) };
            Some(plan_wheel_in(wheel_tree, known, config_file, options, importer)?)
        } else {
            None
        };

        let sdist_job = match &sdist_files {
            Some(files) => {
                let file_name = format!("{}.tar.gz", project.metadata.dist_name());
                let writer = sink.create(&file_name).map_err(|error| output_error(&file_name, &error))?;
                Some((file_name, files, writer))
            }
            None => None,
        };
        let wheel_job = match wheel_plan {
            Some(plan) => {
                let writer = sink.create(&plan.file_name).map_err(|error| output_error(&plan.file_name, &error))?;
                Some((plan, writer))
            }
            None => None,
        };
        let pkg_info = project.metadata.to_text();
        let dist_name = project.metadata.dist_name();
        let (sdist_written, wheel_written) = join(
            parallel,
            || {
                sdist_job.map(|(file_name, files, writer)| {
                    write_sdist(tree, files, &dist_name, &pkg_info, options, writer, parallel)
                        .map(|writer| (file_name, writer))
                })
            },
            || {
                wheel_job.map(|(plan, writer)| {
                    write_wheel(wheel_tree, &plan, options, writer, parallel).map(|writer| (plan.file_name, writer))
                })
            },
        );
        // The sdist's problem first, as when they are written in turn.
        let sdist_written = sdist_written.transpose()?;
        let wheel_written = wheel_written.transpose()?;
        if let Some((file_name, writer)) = sdist_written {
            sink.finish(&file_name, writer).map_err(|error| output_error(&file_name, &error))?;
            output.sdist = Some(file_name);
        }
        if let Some((file_name, writer)) = wheel_written {
            sink.finish(&file_name, writer).map_err(|error| output_error(&file_name, &error))?;
            output.wheel = Some(file_name);
        }
        Ok(())
    })();
    match result {
        Ok(()) => Ok(output),
        Err(error) => {
            let mut diagnostics = output.warnings;
            diagnostics.extend(error.into_diagnostics());
            Err(diagnostics)
        }
    }
}

/// Plans the wheel of `tree`. `project` is the one loaded from `tree`, or
/// `None` when `tree` is the sdist's view: then the project is read again
/// from it, as flit builds the wheel from the unpacked sdist (its warnings
/// were reported for the source tree already).
fn plan_wheel_in(
    tree: &dyn ProjectTree,
    project: Option<&Project>,
    config_file: &RelPath,
    options: &BuildOptions,
    importer: Option<&dyn ModuleImporter>,
) -> Result<WheelPlan, BuildError> {
    let reloaded;
    let project = match project {
        Some(project) => project,
        None => {
            reloaded = load_project(tree, config_file, options, importer).map_err(BuildError::Invalid)?.0;
            &reloaded
        }
    };
    plan_wheel(tree, &project.config, &project.module, &project.metadata, None)
}

fn output_error(file: &str, error: &std::io::Error) -> BuildError {
    BuildError::Output { file: file.to_owned(), message: error.to_string() }
}
