// The conformance suite (IEC 62443-4-2): its catalogue against the scope
// list, its check registry, its verdicts on the release build, report.json
// against its schema, the accept file, and the CLI with its exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogueItems, REQUIREMENTS } from '../../dist/conformance/catalogue/index.js';
import { CHECKS } from '../../dist/conformance/checks/index.js';
import { PARTS } from '../../dist/conformance/parts.js';
import { runSuite, seededRng } from '../../dist/conformance/run.js';
import { CLI, lockoutOffProfile, readJson, releaseRun, tempDir, validator } from './_conformance.js';
import { ROOT } from './_helpers.js';

// The scope list the catalogue was taken from, kept with the test vectors (tests/vectors/iec62443-4-2/README.md).
const SCOPE_PATH = `${ROOT}tests/vectors/iec62443-4-2/requirements.json`;
const SCOPE = JSON.parse(readFileSync(SCOPE_PATH, 'utf8'));
// Checks that fail on the release build, each a finding the suite reports (README "Conformance").
const KNOWN_FAILING = new Set([]);
const cli = (args, opts = {}) => spawnSync(process.execPath, [CLI, 'conformance', ...args], { encoding: 'utf8', cwd: ROOT, timeout: 300_000, ...opts });

test('the catalogue holds every in-scope CR and RE with its FR, SL and scope, and no text of the standard', () => {
  const want = [];
  for (const r of SCOPE.requirements) {
    want.push({ id: r.id, fr: r.fr, sl: r.sl, scope: r.scope });
    for (const e of r.enhancements) want.push({ id: `${r.id} ${e.id}`, fr: r.fr, sl: e.sl, scope: e.scope ?? r.scope });
  }
  const got = catalogueItems().map((i) => ({ id: i.id, fr: i.fr, sl: i.sl, scope: i.scope }));
  assert.deepEqual(got, want);
  const texts = new Set(SCOPE.requirements.flatMap((r) => [r.text, ...r.enhancements.map((e) => e.text)]));
  for (const r of REQUIREMENTS) {
    assert.ok(!('text' in r), `${r.id} carries no text`);
    assert.ok(!texts.has(r.title), `${r.id}: title is not a requirement text`);
  }
  for (const i of catalogueItems()) {
    if (i.scope === 'integrator') assert.ok(i.vendorEvidence, `${i.id}: integrator item names what the vendor must supply`);
    for (const t of i.shownBy) assert.ok(existsSync(`${ROOT}${t}`), `${i.id}: ${t} exists`);
  }
});

test('the check registry: unique ids, known requirements, and every item of a built part shown by a capability check', () => {
  const ids = new Set(catalogueItems().map((i) => i.id));
  const seen = new Set();
  for (const c of CHECKS) {
    assert.ok(!seen.has(c.id), `check id ${c.id} is unique`);
    seen.add(c.id);
    assert.match(c.id, /^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
    assert.ok(c.requirements.length > 0 && c.remedy && c.title, c.id);
    for (const r of c.requirements) assert.ok(ids.has(r), `${c.id} names ${r}, which is in the catalogue`);
    if (c.kind === 'capability') assert.ok(c.part && PARTS[c.part], `${c.id} names its part`);
  }
  for (const i of catalogueItems().filter((x) => ['core', 'selftest', 'firmware', 'state'].includes(x.part))) {
    assert.ok(CHECKS.some((c) => c.kind === 'capability' && c.requirements.includes(i.id)), `${i.id} has a capability check`);
  }
});

test('seeded randomness is deterministic and differs by seed', () => {
  assert.deepEqual(seededRng('a').bytes(100), seededRng('a').bytes(100));
  assert.notDeepEqual(seededRng('a').bytes(32), seededRng('b').bytes(32));
});

test('release build: every check passes, every applicable module and host item passes, integrator items never pass', async () => {
  const { report } = await releaseRun();
  for (const c of report.checks) assert.equal(c.result, KNOWN_FAILING.has(c.id) ? 'fail' : 'pass', `${c.id}: ${c.summary}`);
  const byId = new Map(report.items.map((i) => [i.id, i]));
  for (const id of ['CR 3.3', 'CR 3.4', 'CR 3.4 RE1', 'CR 3.5', 'CR 3.6', 'CR 3.7', 'EDR 3.10', 'EDR 3.10 RE1', 'EDR 3.12', 'EDR 3.13',
    'EDR 3.14', 'EDR 3.14 RE1', 'CR 4.2', 'CR 4.3', 'CR 1.9', 'CR 7.3', 'CR 7.3 RE1', 'CR 7.4', 'CR 7.7', 'CR 7.8',
    'CR 1.1', 'CR 1.1 RE1', 'CR 1.2', 'CR 1.3', 'CR 1.4', 'CR 1.7', 'CR 1.10', 'CR 1.11', 'CR 2.1', 'CR 2.1 RE1', 'CR 2.1 RE2', 'CR 2.5',
    'CR 2.6', 'CR 3.8', 'CR 7.1', 'CR 7.1 RE1', 'CR 7.2',
    'CR 2.8', 'CR 2.9', 'CR 2.10', 'CR 2.11', 'CR 2.11 RE1', 'CR 2.12', 'CR 3.9', 'CR 6.1', 'CR 6.2', 'CR 1.5', 'CR 1.14',
    'CR 3.1', 'CR 3.1 RE1', 'CR 4.1', 'CR 7.6', 'CR 1.8']) {
    assert.equal(byId.get(id).verdict, 'pass', `${id}: ${byId.get(id).reason}`);
  }
  // Access-control items above SL 2 are shown too (SL-C), though not applicable at SL-T 2.
  for (const id of ['CR 1.1 RE2', 'CR 1.2 RE1', 'CR 1.7 RE1', 'CR 1.7 RE2', 'CR 2.7']) assert.equal(byId.get(id).capabilityMet, true, id);
  // Every part is built: no applicable item is "not implemented", and every one a module or host shows passes.
  for (const i of report.items.filter((x) => x.applicable && x.scope !== 'integrator')) assert.equal(i.verdict, 'pass', `${i.id}: ${i.reason}`);
  // CR 1.8 is shown by the gateway's PKI: a capability check and a profile check.
  assert.deepEqual(report.checks.filter((c) => c.requirements.includes('CR 1.8')).map((c) => c.id).sort(), ['gateway.pki', 'profile.gateway-pki']);
  // The machine-readable configuration report (SL 3) is shown too.
  assert.equal(byId.get('CR 7.6 RE1').capabilityMet, true);
  assert.equal(byId.get('EDR 3.11').verdict, 'needs-integrator-evidence');
  assert.equal(byId.get('CR 3.4 RE2').verdict, 'not-applicable', 'SL 3 item at SL-T 2');
  assert.equal(byId.get('CR 3.4 RE2').capabilityMet, true, 'but its capability is shown');
  for (const i of report.items.filter((x) => x.scope === 'integrator')) assert.notEqual(i.verdict, 'pass', i.id);
  assert.equal(report.summary.met, false, 'SL-T 2 is not met until the vendor supplies the integrator evidence (EDR 3.11) or accepts its gap');
  // The score is the share of applicable module/host items met, recomputed here.
  const scored = report.items.filter((i) => i.applicable && i.scope !== 'integrator');
  assert.equal(report.summary.score, scored.filter((i) => i.achievedMet).length / scored.length);
  const fr3 = report.frs.find((f) => f.fr === 'FR3');
  const fr3rows = scored.filter((i) => i.fr === 'FR3');
  assert.equal(fr3.score, fr3rows.filter((i) => i.achievedMet).length / fr3rows.length);
  assert.equal(report.frs.find((f) => f.fr === 'FR5').score, null, 'FR5 has no item in scope');
  assert.equal(byId.get('CR 3.3').slC, 4, 'CR 3.3 with RE1: SL-C 4');
  assert.equal(byId.get('CR 1.1').slC, 4, 'CR 1.1 with RE1 and RE2: SL-C 4');
  assert.equal(byId.get('CR 7.6').slC, 4, 'CR 7.6 with RE1: SL-C 4');
  // Every failing or integrator item is in the gap register, with what would close it.
  const gaps = new Map(report.gaps.map((g) => [g.id, g]));
  for (const i of report.items.filter((x) => !x.achievedMet || x.scope === 'integrator')) {
    assert.ok(gaps.has(i.id), `${i.id} in the gap register`);
    assert.ok(gaps.get(i.id).closes.length > 0);
  }
  assert.ok(!gaps.has('CR 1.8'), 'the gateway PKI shows CR 1.8');
  assert.ok(!gaps.has('CR 1.14'), 'the sealed state is encrypted: CR 1.14 is no gap');
  assert.equal(gaps.get('CR 2.1 RE3').severity, 'low', 'blocks SL 3 only');
  assert.equal(gaps.get('EDR 3.11').status, 'needs-integrator-evidence');
  // Measured figures are there.
  const sig = report.checks.find((c) => c.id === 'crypto.signature-vectors');
  assert.ok(sig.measured.cases > 800 && sig.measured.wrong === 0);
});

test('report.json matches its JSON Schema', async () => {
  const { report } = await releaseRun();
  const validate = validator(`${ROOT}conformance/schema/report.schema.json`);
  const json = JSON.parse(JSON.stringify(report));
  assert.ok(validate(json), JSON.stringify(validate.errors, null, 2));
  json.items[0].verdict = 'passed';
  assert.equal(validate(json), false, 'the schema refuses an unknown verdict');
});

test('SL-T 1: only SL 1 items apply', async () => {
  const { report } = await runSuite({ slTarget: 1, native: false });
  for (const i of report.items) assert.equal(i.applicable, i.sl <= 1, i.id);
  assert.equal(report.items.find((i) => i.id === 'EDR 3.12').verdict, 'not-applicable');
});

test('a module whose self-test fails fails every capability check', async () => {
  const dir = tempDir('conf-broken');
  const wasm = readFileSync(`${ROOT}build/iacsec.wasm`);
  const answer = Buffer.from('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', 'hex');
  const bad = Buffer.from(wasm); bad[bad.indexOf(answer) + 3] ^= 1;
  writeFileSync(join(dir, 'bad.wasm'), bad);
  const { report } = await runSuite({ modulePath: join(dir, 'bad.wasm'), native: false });
  const cap = report.checks.filter((c) => c.kind === 'capability');
  const passing = cap.filter((c) => c.result === 'pass').map((c) => c.id);
  // Only the checks that need no instance with a passed self-test still pass: the
  // refusal before the self-test, and the import allow-list.
  assert.deepEqual(passing, ['selftest.crypto-gated', 'least.imports']);
  assert.deepEqual(report.items.filter((i) => i.verdict === 'pass').map((i) => i.id), ['CR 3.6', 'CR 7.7']);
});

test('CLI: writes the report folder and exits 1 when SL-T is not met; the summary names it', () => {
  const dir = tempDir('conf-cli');
  const r = cli(['--out', dir, '--no-native']);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /SL-T 2\s+NOT MET/);
  assert.match(r.stdout, /FR3\s+System integrity/);
  assert.match(r.stdout, new RegExp(`report\\s+${dir}/report.html`));
  assert.doesNotMatch(r.stdout, /\x1b\[/, 'no colour when stdout is not a terminal');
  for (const f of ['report.json', 'report.md', 'report.html', 'oscal-assessment-results.json', 'oscal-poam.json', 'manifest.json',
    'evidence/fw.anti-rollback/log.txt', 'evidence/fw.anti-rollback/counter-4.cose']) {
    assert.ok(existsSync(join(dir, f)), f);
  }
  const md = readFileSync(join(dir, 'report.md'), 'utf8');
  assert.match(md, /\| EDR 3\.10 RE1 \| Update authenticity and integrity \| 2 \| module \| pass \|/);
  assert.match(md, /## Gap register/);
  const coloured = cli(['--out', dir, '--no-native'], { env: { ...process.env, FORCE_COLOR: '1' } });
  assert.match(coloured.stdout, /\x1b\[31m/, 'FORCE_COLOR gives colour');
});

test('CLI: --help exits 0; usage errors exit 2', () => {
  const help = cli(['--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /conformance verify DIR/);
  assert.equal(cli(['--sign-key', '/nonexistent.key']).status, 2);
  assert.equal(cli(['verify']).status, 2);
  assert.equal(cli(['--sl', '5']).status, 2);
  assert.equal(cli(['--bogus']).status, 2);
  assert.equal(cli(['--profile', '/nonexistent.json']).status, 2);
  const dir = tempDir('conf-usage');
  writeFileSync(join(dir, 'accept.json'), JSON.stringify({ accepted: [{ id: 'CR 9.9', justification: 'x', owner: 'y' }] }));
  assert.equal(cli(['--accept', join(dir, 'accept.json'), '--out', dir]).status, 2, 'unknown id');
  writeFileSync(join(dir, 'accept.json'), JSON.stringify({ accepted: [{ id: 'CR 1.1', owner: 'y' }] }));
  assert.equal(cli(['--accept', join(dir, 'accept.json'), '--out', dir]).status, 2, 'no justification');
  writeFileSync(join(dir, 'profile.json'), JSON.stringify({ profileVersion: 1, name: 'x', surprise: {} }));
  assert.equal(cli(['--profile', join(dir, 'profile.json'), '--out', dir]).status, 2, 'unknown profile section');
});

test('accepted gaps stay in the register marked so; accepting every applicable gap meets SL-T (exit 0)', async () => {
  const dir = tempDir('conf-accept');
  const profile = lockoutOffProfile(dir);
  const { report } = await runSuite({ native: false, profilePath: profile });
  const open = report.gaps.filter((g) => g.blocksSl <= 2);
  const accepted = open.map((g) => ({ id: g.id, justification: `compensated in the gateway design, see doc ${g.id}`, owner: 'product security officer', expires: '2027-06-30' }));
  // Accepting all but one gap leaves SL-T unmet.
  assert.ok(open.length >= 2, `${open.length} gaps at SL 2`);
  const part = accepted.slice(0, -1);
  writeFileSync(join(dir, 'accept.json'), JSON.stringify({ accepted: part }));
  const some = cli(['--accept', join(dir, 'accept.json'), '--profile', profile, '--out', dir, '--no-native']);
  assert.equal(some.status, 1);
  const partial = readJson(join(dir, 'report.json'));
  for (const a of part) {
    const g = partial.gaps.find((x) => x.id === a.id);
    assert.equal(g.status, 'accepted');
    assert.equal(g.accepted.owner, a.owner);
    assert.equal(partial.items.find((i) => i.id === a.id).verdict, g.id === 'EDR 3.11' ? 'needs-integrator-evidence' : 'fail', 'the verdict stays');
  }
  writeFileSync(join(dir, 'accept.json'), JSON.stringify({ accepted: accepted.map((a, i) => (i === 0 ? { ...a, expires: '2020-01-01' } : a)) }));
  const expired = cli(['--accept', join(dir, 'accept.json'), '--profile', profile, '--out', dir, '--no-native']);
  assert.equal(expired.status, 1, 'an expired acceptance does not count');
  const stale = readJson(join(dir, 'report.json')).gaps.find((g) => g.id === accepted[0].id);
  assert.equal(stale.status === 'accepted', false);
  assert.match(stale.reason, /acceptance by product security officer expired on 2020-01-01/);
  writeFileSync(join(dir, 'accept.json'), JSON.stringify({ accepted }));
  const all = cli(['--accept', join(dir, 'accept.json'), '--profile', profile, '--out', dir, '--no-native']);
  assert.equal(all.status, 0, all.stdout);
  assert.match(all.stdout, /SL-T 2\s+MET \(\d+ gaps accepted\)/);
  const full = readJson(join(dir, 'report.json'));
  assert.equal(full.summary.met, true);
  assert.ok(full.summary.score < 1, 'accepting a gap does not raise the score');
});

test('a progress line is drawn on a terminal', { skip: !existsSync('/usr/bin/script') && 'needs script (util-linux)' }, () => {
  const dir = tempDir('conf-tty');
  const cmd = `${process.execPath} ${CLI} conformance --out ${dir} --no-native`;
  const env = { ...process.env, TERM: 'xterm-256color' };
  // Node turns colour off under CI=... and NODE_DISABLE_COLORS (tty.getColorDepth): a user's terminal has neither.
  for (const k of ['NO_COLOR', 'FORCE_COLOR', 'NODE_DISABLE_COLORS', 'CI']) delete env[k];
  const r = spawnSync('/usr/bin/script', ['-qec', cmd, '/dev/null'], { cwd: ROOT, encoding: 'utf8', env, timeout: 300_000 });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /\[#* *\] \d+\/\d+ [a-z]+\.[a-z-]+/, 'progress: bar, count and the running check');
  assert.match(r.stdout, /\x1b\[3[12]m/, 'colour on a terminal');
});

test('npm start runs the conformance suite on the built module and default profile', () => {
  const pkg = readJson(`${ROOT}package.json`);
  assert.equal(pkg.scripts.start, 'node dist/host/cli.js conformance');
  const [cmd, ...args] = pkg.scripts.start.split(' ');
  assert.equal(cmd, 'node');
  const dir = tempDir('conf-start');
  const r = spawnSync(process.execPath, [...args, '--out', dir], { cwd: ROOT, encoding: 'utf8', timeout: 600_000 });
  assert.equal(r.status, 1, 'exit 1: SL-T 2 is not met by this release');
  assert.match(r.stdout, /iacsec conformance \(IEC 62443-4-2\) at SL-T 2/);
  assert.match(r.stdout, /native\s+(pass|fail|skipped): /, 'the native (wasm2c) result is named');
  assert.match(r.stdout, /report\s+\S+report\.html/);
});

test('the README shows the report of this build: its FR table and counts match a run', async () => {
  const { report } = await releaseRun();
  const readme = readFileSync(`${ROOT}README.md`, 'utf8');
  const stale = 'README "Conformance": the release report is stale; run npm start and copy the table and counts';
  for (const f of report.frs) {
    const sc = f.score === null ? '—' : `${(f.score * 100).toFixed(1)} %`;
    const row = `| ${f.fr} | ${f.name} | ${f.applicable} | ${f.met} | ${sc} | ${f.slC ?? '—'} | ${f.slA ?? '—'} |`;
    assert.ok(readme.includes(row), `${stale}: ${row}`);
  }
  const s = report.summary;
  assert.ok(readme.includes(`${s.checks.pass} of ${s.checks.total} checks pass`), stale);
  assert.ok(readme.includes(`${s.verdicts.pass} items pass, ${s.verdicts.fail} fail`), stale);
  assert.ok(readme.includes(`Score ${(s.score * 100).toFixed(1)} %`), stale);
});
