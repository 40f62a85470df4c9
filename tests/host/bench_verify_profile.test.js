// The verify-only build profile (build/iacsec-verify.wasm, assembly/verify_only.ts):
// hashes, signature verification and the firmware check, with the ABI of the
// full module for every export it has, its own self-test, no trap on any
// argument, and the same answers as node:crypto.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModule, abi, firmware, generateKey, signManifest, parseUuid, IacsecSelfTestError, FirmwareError } from '../../dist/host/index.js';
import { ROOT, seeded, hex, toHex } from './_helpers.js';
import { readSections } from './_wasm_sections.js';

const PATH = `${ROOT}build/iacsec-verify.wasm`;
const wasm = new Uint8Array(readFileSync(PATH));
const sections = readSections(wasm);
const functions = sections.exports.filter((e) => e.kind === 0).map((e) => e.name);

// What a boot loader or update agent needs, and what it must not carry.
const REQUIRED = ['_initialize', 'iacsec_abi_version', 'iacsec_caps', 'iacsec_io_ptr', 'iacsec_io_bytes', 'iacsec_selftest', 'iacsec_selftest_failed',
  'iacsec_sha256', 'iacsec_sha256_init', 'iacsec_sha256_update', 'iacsec_sha256_final', 'iacsec_sha512', 'iacsec_sha512_init',
  'iacsec_hmac_sha256', 'iacsec_ed25519_verify', 'iacsec_p256_verify', 'iacsec_cose_sign1_verify', 'iacsec_device_set',
  'iacsec_anchor_add_supplier', 'iacsec_provisioning_close', 'iacsec_trust_statement_apply', 'iacsec_fw_begin', 'iacsec_fw_update',
  'iacsec_fw_finish', 'iacsec_fw_abort', 'iacsec_counter_get', 'iacsec_event_next', 'iacsec_state_seal_key', 'iacsec_state_export',
  'iacsec_state_import'];
const ABSENT = ['iacsec_ed25519_sign', 'iacsec_ed25519_public_key', 'iacsec_pbkdf2_sha256', 'iacsec_hkdf_sha256', 'iacsec_hmac_sha512',
  'iacsec_device_key_set', 'iacsec_device_public_key'];

const VENDOR = parseUuid('6ba7b810-9dad-11d1-80b4-00c04fd430c8');
const CLASS = parseUuid('6ba7b811-9dad-11d1-80b4-00c04fd430c8');

test('verify-only: a subset of the documented ABI, signature for signature; imports nothing; 16 fixed pages', () => {
  for (const name of functions) {
    assert.ok(abi.EXPORTS[name], `${name} is documented in bindings/abi.ts`);
    assert.deepEqual(sections.functions[name], { params: [...abi.EXPORTS[name].params], results: [...abi.EXPORTS[name].results] }, name);
  }
  for (const name of REQUIRED) assert.ok(functions.includes(name), `${name} present`);
  for (const name of ABSENT) assert.ok(!functions.includes(name), `${name} absent`);
  assert.deepEqual(WebAssembly.Module.imports(new WebAssembly.Module(wasm)), []);
  const mem = WebAssembly.Module.exports(new WebAssembly.Module(wasm)).filter((e) => e.kind === 'memory');
  assert.equal(mem.length, 1);
});

test('verify-only: capabilities name exactly the parts present; self-test passes; memory fixed at 1 MiB', async () => {
  const api = await loadModule({ path: PATH });
  const info = api.info();
  assert.deepEqual(info.capabilities.sort(), ['COSE_SIGN1', 'ED25519_VERIFY', 'FIRMWARE', 'HMAC', 'P256_VERIFY', 'SHA256', 'SHA512']);
  assert.equal(info.memoryBytes, 16 * 65536);
  assert.deepEqual(info.memoryPages, { initial: 16, maximum: 16 });
  assert.equal(info.abiVersion, abi.ABI_VERSION);
  assert.equal(api.selftest(), 0);
  assert.equal(api.raw.iacsec_zeroize(), abi.STATUS.OK.code);
});

test('verify-only: hashes, HMAC and both verifiers answer as node:crypto does', async () => {
  const api = await loadModule({ path: PATH });
  for (const n of [0, 3, 55, 56, 64, 111, 112, 128, 1000, 65535, 65536, 65537, 200_000]) {
    const data = seeded(n + 3).bytes(n);
    assert.equal(toHex(api.sha256(data)), crypto.createHash('sha256').update(data).digest('hex'), `sha256 ${n}`);
    assert.equal(toHex(api.sha512(data)), crypto.createHash('sha512').update(data).digest('hex'), `sha512 ${n}`);
  }
  const key = seeded(9).bytes(32), msg = seeded(10).bytes(100);
  assert.equal(toHex(api.hmacSha256(key, msg)), crypto.createHmac('sha256', key).update(msg).digest('hex'));

  const ed = crypto.generateKeyPairSync('ed25519');
  const edPk = new Uint8Array(ed.publicKey.export({ format: 'der', type: 'spki' }).subarray(12));
  const edSig = new Uint8Array(crypto.sign(null, msg, ed.privateKey));
  assert.equal(api.ed25519Verify(edPk, msg, edSig), true);
  const badEd = edSig.slice(); badEd[10] ^= 1;
  assert.equal(api.ed25519Verify(edPk, msg, badEd), false);

  const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = ec.publicKey.export({ format: 'jwk' });
  const ecPk = new Uint8Array(Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]));
  const ecSig = new Uint8Array(crypto.sign('sha256', msg, { key: ec.privateKey, dsaEncoding: 'ieee-p1363' }));
  assert.equal(api.p256Verify(ecPk, msg, ecSig), true);
  const badEc = ecSig.slice(); badEc[40] ^= 1;
  assert.equal(api.p256Verify(ecPk, msg, badEc), false);
});

test('verify-only: the firmware check accepts a signed image and refuses a changed one', async () => {
  const api = await loadModule({ path: PATH });
  const key = generateKey('ed25519');
  const fw = firmware(api, { keepEvents: true });
  await fw.provision({ vendor: VENDOR, deviceClass: CLASS, supplierAnchors: [{ kid: key.kid, publicKey: key.publicKey, alg: 'ed25519' }] });
  const image = seeded(77).bytes(300_000);
  const manifest = await signManifest({ key, image, vendor: VENDOR, deviceClass: CLASS, version: '2.0.0', securityCounter: 5 });
  const FW = { component: 'firmware' };
  const fields = await fw.verifyFirmware(manifest, image, { purpose: 'install', ...FW });
  assert.equal(fields.version, '2.0.0');
  const changed = image.slice(); changed[123_456] ^= 0x20;
  await assert.rejects(fw.verifyFirmware(manifest, changed, { purpose: 'boot', ...FW }), (e) => e instanceof FirmwareError && e.status === 'ERR_DIGEST');
  const older = await signManifest({ key, image, vendor: VENDOR, deviceClass: CLASS, version: '1.0.0', securityCounter: 4 });
  await assert.rejects(fw.verifyFirmware(older, image, FW), (e) => e instanceof FirmwareError && e.status === 'ERR_ROLLBACK');
});

test('verify-only: a changed known answer fails its self-test, naming the test, and the loader refuses it', async () => {
  const flip = (answerHex) => {
    const answer = Buffer.from(hex(answerHex));
    const at = Buffer.from(wasm).indexOf(answer);
    assert.ok(at > 0 && Buffer.from(wasm).indexOf(answer, at + 1) === -1, 'known answer is in the module once');
    const bad = wasm.slice();
    bad[at + 7] ^= 0x04;
    return bad;
  };
  await assert.rejects(loadModule({ bytes: flip('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad') }),
    (e) => e instanceof IacsecSelfTestError && e.failedTest === 1);
  await assert.rejects(loadModule({ bytes: flip('e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b') }),
    (e) => e instanceof IacsecSelfTestError && e.failedTest === 10);
});

test('verify-only: no export traps on random and boundary arguments', async () => {
  const api = await loadModule({ path: PATH });
  const rnd = seeded(0xfeed);
  const codes = new Set(Object.values(abi.STATUS).map((s) => s.code));
  const io = api.ioPtr, end = io + api.ioBytes;
  const interesting = [0, 1, 32, 64, -1, 0x7fffffff, io - 1, io, end - 1, end, api.ioBytes, api.ioBytes + 1];
  const arg = () => (rnd.below(3) === 0 ? interesting[rnd.below(interesting.length)] : rnd.below(2) ? io + rnd.below(api.ioBytes) : rnd.below(300));
  for (let round = 0; round < 1000; round++) {
    for (const name of functions.filter((n) => n !== '_initialize')) {
      const args = abi.EXPORTS[name].params.map((type) => (type === 'i64' ? BigInt(arg() >>> 0) : arg()));
      let r;
      assert.doesNotThrow(() => { r = api.raw[name](...args); }, `${name}(${args})`);
      if (args.length && !name.endsWith('_init') && name !== 'iacsec_state_export' && name !== 'iacsec_static_bytes') assert.ok(codes.has(r) || (name === 'iacsec_fw_state_read' && r === abi.SIZES.FW_STATE_BYTES), `${name}(${args}) -> ${r}`);
    }
  }
  for (let h = 1; h < 64; h++) { api.raw.iacsec_sha256_abort(h); api.raw.iacsec_sha512_abort(h); }
  assert.equal(api.selftest(), 0);
  assert.equal(toHex(api.sha256(new TextEncoder().encode('abc'))), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test('the benchmarks run on the verify-only build and list what it lacks as skipped', () => {
  const dir = mkdtempSync(join(tmpdir(), 'iacsec-bench-verify-'));
  try {
    const r = spawnSync(process.execPath, [`${ROOT}bench/run.js`, '--quick', '--no-native', '--module', PATH, '--out', dir, '--ops', 'sha256-64b,kdf,sig,firmware-manifest'],
      { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const out = JSON.parse(readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith('.json'))), 'utf8'));
    assert.deepEqual(out.cases.map((c) => c.id), ['sha256-64b', 'ed25519-verify', 'p256-verify', 'firmware-manifest']);
    assert.deepEqual(out.skipped.map((s) => s.id), ['pbkdf2-10k', 'pbkdf2-600k', 'hkdf-sha256', 'ed25519-sign']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
