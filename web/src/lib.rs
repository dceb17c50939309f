//! flit in JavaScript: validate a `pyproject.toml` as it is typed, and build
//! a project's wheel and sdist in a browser or in Node, byte for byte as the
//! native `flit build` does.
//!
//! This file is the edge: one handle ([`Project`]), the free function
//! [`validate`], one serializer ([`to_js`]) and one error converter
//! ([`to_js_error`]). The data types and the logic are in [`project`], plain
//! Rust tested natively. `wasm-bindgen --target web` turns the module into
//! `web/pkg/` (see web/build.sh).

pub mod project;

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

use flit_core::diagnostic::Diagnostics;
use project::{Options, Session, invalid_argument};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** One problem, with the code and message `flit` prints: the record of
 *  `flit check --format json`. Positions are 1-based (columns count characters);
 *  they are null for a problem about a whole file. Fields are never removed or
 *  renamed; new ones may be added. */
export interface Diagnostic {
    severity: "error" | "warning";
    /** A stable kebab-case code such as `invalid-name`. New codes may appear. */
    code: string;
    message: string;
    /** The project-relative file the problem is in (`pyproject.toml`). */
    file: string;
    line: number | null;
    column: number | null;
    endLine: number | null;
    /** The column just after the problem's span. */
    endColumn: number | null;
    /** What to do about it. */
    help: string | null;
}

/** The environment of a `flit build`, as values. Every field is optional. */
export interface Options {
    /** SOURCE_DATE_EPOCH: whole seconds since 1970 for every archive member, as a
     *  number, a BigInt or a string of digits. Default (also for null and ""):
     *  1451606400 (2016-01-01), as the command line uses when it is unset. */
    sourceDateEpoch?: number | bigint | string | null;
    /** FLIT_ALLOW_INVALID: the problems flit lets through become warnings. */
    allowInvalid?: boolean;
    /** The configuration file relative to the project root (flit's `-f`). Default: `pyproject.toml`. */
    configFile?: string | null;
}

/** The members of one archive, in archive order. */
export interface ArchiveListing {
    filename: string;
    files: string[];
}

/** What `Project.metadata()` returns. */
export interface Metadata {
    name: string;
    version: string;
    summary: string | null;
    /** The text of METADATA (and of the sdist's PKG-INFO). */
    metadata: string;
    wheel: ArchiveListing;
    sdist: ArchiveListing;
    warnings: Diagnostic[];
}

/** One built archive. */
export interface Archive {
    filename: string;
    bytes: Uint8Array;
    warnings: Diagnostic[];
}

/** Both archives of one build. */
export interface Built {
    wheel: Archive;
    sdist: Archive;
    warnings: Diagnostic[];
}

/** What every failing call throws: a JS Error whose message lists the errors,
 *  with all the problems found (warnings included) in `diagnostics`. */
export interface FlitError extends Error {
    diagnostics: Diagnostic[];
}
"#;

/// Checks the text of a `pyproject.toml` on its own and returns every
/// problem visible in it (files it names are not looked up), with the codes
/// and messages of `flit check`. Never throws for any text (only for
/// unusable options).
#[wasm_bindgen(unchecked_return_type = "Diagnostic[]")]
pub fn validate(
    #[wasm_bindgen(js_name = pyprojectText)] pyproject_text: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "Options")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let options: Options = from_js(options, "options")?;
    to_js(&project::validate(pyproject_text, &options).records())
}

/// The version of flit-web (and of the flit-rs core in it).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// A Python project held in memory: add its files, then check it, list its
/// metadata, or build its wheel and sdist.
#[wasm_bindgen]
#[derive(Debug, Default)]
pub struct Project {
    session: Session,
}

#[wasm_bindgen]
impl Project {
    /// An empty project.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Project {
        Project::default()
    }

    /// Adds (or replaces) a file. `path` is relative to the project root,
    /// `/`-separated (`pkg/__init__.py`); absolute paths and paths leaving
    /// the project throw. Browsers do not expose permission bits: pass
    /// `executable` for files that should keep their executable mode.
    #[wasm_bindgen(js_name = addFile)]
    pub fn add_file(
        &mut self,
        path: &str,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer | string")] bytes: JsValue,
        executable: Option<bool>,
    ) -> Result<(), JsValue> {
        let bytes = bytes_from_js(&bytes).ok_or_else(|| {
            to_js_error(&invalid_argument("bytes", "expected a Uint8Array, an ArrayBuffer or a string"))
        })?;
        self.session.add_file(path, bytes, executable.unwrap_or(false)).map_err(|problems| to_js_error(&problems))
    }

    /// Adds a symbolic link with its raw target, as `readlink` gives it
    /// (Node only: browsers hand over a link's target as a plain file).
    #[wasm_bindgen(js_name = addSymlink)]
    pub fn add_symlink(&mut self, path: &str, target: &str) -> Result<(), JsValue> {
        self.session.add_symlink(path, target).map_err(|problems| to_js_error(&problems))
    }

    /// Adds an empty directory.
    #[wasm_bindgen(js_name = addDirectory)]
    pub fn add_directory(&mut self, path: &str) -> Result<(), JsValue> {
        self.session.add_directory(path).map_err(|problems| to_js_error(&problems))
    }

    /// How many entries (files, links and directories) the project holds.
    #[wasm_bindgen(getter, js_name = entryCount)]
    pub fn entry_count(&self) -> usize {
        self.session.len()
    }

    /// Every problem a build would report, warnings included, in the order
    /// found: the configuration, the module, the files. Empty when the
    /// project builds cleanly. Never throws for a problem in the project.
    #[wasm_bindgen(unchecked_return_type = "Diagnostic[]")]
    pub fn check(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "Options")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let options: Options = from_js(options, "options")?;
        to_js(&self.session.check(&options).records())
    }

    /// The name, version and METADATA text, and the members of the wheel
    /// and the sdist, without building them. Throws if the project has errors.
    #[wasm_bindgen(unchecked_return_type = "Metadata")]
    pub fn metadata(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "Options")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let options: Options = from_js(options, "options")?;
        let metadata = self.session.metadata(&options).map_err(|problems| to_js_error(&problems))?;
        to_js(&metadata)
    }

    /// Builds both archives as `flit build` does (the wheel from the
    /// sdist's file set) and returns them. Throws if the project has errors.
    #[wasm_bindgen(unchecked_return_type = "Built")]
    pub fn build(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "Options")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let options: Options = from_js(options, "options")?;
        let built = self.session.build(&options).map_err(|problems| to_js_error(&problems))?;
        to_js(&built.into_dto())
    }

    /// Builds the wheel: the same bytes as `flit build` writes.
    #[wasm_bindgen(js_name = buildWheel, unchecked_return_type = "Archive")]
    pub fn build_wheel(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "Options")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let options: Options = from_js(options, "options")?;
        let built = self.session.build(&options).map_err(|problems| to_js_error(&problems))?;
        to_js(&built.into_dto().wheel)
    }

    /// Builds the sdist: the same bytes as `flit build` writes.
    #[wasm_bindgen(js_name = buildSdist, unchecked_return_type = "Archive")]
    pub fn build_sdist(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "Options")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let options: Options = from_js(options, "options")?;
        let built = self.session.build(&options).map_err(|problems| to_js_error(&problems))?;
        to_js(&built.into_dto().sdist)
    }
}

/// The one serializer: plain objects, `null` for a missing value, bytes as
/// `Uint8Array`, 64-bit numbers as numbers.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true);
    value.serialize(&serializer).map_err(|error| to_js_error(&invalid_argument("result", error)))
}

/// Reads an optional argument: `undefined` and `null` give the defaults.
fn from_js<T: DeserializeOwned + Default>(value: Option<JsValue>, argument: &str) -> Result<T, JsValue> {
    let Some(value) = value.filter(|value| !value.is_undefined() && !value.is_null()) else {
        return Ok(T::default());
    };
    serde_wasm_bindgen::from_value(value).map_err(|error| to_js_error(&invalid_argument(argument, error)))
}

/// A file's content: the bytes of any typed array or `ArrayBuffer`, or a
/// string as UTF-8.
fn bytes_from_js(value: &JsValue) -> Option<Vec<u8>> {
    if let Some(text) = value.as_string() {
        return Some(text.into_bytes());
    }
    if let Some(buffer) = value.dyn_ref::<js_sys::ArrayBuffer>() {
        return Some(js_sys::Uint8Array::new(buffer).to_vec());
    }
    if let Some(array) = value.dyn_ref::<js_sys::Uint8Array>() {
        return Some(array.to_vec());
    }
    if js_sys::ArrayBuffer::is_view(value) {
        // Another typed array or a DataView: its bytes, whatever its element type.
        let property = |name: &str| js_sys::Reflect::get(value, &JsValue::from_str(name)).ok();
        let buffer = property("buffer")?.dyn_into::<js_sys::ArrayBuffer>().ok()?;
        let offset = property("byteOffset")?.as_f64()? as u32;
        let length = property("byteLength")?.as_f64()? as u32;
        return Some(js_sys::Uint8Array::new_with_byte_offset_and_length(&buffer, offset, length).to_vec());
    }
    None
}

/// The one error converter: a JS `Error` whose message is the errors'
/// one-line forms and whose `diagnostics` property holds every problem.
fn to_js_error(problems: &Diagnostics) -> JsValue {
    let errors: Vec<String> = problems.errors().map(|problem| problem.headline()).collect();
    let message = match errors.as_slice() {
        [] => "flit: the operation failed".to_owned(),
        [one] => one.clone(),
        many => format!("{} errors:\n{}", many.len(), many.join("\n")),
    };
    let error = js_sys::Error::new(&message);
    error.set_name("FlitError");
    let listed = problems
        .records()
        .serialize(&serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true))
        .unwrap_or_else(|_| js_sys::Array::new().into());
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(&error, &JsValue::from_str("diagnostics"), &listed);
    error.into()
}
