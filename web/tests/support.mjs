// Shared by the Node and browser tests: the package, the native `flit`,
// the fixtures, and small readers for the archives.

import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import zlib from "node:zlib";
import { parse as parseToml } from "smol-toml";

export const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const repoRoot = path.resolve(webDir, "..");
export const pkgDir = path.join(webDir, "pkg");
export const fixturesDir = path.join(repoRoot, "tests", "fixtures");

/** The SOURCE_DATE_EPOCH the Rust tests use too. */
export const EPOCH = 1700000000;

/** Where the tests write screenshots and measurements. */
export const artifactsDir = process.env.FLIT_WEB_ARTIFACTS
  ? path.resolve(process.env.FLIT_WEB_ARTIFACTS)
  : path.join(webDir, "tests", "output");

/** The flit-web module, initialised synchronously from its bytes. */
export async function loadPackage() {
  const wasm = path.join(pkgDir, "flit_web_bg.wasm");
  if (!fs.existsSync(wasm)) {
    throw new Error(`${wasm} is missing: build the package first with web/build.sh`);
  }
  const flit = await import(pathToFileURL(path.join(pkgDir, "flit_web.js")).href);
  flit.initSync({ module: fs.readFileSync(wasm) });
  return flit;
}

let flitBinaryPath = null;

/** The native `flit`: FLIT_BIN, or built here with cargo. */
export function flitBinary() {
  if (flitBinaryPath) return flitBinaryPath;
  if (process.env.FLIT_BIN) {
    flitBinaryPath = path.resolve(process.env.FLIT_BIN);
  } else {
    execFileSync("cargo", ["build", "--quiet", "-p", "flit-cli"], { cwd: repoRoot, stdio: "inherit" });
    const metadata = JSON.parse(execFileSync("cargo", ["metadata", "--format-version", "1", "--no-deps"],
      { cwd: repoRoot, encoding: "utf8", maxBuffer: 64 << 20 }));
    flitBinaryPath = path.join(metadata.target_directory, "debug", "flit");
  }
  if (!fs.existsSync(flitBinaryPath)) throw new Error(`the native flit binary ${flitBinaryPath} does not exist`);
  return flitBinaryPath;
}

/** Names of the fixtures of one kind ("build" or "errors"), sorted. */
export function fixtureNames(kind) {
  return fs.readdirSync(path.join(fixturesDir, kind), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

let buildOptionsTable = null;

/** A build fixture's options from tests/fixtures/build/fixtures.toml. */
export function buildFixtureOptions(name) {
  buildOptionsTable ??= parseToml(fs.readFileSync(path.join(fixturesDir, "build", "fixtures.toml"), "utf8"));
  const entry = buildOptionsTable[name] ?? {};
  for (const key of Object.keys(entry)) {
    // drop-metadata-lines concerns the comparison with flit only.
    const known = ["config", "env", "create-files", "generate-files", "warnings", "needs-python", "drop-metadata-lines"];
    if (!known.includes(key)) {
      throw new Error(`fixtures.toml: unknown option ${key} for ${name}`);
    }
  }
  return {
    config: entry.config ?? "pyproject.toml",
    env: entry.env ?? {},
    createFiles: entry["create-files"] ?? [],
    generateFiles: entry["generate-files"] ?? {},
    warnings: entry.warnings ?? [],
    // Only importing the module gives its metadata: no Python here.
    needsPython: entry["needs-python"] === true,
  };
}

/** An error fixture's expectations (tests/fixtures/errors/<name>/expected.toml). */
export function errorFixtureExpectation(name) {
  return parseToml(fs.readFileSync(path.join(fixturesDir, "errors", name, "expected.toml"), "utf8"));
}

const temporary = [];
process.on("exit", () => {
  for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory, removed when the process exits. */
export function tempDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}

/**
 * Copies a fixture preserving symlinks and modes, makes its create-files,
 * and returns the project directory of the copy.
 */
export function copyFixture(kind, name, createFiles = [], generateFiles = {}) {
  const temp = tempDir(`flit-web-${name}-`);
  execFileSync("cp", ["-a", path.join(fixturesDir, kind, name), temp]);
  const copy = path.join(temp, name);
  for (const relative of createFiles) {
    const file = path.join(copy, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `made at test time: ${relative}`);
  }
  for (const [relative, size] of Object.entries(generateFiles)) {
    const file = path.join(copy, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, generatedText(relative, Number(size)));
  }
  return kind === "errors" ? path.join(copy, "project") : copy;
}

const WORDS = ["def", "return", "self", "value", "config", "import", "from", "class", "if", "else", "None", "True",
  "for", "in", "range", "len", "print", "result", "items", "key", "=", "==", "(", ")", ":", ",", "[", "]", "+", "1"];

/**
 * `size` bytes of text that compresses like source code: the same bytes as
 * `generated_text` in tests/support/mod.rs for the same seed.
 */
export function generatedText(seed, size) {
  let state = 2166136261;
  for (const byte of Buffer.from(seed, "utf8")) state = Math.imul(state ^ byte, 16777619) >>> 0;
  const parts = [];
  let length = 0;
  const push = (text) => {
    parts.push(text);
    length += text.length;
  };
  while (length < size) {
    state = (state ^ (state << 13)) >>> 0;
    state = (state ^ (state >>> 17)) >>> 0;
    state = (state ^ (state << 5)) >>> 0;
    if (state % 11 === 0) push("\n" + " ".repeat(((state >>> 8) % 3) * 4));
    push(WORDS[(state >>> 16) % WORDS.length]);
    if (state % 7 === 0) push(`_${state % 997}`);
    push(" ");
  }
  return Buffer.from(parts.join(""), "latin1").subarray(0, size);
}

/**
 * Runs the native `flit build` in `project`. Returns the exit status, the
 * stderr text and the archives written ({ name: Buffer }).
 */
export function nativeBuild(project, { config = "pyproject.toml", env = {}, epoch = EPOCH } = {}) {
  const dist = fs.mkdtempSync(path.join(path.dirname(project), "dist-"));
  const environment = { PATH: process.env.PATH, HOME: process.env.HOME, ...env };
  if (epoch !== null) environment.SOURCE_DATE_EPOCH = String(epoch);
  const args = ["-f", config, "build", "--outdir", dist];
  const result = spawnSync(flitBinary(), args, { cwd: project, env: environment, encoding: "utf8", timeout: 120_000 });
  if (result.error) throw result.error;
  const archives = {};
  for (const file of fs.readdirSync(dist)) archives[file] = fs.readFileSync(path.join(dist, file));
  fs.rmSync(dist, { recursive: true, force: true });
  return { status: result.status, stderr: result.stderr, archives };
}

/** The records the native `flit check --format json` prints for `project`. */
export function nativeCheck(project, { config = "pyproject.toml", env = {}, epoch = EPOCH } = {}) {
  const environment = { PATH: process.env.PATH, HOME: process.env.HOME, ...env };
  if (epoch !== null) environment.SOURCE_DATE_EPOCH = String(epoch);
  const result = spawnSync(flitBinary(), ["-f", config, "check", "--format", "json"],
    { cwd: project, env: environment, encoding: "utf8", timeout: 120_000 });
  if (result.error) throw result.error;
  let records;
  try {
    records = JSON.parse(result.stdout);
  } catch {
    throw new Error(`flit check --format json printed no JSON (status ${result.status}):\n${result.stdout}${result.stderr}`);
  }
  return { status: result.status, records };
}

/** Every entry under `root` as the Project API takes it, like the native tree sees it. */
export function projectEntries(root) {
  const entries = [];
  const walk = (relative) => {
    const names = fs.readdirSync(path.join(root, relative)).sort();
    if (names.length === 0 && relative) entries.push({ kind: "dir", path: relative });
    for (const name of names) {
      const child = relative ? `${relative}/${name}` : name;
      const full = path.join(root, child);
      const stat = fs.lstatSync(full);
      if (stat.isSymbolicLink()) {
        entries.push({ kind: "symlink", path: child, target: fs.readlinkSync(full) });
      } else if (stat.isDirectory()) {
        walk(child);
      } else if (stat.isFile()) {
        entries.push({ kind: "file", path: child, bytes: fs.readFileSync(full), executable: (stat.mode & 0o100) !== 0 });
      } else {
        throw new Error(`${full}: special files cannot be added through the API`);
      }
    }
  };
  walk("");
  return entries;
}

/** A Project holding the directory `root`. */
export function projectFromDirectory(flit, root) {
  const project = new flit.Project();
  for (const entry of projectEntries(root)) {
    if (entry.kind === "symlink") project.addSymlink(entry.path, entry.target);
    else if (entry.kind === "dir") project.addDirectory(entry.path);
    else project.addFile(entry.path, entry.bytes, entry.executable);
  }
  return project;
}

/**
 * The diagnostics a native run printed, parsed from their headlines
 * (`file:line:column: severity[code]: message`).
 */
export function parseNativeDiagnostics(stderr) {
  const found = [];
  for (const line of stderr.split("\n")) {
    const match = /^(.*?)(?::(\d+):(\d+))?: (error|warning)\[([a-z0-9-]+)\]: (.*)$/.exec(line);
    if (!match) continue;
    const [, file, lineNumber, column, severity, code, message] = match;
    found.push({
      file, line: lineNumber ? Number(lineNumber) : null, column: column ? Number(column) : null, severity, code, message,
    });
  }
  return found;
}

/** A diagnostic as the one line `flit` prints. */
export function headline(problem) {
  const place = problem.line === null ? problem.file : `${problem.file}:${problem.line}:${problem.column}`;
  return `${place}: ${problem.severity}[${problem.code}]: ${problem.message}`;
}

/** Member names of a zip, in central-directory order, with a reader for each. */
export function readZip(bytes) {
  const buffer = Buffer.from(bytes);
  let end = buffer.length - 22;
  while (end >= 0 && buffer.readUInt32LE(end) !== 0x06054b50) end -= 1;
  if (end < 0) throw new Error("not a zip: no end of central directory");
  const count = buffer.readUInt16LE(end + 10);
  let offset = buffer.readUInt32LE(end + 16);
  const members = [];
  for (let index = 0; index < count; index += 1) {
    if (buffer.readUInt32LE(offset) !== 0x02014b50) throw new Error("bad central directory entry");
    const method = buffer.readUInt16LE(offset + 10);
    const compressedSize = buffer.readUInt32LE(offset + 20);
    const nameLength = buffer.readUInt16LE(offset + 28);
    const extraLength = buffer.readUInt16LE(offset + 30);
    const commentLength = buffer.readUInt16LE(offset + 32);
    const externalAttributes = buffer.readUInt32LE(offset + 38);
    const localOffset = buffer.readUInt32LE(offset + 42);
    const name = buffer.subarray(offset + 46, offset + 46 + nameLength).toString("utf8");
    members.push({
      name,
      mode: externalAttributes >>> 16,
      read() {
        const localName = buffer.readUInt16LE(localOffset + 26);
        const localExtra = buffer.readUInt16LE(localOffset + 28);
        const start = localOffset + 30 + localName + localExtra;
        const data = buffer.subarray(start, start + compressedSize);
        return method === 8 ? zlib.inflateRawSync(data) : Buffer.from(data);
      },
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return members;
}

/** Member names of a .tar.gz in archive order (ustar, pax and GNU long names). */
export function readTarGz(bytes) {
  const tar = zlib.gunzipSync(bytes);
  const names = [];
  let offset = 0;
  let longName = null;
  const field = (start, length) => {
    const raw = tar.subarray(offset + start, offset + start + length);
    const nul = raw.indexOf(0);
    return (nul === -1 ? raw : raw.subarray(0, nul)).toString("utf8");
  };
  while (offset + 512 <= tar.length) {
    if (tar.subarray(offset, offset + 512).every((byte) => byte === 0)) break;
    const size = parseInt(field(124, 12).trim() || "0", 8);
    const type = field(156, 1);
    const body = tar.subarray(offset + 512, offset + 512 + size);
    const prefix = field(345, 155);
    const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
    if (type === "x") {
      const record = body.toString("utf8").split("\n").find((line) => / path=/.test(line));
      longName = record ? record.slice(record.indexOf("path=") + 5) : null;
    } else if (type === "L") {
      longName = body.toString("utf8").replace(/\0+$/, "");
    } else {
      names.push(longName ?? name);
      longName = null;
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return names;
}
