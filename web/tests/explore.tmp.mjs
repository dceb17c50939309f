import * as S from './support.mjs';
const flit = await S.loadPackage();
const kind = process.argv[2] || 'errors';
let bad = 0;
for (const name of S.fixtureNames(kind)) {
  if (kind === 'errors') {
    const project = S.copyFixture('errors', name);
    const native = S.nativeBuild(project, {env: {FLIT_PYTHON: '/nonexistent'}});
    const want = S.parseNativeDiagnostics(native.stderr).map(d => S.headline(d));
    const p = S.projectFromDirectory(flit, project);
    const got = p.check({sourceDateEpoch: S.EPOCH}).map(S.headline);
    const exp = S.errorFixtureExpectation(name);
    const same = JSON.stringify(want) === JSON.stringify(got);
    const text = (await import('node:fs')).readFileSync(project + '/pyproject.toml', 'utf8');
    const v = flit.validate(text).map(S.headline);
    const subset = v.every(h => got.includes(h));
    if (!same || !subset || native.status !== 1) { bad++; console.log('==', name, native.status, 'same', same, 'subset', subset); console.log(' native:', want); console.log(' web:   ', got); console.log(' validate:', v); }
  } else {
    const o = S.buildFixtureOptions(name);
    const project = S.copyFixture('build', name, o.createFiles);
    const native = S.nativeBuild(project, {config: o.config, env: o.env});
    const p = S.projectFromDirectory(flit, project);
    let built;
    try { built = p.build({sourceDateEpoch: S.EPOCH, configFile: o.config, allowInvalid: !!o.env.FLIT_ALLOW_INVALID}); } catch (e) { console.log(name, 'web failed', e.message); bad++; continue; }
    const ok = native.archives[built.wheel.filename]?.equals(Buffer.from(built.wheel.bytes)) && native.archives[built.sdist.filename]?.equals(Buffer.from(built.sdist.bytes));
    if (!ok || native.status !== 0) { bad++; console.log(name, native.status, Object.keys(native.archives), built.wheel.filename, native.stderr); }
  }
}
console.log('bad', bad);
