// The page in a real browser: Debian's Chromium, driven by playwright-core,
// headless, with the page served from localhost by a server written here.
//
//   node --test web/tests/browser.test.mjs     (after web/build.sh)
//
// Types a broken pyproject.toml and checks the problems at their lines,
// fixes it, loads fixture projects through the folder input, downloads the
// wheel and the sdist and compares their bytes with the native build. Saves a
// screenshot of each state, and the validation time, under
// web/tests/output/ (or $FLIT_WEB_ARTIFACTS).
//
// FLIT_CHROMIUM overrides /usr/bin/chromium; FLIT_BIN names the native flit.

import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import zlib from "node:zlib";

import { chromium } from "playwright-core";

import {
  EPOCH, artifactsDir, copyFixture, loadPackage, nativeBuild, pkgDir, projectEntries, projectFromDirectory, repoRoot,
  tempDir, webDir,
} from "./support.mjs";

const CHROMIUM = process.env.FLIT_CHROMIUM ?? "/usr/bin/chromium";
const CHROMIUM_FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];
const shots = path.join(artifactsDir, "browser");

const BROKEN = `[build-system]
requires = ["flit_core >=3.11,<5"]
build-backend = "flit_core.buildapi"

[project]
name = "bad name"
version = "1.0"
description = "A broken example"
license = "GPL-3.0"
`;

const flit = await loadPackage();

/** A static file server for web/, on a free loopback port. */
function serve(root) {
  const types = {
    ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".wasm": "application/wasm", ".json": "application/json", ".ts": "text/plain; charset=utf-8",
  };
  const server = http.createServer((request, response) => {
    let relative;
    try {
      relative = decodeURIComponent(new URL(request.url, "http://localhost").pathname);
    } catch {
      response.writeHead(400).end();
      return;
    }
    if (relative.endsWith("/")) relative += "index.html";
    const file = path.resolve(root, `.${relative}`);
    if (!file.startsWith(root + path.sep) || request.method !== "GET") {
      response.writeHead(404).end();
      return;
    }
    fs.readFile(file, (error, data) => {
      if (error) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { "content-type": types[path.extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
      response.end(data);
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

describe("the page in Chromium", () => {
  let server;
  let context;
  let page;
  let origin;
  const outsideRequests = [];
  const pageErrors = [];
  const choosers = [];

  const screenshot = (name, options = {}) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true, ...options });

  /** What the page shows for the editor: problems in the list, marked lines. */
  const editorState = () => page.evaluate(() => ({
    summary: document.getElementById("problem-summary").textContent,
    listed: [...document.querySelectorAll("#problem-list > li")].map((item) => ({
      code: item.dataset.code, line: item.dataset.line ? Number(item.dataset.line) : null,
      text: item.textContent,
    })),
    gutter: [...document.querySelectorAll("#gutter .has-error, #gutter .has-warning")].map((node) => Number(node.dataset.line)),
    marked: [...document.querySelectorAll("#mirror .line.has-error, #mirror .line.has-warning")].map((node) => ({
      line: Number(node.dataset.line), lens: node.querySelector(".lens")?.textContent ?? "",
      underlined: [...node.querySelectorAll("mark")].map((mark) => mark.textContent).join(""),
    })),
    invalid: document.getElementById("editor").getAttribute("aria-invalid"),
  }));

  before(async () => {
    assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium (tests/run.sh does)`);
    assert.ok(fs.existsSync(path.join(pkgDir, "flit_web_bg.wasm")), "build the package first: web/build.sh");
    fs.mkdirSync(shots, { recursive: true });
    server = await serve(webDir);
    origin = `http://127.0.0.1:${server.address().port}`;
    context = await chromium.launchPersistentContext(tempDir("flit-web-chromium-"), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      acceptDownloads: true,
      viewport: { width: 1100, height: 900 },
    });
    // Offline: anything not from our server is refused, and recorded.
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(`${origin}/`) || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
      outsideRequests.push(url);
      return route.abort();
    });
    page = context.pages()[0] ?? await context.newPage();
    // Listening from the start intercepts every file chooser the page opens.
    page.on("filechooser", (chooser) => choosers.push(chooser));
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("console", (message) => { if (message.type() === "error") pageErrors.push(message.text()); });
  });

  after(async () => {
    await context?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
  });

  test("loads from localhost alone and says it is ready", async () => {
    const started = Date.now();
    await page.goto(`${origin}/`);
    await page.waitForSelector('html[data-ready="true"]', { timeout: 30_000 });
    const loadMs = Date.now() - started;
    assert.match(await page.textContent("#status"), /Ready/);
    assert.match(await page.textContent("#version"), new RegExp(flit.version().replace(/\./g, "\\.")));
    await screenshot("01-loaded");
    assert.deepEqual(outsideRequests, []);
    fs.writeFileSync(path.join(shots, "load.json"), JSON.stringify({ loadMs }, null, 2));
  });

  test("typing a broken pyproject.toml shows each problem at its line", async () => {
    await page.click("#clear-editor");
    await page.locator("#editor").pressSequentially(BROKEN);
    await page.waitForFunction(() => document.getElementById("problem-summary").textContent.startsWith("2 errors"));
    const state = await editorState();
    // The same problems the package finds, at the same places.
    const expected = flit.validate(BROKEN);
    assert.deepEqual(expected.map((problem) => [problem.code, problem.line]), [["invalid-name", 6], ["license-expression", 9]]);
    assert.deepEqual(state.listed.map(({ code, line }) => ({ code, line })), expected.map(({ code, line }) => ({ code, line })));
    for (const [index, problem] of expected.entries()) {
      assert.ok(state.listed[index].text.includes(`line ${problem.line}, column ${problem.column}`), state.listed[index].text);
      assert.ok(state.listed[index].text.includes(problem.message.replace(/`/g, "")), state.listed[index].text);
      assert.ok(state.listed[index].text.includes(problem.help.replace(/`/g, "")), state.listed[index].text);
    }
    assert.deepEqual(state.gutter, [6, 9]);
    assert.deepEqual(state.marked.map((mark) => mark.line), [6, 9]);
    assert.match(state.marked[0].lens, /^invalid-name: `bad name` is not a valid project name/);
    assert.equal(state.marked[0].underlined, '"bad name"');
    assert.equal(state.marked[1].underlined, "GPL-3.0");
    assert.equal(state.invalid, "true");
    assert.equal(await page.textContent("#problem-summary"), "2 errors and 0 warnings.");

    // With the caret on line 9, its message and help appear under it.
    await page.keyboard.press("Control+Home");
    for (let line = 1; line < 9; line += 1) await page.keyboard.press("ArrowDown");
    await page.waitForSelector("#callout:not([hidden])");
    assert.equal(await page.getAttribute("#callout", "data-line"), "9");
    const callout = await page.textContent("#callout");
    assert.ok(callout.includes("error[license-expression]") && callout.includes("help:"), callout);
    await screenshot("02-broken");
  });

  test("fixing it makes the problems go", async () => {
    // Each problem's place is a button that selects its span in the editor.
    await page.click('#problem-list li[data-code="invalid-name"] button.place');
    await page.keyboard.type('"good-name"');
    await page.waitForFunction(() => document.getElementById("problem-summary").textContent.startsWith("1 error"));
    await page.click('#problem-list li[data-code="license-expression"] button.place');
    await page.keyboard.type("GPL-3.0-only");
    await page.waitForFunction(() => document.getElementById("problem-summary").textContent === "No problems found.");
    const state = await editorState();
    assert.deepEqual(state.listed, []);
    assert.deepEqual(state.gutter, []);
    assert.deepEqual(state.marked, []);
    assert.equal(state.invalid, "false");
    const text = await page.inputValue("#editor");
    assert.equal(text, BROKEN.replace('"bad name"', '"good-name"').replace("GPL-3.0", "GPL-3.0-only"));
    assert.deepEqual(flit.validate(text), []);
    await screenshot("03-fixed");
  });

  /** Loads a fixture folder through the input, downloads both archives, compares with native. */
  async function buildThroughThePage(name, { executables = [], shot }) {
    const project = copyFixture("build", name);
    const native = nativeBuild(project);
    assert.equal(native.status, 0, native.stderr);
    if (!(await page.$eval("#options", (details) => details.open))) await page.click("#options summary");
    await page.fill("#epoch", String(EPOCH));
    await page.fill("#executables", executables.join("\n"));
    await page.setInputFiles("#folder", project);
    await page.waitForSelector('#project-output[data-state="built"]', { timeout: 30_000 });

    const expected = projectFromDirectory(flit, project).metadata({ sourceDateEpoch: EPOCH });
    assert.equal(await page.textContent(".project-name"), `${expected.name} ${expected.version}`);
    const listed = (id) => page.$$eval(`#${id} li`, (items) => items.map((item) => item.textContent));
    assert.deepEqual(await listed("wheel-files"), expected.wheel.files);
    assert.deepEqual(await listed("sdist-files"), expected.sdist.files);

    for (const kind of ["wheel", "sdist"]) {
      const [download] = await Promise.all([page.waitForEvent("download"), page.click(`#download-${kind}`)]);
      const filename = download.suggestedFilename();
      assert.equal(filename, expected[kind].filename);
      const bytes = fs.readFileSync(await download.path());
      assert.ok(native.archives[filename], `the native build wrote no ${filename}`);
      assert.ok(bytes.equals(native.archives[filename]), `${name}: the downloaded ${filename} differs from the native build`);
    }
    await screenshot(shot);
  }

  test("a project folder: metadata, file lists, and downloads identical to the native build", async () => {
    await buildThroughThePage("package-with-data", { shot: "04-project" });
    // Executable bits, which browsers cannot see, come from the options.
    await buildThroughThePage("executable-file", {
      executables: ["runner/__main__.py", "runner/bin/launch.sh"], shot: "05-project-executables",
    });
    await buildThroughThePage("non-ascii-names", { shot: "06-project-non-ascii" });
  });

  test("a dropped folder is read like a chosen one, without its .git", async () => {
    // Chromium cannot be made to drop a real folder from a script: the drop
    // event gets the same FileSystemEntry interface, backed by the fixture.
    const project = copyFixture("build", "package-with-data");
    const native = nativeBuild(project);
    const files = projectEntries(project).map(({ path: relative, bytes }) => ({ relative, base64: bytes.toString("base64") }));
    files.push({ relative: ".git/config", base64: Buffer.from("[core]\n").toString("base64") });
    await page.fill("#epoch", String(EPOCH));
    await page.fill("#executables", "");
    await page.evaluate((listed) => {
      const directory = (name) => {
        const children = new Map();
        return {
          name, isDirectory: true, isFile: false, children,
          // Entries come in batches, as browsers give them.
          createReader() {
            const pending = [...children.values()];
            return { readEntries(resolve) { setTimeout(() => resolve(pending.splice(0, 3))); } };
          },
        };
      };
      const root = directory("package-with-data");
      for (const { relative, base64 } of listed) {
        const parts = relative.split("/");
        let parent = root;
        for (const part of parts.slice(0, -1)) {
          if (!parent.children.has(part)) parent.children.set(part, directory(part));
          parent = parent.children.get(part);
        }
        const name = parts[parts.length - 1];
        const bytes = Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
        parent.children.set(name, {
          name, isDirectory: false, isFile: true,
          file(resolve) { setTimeout(() => resolve(new File([bytes], name))); },
        });
      }
      const drop = new Event("drop", { bubbles: true, cancelable: true });
      Object.defineProperty(drop, "dataTransfer", { value: { items: [{ webkitGetAsEntry: () => root }] } });
      document.getElementById("drop-zone").dispatchEvent(drop);
    }, files);
    await page.waitForFunction(() => document.getElementById("project-output").dataset.state === "built");
    const expected = projectFromDirectory(flit, project).metadata({ sourceDateEpoch: EPOCH });
    assert.deepEqual(await page.$$eval("#wheel-files li", (items) => items.map((item) => item.textContent)), expected.wheel.files);
    assert.match(await page.textContent("#project-output"), /Folder “package-with-data”: \d+ files read, 1 in version-control or environment folders skipped/);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download-sdist")]);
    assert.ok(fs.readFileSync(await download.path()).equals(native.archives[download.suggestedFilename()]));
  });

  test("a broken project shows its problems instead of downloads", async () => {
    const project = copyFixture("errors", "module-not-found");
    await page.setInputFiles("#folder", project);
    await page.waitForSelector('#project-output[data-state="failed"]');
    const codes = await page.$$eval("#project-problems li", (items) => items.map((item) => item.dataset.code));
    const expected = projectFromDirectory(flit, project).check().map((problem) => problem.code);
    assert.deepEqual(codes, expected);
    assert.equal(await page.$("#download-wheel"), null);
    await screenshot("07-project-errors");

    // One level too high: the page says where the configuration is.
    await page.setInputFiles("#folder", path.dirname(project));
    await page.waitForSelector('#project-output[data-state="failed"]');
    assert.match(await page.textContent("#project-output"), /no pyproject\.toml at its top, but project\/pyproject\.toml/);
    assert.equal(await page.$eval("#project-problems li", (item) => item.dataset.code), "config-not-found");
  });

  test("every control is labelled and reachable with the keyboard", async () => {
    await page.click("#example-valid");
    const unnamed = await page.evaluate(() => [...document.querySelectorAll("button, input, textarea, select, a[href], summary")]
      .filter((control) => {
        const labelled = control.getAttribute("aria-label")
          || (control.labels && [...control.labels].map((label) => label.textContent.trim()).join(""))
          || (control.getAttribute("aria-labelledby") && document.getElementById(control.getAttribute("aria-labelledby"))?.textContent.trim())
          || control.textContent.trim();
        return !labelled;
      })
      .map((control) => control.outerHTML.slice(0, 80)));
    assert.deepEqual(unnamed, []);
    for (const label of ["pyproject.toml", "SOURCE_DATE_EPOCH", "Configuration file", "Executable files"]) {
      assert.equal(await page.getByLabel(label, { exact: false }).count() >= 1, true, label);
    }
    assert.equal(await page.getByRole("button", { name: "Choose a project folder…" }).count(), 1);
    assert.equal(await page.getAttribute("#problem-summary", "aria-live"), "polite");

    // Tab from the top reaches the editor, leaves it, and reaches the folder button.
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    const reached = [];
    for (let press = 0; press < 40; press += 1) {
      await page.keyboard.press("Tab");
      const focused = await page.evaluate(() => {
        const active = document.activeElement;
        const style = getComputedStyle(active);
        const frame = active.id === "editor" ? getComputedStyle(document.getElementById("editor-frame")) : style;
        return { id: active.id || active.tagName.toLowerCase(), outline: frame.outlineStyle };
      });
      reached.push(focused.id);
      assert.notEqual(focused.outline, "none", `${focused.id} has no visible focus`);
      if (focused.id === "choose-folder") break;
    }
    assert.equal(reached[0], "a", "the first stop is the skip link");
    for (const id of ["example-valid", "editor", "choose-folder"]) assert.ok(reached.includes(id), `${id} not reached: ${reached}`);
    assert.ok(reached.indexOf("editor") < reached.indexOf("choose-folder"), "Tab did not leave the editor");
    // The folder button opens the file chooser from the keyboard.
    const before = choosers.length;
    await page.keyboard.press("Enter");
    for (let wait = 0; wait < 100 && choosers.length === before; wait += 1) await page.waitForTimeout(50);
    assert.equal(choosers.length, before + 1, "Enter on the folder button opened no file chooser");
    assert.equal(choosers[before].isMultiple(), true);
  });

  test("is readable on a phone-sized screen", async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.click("#clear-editor");
    await page.locator("#editor").pressSequentially(BROKEN);
    await page.waitForFunction(() => document.getElementById("problem-summary").textContent.startsWith("2 errors"));
    const layout = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      editor: document.getElementById("editor").getBoundingClientRect().width,
      fontSize: parseFloat(getComputedStyle(document.getElementById("editor")).fontSize),
      bodyFontSize: parseFloat(getComputedStyle(document.body).fontSize),
    }));
    assert.ok(layout.scrollWidth <= 360, `the page scrolls sideways at 360 px (${layout.scrollWidth})`);
    assert.ok(layout.editor >= 250, `the editor is too narrow (${layout.editor})`);
    assert.ok(layout.fontSize >= 12 && layout.bodyFontSize >= 14, JSON.stringify(layout));
    await screenshot("08-phone");
    await page.setViewportSize({ width: 1100, height: 900 });
  });

  test("validates a typical pyproject.toml quickly (measured)", async () => {
    const text = fs.readFileSync(path.join(repoRoot, "examples/greeting/pyproject.toml"), "utf8");
    const measured = await page.evaluate(async (source) => {
      const { validate } = await import("./pkg/flit_web.js");
      for (let warm = 0; warm < 50; warm += 1) validate(source);
      // Timers are coarse in browsers (0.1 ms): time 200 batches of 25 calls.
      const perCall = [];
      for (let batch = 0; batch < 200; batch += 1) {
        const start = performance.now();
        for (let call = 0; call < 25; call += 1) validate(source);
        perCall.push((performance.now() - start) / 25);
      }
      perCall.sort((a, b) => a - b);
      return { medianMs: perCall[100], p10Ms: perCall[20], p90Ms: perCall[180], problems: validate(source).length };
    }, text);
    assert.equal(measured.problems, 0);
    const wasm = fs.readFileSync(path.join(pkgDir, "flit_web_bg.wasm"));
    const result = {
      browser: (await page.evaluate(() => navigator.userAgent)).match(/Chrome\/[\d.]+/)?.[0] ?? "Chromium",
      input: "examples/greeting/pyproject.toml",
      calls: 5000,
      validateMedianMs: Number(measured.medianMs.toFixed(3)),
      validateP10Ms: Number(measured.p10Ms.toFixed(3)),
      validateP90Ms: Number(measured.p90Ms.toFixed(3)),
      wasmBytes: wasm.length,
      wasmGzipBytes: zlib.gzipSync(wasm, { level: 9 }).length,
      gzip: "Node zlib, level 9",
    };
    fs.writeFileSync(path.join(artifactsDir, "measurements.json"), `${JSON.stringify(result, null, 2)}\n`);
    console.log(`measurements: ${JSON.stringify(result)}`);
    assert.ok(measured.medianMs < 50, `validation took ${measured.medianMs} ms`);
  });

  test("made no request outside localhost and raised no errors", () => {
    assert.deepEqual(outsideRequests, []);
    assert.deepEqual(pageErrors, []);
  });
});
