// npm run bench [-- options] [CASE|AREA ...]
//
// Every case in the registry (bench/ops/), the module through the host API
// against its peers, interleaved in one run; with the native (wasm2c) build
// as one more contender where it can be built. Prints a table per case and
// writes bench/results/<date>-<host>.json and .md.
//
//   --list             the cases and what they need, then exit
//   --ops LIST         comma-separated case ids, areas, or prefixes ending in * (also as positionals)
//   --quick            a smoke run (one short round, every case): checks that the benchmarks work;
//                      its figures are not measurements. Writes to reports/bench-quick/ by default
//   --rounds N         rounds per case (default 7, or the case's own)
//   --batch-ms MS      time per contender per round (default 150, or the case's own)
//   --warmup-ms MS     warm-up per contender (default 200)
//   --module PATH      another build of the module (default build/iacsec.wasm)
//   --native / --no-native   include the wasm2c build (default: on, off with --quick)
//   --native-only      only the native harness (npm run bench:native): iacsec in Node vs native
//   --native-cflags=F  compiler flags for the native harness (default -O2; e.g. --native-cflags="-O2 -march=native")
//   --native-bin PATH  another build of the harness (e.g. build/native-aarch64/iacsec-bench)
//   --native-runner CMD  a command prefix to run it with (e.g. "qemu-aarch64 -L /usr/aarch64-linux-gnu")
//   --check-only       check every contender's answer (and the native harness's) once, time nothing
//   --export-native DIR  write every case's inputs and answers, and run.sh, to DIR, for
//                      the native harness on a target without Node; time nothing
//   --out DIR          where the results go (default bench/results)
//   --no-write         print only
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadModule, DEFAULT_MODULE_PATH } from '../dist/host/index.js';
import { loadRegistry, selectCases } from './_registry.js';
import { measure, ratioOf, fmtTime } from './_harness.js';
import { describeMachine, machineLines } from './_machine.js';
import { nativeHarness, writeFixture, targetScript, NATIVE_NAME } from './_native.js';
import { footprint, footprintLines } from './_footprint.js';
import { resultMarkdown } from './_report.js';

const VERIFY_ONLY_PATH = new URL('../build/iacsec-verify.wasm', import.meta.url).pathname;
// Native goal: the wasm2c build at least as fast as the module in Node, for hashes and signatures.
const NATIVE_GOAL_AREAS = new Set(['hash', 'kdf', 'sig']);

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    list: { type: 'boolean', default: false },
    ops: { type: 'string' },
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    'batch-ms': { type: 'string' },
    'warmup-ms': { type: 'string' },
    module: { type: 'string' },
    native: { type: 'boolean' },
    'no-native': { type: 'boolean', default: false },
    'native-only': { type: 'boolean', default: false },
    'native-bin': { type: 'string' },
    'native-cflags': { type: 'string', default: '-O2' },
    'native-runner': { type: 'string' },
    'check-only': { type: 'boolean', default: false },
    'export-native': { type: 'string' },
    out: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
  },
});

const number = (name) => {
  if (values[name] === undefined) return undefined;
  const n = Number(values[name]);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number >= 0`);
  return n;
};

const registry = await loadRegistry();
if (values.list) {
  for (const c of registry) console.log(`${c.id.padEnd(20)} ${c.area.padEnd(9)} ${c.title}  [needs ${c.needs.join(', ')}]`);
  process.exit(0);
}

const patterns = [...positionals, ...(values.ops ? values.ops.split(',').map((s) => s.trim()).filter(Boolean) : [])];
const selected = selectCases(registry, patterns);
const modulePath = values.module ?? DEFAULT_MODULE_PATH;
const quick = values.quick;
const base = quick ? { rounds: 1, batchMs: 2, warmupMs: 0 } : { rounds: 7, batchMs: 150, warmupMs: 200 };
const user = { rounds: number('rounds'), batchMs: number('batch-ms'), warmupMs: number('warmup-ms') };
const nativeOnly = values['native-only'];
const wantNative = nativeOnly || (values['no-native'] ? false : values.native ?? !quick);

const api = await loadModule({ path: modulePath });
const info = api.info();
const machine = describeMachine();
console.log(`iacsec benchmarks: ${modulePath} (sha256 ${info.sha256.slice(0, 16)}…, ${info.size} bytes)`);
for (const line of machineLines(machine)) console.log(line);
if (quick) console.log('quick smoke run: one short round per case; these figures are not measurements');

let native;
if (wantNative) {
  native = nativeHarness({ modulePath, cflags: values['native-cflags'], bin: values['native-bin'], runner: values['native-runner']?.split(/\s+/).filter(Boolean) });
  if (native.reason) {
    if (nativeOnly) throw new Error(`native harness unavailable: ${native.reason}`);
    console.log(`native build skipped: ${native.reason}`);
    native = undefined;
  } else {
    console.log(`native    ${native.bin}: ${native.flags.cc} ${native.flags.cflags}`);
  }
}

const exported = new Set(info.exports);

if (values['export-native']) {
  const dir = values['export-native'];
  const ids = [];
  for (const c of selected.filter((x) => x.needs.every((n) => exported.has(n)))) {
    const { fixture } = await c.setup({ api, modulePath, quick });
    if (!fixture) continue;
    writeFixture(`${dir}/${c.id}`, fixture);
    ids.push(c.id);
  }
  writeFileSync(`${dir}/run.sh`, targetScript(ids), { mode: 0o755 });
  console.log(`wrote ${ids.length} cases and run.sh to ${dir}`);
  process.exit(0);
}
const out = { date: new Date().toISOString(), quick, machine, module: { path: modulePath, sha256: info.sha256, bytes: info.size },
  native: native ? native.flags : null, options: { ...base, ...Object.fromEntries(Object.entries(user).filter(([, v]) => v !== undefined)) },
  cases: [], skipped: [], goals: [] };

const sameAnswer = (got, want) => {
  if (typeof want === 'boolean') return typeof got !== 'boolean' || got === want;
  if (want instanceof Uint8Array && got instanceof Uint8Array) return Buffer.from(got).equals(Buffer.from(want));
  return true;
};

const row = (name, r, ref, bytes) => {
  const mbs = bytes ? `${((r.opsPerSec * bytes) / 1e6).toFixed(1)}` : '';
  return `  ${name.padEnd(30)} ${r.opsPerSec.toFixed(1).padStart(12)} ${fmtTime(r.p50us).padStart(10)} ${fmtTime(r.p99us).padStart(10)} ${mbs.padStart(9)}  ${r.ratio.toFixed(2).padStart(6)}x ${ref}`;
};

for (const c of selected) {
  const missing = c.needs.filter((n) => !exported.has(n));
  if (missing.length) {
    out.skipped.push({ id: c.id, reason: `module lacks ${missing.join(', ')}` });
    console.log(`\n${c.title}: skipped, the module lacks ${missing.join(', ')}`);
    continue;
  }
  const ctx = { api, modulePath, quick };
  const { contenders: all, expect, fixture } = await c.setup(ctx);
  // The module in Node: "iacsec", or the case's reference where the case has no "iacsec" (cold start).
  const inNode = all.some((x) => x.name === 'iacsec') ? 'iacsec' : c.reference;
  let contenders = nativeOnly ? all.filter((x) => x.name === inNode) : all;
  if (nativeOnly && !fixture) { out.skipped.push({ id: c.id, reason: 'no native form' }); continue; }
  for (const x of contenders) {
    if (x.batch || expect === undefined) continue;
    const got = await x.fn();
    if (!sameAnswer(got, expect)) throw new Error(`${c.id}: ${x.name} gives a wrong answer`);
  }
  if (native && fixture) {
    const dir = native.fixture(fixture);
    native.check(dir);
    const i = contenders.findIndex((x) => x.name === inNode);
    contenders = [...contenders.slice(0, i + 1), native.contender(dir), ...contenders.slice(i + 1)];
  }
  if (values['check-only']) {
    console.log(`checked ${c.id}: ${contenders.map((x) => x.name).join(', ')}`);
    out.cases.push({ id: c.id, area: c.area, title: c.title, checked: contenders.map((x) => x.name) });
    continue;
  }
  const reference = nativeOnly ? inNode : c.reference;
  const timing = { ...base, ...(quick ? {} : c.timing ?? {}), ...Object.fromEntries(Object.entries(user).filter(([, v]) => v !== undefined)) };
  const results = await measure(contenders, { ...timing, reference });

  console.log(`\n${c.title}`);
  console.log(`  ${'contender'.padEnd(30)} ${'ops/s'.padStart(12)} ${'p50'.padStart(10)} ${'p99'.padStart(10)} ${c.bytes ? 'MB/s'.padStart(9) : ''.padStart(9)}  ratio`);
  for (const r of results) console.log(row(r.name, r, reference, c.bytes));

  const goals = [];
  for (const g of nativeOnly ? [] : c.goals) {
    if (g.p50Of) {
      const r = results.find((x) => x.name === g.p50Of);
      // Goals under a millisecond are stated in microseconds, so the figure keeps its digits.
      const us = g.below < 1000;
      goals.push({ case: c.id, goal: g.text, reached: Number((us ? r.p50us : r.p50us / 1000).toFixed(3)), unit: us ? 'us' : 'ms', target: us ? g.below : g.below / 1000, met: r.p50us < g.below });
    } else {
      const reached = ratioOf(results, g.a, g.b);
      goals.push({ case: c.id, goal: g.text, reached: Number(reached.toFixed(3)), unit: 'x', target: g.atLeast, met: reached >= g.atLeast });
    }
  }
  if (native && fixture && NATIVE_GOAL_AREAS.has(c.area)) {
    const reached = ratioOf(results, NATIVE_NAME, inNode);
    goals.push({ case: c.id, goal: `${c.title}: native (wasm2c) vs iacsec in Node`, reached: Number(reached.toFixed(3)), unit: 'x', target: 1.0, met: reached >= 1.0 });
  }
  for (const g of goals) console.log(`  goal: ${g.goal}: ${g.reached}${g.unit === 'x' ? 'x' : ` ${g.unit}`} (target ${g.unit === 'x' ? '>=' : '<'} ${g.target}${g.unit === 'x' ? 'x' : ` ${g.unit}`}) ${g.met ? 'MET' : 'NOT MET'}`);
  out.cases.push({ id: c.id, area: c.area, title: c.title, bytes: c.bytes ?? null, reference, timing, results, goals });
  out.goals.push(...goals);
}
native?.dispose?.();

if (values['check-only']) {
  console.log(`\nchecked ${out.cases.length} cases${out.skipped.length ? `; skipped: ${out.skipped.map((s) => s.id).join(', ')}` : ''}`);
  process.exit(0);
}

if (!nativeOnly && !patterns.length) {
  out.footprint = footprint([
    { name: 'iacsec.wasm (full)', path: modulePath, limitKiB: 96 },
    { name: 'iacsec-verify.wasm (verify-only)', path: VERIFY_ONLY_PATH, limitKiB: 48 },
  ]);
  console.log('\nFootprint');
  for (const line of footprintLines(out.footprint)) console.log(line);
  for (const f of out.footprint) {
    const g = { case: 'footprint', ...f.goal, unit: 'bytes' };
    console.log(`  goal: ${g.goal}: ${g.reached ?? 'not built'} bytes ${g.met ? 'MET' : 'NOT MET'}`);
    out.goals.push(g);
  }
}

const met = out.goals.filter((g) => g.met).length;
console.log(`\nGoals met: ${met} of ${out.goals.length}${out.skipped.length ? `; skipped: ${out.skipped.map((s) => s.id).join(', ')}` : ''}`);
if (!values['no-write']) {
  const dir = values.out ?? (quick ? 'reports/bench-quick' : 'bench/results');
  mkdirSync(dir, { recursive: true });
  const host = machine.host.replace(/[^A-Za-z0-9_.-]/g, '_');
  const stem = `${dir}/${out.date.slice(0, 10)}-${host}${nativeOnly ? '-native' : ''}`;
  writeFileSync(`${stem}.json`, `${JSON.stringify(out, null, 2)}\n`);
  writeFileSync(`${stem}.md`, resultMarkdown(out));
  console.log(`written: ${stem}.json, ${stem}.md`);
}
