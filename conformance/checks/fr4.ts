// FR4 Data confidentiality: information confidentiality in transit through the
// OPC UA gateway (CR 4.1; each check naming CR 4.1 must pass for the item to
// pass, so a check of information at rest joins it here), information persistence (CR 4.2) and the use of
// cryptography (CR 4.3), whose signature vectors also show the strength of
// public key-based authentication (CR 1.9) and that verification reports a
// single code (CR 3.7). See registry.ts for the check interface.

import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { STATUS } from '../../bindings/abi.js';
import { outcome, type Check, type CheckContext } from './registry.js';
import { gatewayConfidentiality, profileGatewayEncryption } from './_gateway_checks.js';

const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));

interface WycheproofFile { testGroups: { publicKey?: Record<string, string>; tests: Record<string, unknown>[]; [k: string]: unknown }[] }

function wycheproof(ctx: CheckContext, name: string): WycheproofFile {
  return JSON.parse(readFileSync(`${ctx.root}tests/vectors/wycheproof/${name}.json`, 'utf8')) as WycheproofFile;
}

const signatures: Check = {
  id: 'crypto.signature-vectors',
  title: 'Every Wycheproof Ed25519 and ECDSA P-256 case gives the expected answer, and every refusal is the one code ERR_INVALID',
  requirements: ['CR 4.3', 'CR 1.9', 'CR 3.7'],
  kind: 'capability',
  part: 'core',
  remedy: 'apply the verification policy of the README (Ed25519: S < L, canonical A and R, no small-order A; P-256: r, s in [1, n-1], key on the curve)',
  async run(ctx) {
    const api = await ctx.load();
    const io = api.ioPtr;
    let cases = 0; let wrong = 0; let rejected = 0; let otherCodes = 0;
    const note = (name: string, tc: unknown, want: string, got: number) => {
      cases++;
      const ok = want === 'valid' ? got === STATUS.OK.code : got !== STATUS.OK.code;
      if (!ok) { wrong++; if (wrong <= 20) ctx.log(`WRONG ${name} tcId ${tc}: expected ${want}, status ${got}`); }
      if (want !== 'valid' && got !== STATUS.OK.code) {
        rejected++;
        if (got !== STATUS.ERR_INVALID.code) { otherCodes++; if (otherCodes <= 20) ctx.log(`CODE ${name} tcId ${tc}: refused with ${got}, not ERR_INVALID`); }
      }
    };
    const heap = () => api.heap();
    // Raw exports, to see the status itself (the typed API folds it into a boolean).
    for (const g of wycheproof(ctx, 'ed25519_test').testGroups) {
      const pk = hex(g.publicKey!.pk);
      for (const t of g.tests as { tcId: number; msg: string; sig: string; result: string }[]) {
        const msg = hex(t.msg); const sig = hex(t.sig);
        if (pk.byteLength !== 32 || sig.byteLength !== 64) { note('ed25519', t.tcId, t.result, api.ed25519Verify(pk, msg, sig) ? 0 : STATUS.ERR_INVALID.code); continue; }
        heap().set(pk, io); heap().set(sig, io + 32); heap().set(msg, io + 96);
        note('ed25519', t.tcId, t.result, api.raw.iacsec_ed25519_verify(io, io + 96, msg.byteLength, io + 32));
      }
    }
    for (const [file, format] of [['ecdsa_secp256r1_sha256_p1363_test', 0], ['ecdsa_secp256r1_sha256_test', 1]] as const) {
      for (const g of wycheproof(ctx, file).testGroups) {
        const pk = hex(g.publicKey!.uncompressed);
        for (const t of g.tests as { tcId: number; msg: string; sig: string; result: string }[]) {
          const msg = hex(t.msg); const sig = hex(t.sig);
          if (sig.byteLength > 72) { note(file, t.tcId, t.result, STATUS.ERR_INVALID.code); continue; }
          heap().set(pk, io); heap().set(sig, io + 80); heap().set(msg, io + 160);
          note(file, t.tcId, t.result, api.raw.iacsec_p256_verify(io, pk.byteLength, io + 160, msg.byteLength, io + 80, sig.byteLength, format));
        }
      }
    }
    ctx.log(`${cases} cases, ${wrong} wrong, ${rejected} refused, ${otherCodes} refused with another code than ERR_INVALID`);
    return outcome(wrong === 0 && otherCodes === 0, `${cases} Wycheproof cases as expected (${rejected} refused, each with ERR_INVALID)`,
      `${wrong} of ${cases} cases wrong, ${otherCodes} refusals with another code`, { cases, wrong, rejected, otherCodes });
  },
};

const hashes: Check = {
  id: 'crypto.hash-mac-kdf-vectors',
  title: 'SHA-256, SHA-512, HMAC and PBKDF2 agree with Wycheproof and with node:crypto over every length 0..300',
  requirements: ['CR 4.3'],
  kind: 'capability',
  part: 'core',
  remedy: 'fix the primitive that disagrees with the reference',
  async run(ctx) {
    const api = await ctx.load();
    let cases = 0; let wrong = 0;
    const same = (what: string, a: Uint8Array, b: Uint8Array) => {
      cases++;
      if (Buffer.compare(Buffer.from(a), Buffer.from(b)) !== 0) { wrong++; if (wrong <= 20) ctx.log(`WRONG ${what}`); }
    };
    for (let n = 0; n <= 300; n++) {
      const m = ctx.rng.bytes(n);
      same(`sha256 length ${n}`, api.sha256(m), new Uint8Array(createHash('sha256').update(m).digest()));
      same(`sha512 length ${n}`, api.sha512(m), new Uint8Array(createHash('sha512').update(m).digest()));
    }
    for (const [file, alg, fn] of [['hmac_sha256_test', 'sha256', api.hmacSha256.bind(api)], ['hmac_sha512_test', 'sha512', api.hmacSha512.bind(api)]] as const) {
      for (const g of wycheproof(ctx, file).testGroups) {
        for (const t of g.tests as { tcId: number; key: string; msg: string; tag: string; result: string }[]) {
          const tag = hex(t.tag);
          const mac = fn(hex(t.key), hex(t.msg)).subarray(0, tag.byteLength);
          const match = Buffer.compare(Buffer.from(mac), Buffer.from(tag)) === 0;
          cases++;
          if (match !== (t.result === 'valid')) { wrong++; if (wrong <= 20) ctx.log(`WRONG ${file} tcId ${t.tcId}`); }
        }
      }
      const k = ctx.rng.bytes(40); const m = ctx.rng.bytes(1000);
      same(`${file} against node:crypto`, fn(k, m), new Uint8Array(createHmac(alg, k).update(m).digest()));
    }
    let pbkdf2 = 0;
    for (const g of wycheproof(ctx, 'pbkdf2_hmacsha256_test').testGroups) {
      for (const t of g.tests as { tcId: number; password: string; salt: string; iterationCount: number; dkLen: number; dk: string }[]) {
        pbkdf2++;
        same(`pbkdf2 tcId ${t.tcId}`, api.pbkdf2Sha256(hex(t.password), hex(t.salt), t.iterationCount, t.dkLen), hex(t.dk));
      }
    }
    ctx.log(`${cases} cases (${pbkdf2} PBKDF2), ${wrong} wrong`);
    return outcome(wrong === 0, `${cases} hash, MAC and PBKDF2 cases agree with the references`, `${wrong} of ${cases} cases disagree`, { cases, wrong, pbkdf2 });
  },
};

const zeroize: Check = {
  id: 'zeroize.wipes-secrets',
  title: 'iacsec_zeroize leaves no copy of a signing seed in module memory and forgets the device key',
  requirements: ['CR 4.2'],
  kind: 'capability',
  part: 'core',
  remedy: 'wipe every cached secret (seed, device key) in iacsec_zeroize',
  async run(ctx) {
    const api = await ctx.load();
    const seed = ctx.rng.bytes(32);
    const count = () => {
      const b = Buffer.from(api.heap());
      let n = 0;
      for (let at = b.indexOf(Buffer.from(seed)); at >= 0; at = b.indexOf(Buffer.from(seed), at + 1)) n++;
      return n;
    };
    api.ed25519Sign(seed, new Uint8Array(8));
    const before = count();
    ctx.log(`copies of the seed in module memory after signing: ${before}`);
    let deviceKey = 'not in this build';
    const raw = api.raw as unknown as Record<string, (...a: number[]) => number>;
    if (typeof raw.iacsec_device_key_set === 'function') {
      api.heap().set(ctx.rng.bytes(32), api.ioPtr);
      const set = raw.iacsec_device_key_set(api.ioPtr);
      api.heap().fill(0, api.ioPtr, api.ioPtr + 32);
      deviceKey = set === 0 && raw.iacsec_device_public_key(api.ioPtr) === 0 ? 'set' : `not set (${set})`;
    }
    api.zeroize();
    const after = count();
    let deviceAfter = 'not in this build';
    if (typeof raw.iacsec_device_public_key === 'function') {
      const st = raw.iacsec_device_public_key(api.ioPtr);
      deviceAfter = st === STATUS.ERR_STATE.code ? 'gone' : `still there (status ${st})`;
    }
    ctx.log(`after zeroize: ${after} copies; device key ${deviceKey} before, ${deviceAfter} after`);
    const ok = after === 0 && (deviceKey === 'not in this build' || deviceAfter === 'gone');
    return outcome(ok, 'no copy of the seed left and the device key forgotten', `${after} copies left; device key ${deviceAfter}`,
      { copiesBefore: before, copiesAfter: after, deviceKey: deviceAfter });
  },
};

export const CHECKS: readonly Check[] = [gatewayConfidentiality, profileGatewayEncryption, signatures, hashes, zeroize];
