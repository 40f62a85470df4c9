// The ABI as documented (bindings/abi.ts, bindings/c/iacsec.h,
// assembly/status.ts) equals the ABI of the built module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadModule, abi } from '../../dist/host/index.js';
import { ROOT, MODULE_PATH } from './_helpers.js';
import { readSections } from './_wasm_sections.js';

const header = readFileSync(`${ROOT}bindings/c/iacsec.h`, 'utf8');
const statusTs = readFileSync(`${ROOT}assembly/status.ts`, 'utf8');
const wasm = new Uint8Array(readFileSync(MODULE_PATH));
const sections = readSections(wasm);

function headerDefines(prefix) {
  const out = {};
  for (const m of header.matchAll(new RegExp(`^#define IACSEC_${prefix}(\\w+)\\s+(\\(?-?[\\w <]+\\)?)`, 'gm'))) {
    out[m[1]] = m[2];
  }
  return out;
}

test('status codes: assembly/status.ts, bindings/abi.ts and iacsec.h hold one table', () => {
  const fromTs = Object.fromEntries([...statusTs.matchAll(/^export const (\w+): i32 = (-?\d+);/gm)].map((m) => [m[1], Number(m[2])]));
  const fromAbi = Object.fromEntries(Object.values(abi.STATUS).map((s) => [s.name, s.code]));
  const fromHeader = {};
  for (const m of header.matchAll(/^#define IACSEC_((?:OK|END|ERR_\w+))\s+(-?\d+)/gm)) fromHeader[m[1]] = Number(m[2]);
  assert.deepEqual(fromTs, fromAbi);
  assert.deepEqual(fromHeader, fromAbi);
  assert.equal(new Set(Object.values(fromAbi)).size, Object.keys(fromAbi).length, 'codes are unique');
  for (const s of Object.values(abi.STATUS)) assert.ok(s.meaning.length > 0);
});

test('size constants: iacsec.h, abi.ts and the runtime getters agree', async () => {
  const api = await loadModule();
  const defines = headerDefines('');
  for (const [name, value] of Object.entries(abi.SIZES)) {
    assert.equal(Number(defines[name]), value, `IACSEC_${name} in iacsec.h`);
    const getter = api.raw[`iacsec_${name.toLowerCase()}`];
    assert.equal(typeof getter, 'function', `getter iacsec_${name.toLowerCase()}`);
    assert.equal(getter() >>> 0, value, `iacsec_${name.toLowerCase()}()`);
  }
  assert.equal(Number(defines.ABI_VERSION), abi.ABI_VERSION);
  assert.equal(api.raw.iacsec_abi_version(), abi.ABI_VERSION);
});

test('capability bits: iacsec.h and abi.ts agree; the module has every one', async () => {
  const api = await loadModule();
  for (const [name, bit] of Object.entries(abi.CAPS)) {
    const m = header.match(new RegExp(`^#define IACSEC_CAP_${name}\\s+\\(1 << (\\d+)\\)`, 'm'));
    assert.ok(m, `IACSEC_CAP_${name} in iacsec.h`);
    assert.equal(1 << Number(m[1]), bit);
    assert.ok(api.raw.iacsec_caps() & bit, `module has ${name}`);
  }
  for (const [name, value] of Object.entries(abi.P256_FORMAT)) {
    assert.match(header, new RegExp(`#define IACSEC_P256_FORMAT_${name.toUpperCase()} ${value}\\b`));
  }
});

test('exports of the built module equal the documented list, signature for signature', () => {
  const documented = Object.keys(abi.EXPORTS).sort();
  const functions = sections.exports.filter((e) => e.kind === 0).map((e) => e.name).sort();
  assert.deepEqual(functions, documented);
  for (const [name, info] of Object.entries(abi.EXPORTS)) {
    assert.deepEqual(sections.functions[name], { params: [...info.params], results: [...info.results] }, name);
  }
  const others = sections.exports.filter((e) => e.kind !== 0).map((e) => e.name);
  assert.deepEqual(others, ['memory'], 'the only non-function export is memory');
  for (const name of documented.filter((n) => n.startsWith('iacsec_'))) {
    assert.match(header, new RegExp(`\\b${name}\\b`), `${name} in iacsec.h`);
  }
});

test('imports are the documented ones, all from the allowed WASI functions', () => {
  const imports = sections.imports.map((i) => `${i.module}.${i.name}`).sort();
  assert.deepEqual(imports, [...abi.IMPORTS].sort());
  for (const name of imports) assert.ok(abi.ALLOWED_IMPORTS.includes(name), `${name} is allowed`);
  for (const name of abi.ALLOWED_IMPORTS) assert.ok(header.includes(name), `${name} in iacsec.h`);
});

test('linear memory is fixed: initial equals maximum, as the README states', () => {
  assert.ok(sections.memory, 'module defines its memory');
  assert.equal(sections.memory.initial, sections.memory.maximum);
  const readme = readFileSync(`${ROOT}README.md`, 'utf8');
  assert.match(readme, new RegExp(`${sections.memory.initial} pages \\(${sections.memory.initial * 64} KiB\\)`));
});

test('the I/O area lies inside memory and is the documented size', async () => {
  const api = await loadModule();
  const info = api.info();
  assert.equal(info.ioBytes, abi.SIZES.IO_BYTES);
  assert.ok(api.ioPtr > 0 && api.ioPtr + api.ioBytes <= info.memoryBytes);
  assert.equal(api.ioPtr % 16, 0);
});

test('every export that computes answers ERR_SELFTEST before the self-test has passed', async () => {
  const { instantiate } = await import('../../dist/host/loader.js');
  const loaded = await instantiate();
  const io = loaded.exports.iacsec_io_ptr();
  const getters = new Set(Object.keys(abi.SIZES).map((n) => `iacsec_${n.toLowerCase()}`));
  // Not gated: discovery, the self-test itself, zeroize, state queries, and
  // operations on handles that only a gated init can hand out.
  const open = new Set(['_initialize', 'iacsec_abi_version', 'iacsec_caps', 'iacsec_io_ptr', 'iacsec_static_bytes', 'iacsec_selftest',
    'iacsec_selftest_failed', 'iacsec_zeroize', 'iacsec_provisioning_is_open', 'iacsec_anchor_count',
    'iacsec_state_generation', 'iacsec_state_failsecure',
    'iacsec_sha256_update', 'iacsec_sha256_final', 'iacsec_sha256_abort',
    'iacsec_sha512_update', 'iacsec_sha512_final', 'iacsec_sha512_abort']);
  const gated = Object.keys(abi.EXPORTS).filter((n) => !open.has(n) && !getters.has(n));
  assert.ok(gated.length >= 25, `${gated.length} gated exports`);
  for (const name of gated) {
    const args = abi.EXPORTS[name].params.map((type, i) => (type === 'i64' ? 0n : i % 2 === 0 ? io + i * 128 : 1));
    assert.equal(loaded.exports[name](...args), abi.STATUS.ERR_SELFTEST.code, name);
  }
});
