// The flit-web package in Node: web/pkg/ loaded with initSync, checked
// against the native `flit` on every fixture of tests/fixtures/.
//
//   node --test web/tests/api.test.mjs     (after web/build.sh)
//
// FLIT_BIN names the native binary (tests/run.sh builds it); without it the
// test builds flit-cli with cargo.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";

import {
  EPOCH, buildFixtureOptions, copyFixture, errorFixtureExpectation, fixtureNames, headline, nativeBuild, nativeCheck,
  parseNativeDiagnostics, pkgDir, projectFromDirectory, readTarGz, readZip, repoRoot, loadPackage,
} from "./support.mjs";

const flit = await loadPackage();

const DIAGNOSTIC_KEYS = ["severity", "code", "message", "file", "line", "column", "endLine", "endColumn", "help"];

/** Options for a build fixture, as the native build gets them. */
function fixtureOptions(options, epoch = EPOCH) {
  return {
    sourceDateEpoch: epoch,
    configFile: options.config,
    allowInvalid: Boolean(options.env.FLIT_ALLOW_INVALID),
  };
}

/** The first failing `assert` of `check`, as a message, or null. */
function failure(check) {
  try {
    check();
    return null;
  } catch (error) {
    return error.message;
  }
}

/** Runs `check` for every name; fails once with all the failures. */
function forEvery(names, check) {
  const failures = names.map((name) => [name, failure(() => check(name))]).filter(([, problem]) => problem);
  assert.equal(failures.length, 0,
    `${failures.length} of ${names.length} failed:\n${failures.map(([name, problem]) => `${name}: ${problem}`).join("\n\n")}`);
}

/** The [build-system] table every case starts with, so only the case's own problems appear. */
const BUILD_SYSTEM = '[build-system]\nrequires = ["flit_core >=3.11,<5"]\nbuild-backend = "flit_core.buildapi"\n\n';

describe("validate(pyprojectText)", () => {
  // Each case: the text after BUILD_SYSTEM (4 lines), then [code, line,
  // column, endLine, endColumn] of every error expected, in order. Places
  // checked against the text by hand. (Warnings are checked separately, so
  // that a new warning in the core does not break these.)
  const cases = {
    "an invalid name and a deprecated license ID": [
      '[project]\nname = "bad name"\nversion = "1.0"\ndescription = "x"\nlicense = "GPL-3.0"\n',
      [["invalid-name", 6, 8, 6, 18], ["license-expression", 9, 12, 9, 19]],
    ],
    "an unknown key in [project]": [
      '[project]\nname = "ok"\nversion = "1.0"\ndescription = "x"\nhomepage = "https://example.org"\n',
      [["unknown-key", 9, 1, 9, 9]],
    ],
    "a version that is not PEP 440": [
      '[project]\nname = "ok"\nversion = "one"\ndescription = "x"\n',
      [["invalid-version", 7, 11, 7, 16]],
    ],
    "a wrong type, after a non-ASCII string (columns count characters)": [
      '[project]\nname = "ok"\nversion = "1.0"\ndescription = "naïve café ☕"\nkeywords = "one"\n',
      [["wrong-type", 9, 12, 9, 17]],
    ],
    "a TOML syntax error": [
      '[project]\nname = "ok"\nversion = \n',
      [["toml-syntax", 7, 11, 7, 11]],
    ],
    "no [project] table": [
      '[tool.flit.module]\nname = "x"\n',
      [["missing-project-table", null, null, null, null]],
    ],
  };

  for (const [title, [text, expected]] of Object.entries(cases)) {
    test(title, () => {
      const found = flit.validate(BUILD_SYSTEM + text);
      for (const problem of found) assert.deepEqual(Object.keys(problem).sort(), [...DIAGNOSTIC_KEYS].sort());
      const errors = found.filter((problem) => problem.severity === "error");
      const places = errors.map((problem) => [problem.code, problem.line, problem.column, problem.endLine, problem.endColumn]);
      assert.deepEqual(places, expected, JSON.stringify(found, null, 2));
      for (const problem of found) {
        assert.equal(problem.file, "pyproject.toml");
        assert.equal(typeof problem.message, "string");
        assert.ok(problem.help === null || typeof problem.help === "string");
      }
    });
  }

  test("warnings come with the errors, file-level ones without a place", () => {
    const found = flit.validate('[project]\nname = "bad name"\nversion = "1.0"\ndescription = "x"\n');
    const missing = found.find((problem) => problem.code === "missing-build-system");
    assert.ok(missing, JSON.stringify(found));
    assert.equal(missing.severity, "warning");
    assert.deepEqual([missing.line, missing.column, missing.endLine, missing.endColumn], [null, null, null, null]);
    assert.ok(found.some((problem) => problem.code === "invalid-name" && problem.line === 2));
  });

  test("allowInvalid turns the problems flit lets through into warnings", () => {
    const text = `${BUILD_SYSTEM}[project]\nname = "ok"\nversion = "1.0"\ndescription = "x"\nlicense = "Not-A-License"\n`;
    const license = (options) => flit.validate(text, options).find((problem) => problem.code === "license-expression");
    assert.equal(license().severity, "error");
    assert.equal(license({ allowInvalid: true }).severity, "warning");
  });

  test("fixing the text makes the problems go", () => {
    assert.ok(flit.validate(`${BUILD_SYSTEM}[project]\nname = "bad name"\nversion = "1.0"\ndescription = "x"\n`).length > 0);
    assert.deepEqual(flit.validate(`${BUILD_SYSTEM}[project]\nname = "good-name"\nversion = "1.0"\ndescription = "x"\n`), []);
  });

  test("every build fixture's configuration has no errors", () => {
    forEvery(fixtureNames("build"), (name) => {
      const options = buildFixtureOptions(name);
      const text = fs.readFileSync(path.join(repoRoot, "tests/fixtures/build", name, options.config), "utf8");
      const errors = flit.validate(text, fixtureOptions(options)).filter((problem) => problem.severity === "error");
      assert.deepEqual(errors.map(headline), []);
    });
  });

  test("finds nothing the full check does not find, for every error fixture", () => {
    forEvery(fixtureNames("errors"), (name) => {
      const project = copyFixture("errors", name);
      const text = fs.readFileSync(path.join(project, "pyproject.toml"), "utf8");
      const checked = projectFromDirectory(flit, project).check({ sourceDateEpoch: EPOCH }).map(headline);
      for (const problem of flit.validate(text)) assert.ok(checked.includes(headline(problem)), headline(problem));
    });
  });

  test("never throws, whatever the text", () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const samples = fixtureNames("errors").map((name) =>
      fs.readFileSync(path.join(repoRoot, "tests/fixtures/errors", name, "project/pyproject.toml"), "utf8"));
    const alphabet = ['"', "'", "[", "]", "{", "}", "=", "\n", "\r", "\\", "#", ".", ",", "é", "\u0000", "\ud800", "😀", " ", "a", "1"];
    for (let round = 0; round < 3000; round += 1) {
      let text = samples[Math.floor(random() * samples.length)];
      for (let edit = Math.floor(random() * 6); edit >= 0; edit -= 1) {
        const at = Math.floor(random() * (text.length + 1));
        const cut = Math.floor(random() * 4);
        text = text.slice(0, at) + alphabet[Math.floor(random() * alphabet.length)] + text.slice(at + cut);
      }
      const found = flit.validate(text, { allowInvalid: random() < 0.5 });
      assert.ok(Array.isArray(found));
    }
    assert.ok(Array.isArray(flit.validate("")));
    assert.ok(Array.isArray(flit.validate("x".repeat(1 << 20))));
    assert.ok(Array.isArray(flit.validate("[".repeat(10000))));
  });
});

/**
 * Error fixtures whose problem only importing the module reveals: natively
 * flit runs Python and reports it; in the browser there is no Python, so the
 * check reports `dynamic-needs-python` for that file instead. A recorded
 * difference, not a skip: the test asserts it.
 */
const NEEDS_PYTHON = {
  "no-docstring-module": "quiet.py",
  "no-version": "versionless.py",
  "version-empty-string": "emptyver.py",
};

function assertNeedsPython(name, found) {
  assert.deepEqual(found.map(({ severity, code, file }) => ({ severity, code, file })),
    [{ severity: "error", code: "dynamic-needs-python", file: NEEDS_PYTHON[name] }], found.map(headline).join("\n"));
}

describe("Project.check()", () => {
  test("reports each error fixture's problem at its place, with flit's codes and messages", () => {
    forEvery(fixtureNames("errors"), (name) => {
      const expected = errorFixtureExpectation(name);
      const project = copyFixture("errors", name);
      const found = projectFromDirectory(flit, project).check({ sourceDateEpoch: EPOCH });
      if (name in NEEDS_PYTHON) {
        assertNeedsPython(name, found);
        return;
      }
      const columns = expected.column === undefined ? null : [expected.column, expected["end-column"] ?? expected.column];
      const matching = found.filter((problem) =>
        problem.code === expected.code
        && problem.severity === "error"
        && problem.file === (expected.file ?? problem.file)
        && (expected.line === undefined || problem.line === expected.line)
        && (columns === null || (problem.column >= columns[0] && problem.column <= columns[1])));
      assert.ok(matching.length > 0, `expected ${JSON.stringify(expected)}; found\n${found.map(headline).join("\n")}`);
    });
  });

  test("gives exactly the records of the native `flit check --format json`, for every error fixture", () => {
    forEvery(fixtureNames("errors"), (name) => {
      const project = copyFixture("errors", name);
      const native = nativeCheck(project);
      assert.equal(native.status, 1);
      const found = projectFromDirectory(flit, project).check({ sourceDateEpoch: EPOCH });
      if (name in NEEDS_PYTHON) {
        assertNeedsPython(name, found);
        return;
      }
      assert.deepEqual(found, native.records);
    });
  });

  test("building throws exactly what the native `flit build` prints, for every error fixture", () => {
    forEvery(fixtureNames("errors").filter((name) => !(name in NEEDS_PYTHON)), (name) => {
      const project = copyFixture("errors", name);
      const native = nativeBuild(project);
      assert.equal(native.status, 1, native.stderr);
      assert.throws(() => projectFromDirectory(flit, project).build({ sourceDateEpoch: EPOCH }), (error) => {
        assert.ok(error instanceof Error);
        assert.deepEqual(error.diagnostics.map(headline), parseNativeDiagnostics(native.stderr).map(headline));
        return true;
      });
    });
  });

  test("a clean project has no problems; a missing configuration is one", () => {
    const project = new flit.Project();
    assert.equal(project.check()[0].code, "config-not-found");
    project.addFile("pyproject.toml", `${BUILD_SYSTEM}[project]\nname = "tiny"\nversion = "1.0"\ndescription = "x"\n`);
    project.addFile("tiny.py", "");
    assert.deepEqual(project.check(), []);
    assert.equal(project.entryCount, 2);
    project.free();
  });
});

describe("Project builds", () => {
  test("every build fixture gives the native build's bytes, lists and METADATA", () => {
    forEvery(fixtureNames("build"), (name) => {
      const options = buildFixtureOptions(name);
      const project = copyFixture("build", name, options.createFiles, options.generateFiles);
      const native = nativeBuild(project, { config: options.config, env: options.env });
      assert.equal(native.status, 0, native.stderr);
      const web = projectFromDirectory(flit, project);
      if (options.needsPython) {
        // Natively flit imports the module; here that is an error that says so.
        assert.throws(() => web.build(fixtureOptions(options)), (error) =>
          error.diagnostics.some((problem) => problem.code === "dynamic-needs-python"));
        return;
      }
      const built = web.build(fixtureOptions(options));
      assert.deepEqual(Object.keys(native.archives).sort(), [built.sdist.filename, built.wheel.filename].sort());
      assert.ok(built.wheel.bytes instanceof Uint8Array);
      assert.ok(Buffer.from(built.wheel.bytes).equals(native.archives[built.wheel.filename]), "the wheels differ");
      assert.ok(Buffer.from(built.sdist.bytes).equals(native.archives[built.sdist.filename]), "the sdists differ");

      // The warnings are the ones the native build prints, those fixtures.toml names among them,
      // and check() gives them as `flit check --format json` does.
      assert.deepEqual(built.warnings.map(headline), parseNativeDiagnostics(native.stderr).map(headline));
      for (const code of options.warnings) assert.ok(built.warnings.some((problem) => problem.code === code), code);
      const checked = nativeCheck(project, { config: options.config, env: options.env });
      assert.equal(checked.status, 0);
      assert.deepEqual(web.check(fixtureOptions(options)), checked.records);

      const metadata = web.metadata(fixtureOptions(options));
      assert.equal(metadata.wheel.filename, built.wheel.filename);
      assert.equal(metadata.sdist.filename, built.sdist.filename);
      const zip = readZip(built.wheel.bytes);
      assert.deepEqual(metadata.wheel.files, zip.map((member) => member.name));
      assert.deepEqual(metadata.sdist.files, readTarGz(built.sdist.bytes));
      const metadataMember = zip.find((member) => member.name.endsWith(".dist-info/METADATA"));
      assert.equal(metadata.metadata, metadataMember.read().toString("utf8"));
      assert.ok(metadata.wheel.filename.startsWith(`${metadata.name.replace(/[-_.]+/g, "_").toLowerCase()}-`)
        || metadata.wheel.filename.toLowerCase().startsWith(metadata.name.replace(/[-_.]+/g, "_").toLowerCase()));
      web.free();
    });
  });

  test("buildWheel and buildSdist hand out the archives of one full build", () => {
    const options = buildFixtureOptions("package-with-data");
    const project = copyFixture("build", "package-with-data");
    const web = projectFromDirectory(flit, project);
    const built = web.build(fixtureOptions(options));
    const wheel = web.buildWheel(fixtureOptions(options));
    const sdist = web.buildSdist(fixtureOptions(options));
    assert.equal(wheel.filename, built.wheel.filename);
    assert.deepEqual(wheel.bytes, built.wheel.bytes);
    assert.equal(sdist.filename, built.sdist.filename);
    assert.deepEqual(sdist.bytes, built.sdist.bytes);
    web.free();
  });

  for (const [title, epoch, nativeEpoch] of [
    ["without sourceDateEpoch, as natively without SOURCE_DATE_EPOCH", undefined, null],
    ["with an epoch before 1980", 315000000, 315000000],
    ["with the epoch as a string, as the environment holds it", "1700000000", 1700000000],
    ["with the epoch as a BigInt", 1700000000n, 1700000000],
  ]) {
    test(`the bytes are the native build's ${title}`, () => {
      for (const name of ["executable-file", "non-ascii-names", "symlink-in-tree"]) {
        const project = copyFixture("build", name);
        const native = nativeBuild(project, { epoch: nativeEpoch });
        const built = projectFromDirectory(flit, project).build({ sourceDateEpoch: epoch });
        for (const archive of [built.wheel, built.sdist]) {
          assert.ok(Buffer.from(archive.bytes).equals(native.archives[archive.filename]), `${name}: ${archive.filename}`);
        }
      }
    });
  }

  test("executable bits and symlinks reach the archives", () => {
    const executable = projectFromDirectory(flit, copyFixture("build", "executable-file")).build({ sourceDateEpoch: EPOCH });
    const modes = Object.fromEntries(readZip(executable.wheel.bytes).map((member) => [member.name, member.mode & 0o777]));
    assert.equal(modes["runner/bin/launch.sh"], 0o755);
    assert.equal(modes["runner/plain.txt"], 0o644);
  });
});

describe("errors", () => {
  test("paths outside the project throw an Error carrying the diagnostic", () => {
    const project = new flit.Project();
    for (const bad of ["/etc/passwd", "../outside.py", "pkg/../../outside.py", "", ".", "a\u0000b", "C:/x", "\\\\server\\share"]) {
      assert.throws(() => project.addFile(bad, new Uint8Array()), (error) => {
        assert.ok(error instanceof Error);
        assert.equal(error.name, "FlitError");
        assert.equal(error.diagnostics.length, 1);
        assert.equal(error.diagnostics[0].code, "invalid-path");
        assert.equal(error.diagnostics[0].line, null);
        assert.match(error.message, /invalid-path/);
        return true;
      }, JSON.stringify(bad));
    }
    assert.equal(project.entryCount, 0);
    assert.throws(() => project.addSymlink("../link", "x"), /invalid-path/);
    project.free();
  });

  test("building a broken project throws every problem", () => {
    const project = new flit.Project();
    project.addFile("pyproject.toml", `${BUILD_SYSTEM}[project]\nname = "bad name"\nversion = "one"\ndescription = "x"\n`);
    for (const call of [() => project.build(), () => project.buildWheel(), () => project.buildSdist(), () => project.metadata()]) {
      assert.throws(call, (error) => {
        assert.ok(error instanceof Error);
        assert.deepEqual(error.diagnostics.map((problem) => problem.code), ["invalid-name", "invalid-version"]);
        assert.match(error.message, /^2 errors:\npyproject.toml:6:8: error\[invalid-name\]/);
        return true;
      });
    }
    project.free();
  });

  test("unusable options throw, naming the option", () => {
    const project = new flit.Project();
    for (const epoch of [-1, 1.5, "soon", "-5", Number.NaN, 2 ** 60]) {
      assert.throws(() => project.check({ sourceDateEpoch: epoch }), (error) => {
        assert.equal(error.diagnostics[0].code, "invalid-argument");
        assert.match(error.message, /sourceDateEpoch/);
        return true;
      }, String(epoch));
    }
    assert.throws(() => flit.validate("", { allowInvalid: "yes" }), /invalid-argument/);
    assert.throws(() => project.addFile("a.py", 42), /invalid-argument/);
    assert.equal(project.check({ configFile: "../pyproject.toml" })[0].code, "invalid-path");
    project.free();
  });

  test("file contents may be any typed array, an ArrayBuffer or a string", () => {
    const text = '[project]\nname = "tiny"\nversion = "1.0"\ndescription = "x"\n';
    const bytes = new TextEncoder().encode(text);
    const forms = [text, bytes, bytes.buffer, Buffer.from(text), new DataView(bytes.buffer)];
    const archives = [];
    for (const form of forms) {
      const project = new flit.Project();
      project.addFile("pyproject.toml", form);
      project.addFile("tiny.py", "");
      archives.push(Buffer.from(project.buildSdist().bytes).toString("hex"));
      project.free();
    }
    assert.equal(new Set(archives).size, 1);
  });

  test("random paths and contents never crash the module", () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const pieces = ["a", "pkg", "..", ".", "", "/", "\\", "é", "__init__.py", "pyproject.toml", "C:", "\u0000", "~", "*"];
    for (let round = 0; round < 200; round += 1) {
      const project = new flit.Project();
      project.addFile("pyproject.toml", '[project]\nname = "pkg"\ndynamic = ["version", "description"]\n');
      for (let file = 0; file < 8; file += 1) {
        const parts = Array.from({ length: 1 + Math.floor(random() * 4) }, () => pieces[Math.floor(random() * pieces.length)]);
        const bytes = Uint8Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256));
        try {
          if (random() < 0.2) project.addSymlink(parts.join("/"), parts.reverse().join("/"));
          else project.addFile(parts.join("/"), bytes, random() < 0.5);
        } catch (error) {
          assert.equal(error.diagnostics[0].code, "invalid-path");
        }
      }
      assert.ok(Array.isArray(project.check()));
      try {
        project.build();
      } catch (error) {
        assert.ok(error.diagnostics.some((problem) => problem.severity === "error"), error.message);
      }
      project.free();
    }
  });
});

describe("the package", () => {
  test("package.json is ready for npm", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8"));
    assert.equal(manifest.name, "flit-web");
    assert.equal(manifest.version, flit.version());
    assert.equal(manifest.type, "module");
    for (const file of manifest.files) assert.ok(fs.existsSync(path.join(pkgDir, file)), file);
    assert.equal(manifest.types, "flit_web.d.ts");
  });

  test("the TypeScript declarations describe the API", () => {
    const declarations = fs.readFileSync(path.join(pkgDir, "flit_web.d.ts"), "utf8");
    for (const expected of [
      "export function validate(pyprojectText: string, options?: Options): Diagnostic[];",
      "addFile(path: string, bytes: Uint8Array | ArrayBuffer | string, executable?: boolean | null): void;",
      "check(options?: Options): Diagnostic[];",
      "metadata(options?: Options): Metadata;",
      "buildWheel(options?: Options): Archive;",
      "buildSdist(options?: Options): Archive;",
      "export interface Diagnostic {",
      "endColumn: number | null;",
      "export function initSync(",
    ]) {
      assert.ok(declarations.includes(expected), `flit_web.d.ts lacks ${expected}`);
    }
  });
});
