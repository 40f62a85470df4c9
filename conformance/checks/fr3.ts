// FR3 System integrity: self-test (CR 3.3), software and information
// integrity (CR 3.4), input validation (CR 3.5), deterministic output
// (CR 3.6), error handling (CR 3.7), updates (EDR 3.10), roots of trust
// (EDR 3.12, 3.13), boot integrity (EDR 3.14), and the profile's audit
// chain (CR 3.9). See registry.ts for the check interface.

import { createCipheriv, createHash, createHmac, hkdfSync, pbkdf2Sync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ed25519 } from '@noble/curves/ed25519.js';
import { EXPORTS, SIZES, STATUS } from '../../bindings/abi.js';
import { IacsecSelfTestError, IacsecError } from '../../host/errors.js';
import { firmware } from '../../host/firmware.js';
import { outcome, type Check, type CheckContext } from './registry.js';
import { accessBench, ROLE, status, types } from './_access.js';
import { AUDIT_FR3_CHECKS } from './_audit.js';
import { gatewayAuthentication, gatewayIntegrity, profileGatewayChannels, profileGatewayClients } from './_gateway_checks.js';
import { COMPONENT, OTHER_VENDOR, Tally, applyStatement, attempt, flip, manifestFor, provisioned, statementFor } from './_firmware.js';

const enc = (s: string) => new TextEncoder().encode(s);
const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));

/** Where a byte string sits in b: every offset. */
function offsets(b: Uint8Array, needle: Uint8Array): number[] {
  const out: number[] = [];
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  for (let at = buf.indexOf(needle); at >= 0; at = buf.indexOf(needle, at + 1)) out.push(at);
  return out;
}

/**
 * The known answers of the module's self-test, computed here from the
 * references (node:crypto, @noble/curves) with the inputs the standards give,
 * and the id of the test that must catch a change to each.
 */
/** RFC 8439 section 2.3.2: key 00..1f, nonce 000000090000004a00000000, block 1; its first 32 bytes. */
function chacha20Block(): Uint8Array {
  const key = Uint8Array.from({ length: 32 }, (_, i) => i);
  const iv = Buffer.from('01000000000000090000004a00000000', 'hex');
  return new Uint8Array(createCipheriv('chacha20', key, iv).update(new Uint8Array(32)));
}

function knownAnswers(root: string): { id: number; name: string; answer: Uint8Array }[] {
  const abc = enc('abc');
  // RFC 8032 section 7.1 TEST 1 secret key; RFC 5869 A.1 inputs.
  const seed = hex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
  const ikm = new Uint8Array(22).fill(0x0b);
  const salt = Uint8Array.from({ length: 13 }, (_, i) => i);
  const info = Uint8Array.from({ length: 10 }, (_, i) => 0xf0 + i);
  const p256 = JSON.parse(readFileSync(`${root}tests/vectors/wycheproof/ecdsa_secp256r1_sha256_p1363_test.json`, 'utf8'));
  const tc1 = p256.testGroups[0].tests.find((t: { tcId: number }) => t.tcId === 1);
  return [
    { id: 1, name: 'SHA-256 ("abc")', answer: new Uint8Array(createHash('sha256').update(abc).digest()) },
    { id: 3, name: 'SHA-512 ("abc")', answer: new Uint8Array(createHash('sha512').update(abc).digest()) },
    { id: 4, name: 'HMAC-SHA256 (RFC 4231 case 2)', answer: new Uint8Array(createHmac('sha256', 'Jefe').update('what do ya want for nothing?').digest()) },
    { id: 5, name: 'HMAC-SHA512 (RFC 4231 case 2)', answer: new Uint8Array(createHmac('sha512', 'Jefe').update('what do ya want for nothing?').digest()) },
    { id: 6, name: 'PBKDF2-HMAC-SHA256 (RFC 7914)', answer: new Uint8Array(pbkdf2Sync('passwd', 'salt', 1, 64, 'sha256')) },
    { id: 7, name: 'HKDF-SHA256 (RFC 5869 A.1)', answer: new Uint8Array(hkdfSync('sha256', ikm, salt, info, 42)) },
    { id: 8, name: 'Ed25519 public key (RFC 8032 TEST 1)', answer: ed25519.getPublicKey(seed) },
    { id: 9, name: 'Ed25519 signature (RFC 8032 TEST 1)', answer: ed25519.sign(new Uint8Array(0), seed) },
    { id: 11, name: 'ECDSA P-256 signature (Wycheproof tcId 1)', answer: hex(tc1.sig) },
    { id: 14, name: 'ChaCha20 block (RFC 8439 2.3.2)', answer: chacha20Block() },
  ];
}

const selftestDetects: Check = {
  id: 'selftest.detects-corruption',
  title: 'The self-test passes on the module as built, and a change to any known answer makes it fail at that test; the host then refuses the module',
  requirements: ['CR 3.3'],
  kind: 'capability',
  part: 'selftest',
  remedy: 'run every known-answer test in iacsec_selftest, compare in full, and keep crypto disabled until it passes',
  async run(ctx) {
    const t = new Tally(ctx);
    const clean = await ctx.instantiate();
    t.expect('self-test of the module as built', 'OK', clean.exports.iacsec_selftest() === 0 ? 'OK' : `failed at ${clean.exports.iacsec_selftest_failed()}`);
    let refused = 0;
    for (const k of knownAnswers(ctx.root)) {
      const at = offsets(ctx.module.bytes, k.answer);
      if (at.length === 0) {
        t.expect(`test ${k.id} ${k.name}`, 'detected', 'known answer not in the module');
        continue;
      }
      const bad = ctx.module.bytes.slice();
      for (const o of at) bad[o + 7] ^= 0x04;
      ctx.input(`kat-${k.id}.wasm.sha256`, createHash('sha256').update(bad).digest('hex'));
      let got = 'accepted by the loader';
      try {
        await ctx.load(bad);
      } catch (e) {
        if (e instanceof IacsecSelfTestError) {
          got = e.failedTest === k.id ? 'detected' : `failed at test ${e.failedTest}`;
          refused++;
        } else {
          got = `error: ${(e as Error).message}`;
        }
      }
      t.expect(`test ${k.id} ${k.name}: bit 2 of byte 7 flipped (${at.length} place(s))`, 'detected', got);
    }
    return outcome(t.ok, `self-test passes as built; all ${t.cases.length - 1} changed known answers detected and refused`,
      t.describe(), { corruptions: t.cases.length - 1, detected: t.cases.filter((c) => c.got === 'detected').length, refusedByLoader: refused });
  },
};

const selftestRerun: Check = {
  id: 'selftest.during-operation',
  title: 'The self-test can run again during operation, and a known answer changed in the running instance\'s memory is caught and disables crypto',
  requirements: ['CR 3.3 RE1'],
  kind: 'capability',
  part: 'selftest',
  remedy: 'let the host re-run iacsec_selftest at any time, and disable crypto when it fails',
  async run(ctx) {
    const t = new Tally(ctx);
    const api = await ctx.load();
    const abc = enc('abc');
    api.sha256(abc);
    api.ed25519Sign(ctx.rng.bytes(32), abc);
    for (let i = 1; i <= 3; i++) t.expect(`re-run ${i} during operation`, '0', String(api.selftest()));
    const answer = new Uint8Array(createHash('sha256').update(abc).digest());
    const heap = api.heap();
    const at = offsets(heap, answer).filter((o) => o < api.ioPtr || o >= api.ioPtr + api.ioBytes);
    if (at.length === 0) {
      t.expect('SHA-256 known answer in the instance\'s memory', 'found', 'not found');
    } else {
      heap[at[0] + 3] ^= 0x80;
      ctx.log(`flipped bit 7 of byte 3 of the SHA-256 known answer at memory offset ${at[0]}`);
      t.expect('re-run after the change', '1', String(api.selftest()));
      let after = 'OK';
      try { api.sha256(abc); } catch (e) { after = e instanceof IacsecError ? e.status : String(e); }
      t.expect('sha256 after the failed re-run', 'ERR_SELFTEST', after);
    }
    return outcome(t.ok, 'self-test re-runs pass during operation; a change in memory is caught and crypto is disabled', t.describe(),
      { reruns: 3, corruptionCaught: t.ok });
  },
};

const gated: Check = {
  id: 'selftest.crypto-gated',
  title: 'Until the self-test has passed, every export that computes answers ERR_SELFTEST and writes nothing',
  requirements: ['CR 3.6'],
  kind: 'capability',
  part: 'selftest',
  remedy: 'check selftest_passed() at the top of every export that computes with keys or data',
  async run(ctx) {
    const t = new Tally(ctx);
    const m = await ctx.instantiate();
    const x = m.exports;
    const io = x.iacsec_io_ptr();
    const calls: [string, () => number][] = [
      ['iacsec_sha256', () => x.iacsec_sha256(io, io + 64, 3)],
      ['iacsec_sha512', () => x.iacsec_sha512(io, io + 128, 3)],
      ['iacsec_hmac_sha256', () => x.iacsec_hmac_sha256(io, io + 64, 4, io + 128, 3)],
      ['iacsec_pbkdf2_sha256', () => x.iacsec_pbkdf2_sha256(io, 32, io + 64, 4, io + 128, 4, 1)],
      ['iacsec_hkdf_sha256', () => x.iacsec_hkdf_sha256(io, 32, io + 64, 4, io + 128, 4, io + 192, 4)],
      ['iacsec_ed25519_sign', () => x.iacsec_ed25519_sign(io, io + 64, io + 128, 3)],
      ['iacsec_ed25519_verify', () => x.iacsec_ed25519_verify(io + 64, io + 128, 3, io + 256)],
      ['iacsec_p256_verify', () => x.iacsec_p256_verify(io + 64, 65, io + 128, 3, io + 256, 64, 0)],
      ['iacsec_cose_sign1_verify', () => x.iacsec_cose_sign1_verify(io + 64, 16, io + 128, 0, io + 256, 32)],
      ['iacsec_fw_begin', () => x.iacsec_fw_begin(io + 64, 16, io + 128, 8, 0)],
    ].filter(([n]) => typeof x[n as string] === 'function') as [string, () => number][];
    const heap = new Uint8Array(m.memory.buffer);
    let wrote = 0;
    for (const [name, call] of calls) {
      heap.fill(0, io, io + 64);
      const st = call();
      if (heap.subarray(io, io + 64).some((b) => b !== 0)) wrote++;
      t.expect(`${name} before the self-test`, 'ERR_SELFTEST', st === STATUS.ERR_SELFTEST.code ? 'ERR_SELFTEST' : `status ${st}`);
    }
    if (wrote) t.expect('outputs left untouched', '0 written', `${wrote} written`);
    return outcome(t.ok, `all ${calls.length} computing exports refuse before the self-test`, t.describe(), { exports: calls.length, refused: t.cases.length - t.failed.length });
  },
};

/** Argument generator of the fuzz check (boundaries, pointers in and around the I/O area, anything). */
function fuzzArgs(ctx: CheckContext, io: number, ioBytes: number) {
  const ioEnd = io + ioBytes;
  const interesting = [0, 1, 2, 31, 32, 33, 63, 64, 65, 72, -1, 0x7fffffff, -0x80000000, io - 1, io, io + 1, ioEnd - 64, ioEnd - 1,
    ioEnd, ioEnd + 1, ioBytes, ioBytes + 1, 0xffff, 0x10000];
  return () => {
    switch (ctx.rng.below(5)) {
      case 0: return interesting[ctx.rng.below(interesting.length)];
      case 1: return io + ctx.rng.below(ioBytes);
      case 2: return ctx.rng.below(200);
      case 3: return ctx.rng.below(ioBytes + 2);
      default: return new DataView(ctx.rng.bytes(4).buffer).getInt32(0);
    }
  };
}

const FUZZ_ROUNDS = 300;

const fuzz: Check = {
  id: 'input.fuzz-exports',
  title: 'Every export called with random and boundary arguments never traps, answers only documented status codes, and the module stays whole',
  requirements: ['CR 3.5', 'CR 3.7'],
  kind: 'capability',
  part: 'core',
  remedy: 'check every pointer and length at the export boundary and answer a documented status code',
  async run(ctx) {
    const api = await ctx.load();
    const raw = api.raw as unknown as Record<string, (...a: number[]) => number>;
    const codes = new Set<number>(Object.values(STATUS).map((s) => s.code));
    const arg = fuzzArgs(ctx, api.ioPtr, api.ioBytes);
    const names = [...ctx.module.exports].filter((n) => n.startsWith('iacsec_') && typeof raw[n] === 'function').sort();
    let calls = 0; let traps = 0; let undocumented = 0;
    const seen = new Set<number>();
    const handles: number[] = [];
    for (let round = 0; round < FUZZ_ROUNDS; round++) {
      for (const name of names) {
        const params = (EXPORTS as Record<string, { params: readonly string[] }>)[name]?.params ?? Array(raw[name].length).fill('i32');
        const arity = params.length;
        // i64 parameters take a BigInt (the wasm JS API): any 64-bit value, from the same generator.
        const args: (number | bigint)[] = params.map((t, i) =>
          t === 'i64' ? BigInt.asIntN(64, (BigInt(arg()) << 32n) | BigInt(arg() >>> 0))
            : name === 'iacsec_pbkdf2_sha256' && i === 6 ? [0, 1, 2, 1000, SIZES.PBKDF2_MAX_ITERATIONS + 1, -1][ctx.rng.below(6)] : arg());
        calls++;
        let r: number;
        try {
          r = (raw[name] as (...a: (number | bigint)[]) => number)(...args);
        } catch (e) {
          traps++;
          if (traps <= 10) ctx.log(`TRAP ${name}(${args.join(', ')}): ${(e as Error).message}`);
          continue;
        }
        if (arity === 0 || typeof r !== 'number') continue;
        if (name.endsWith('_init') && r > 0) { handles.push(r); continue; }
        if (name === 'iacsec_state_export' && r > 1) continue;
        if (name === 'iacsec_fw_state_read' && r === SIZES.FW_STATE_BYTES) continue;
        seen.add(r);
        if (!codes.has(r)) {
          undocumented++;
          if (undocumented <= 10) ctx.log(`UNDOCUMENTED ${name}(${args.join(', ')}) -> ${r}`);
        }
      }
    }
    for (const h of handles) { raw.iacsec_sha256_abort?.(h); raw.iacsec_sha512_abort?.(h); }
    const whole = api.selftest() === 0
      && Buffer.from(api.sha256(enc('abc'))).toString('hex') === 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    ctx.log(`${calls} calls over ${names.length} exports (${FUZZ_ROUNDS} rounds, seeded); ${traps} traps; ${undocumented} undocumented statuses; statuses seen: ${[...seen].sort((a, b) => a - b).join(' ')}`);
    ctx.log(`afterwards: self-test and SHA-256("abc") ${whole ? 'correct' : 'WRONG'}`);
    return outcome(traps === 0 && undocumented === 0 && whole,
      `${calls} calls over ${names.length} exports: no trap, only documented statuses, module whole afterwards`,
      `${traps} traps, ${undocumented} undocumented statuses, module ${whole ? 'whole' : 'damaged'} afterwards`,
      { calls, exports: names.length, traps, undocumentedStatuses: undocumented, distinctStatuses: seen.size });
  },
};

const fwInstall: Check = {
  id: 'fw.install-update',
  title: 'A signed update installs, raises the stored counter, and is recorded',
  requirements: ['EDR 3.10'],
  kind: 'capability',
  part: 'firmware',
  remedy: 'accept a correctly signed manifest and image through iacsec_fw_begin/update/finish and raise the counter',
  async run(ctx) {
    const sup = ctx.key('supplier');
    const { fw } = await provisioned(ctx, [sup]);
    const t = new Tally(ctx);
    const image = ctx.rng.bytes(200_000);
    const m1 = await manifestFor(sup, image, { counter: 3 });
    ctx.input('update-3.cose', m1);
    t.expect('install counter 3 (200000-byte image, 4 chunks)', 'OK', await attempt(fw, m1, image));
    t.expect('stored counter', '3', String(fw.securityCounter('gateway-fw')));
    const m2 = await manifestFor(sup, image, { counter: 4 });
    t.expect('install counter 4', 'OK', await attempt(fw, m2, image));
    t.expect('stored counter', '4', String(fw.securityCounter('gateway-fw')));
    const kinds = fw.events.map((e) => e.type);
    t.expect('events recorded', 'FW_ACCEPTED,COUNTER_RAISED', [...new Set(kinds.filter((k) => k === 'FW_ACCEPTED' || k === 'COUNTER_RAISED'))].join(','));
    return outcome(t.ok, 'two signed updates installed; counter raised to 4; events recorded', t.describe(), { installed: t.accepted, imageBytes: image.byteLength });
  },
};

const fwForged: Check = {
  id: 'fw.forged-signature',
  title: 'An update whose signature is forged, changed, or made by an unknown key is refused',
  requirements: ['EDR 3.10 RE1', 'CR 3.4 RE1'],
  kind: 'capability',
  part: 'firmware',
  remedy: 'verify the COSE_Sign1 signature with the trust anchor named by kid before anything else is used',
  async run(ctx) {
    const sup = ctx.key('supplier');
    const stranger = ctx.key('stranger');
    const { fw } = await provisioned(ctx, [sup]);
    const t = new Tally(ctx);
    const image = ctx.rng.bytes(4096);
    const good = await manifestFor(sup, image, { counter: 2 });
    ctx.input('good.cose', good);
    const sigFlip = flip(good, good.byteLength - 10);
    ctx.input('signature-bit-flipped.cose', sigFlip);
    t.expect('signature with one bit flipped', 'ERR_INVALID', await attempt(fw, sigFlip, image));
    // The same kid, but signed by another key: a forgery.
    const forged = await manifestFor({ ...stranger, kid: sup.kid }, image, { counter: 2 });
    ctx.input('forged-same-kid.cose', forged);
    t.expect('signed by another key under the supplier\'s kid', 'ERR_INVALID', await attempt(fw, forged, image));
    const unknown = await manifestFor(stranger, image, { counter: 2 });
    t.expect('signed by a key no anchor has', 'ERR_UNKNOWN_KEY', await attempt(fw, unknown, image));
    // Change the payload (a version text byte) after signing.
    const at = Buffer.from(good).indexOf(Buffer.from('1.0.2'));
    const payloadChanged = flip(good, at + 4, 0x02);
    t.expect('payload changed after signing', 'ERR_INVALID', await attempt(fw, payloadChanged, image));
    t.expect('the genuine update still installs', 'OK', await attempt(fw, good, image));
    return outcome(t.ok, `${t.rejected} forged or changed manifests refused; the genuine one accepted`, t.describe(),
      { rejected: t.rejected, accepted: t.accepted, cases: t.cases.length });
  },
};

const fwRollback: Check = {
  id: 'fw.anti-rollback',
  title: 'An update with a lower security counter is refused, also after a restart from sealed state',
  requirements: ['EDR 3.10 RE1'],
  kind: 'capability',
  part: 'firmware',
  remedy: 'compare the manifest\'s security counter with the stored one before accepting, and persist the counters in sealed state',
  async run(ctx) {
    const sup = ctx.key('supplier');
    const { fw } = await provisioned(ctx, [sup]);
    const t = new Tally(ctx);
    const image = ctx.rng.bytes(1024);
    const m = async (c: number) => manifestFor(sup, image, { counter: c });
    t.expect('install counter 5', 'OK', await attempt(fw, await m(5), image));
    const old = await m(4);
    ctx.input('counter-4.cose', old);
    t.expect('install counter 4 after 5', 'ERR_ROLLBACK', await attempt(fw, old, image));
    t.expect('boot image with counter 4 after 5', 'ERR_ROLLBACK', await attempt(fw, old, image, 'boot'));
    t.expect('install counter 5 again', 'OK', await attempt(fw, await m(5), image));
    t.expect('stored counter', '5', String(fw.securityCounter('gateway-fw')));
    // Restart: seal, export, import into a fresh module.
    const sealKey = ctx.rng.bytes(32);
    fw.setSealKey(sealKey);
    const blob = fw.exportState();
    ctx.input('sealed-state.bin', blob);
    const fresh = firmware(await ctx.load());
    fresh.setSealKey(sealKey);
    fresh.importState(blob);
    t.expect('after restart: stored counter', '5', String(fresh.securityCounter('gateway-fw')));
    t.expect('after restart: install counter 4', 'ERR_ROLLBACK', await attempt(fresh, old, image));
    t.expect('after restart: install counter 6', 'OK', await attempt(fresh, await m(6), image));
    return outcome(t.ok, 'older counters refused before and after a restart; equal and newer accepted', t.describe(),
      { rejected: t.rejected, accepted: t.accepted });
  },
};

const fwImage: Check = {
  id: 'fw.image-integrity',
  title: 'An image changed in any bit, cut short or extended is refused',
  requirements: ['CR 3.4'],
  kind: 'capability',
  part: 'firmware',
  remedy: 'stream the whole image through the digest, compare size and digest before accepting',
  async run(ctx) {
    const sup = ctx.key('supplier');
    const { fw } = await provisioned(ctx, [sup]);
    const t = new Tally(ctx);
    const image = ctx.rng.bytes(150_000);
    const m = await manifestFor(sup, image, { counter: 1 });
    ctx.input('manifest.cose', m);
    const positions = [0, 1, 65_535, 65_536, 131_072, image.byteLength - 1];
    for (let i = 0; i < 10; i++) positions.push(ctx.rng.below(image.byteLength));
    for (const p of positions) t.expect(`bit flipped at byte ${p}`, 'ERR_DIGEST', await attempt(fw, m, flip(image, p, 1 << (p % 8))));
    t.expect('image one byte short', 'ERR_SIZE', await attempt(fw, m, image.subarray(0, image.byteLength - 1)));
    const longer = new Uint8Array(image.byteLength + 1); longer.set(image);
    t.expect('image one byte longer', 'ERR_SIZE', await attempt(fw, m, longer));
    t.expect('the image as signed', 'OK', await attempt(fw, m, image));
    return outcome(t.ok, `${t.rejected} changed, short or long images refused; the signed image accepted`, t.describe(),
      { rejected: t.rejected, bitFlips: positions.length, imageBytes: image.byteLength });
  },
};

const stateIntegrity: Check = {
  id: 'state.sealed-integrity',
  title: 'The sealed state (anchors, revocations, counters) is refused on import when any bit of it changed or it was sealed with another key',
  requirements: ['CR 3.4'],
  kind: 'capability',
  part: 'firmware',
  remedy: 'check the HMAC-SHA256 seal of the state blob in constant time before using any field, all or nothing',
  async run(ctx) {
    const sup = ctx.key('supplier');
    const { fw } = await provisioned(ctx, [sup]);
    const image = ctx.rng.bytes(512);
    await attempt(fw, await manifestFor(sup, image, { counter: 9 }), image);
    const key = ctx.rng.bytes(32);
    fw.setSealKey(key);
    const blob = fw.exportState();
    ctx.input('sealed-state.bin', blob);
    const t = new Tally(ctx);
    const tryImport = async (b: Uint8Array, k: Uint8Array) => {
      const f = firmware(await ctx.load());
      f.setSealKey(k);
      try { f.importState(b); return `OK counter ${f.securityCounter('gateway-fw')}`; } catch (e) { return (e as { status?: string }).status ?? String(e); }
    };
    t.expect('the blob as exported', 'OK counter 9', await tryImport(blob, key));
    const positions = [0, 8, blob.byteLength >> 1, blob.byteLength - 33, blob.byteLength - 1];
    for (let i = 0; i < 8; i++) positions.push(ctx.rng.below(blob.byteLength));
    let refused = 0;
    for (const p of positions) {
      const got = await tryImport(flip(blob, p, 1 << (p % 8)), key);
      if (!got.startsWith('OK')) refused++;
      t.expect(`bit flipped at byte ${p}`, 'refused', got.startsWith('OK') ? got : 'refused');
    }
    const other = ctx.rng.bytes(32);
    t.expect('sealed with another key', 'refused', (await tryImport(blob, other)).startsWith('OK') ? 'accepted' : 'refused');
    t.expect('cut short by one byte', 'refused', (await tryImport(blob.subarray(0, blob.byteLength - 1), key)).startsWith('OK') ? 'accepted' : 'refused');
    return outcome(t.ok, `${t.cases.length - 1} changed or wrongly keyed blobs refused; the genuine one restores counter 9`, t.describe(),
      { bitFlips: positions.length, refused: refused + 2, blobBytes: blob.byteLength });
  },
};

const fwNotify: Check = {
  id: 'fw.integrity-notification',
  title: 'A refused image or boot check queues an event record naming the reason, for the audit log',
  requirements: ['CR 3.4 RE2'],
  kind: 'capability',
  part: 'firmware',
  remedy: 'queue FW_REJECTED / BOOT_CHECK_FAILED records with the status for every refusal',
  async run(ctx) {
    const sup = ctx.key('supplier');
    const { fw } = await provisioned(ctx, [sup]);
    const t = new Tally(ctx);
    const image = ctx.rng.bytes(2048);
    const m = await manifestFor(sup, image, { counter: 1 });
    const bad = flip(image, 100);
    fw.events.length = 0;
    await attempt(fw, m, bad);
    await attempt(fw, m, bad, 'boot');
    const seen = fw.events.map((e) => `${e.type}:${e.status}`);
    ctx.log(`events: ${seen.join(', ')}`);
    t.expect('install of a changed image', 'FW_REJECTED:ERR_DIGEST', seen.find((s) => s.startsWith('FW_REJECTED')) ?? 'no event');
    t.expect('boot check of a changed image', 'BOOT_CHECK_FAILED:ERR_DIGEST', seen.find((s) => s.startsWith('BOOT_CHECK_FAILED')) ?? 'no event');
    return outcome(t.ok, 'each refusal queued an event with its reason', t.describe(), { events: seen.length });
  },
};

const supplierRoots: Check = {
  id: 'roots.supplier-provisioning',
  title: 'Supplier roots of trust are provisioned once; after closing, no anchor or device identity can be added or changed directly',
  requirements: ['EDR 3.12'],
  kind: 'capability',
  part: 'firmware',
  remedy: 'refuse iacsec_device_set and iacsec_anchor_add_supplier once provisioning is closed',
  async run(ctx) {
    const sup = ctx.key('supplier');
    const extra = ctx.key('extra');
    const { api, fw } = await provisioned(ctx, [sup]);
    const t = new Tally(ctx);
    t.expect('provisioning open after close', 'false', String(fw.provisioningOpen()));
    const raw = api.raw;
    const io = api.ioPtr;
    api.heap().set(extra.kid, io);
    api.heap().set(extra.publicKey, io + 64);
    const st = (c: number) => (c === 0 ? 'OK' : Object.values(STATUS).find((s) => s.code === c)?.name ?? String(c));
    t.expect('add a supplier anchor after close', 'ERR_UNAUTHORIZED', st(raw.iacsec_anchor_add_supplier(io, extra.kid.byteLength, io + 64, 32, -8)));
    t.expect('change the device identity after close', 'ERR_UNAUTHORIZED', st(raw.iacsec_device_set(io + 128, io + 144)));
    const anchors = fw.anchors();
    t.expect('anchors held', 'supplier', anchors.map((a) => a.role).join(','));
    t.expect('PROVISIONING_CLOSED recorded', 'true', String(fw.events.some((e) => e.type === 'PROVISIONING_CLOSED')));
    return outcome(t.ok, 'one supplier anchor provisioned; direct changes after closing refused', t.describe(), { anchors: anchors.length, rejected: t.rejected });
  },
};

const ownerRoots: Check = {
  id: 'roots.owner-statement',
  title: 'An asset-owner root of trust is added only by a statement signed by a supplier anchor',
  requirements: ['EDR 3.13'],
  kind: 'capability',
  part: 'firmware',
  remedy: 'accept add-owner statements only with a valid signature of a non-revoked supplier anchor for this vendor and class',
  async run(ctx) {
    const sup = ctx.key('supplier');
    const owner = ctx.key('owner');
    const other = ctx.key('other-owner');
    const { fw } = await provisioned(ctx, [sup]);
    const t = new Tally(ctx);
    const image = ctx.rng.bytes(1024);
    const byOwner = statementFor(owner, { operation: 'add-owner', kid: other.kid, publicKey: other });
    t.expect('add-owner signed by a key that is no anchor', 'ERR_UNKNOWN_KEY', await applyStatement(fw, byOwner));
    const good = statementFor(sup, { operation: 'add-owner', kid: owner.kid, publicKey: owner, components: [COMPONENT] });
    ctx.input('add-owner.cose', good);
    t.expect('add-owner with its signature changed', 'ERR_INVALID', await applyStatement(fw, flip(good, good.byteLength - 5)));
    t.expect('update signed by the owner before it is added', 'ERR_UNKNOWN_KEY', await attempt(fw, await manifestFor(owner, image, { counter: 1 }), image));
    t.expect('add-owner signed by the supplier', 'OK', await applyStatement(fw, good));
    t.expect('anchors held', 'supplier,owner', fw.anchors().map((a) => a.role).join(','));
    t.expect('update signed by the owner anchor', 'OK', await attempt(fw, await manifestFor(owner, image, { counter: 1 }), image));
    const ownerAdds = statementFor(owner, { operation: 'add-owner', kid: other.kid, publicKey: other });
    t.expect('add-owner signed by the owner anchor (not a supplier)', 'ERR_UNAUTHORIZED', await applyStatement(fw, ownerAdds));
    return outcome(t.ok, 'owner anchor added only by the supplier-signed statement; other statements refused', t.describe(), { rejected: t.rejected, accepted: t.accepted });
  },
};

const revocation: Check = {
  id: 'roots.revocation',
  title: 'A key id revoked by a signed statement can no longer sign updates',
  requirements: ['EDR 3.13', 'CR 1.9'],
  kind: 'capability',
  part: 'firmware',
  remedy: 'check the revocation list and the anchor\'s revoked flag before verifying a signature',
  async run(ctx) {
    const sup = ctx.key('supplier');
    const sup2 = ctx.key('supplier-2');
    const { fw } = await provisioned(ctx, [sup, sup2]);
    const t = new Tally(ctx);
    const image = ctx.rng.bytes(1024);
    t.expect('update signed by supplier 2 before revocation', 'OK', await attempt(fw, await manifestFor(sup2, image, { counter: 1 }), image));
    const revoke = statementFor(sup, { operation: 'revoke', kid: sup2.kid });
    ctx.input('revoke.cose', revoke);
    t.expect('revoke supplier 2 (signed by supplier 1)', 'OK', await applyStatement(fw, revoke));
    const after = await manifestFor(sup2, image, { counter: 2 });
    ctx.input('by-revoked-key.cose', after);
    t.expect('update signed by the revoked key', 'ERR_REVOKED', await attempt(fw, after, image));
    t.expect('boot check of an image signed by the revoked key', 'ERR_REVOKED', await attempt(fw, after, image, 'boot'));
    t.expect('update signed by supplier 1', 'OK', await attempt(fw, await manifestFor(sup, image, { counter: 2 }), image));
    return outcome(t.ok, 'revoked key refused for install and boot; remaining anchor works', t.describe(), { rejected: t.rejected, accepted: t.accepted });
  },
};

const bootTamper: Check = {
  id: 'boot.tampered-image',
  title: 'The boot check passes the installed image, refuses a changed one, and changes no counter',
  requirements: ['EDR 3.14'],
  kind: 'capability',
  part: 'firmware',
  remedy: 'verify manifest and image digest at boot (purpose boot) before running the image',
  async run(ctx) {
    const sup = ctx.key('supplier');
    const { fw } = await provisioned(ctx, [sup]);
    const t = new Tally(ctx);
    const image = ctx.rng.bytes(70_000);
    const m = await manifestFor(sup, image, { counter: 7 });
    t.expect('install', 'OK', await attempt(fw, m, image));
    t.expect('boot check of the installed image', 'OK', await attempt(fw, m, image, 'boot'));
    t.expect('boot check of the image with one bit changed', 'ERR_DIGEST', await attempt(fw, m, flip(image, 69_999), 'boot'));
    t.expect('boot check of a manifest for another vendor', 'ERR_WRONG_VENDOR',
      await attempt(fw, await manifestFor(sup, image, { counter: 7, vendor: OTHER_VENDOR }), image, 'boot'));
    t.expect('counter unchanged by boot checks', '7', String(fw.securityCounter('gateway-fw')));
    t.expect('BOOT_CHECK_PASSED recorded', 'true', String(fw.events.some((e) => e.type === 'BOOT_CHECK_PASSED')));
    return outcome(t.ok, 'boot check passes the installed image and refuses changed ones', t.describe(), { rejected: t.rejected });
  },
};

const bootForged: Check = {
  id: 'boot.forged-signature',
  title: 'The boot check refuses an image whose manifest signature is forged',
  requirements: ['EDR 3.14 RE1'],
  kind: 'capability',
  part: 'firmware',
  remedy: 'verify the manifest signature against the roots of trust in the boot check',
  async run(ctx) {
    const sup = ctx.key('supplier');
    const stranger = ctx.key('stranger');
    const { fw } = await provisioned(ctx, [sup]);
    const t = new Tally(ctx);
    const image = ctx.rng.bytes(8192);
    const forged = await manifestFor({ ...stranger, kid: sup.kid }, image, { counter: 1 });
    ctx.input('forged-boot.cose', forged);
    t.expect('boot check, manifest signed by another key under the supplier\'s kid', 'ERR_INVALID', await attempt(fw, forged, image, 'boot'));
    const good = await manifestFor(sup, image, { counter: 1 });
    t.expect('boot check, signature bit flipped', 'ERR_INVALID', await attempt(fw, flip(good, good.byteLength - 3), image, 'boot'));
    t.expect('boot check, genuine manifest', 'OK', await attempt(fw, good, image, 'boot'));
    return outcome(t.ok, 'forged boot manifests refused; the genuine one passes', t.describe(), { rejected: t.rejected });
  },
};

// ---- profile checks (SL-A) ----

const profileBoot: Check = {
  id: 'profile.boot-check',
  title: 'The deployment runs the boot check before starting the image',
  requirements: ['EDR 3.14'],
  kind: 'profile',
  remedy: 'set firmware.bootCheck to true in the profile (run `iacsec verify-boot` at every start)',
  run: (ctx) => outcome(ctx.profile.firmware?.bootCheck === true, 'firmware.bootCheck is true', 'firmware.bootCheck is not true'),
};

const profileState: Check = {
  id: 'profile.state-persisted',
  title: 'The deployment persists the sealed state, so anti-rollback counters survive a restart',
  requirements: ['EDR 3.10 RE1'],
  kind: 'profile',
  remedy: 'set state.persist to true (use the host state store, `--state DIR`)',
  run: (ctx) => outcome(ctx.profile.state?.persist === true, 'state.persist is true', 'state.persist is not true: counters reset at restart, rollback possible'),
};

const profileProvisioning: Check = {
  id: 'profile.provisioning-closed',
  title: 'The deployment closes provisioning with at least one supplier anchor',
  requirements: ['EDR 3.12'],
  kind: 'profile',
  remedy: 'set provisioning.closed to true and provision at least one supplier anchor',
  run: (ctx) => {
    const p = ctx.profile.provisioning;
    return outcome(p?.closed === true && (p.supplierAnchors ?? 0) >= 1, 'provisioning closed with supplier anchors',
      'provisioning is left open or has no supplier anchor');
  },
};

const profileChain: Check = {
  id: 'profile.audit-chain',
  title: 'The audit log is kept as a hash chain, so changes to it are evident',
  requirements: ['CR 3.9'],
  kind: 'profile',
  remedy: 'set audit.enabled and audit.chain to true',
  run: (ctx) => outcome(ctx.profile.audit?.enabled === true && ctx.profile.audit.chain === true, 'audit.chain is on', 'audit.chain is off (or audit disabled)'),
};

const profileSelftest: Check = {
  id: 'profile.selftest-periodic',
  title: 'The deployment re-runs the self-test periodically during operation (at most every 24 hours)',
  requirements: ['CR 3.3 RE1'],
  kind: 'profile',
  remedy: 'set selftest.periodicSeconds to a value from 1 to 86400',
  run: (ctx) => {
    const s = ctx.profile.selftest?.periodicSeconds;
    return outcome(typeof s === 'number' && s >= 1 && s <= 86_400, `self-test every ${s} s`, 'no periodic self-test configured');
  },
};

const sessionIntegrity: Check = {
  id: 'session.integrity',
  title: 'Session ids are 128 random bits, never reused; forged, ended, expired and malformed ids are refused and recorded',
  requirements: ['CR 3.8'],
  kind: 'capability',
  part: 'access',
  remedy: 'draw session ids from the host CSPRNG, compare them in constant time, forget ended ids at once and refuse every unknown one',
  async run(ctx) {
    const t = new Tally(ctx);
    const b = await accessBench(ctx, { profile: { idleLock: 300, idleTerminate: 600 } });
    b.addUser('ann', 'turbine hall north 7', ROLE.viewer);
    const login = () => b.a.login({ user: 'ann', password: 'turbine hall north 7', source: 's', iface: 1 }).session;
    const seen = new Set<string>();
    let reused = 0; let deadAfterLogout = 0;
    const LOGINS = 200;
    for (let i = 0; i < LOGINS; i++) {
      const s = login();
      if (seen.has(s)) reused++;
      seen.add(s);
      b.a.logout(s);
      if (b.a.decide(s, 'PROCESS_READ') === 'ERR_SESSION') deadAfterLogout++;
    }
    t.expect(`${LOGINS} logins: ids reused`, '0', String(reused));
    t.expect(`${LOGINS} logouts: the ended id refused`, String(LOGINS), String(deadAfterLogout));
    // Every hex position takes many values: the ids are not a counter or a timestamp.
    const ids = [...seen];
    let spread = 0;
    for (let pos = 0; pos < 32; pos++) if (new Set(ids.map((x) => x[pos])).size >= 12) spread++;
    t.expect('hex positions taking 12 or more of 16 values', '32', String(spread));
    const live = login();
    b.take();
    let forgedRefused = 0;
    for (let bit = 0; bit < 128; bit++) {
      const bytes = Buffer.from(live, 'hex');
      bytes[bit >> 3] ^= 1 << (bit & 7);
      if (b.a.decide(bytes.toString('hex'), 'PROCESS_READ') === 'ERR_SESSION') forgedRefused++;
    }
    t.expect('the live id with any one of its 128 bits flipped', '128', String(forgedRefused));
    t.expect('refusals recorded', '128', String(b.take().filter((e) => e.type === 'SESSION_REJECTED').length));
    t.expect('a malformed id', 'ERR_SESSION', b.a.decide('not-a-session', 'PROCESS_READ'));
    t.expect('the live id itself still works', 'OK', b.a.decide(live, 'PROCESS_READ'));
    b.take();
    b.tick(600_000);
    t.expect('an expired id (idle 600 s)', 'ERR_SESSION', b.a.decide(live, 'PROCESS_READ'));
    t.expect('after an expiry: recorded', 'SESSION_EXPIRED', types(b.take()));
    t.expect('logout of an ended id', 'ERR_SESSION', status(() => b.a.logout(live)));
    return outcome(t.ok, `${LOGINS} ids unique and spread; 128 one-bit forgeries, ended, expired and malformed ids refused`, t.describe(),
      { logins: LOGINS, forgeries: 128, cases: t.cases.length });
  },
};

export const CHECKS: readonly Check[] = [
  selftestDetects, selftestRerun, gated, fuzz, fwInstall, fwForged, fwRollback, fwImage, stateIntegrity, fwNotify,
  supplierRoots, ownerRoots, revocation, bootTamper, bootForged, sessionIntegrity,
  profileBoot, profileState, profileProvisioning, profileChain, profileSelftest,
  ...AUDIT_FR3_CHECKS,
  gatewayIntegrity, gatewayAuthentication, profileGatewayChannels, profileGatewayClients,
];

