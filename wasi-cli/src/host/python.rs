//! flit's last resort for dynamic metadata: import the module with Python.
//!
//! Only the native host can do this. The module runs in a fresh
//! interpreter (`$FLIT_PYTHON`, else `python3`, else `python` on PATH) with
//! the project directory as working directory, under a throw-away module
//! name so a package's relative imports work, as flit arranges it.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use flit_core::dynamic::{ImportedModule, ModuleImporter};
use flit_core::module::Module;
use flit_core::python::Constant;

/// Reads `__doc__` and `__version__` without letting the module's own
/// output get in the way: its stdout is redirected to stderr, and the
/// result goes to the real stdout as one JSON object.
const IMPORT_SCRIPT: &str = r#"
import importlib.util, json, sys
result_stream, sys.stdout = sys.stdout, sys.stderr
path = sys.argv[1]
spec = importlib.util.spec_from_file_location("flit_rs_dynamic_metadata", path)
module = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = module
spec.loader.exec_module(module)
doc = module.__dict__.get("__doc__")
version = module.__dict__.get("__version__")
if version is None or isinstance(version, str):
    described = version
else:
    described = {"type": type(version).__name__, "truthy": bool(version)}
json.dump({"doc": doc if isinstance(doc, str) else None, "version": described}, result_stream)
"#;

/// Imports modules of the project rooted at `project_dir`.
pub struct PythonImporter {
    /// The project directory on the host.
    pub project_dir: PathBuf,
}

impl PythonImporter {
    fn interpreter() -> Option<PathBuf> {
        if let Some(configured) = std::env::var_os("FLIT_PYTHON").filter(|value| !value.is_empty()) {
            return Some(PathBuf::from(configured));
        }
        let path = std::env::var_os("PATH")?;
        for name in ["python3", "python"] {
            for directory in std::env::split_paths(&path) {
                let candidate = directory.join(name);
                if candidate.is_file() {
                    return Some(candidate);
                }
            }
        }
        None
    }
}

impl ModuleImporter for PythonImporter {
    fn import(&self, module: &Module) -> Result<ImportedModule, String> {
        let python =
            Self::interpreter().ok_or("no Python interpreter found (set FLIT_PYTHON, or put python3 on PATH)")?;
        let file = self.project_dir.join(module.file().as_str());
        let output = Command::new(&python)
            .arg("-c")
            .arg(IMPORT_SCRIPT)
            .arg(&file)
            .current_dir(&self.project_dir)
            .stdin(Stdio::null())
            .output()
            .map_err(|error| format!("cannot run {}: {error}", python.display()))?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let last_line = stderr.lines().rev().find(|line| !line.trim().is_empty()).unwrap_or("no error message");
            return Err(format!("{} exited with {}: {last_line}", python.display(), output.status));
        }
        let value: serde_json::Value = serde_json::from_slice(&output.stdout)
            .map_err(|error| format!("unexpected output from Python: {error}"))?;
        let docstring = value.get("doc").and_then(|doc| doc.as_str()).map(str::to_owned);
        let version = match value.get("version") {
            Some(serde_json::Value::String(text)) => Some(Constant::Str(text.clone())),
            Some(serde_json::Value::Object(described)) => {
                let type_name = described.get("type").and_then(|name| name.as_str()).unwrap_or("object");
                let truthy = described.get("truthy").and_then(serde_json::Value::as_bool).unwrap_or(true);
                Some(Constant::Other { type_name: leak_type_name(type_name), truthy })
            }
            _ => None,
        };
        Ok(ImportedModule { docstring, version })
    }
}

/// `Constant::Other` names types with a static string; the names an import
/// can plausibly produce are matched, anything else is described generally.
fn leak_type_name(name: &str) -> &'static str {
    const KNOWN: &[&str] = &["int", "float", "complex", "bytes", "bool", "tuple", "list", "dict", "NoneType"];
    KNOWN.iter().find(|known| **known == name).copied().unwrap_or("object")
}
