// Calls every export with random and boundary arguments many thousands of
// times: the module must never trap, must answer only documented status
// codes, and must still answer correctly afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModule, abi } from '../../dist/host/index.js';
import { seeded, toHex, hex } from './_helpers.js';

const CALLS_PER_EXPORT = 5000;
const codes = new Set(Object.values(abi.STATUS).map((s) => s.code));

test('no export traps on any argument, and the module still answers correctly', async () => {
  const api = await loadModule();
  const raw = api.raw;
  const io = api.ioPtr;
  const ioEnd = io + api.ioBytes;
  const rnd = seeded(0x1acec);
  const handles = [];
  const issued = [];
  const interesting = [0, 1, 2, 31, 32, 33, 63, 64, 65, 72, -1, 0x7fffffff, -0x80000000, io - 1, io, io + 1, ioEnd - 64, ioEnd - 1,
    ioEnd, ioEnd + 1, api.ioBytes, api.ioBytes + 1, api.ioBytes - 1, 0xffff, 0x10000, 0x3ffff, 0x40000];
  const arg = () => {
    switch (rnd.below(6)) {
      case 0: return interesting[rnd.below(interesting.length)];
      case 1: return io + rnd.below(api.ioBytes);          // a pointer inside the area
      case 2: return rnd.below(200);                        // a short length
      case 3: return rnd.below(api.ioBytes + 2);            // any length up to the area and past it
      case 4: return handles.length ? handles[rnd.below(handles.length)] : rnd.below(64);
      default: return rnd.next() | 0;                       // anything
    }
  };
  // Arguments whose legal range is wide enough to cost seconds per call get boundary values only.
  const bounded = {
    iacsec_pbkdf2_sha256: { 6: [0, 1, 2, 3, 1000, abi.SIZES.PBKDF2_MAX_ITERATIONS + 1, -1, 0x7fffffff] },
  };
  // Logins cost one PBKDF2 derivation each: a profile with the lowest iteration count keeps the run short
  // (allowed before the first account exists; random calls cannot raise it without an administrator's session).
  raw.iacsec_auth_profile_get(io);
  new DataView(api.heap().buffer).setUint32(io, 1000, true);
  assert.equal(raw.iacsec_auth_profile_set(io + 256, io, 0n), abi.STATUS.OK.code);
  const names = Object.keys(abi.EXPORTS).filter((n) => n !== '_initialize');
  let calls = 0;
  for (let round = 0; round < CALLS_PER_EXPORT; round++) {
    for (const name of names) {
      const params = abi.EXPORTS[name].params;
      const args = params.map((type, i) => {
        const only = bounded[name]?.[i];
        const v = only ? only[rnd.below(only.length)] : arg();
        // i64 parameters (a generation): the same values, and values past 2^32.
        return type === 'i64' ? BigInt.asUintN(64, BigInt(v) * (rnd.below(2) ? 1n : 0x1_0000_0001n)) : v;
      });
      let result;
      try {
        result = raw[name](...args);
      } catch (err) {
        assert.fail(`${name}(${args.join(', ')}) trapped: ${err}`);
      }
      calls++;
      if (name.endsWith('_init')) {
        assert.ok(result > 0 || codes.has(result), `${name} -> ${result}`);
        if (result > 0) { handles.push(result); issued.push(result); }
        if (handles.length > 64) handles.shift();
      } else if (name === 'iacsec_state_export' || name === 'iacsec_state_backup') {
        assert.ok((result > 1 && result <= abi.SIZES.STATE_MAX_BYTES + 64) || codes.has(result), `${name} -> ${result}`);
      } else if (name === 'iacsec_fw_state_read') {
        assert.ok(result === abi.SIZES.FW_STATE_BYTES || codes.has(result), `${name} -> ${result}`);
      } else if (name.startsWith('iacsec_') && abi.EXPORTS[name].params.length > 0) {
        assert.ok(codes.has(result), `${name}(${args.join(', ')}) -> ${result}, not a documented status`);
      }
    }
  }
  assert.ok(calls >= CALLS_PER_EXPORT * names.length);

  // Give every slot back, then check the module is whole.
  for (const h of issued) { raw.iacsec_sha256_abort(h); raw.iacsec_sha512_abort(h); }
  assert.equal(api.selftest(), 0, 'self-test still passes');
  const abc = new TextEncoder().encode('abc');
  assert.equal(toHex(api.sha256(abc)), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(toHex(api.createSha512().update(abc).digest()).slice(0, 16), 'ddaf35a193617aba');
  const held = [];
  for (let i = 0; i < abi.SIZES.SLOTS; i++) held.push(api.createSha256());
  for (const h of held) h.dispose();
  const pk = hex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
  const sig = hex('e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b');
  assert.equal(api.ed25519Verify(pk, new Uint8Array(0), sig), true);
});
