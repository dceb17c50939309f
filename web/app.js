// The page: an editor that validates pyproject.toml as you type, and a
// folder picker that checks a project and builds its wheel and sdist.
// Everything runs in this tab through the flit-web module (./pkg/); no
// request leaves the server the page came from.

import init, { validate, Project, version } from "./pkg/flit_web.js";

const $ = (id) => document.getElementById(id);

const editor = $("editor");
const mirror = $("mirror");
const gutter = $("gutter");
const callout = $("callout");
const summary = $("problem-summary");
const problemList = $("problem-list");
const status = $("status");
const output = $("project-output");
const folderInput = $("folder");
const dropZone = $("drop-zone");

/** Folders never read from a picked project: version control, environments. */
const SKIPPED_FOLDERS = new Set([".git", ".hg", ".svn", ".bzr", "node_modules", ".venv", "venv", ".tox", ".nox"]);
const STORAGE_KEY = "flit-web:pyproject";

const EXAMPLE_VALID = `[build-system]
requires = ["flit_core >=3.11,<5"]
build-backend = "flit_core.buildapi"

[project]
name = "greeting"
authors = [{ name = "Ada Lovelace", email = "ada@example.org" }]
readme = "README.md"
license = "MIT"
license-files = ["LICENSE"]
requires-python = ">=3.9"
classifiers = [
    "Programming Language :: Python :: 3",
    "Operating System :: OS Independent",
]
dynamic = ["version", "description"]

[project.optional-dependencies]
test = ["pytest >=8"]

[project.scripts]
greet = "greeting.cli:main"

[project.urls]
Source = "https://example.org/greeting"
`;

const EXAMPLE_BROKEN = `[build-system]
requires = ["flit_core >=3.11,<5"]
build-backend = "flit_core.buildapi"

[project]
name = "my package"
version = "1.0"
description = "An example with problems"
license = "GPL-3.0"
requires-python = ">=3.9"
dependencies = ["requests >=2.0"]

[project.scripts]
run = "my_package.cli"
`;

// ---------------------------------------------------------------------------
// Small helpers

/** An element with a class and children (strings become text). */
function element(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

/** Text with `backticked` parts as <code>, built without innerHTML. */
function richText(text) {
  const fragment = document.createDocumentFragment();
  String(text)
    .split(/(`[^`]*`)/)
    .forEach((part) => {
      if (part.length > 1 && part.startsWith("`") && part.endsWith("`")) {
        fragment.append(element("code", null, part.slice(1, -1)));
      } else if (part) {
        fragment.append(part);
      }
    });
  return fragment;
}

function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function countSummary(diagnostics) {
  const errors = diagnostics.filter((problem) => problem.severity === "error").length;
  const warnings = diagnostics.length - errors;
  return { errors, warnings, text: `${plural(errors, "error")} and ${plural(warnings, "warning")}` };
}

function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} bytes`;
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

/** The problems a failed call carried, or one made up from a plain error. */
function problemsOf(error) {
  if (error && Array.isArray(error.diagnostics)) return error.diagnostics;
  return [{
    severity: "error", code: "internal-error", message: String(error && error.message ? error.message : error),
    file: "", line: null, column: null, endLine: null, endColumn: null, help: null,
  }];
}

/** One problem as a list item; `onGo` makes its place a button. */
function problemItem(problem, { showFile, onGo }) {
  const item = element("li", `problem ${problem.severity}`);
  item.dataset.code = problem.code;
  item.dataset.severity = problem.severity;
  if (problem.line !== null) item.dataset.line = String(problem.line);
  const place = problem.line === null
    ? (showFile && problem.file ? problem.file : "whole file")
    : `${showFile ? `${problem.file}:` : ""}line ${problem.line}, column ${problem.column}`;
  const placeNode = onGo && problem.line !== null
    ? element("button", "place", place)
    : element("span", "place", place);
  if (placeNode.tagName === "BUTTON") {
    placeNode.type = "button";
    placeNode.setAttribute("aria-label", `Go to ${place}: ${problem.message}`);
    placeNode.addEventListener("click", () => onGo(problem));
  }
  item.append(
    element("div", "problem-head",
      placeNode, " ",
      element("span", "severity", problem.severity), " ",
      element("code", "code", problem.code)),
    element("p", "message", richText(problem.message)),
  );
  if (problem.help) item.append(element("p", "help", element("span", "help-label", "help: "), richText(problem.help)));
  return item;
}

// ---------------------------------------------------------------------------
// The editor

let current = [];  // the diagnostics of the editor's text
let frame = 0;

/** The code points of a line, so columns (counted in characters) index it. */
const codePoints = (line) => Array.from(line);

/** Start of line `line` (1-based) and the UTF-16 offset of `column` in it. */
function offsetOf(text, line, column) {
  const lines = text.split("\n");
  let offset = 0;
  for (let index = 0; index < line - 1 && index < lines.length; index += 1) offset += lines[index].length + 1;
  const points = codePoints(lines[Math.min(line, lines.length) - 1] ?? "");
  return offset + points.slice(0, Math.max(0, column - 1)).join("").length;
}

/** Per line, the severity of each character covered by a problem. */
function marksOf(lines, diagnostics) {
  const marks = new Map();
  const rank = { warning: 1, error: 2 };
  for (const problem of diagnostics) {
    if (problem.line === null) continue;
    const last = Math.min(problem.endLine ?? problem.line, lines.length);
    for (let line = problem.line; line <= last; line += 1) {
      const length = codePoints(lines[line - 1] ?? "").length;
      const start = line === problem.line ? problem.column - 1 : 0;
      const end = line === last && problem.endLine === last ? problem.endColumn - 1 : length;
      if (!marks.has(line)) marks.set(line, { chars: new Array(length).fill(0), points: [] });
      const entry = marks.get(line);
      if (end <= start) {
        entry.points.push({ at: Math.min(start, length), severity: problem.severity });
        continue;
      }
      for (let index = start; index < Math.min(end, length); index += 1) {
        entry.chars[index] = Math.max(entry.chars[index], rank[problem.severity]);
      }
      if (start >= length) entry.points.push({ at: length, severity: problem.severity });
    }
  }
  return marks;
}

function renderEditor() {
  frame = 0;
  const text = editor.value;
  try {
    current = validate(text);
  } catch (error) {
    current = problemsOf(error);
  }
  const lines = text.split("\n");
  const marks = marksOf(lines, current);
  const byLine = new Map();
  for (const problem of current) {
    if (problem.line === null) continue;
    if (!byLine.has(problem.line)) byLine.set(problem.line, []);
    byLine.get(problem.line).push(problem);
  }

  const mirrorLines = document.createDocumentFragment();
  const gutterLines = document.createDocumentFragment();
  lines.forEach((line, index) => {
    const number = index + 1;
    const problems = byLine.get(number) ?? [];
    const worst = problems.some((problem) => problem.severity === "error") ? "error" : problems.length ? "warning" : "";
    const row = element("div", `line${worst ? ` has-${worst}` : ""}`);
    row.dataset.line = String(number);
    const mark = marks.get(number);
    const points = codePoints(line);
    if (!mark) {
      row.append(line);
    } else {
      let run = "";
      let runLevel = 0;
      const flush = () => {
        if (!run) return;
        row.append(runLevel ? element("mark", runLevel === 2 ? "error" : "warning", run) : run);
        run = "";
      };
      for (let at = 0; at <= points.length; at += 1) {
        for (const point of mark.points.filter((candidate) => candidate.at === at)) {
          flush();
          row.append(element("span", `point ${point.severity}`));
        }
        if (at === points.length) break;
        const level = mark.chars[at] ?? 0;
        if (level !== runLevel) { flush(); runLevel = level; }
        run += points[at];
      }
      flush();
    }
    if (problems.length) {
      const first = problems[0];
      const more = problems.length > 1 ? ` (+${problems.length - 1} more)` : "";
      row.append(element("span", `lens ${worst}`, `${first.code}: ${first.message}${more}`));
    }
    mirrorLines.append(row);
    const number_ = element("div", `number${worst ? ` has-${worst}` : ""}`, String(number));
    number_.dataset.line = String(number);
    if (worst) number_.title = problems.map((problem) => `${problem.severity}[${problem.code}]: ${problem.message}`).join("\n");
    gutterLines.append(number_);
  });
  mirror.replaceChildren(mirrorLines);
  gutter.replaceChildren(gutterLines);

  const counts = countSummary(current);
  editor.setAttribute("aria-invalid", counts.errors ? "true" : "false");
  const summaryText = current.length === 0 ? "No problems found." : `${counts.text}.`;
  if (summary.textContent !== summaryText) summary.textContent = summaryText;
  summary.dataset.errors = String(counts.errors);
  summary.dataset.warnings = String(counts.warnings);
  problemList.replaceChildren(...current.map((problem) => problemItem(problem, { showFile: false, onGo: goTo })));
  syncScroll();
  updateCallout();
}

function scheduleRender() {
  if (!frame) frame = requestAnimationFrame(renderEditor);
  saveText();
}

let saveTimer = 0;
function saveText() {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => {
    try { localStorage.setItem(STORAGE_KEY, editor.value); } catch { /* storage may be unavailable */ }
  }, 300);
}

function metrics() {
  const style = getComputedStyle(editor);
  return { lineHeight: parseFloat(style.lineHeight) || 21, paddingTop: parseFloat(style.paddingTop) || 0 };
}

function syncScroll() {
  const transform = `translate(${-editor.scrollLeft}px, ${-editor.scrollTop}px)`;
  mirror.style.transform = transform;
  gutter.style.transform = `translateY(${-editor.scrollTop}px)`;
  updateCallout();
}

/** The line the caret is on (1-based). */
function caretLine() {
  return editor.value.slice(0, editor.selectionStart).split("\n").length;
}

/** Under the caret's line, that line's problems with their advice. */
function updateCallout() {
  const line = caretLine();
  const problems = current.filter((problem) => problem.line === line);
  if (document.activeElement !== editor || problems.length === 0) {
    callout.hidden = true;
    return;
  }
  const { lineHeight, paddingTop } = metrics();
  callout.replaceChildren(...problems.map((problem) => element("div", `callout-item ${problem.severity}`,
    element("p", "message", element("strong", null, `${problem.severity}[${problem.code}]`), " ", richText(problem.message)),
    problem.help ? element("p", "help", element("span", "help-label", "help: "), richText(problem.help)) : null)));
  callout.dataset.line = String(line);
  callout.hidden = false;
  // Under the line; above it when there is no room below.
  const below = paddingTop + line * lineHeight - editor.scrollTop + 2;
  const above = below - lineHeight - callout.offsetHeight - 4;
  const room = editor.clientHeight;
  callout.style.top = `${below + callout.offsetHeight > room && above >= 0 ? above : below}px`;
}

/** Selects a problem's span in the editor and brings it into view. */
function goTo(problem) {
  const text = editor.value;
  const start = offsetOf(text, problem.line, problem.column);
  const end = offsetOf(text, problem.endLine ?? problem.line, problem.endColumn ?? problem.column);
  editor.focus();
  editor.setSelectionRange(start, Math.max(start, end));
  const { lineHeight } = metrics();
  const top = (problem.line - 1) * lineHeight;
  if (top < editor.scrollTop || top > editor.scrollTop + editor.clientHeight - 3 * lineHeight) {
    editor.scrollTop = Math.max(0, top - 2 * lineHeight);
  }
  syncScroll();
}

function setText(text) {
  editor.value = text;
  editor.scrollTop = 0;
  editor.scrollLeft = 0;
  scheduleRender();
}

editor.addEventListener("input", scheduleRender);
editor.addEventListener("scroll", syncScroll);
editor.addEventListener("focus", updateCallout);
editor.addEventListener("blur", () => { callout.hidden = true; });
editor.addEventListener("keyup", updateCallout);
editor.addEventListener("click", updateCallout);
document.addEventListener("selectionchange", () => { if (document.activeElement === editor) updateCallout(); });
new ResizeObserver(syncScroll).observe(editor);
$("example-valid").addEventListener("click", () => setText(EXAMPLE_VALID));
$("example-broken").addEventListener("click", () => setText(EXAMPLE_BROKEN));
$("clear-editor").addEventListener("click", () => { setText(""); editor.focus(); });

// ---------------------------------------------------------------------------
// A project folder

let loaded = null;     // { name, files: [{ path, bytes }], skipped }
let downloadUrls = [];
let builtWith = "";    // the options of the last build, to rebuild only on a real change

/** The options of the build-options form, as flit-web takes them. */
function buildOptions() {
  return {
    // A string: flit-web checks it, with the same message for any caller.
    sourceDateEpoch: $("epoch").value.trim() || null,
    allowInvalid: $("allow-invalid").checked,
    configFile: $("config-file").value.trim() || "pyproject.toml",
  };
}

function executables() {
  return new Set($("executables").value.split("\n").map((line) => line.trim().replace(/^\.\//, "")).filter(Boolean));
}

function isSkipped(parts) {
  return parts.some((part) => SKIPPED_FOLDERS.has(part));
}

/** Files from the folder input: paths relative to the chosen folder. */
function filesFromInput(fileList) {
  const files = [];
  let skipped = 0;
  let name = "";
  for (const file of fileList) {
    const relative = file.webkitRelativePath || file.name;
    const parts = relative.split("/");
    if (file.webkitRelativePath) name = parts.shift();
    if (isSkipped(parts.slice(0, -1))) { skipped += 1; continue; }
    files.push({ path: parts.join("/"), file });
  }
  return { name, files, skipped };
}

/** Every entry of a dropped directory, read recursively. */
async function filesFromDrop(items) {
  const roots = [...items].map((item) => item.webkitGetAsEntry && item.webkitGetAsEntry()).filter(Boolean);
  const files = [];
  let skipped = 0;
  const readAll = (reader) => new Promise((resolve, reject) => {
    const entries = [];
    const next = () => reader.readEntries((batch) => {
      if (batch.length === 0) resolve(entries);
      else { entries.push(...batch); next(); }
    }, reject);
    next();
  });
  const walk = async (entry, prefix) => {
    if (entry.isDirectory) {
      if (SKIPPED_FOLDERS.has(entry.name)) { skipped += 1; return; }
      for (const child of await readAll(entry.createReader())) await walk(child, `${prefix}${entry.name}/`);
    } else if (entry.isFile) {
      const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
      files.push({ path: `${prefix}${entry.name}`, file });
    }
  };
  let name = "";
  if (roots.length === 1 && roots[0].isDirectory) {
    name = roots[0].name;
    for (const child of await readAll(roots[0].createReader())) await walk(child, "");
  } else {
    for (const root of roots) await walk(root, "");
  }
  return { name, files, skipped };
}

async function loadProject({ name, files, skipped }) {
  status.textContent = `Reading ${plural(files.length, "file")}…`;
  const read = [];
  for (const { path, file } of files) read.push({ path, bytes: new Uint8Array(await file.arrayBuffer()) });
  read.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  loaded = { name, files: read, skipped };
  buildLoaded();
}

/** Checks, lists and builds the loaded project with the current options. */
function buildLoaded() {
  if (!loaded) return;
  for (const url of downloadUrls) URL.revokeObjectURL(url);
  downloadUrls = [];
  const options = buildOptions();
  const marked = executables();
  builtWith = JSON.stringify([options, [...marked]]);
  const project = new Project();
  let problems = [];
  let metadata = null;
  let built = null;
  const started = performance.now();
  try {
    for (const { path, bytes } of loaded.files) {
      try {
        project.addFile(path, bytes, marked.has(path));
      } catch (error) {
        problems.push(...problemsOf(error));
      }
    }
    problems.push(...project.check(options));
    if (!problems.some((problem) => problem.severity === "error")) {
      metadata = project.metadata(options);
      built = project.build(options);
    }
  } catch (error) {
    problems.push(...problemsOf(error));
  } finally {
    project.free();
  }
  const elapsed = performance.now() - started;
  renderProject(problems, metadata, built, elapsed);
}

function fileList(title, listing, id) {
  const details = element("details", "file-list");
  details.open = true;
  details.id = id;
  details.append(element("summary", null, `${title}: ${listing.filename} (${plural(listing.files.length, "file")})`));
  details.append(element("ul", null, ...listing.files.map((file) => element("li", null, element("code", null, file)))));
  return details;
}

function downloadLink(archive, kind, type) {
  const url = URL.createObjectURL(new Blob([archive.bytes], { type }));
  downloadUrls.push(url);
  const link = element("a", "button download", `Download the ${kind}`);
  link.href = url;
  link.download = archive.filename;
  link.id = `download-${kind}`;
  link.append(element("span", "download-detail", `${archive.filename}, ${formatSize(archive.bytes.length)}`));
  return link;
}

function renderProject(problems, metadata, built, elapsed) {
  const parts = [];
  const counts = countSummary(problems);
  const source = `${loaded.name ? `Folder “${loaded.name}”` : "The dropped files"}: ${plural(loaded.files.length, "file")} read` +
    (loaded.skipped ? `, ${loaded.skipped} in version-control or environment folders skipped` : "") + ".";
  parts.push(element("p", "hint", source));
  if (metadata) {
    parts.push(element("h3", "project-name", `${metadata.name} ${metadata.version}`));
    if (metadata.summary) parts.push(element("p", "project-summary", metadata.summary));
  }
  const heading = element("p", `project-status ${counts.errors ? "failed" : "ok"}`,
    counts.errors
      ? `Cannot build: ${counts.text}.`
      : `Built in ${elapsed < 10 ? elapsed.toFixed(1) : Math.round(elapsed)} ms${problems.length ? ` with ${plural(counts.warnings, "warning")}` : ""}.`);
  heading.id = "project-status";
  parts.push(heading);
  if (problems.length) {
    const list = element("ol", "problem-list", ...problems.map((problem) => problemItem(problem, { showFile: true })));
    list.id = "project-problems";
    parts.push(list);
  }
  if (built && metadata) {
    parts.push(element("div", "downloads",
      downloadLink(built.wheel, "wheel", "application/zip"),
      downloadLink(built.sdist, "sdist", "application/gzip")));
    parts.push(fileList("Wheel", metadata.wheel, "wheel-files"));
    parts.push(fileList("Sdist", metadata.sdist, "sdist-files"));
    const meta = element("details", "metadata");
    meta.append(element("summary", null, "METADATA"), element("pre", null, metadata.metadata));
    parts.push(meta);
  }
  const config = loaded.files.find((file) => file.path === buildOptions().configFile);
  if (config) {
    const open = element("button", null, `Open ${config.path} in the editor`);
    open.type = "button";
    open.addEventListener("click", () => {
      setText(new TextDecoder().decode(config.bytes));
      editor.focus();
      editor.scrollIntoView({ block: "center" });
    });
    parts.push(element("p", null, open));
  }
  const nested = loaded.files.filter((file) => file.path.endsWith(`/${buildOptions().configFile}`));
  if (!config && nested.length) {
    parts.splice(1, 0, element("p", "project-status failed",
      `This folder has no ${buildOptions().configFile} at its top, but ${nested.map((file) => file.path).join(", ")}: ` +
      "choose the folder that holds it."));
  }
  output.replaceChildren(...parts);
  output.dataset.state = counts.errors ? "failed" : "built";
  // The status line is the live region: one short sentence per load.
  status.textContent = counts.errors
    ? `The project has ${counts.text}; see the list under “Build a project”.`
    : `Built ${metadata.name} ${metadata.version}: the wheel and the sdist are ready to download.`;
}

$("choose-folder").addEventListener("click", () => folderInput.click());
folderInput.addEventListener("change", async () => {
  if (!folderInput.files || folderInput.files.length === 0) return;
  output.dataset.state = "loading";
  await loadProject(filesFromInput(folderInput.files));
  folderInput.value = "";
});
for (const id of ["epoch", "allow-invalid", "config-file", "executables"]) {
  $(id).addEventListener("change", () => {
    if (loaded && JSON.stringify([buildOptions(), [...executables()]]) !== builtWith) buildLoaded();
  });
}
/** True while files (not text) are dragged: those are a project. */
const carriesFiles = (event) => Boolean(event.dataTransfer && [...event.dataTransfer.types].includes("Files"));

// Files dropped anywhere on the page are a project (the browser would
// otherwise leave the page to show the file); text still drops into the editor.
for (const type of ["dragenter", "dragover"]) {
  document.addEventListener(type, (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    dropZone.classList.add("dragging");
  });
}
document.addEventListener("dragleave", (event) => {
  if (event.relatedTarget === null) dropZone.classList.remove("dragging");
});
document.addEventListener("drop", async (event) => {
  dropZone.classList.remove("dragging");
  if (!event.dataTransfer || !event.dataTransfer.items || (event.dataTransfer.types && !carriesFiles(event))) return;
  event.preventDefault();
  output.dataset.state = "loading";
  status.textContent = "Reading the dropped folder…";
  try {
    await loadProject(await filesFromDrop(event.dataTransfer.items));
  } catch (error) {
    output.dataset.state = "failed";
    output.replaceChildren(element("p", "project-status failed", `Could not read the dropped files: ${error && error.message ? error.message : error}`));
    status.textContent = "Could not read the dropped files.";
  }
});

// ---------------------------------------------------------------------------
// Start

try {
  await init();
  $("version").textContent = `flit-web ${version()}.`;
  let saved = null;
  try { saved = localStorage.getItem(STORAGE_KEY); } catch { /* storage may be unavailable */ }
  editor.value = saved ?? EXAMPLE_VALID;
  renderEditor();
  status.textContent = "Ready.";
  document.documentElement.dataset.ready = "true";
} catch (error) {
  status.textContent = `Could not start: ${error && error.message ? error.message : error}. ` +
    "Serve this folder with a static file server (for example `python3 -m http.server`) and open it over http.";
  status.classList.add("failed");
  document.documentElement.dataset.ready = "failed";
}
