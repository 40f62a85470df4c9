// Signed firmware, host side: key files, deterministic manifest encoding,
// COSE_Sign1 interoperability (@noble/curves and node:crypto over the
// Sig_structure), and the firmware API over the module: provisioning, trust
// statements, verification with every rejection, counters, events, and the
// sealed state file.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { mkdtempSync, rmSync, statSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import {
  loadModule, Firmware, FirmwareError, IacsecError, anchorOf, decodeEvent, IMAGE_CHUNK_BYTES,
  cborDecode, encodeManifestPayload, decodeManifestPayload, encodeTrustStatement, sigStructure, signCoseSign1,
  decodeCoseSign1, signManifest, signTrustStatement, parseUuid, formatUuid,
  generateKey, defaultKid, coseKeyEncode, coseKeyDecode, privateKeyJson, publicKeyPem, parsePrivateKey, parsePublicKey,
  writeKeyFiles, openStateStore, readSealKeyFile, StateStoreError, writeFileAtomic,
} from '../../dist/host/index.js';
import { hex, toHex, seeded } from './_helpers.js';

const TMP = mkdtempSync(join(tmpdir(), 'iacsec-fwhost-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

const VENDOR = parseUuid('00112233-4455-6677-8899-aabbccddeeff');
const CLASS = parseUuid('0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0');
const OTHER = parseUuid('ffffffff-ffff-ffff-ffff-ffffffffffff');

// ---------------------------------------------------------------- keys

const FW = { component: 'gateway-fw' };

test('keygen: JWK private key file (0600), SPKI PEM and COSE_Key; node:crypto reads them; default kid', async () => {
  for (const alg of ['ed25519', 'p256']) {
    const key = generateKey(alg);
    assert.equal(toHex(key.kid), toHex(crypto.createHash('sha256').update(key.publicKey).digest().subarray(0, 8)));
    assert.equal(key.publicKey.byteLength, alg === 'ed25519' ? 32 : 65);
    const name = join(TMP, `k-${alg}`);
    const files = await writeKeyFiles(name, key);
    assert.equal(statSync(files.key).mode & 0o777, 0o600);
    await assert.rejects(writeKeyFiles(name, key), /EEXIST/, 'never overwrites a private key');

    const jwk = JSON.parse(readFileSync(files.key, 'utf8'));
    assert.equal(jwk.kty, alg === 'ed25519' ? 'OKP' : 'EC');
    assert.equal(jwk.crv, alg === 'ed25519' ? 'Ed25519' : 'P-256');
    assert.equal(jwk.alg, alg === 'ed25519' ? 'EdDSA' : 'ES256');
    assert.equal(jwk.kid, toHex(key.kid));
    // node:crypto takes the file as a standard JWK and derives the same public key as the PEM.
    const priv = crypto.createPrivateKey({ key: jwk, format: 'jwk' });
    const pemFromNode = crypto.createPublicKey(priv).export({ type: 'spki', format: 'pem' });
    assert.equal(readFileSync(files.pem, 'utf8'), pemFromNode);
    const back = parsePrivateKey(readFileSync(files.key, 'utf8'));
    assert.equal(toHex(back.secretKey), toHex(key.secretKey));
    assert.equal(toHex(back.kid), toHex(key.kid));

    // COSE_Key: labels 1, 2, 3, -1, -2[, -3] in that (deterministic) order.
    const ck = readFileSync(files.coseKey);
    const m = cborDecode(ck);
    assert.deepEqual([...m.keys()], alg === 'ed25519' ? [1, 2, 3, -1, -2] : [1, 2, 3, -1, -2, -3]);
    assert.equal(m.get(1), alg === 'ed25519' ? 1 : 2);
    assert.equal(m.get(3), alg === 'ed25519' ? -8 : -7);
    assert.equal(m.get(-1), alg === 'ed25519' ? 6 : 1);
    assert.equal(toHex(m.get(2)), toHex(key.kid));
    for (const f of [files.coseKey, files.pem, files.key]) {
      const pub = parsePublicKey(readFileSync(f));
      assert.equal(pub.alg, alg, f);
      assert.equal(toHex(pub.publicKey), toHex(key.publicKey), f);
      assert.equal(toHex(pub.kid), toHex(key.kid), f);
    }
  }
  const withKid = generateKey('ed25519', hex('0102'));
  assert.equal(toHex(coseKeyDecode(coseKeyEncode(withKid)).kid), '0102');
  assert.throws(() => generateKey('ed25519', new Uint8Array(33)), /kid/);
  assert.throws(() => parsePrivateKey('{"kty":"OKP","crv":"Ed25519","x":"AA","d":"AA"}'), /32 bytes/);
  const k = generateKey('ed25519');
  const other = generateKey('ed25519');
  const mixed = JSON.parse(privateKeyJson(k));
  mixed.x = Buffer.from(other.publicKey).toString('base64url');
  assert.throws(() => parsePrivateKey(JSON.stringify(mixed)), /does not match/);
  assert.match(publicKeyPem(k), /^-----BEGIN PUBLIC KEY-----/);
});

// ---------------------------------------------------------------- encoding

test('manifest payload: deterministic CBOR, integer keys ascending, shortest forms (exact bytes)', () => {
  const vendor = Uint8Array.from({ length: 16 }, (_, i) => i);
  const deviceClass = Uint8Array.from({ length: 16 }, (_, i) => 16 + i);
  const fields = { vendor, deviceClass, component: 'fw', version: '1.0', securityCounter: 24, imageSize: 256, digestAlg: 'sha256', digest: new Uint8Array(32).fill(0xaa) };
  const want = 'a8' + '0150' + toHex(vendor) + '0250' + toHex(deviceClass) + '03626677' + '0463312e30' + '051818' + '06190100' + '072f' + '085820' + 'aa'.repeat(32);
  assert.equal(toHex(encodeManifestPayload(fields)), want);
  const ext = encodeManifestPayload({ ...fields, extensions: new Map([[-2, 'b'], [-1, 'a']]) });
  assert.equal(toHex(ext), 'aa' + want.slice(2) + '2061612161' + '62', 'extensions after the critical keys, -1 before -2');

  const forms = [[0n, '00'], [23n, '17'], [24n, '1818'], [255n, '18ff'], [256n, '190100'], [65535n, '19ffff'], [65536n, '1a00010000'],
    [0xffff_ffffn, '1affffffff'], [0x1_0000_0000n, '1b0000000100000000'], [(1n << 64n) - 1n, '1bffffffffffffffff']];
  for (const [n, enc] of forms) {
    const bytes = toHex(encodeManifestPayload({ ...fields, securityCounter: n }));
    assert.ok(bytes.includes(`05${enc}06190100`), `counter ${n} encodes as ${enc}`);
    assert.equal(decodeManifestPayload(hex(bytes)).securityCounter, n);
  }
  assert.throws(() => encodeManifestPayload({ ...fields, securityCounter: 1n << 64n }), /2\^64/);
  assert.throws(() => encodeManifestPayload({ ...fields, securityCounter: -1 }), /2\^64/);
  assert.throws(() => encodeManifestPayload({ ...fields, securityCounter: 2 ** 53 }), /2\^64/, 'an unsafe number must come as a bigint');
  assert.throws(() => encodeManifestPayload({ ...fields, digestAlg: 'sha512' }), /64 bytes/);
  assert.throws(() => encodeManifestPayload({ ...fields, component: '' }), /component/);
  assert.throws(() => encodeManifestPayload({ ...fields, version: 'v'.repeat(33) }), /version/);
  assert.throws(() => encodeManifestPayload({ ...fields, vendor: new Uint8Array(15) }), /vendor/);

  const kid = hex('a1a2');
  const owner = generateKey('ed25519');
  assert.equal(toHex(encodeTrustStatement({ operation: 'revoke', kid, vendor, deviceClass })),
    'a4' + '0102' + '0242a1a2' + '0450' + toHex(vendor) + '0550' + toHex(deviceClass));
  assert.equal(toHex(encodeTrustStatement({ operation: 'add-owner', kid, publicKey: owner, vendor, deviceClass })),
    'a6' + '0101' + '0242a1a2' + '035820' + toHex(owner.publicKey) + '0450' + toHex(vendor) + '0550' + toHex(deviceClass) + '0627');
  assert.equal(formatUuid(parseUuid('00112233445566778899AABBCCDDEEFF')), '00112233-4455-6677-8899-aabbccddeeff');
  assert.throws(() => parseUuid('0011-2233'), /UUID/);
});

/** Sig_structure built by hand (RFC 9052 4.4), independent of the host's encoder. */
function handSigStructure(prot, payload) {
  const bstr = (b) => {
    const n = b.byteLength;
    const head = n < 24 ? [0x40 + n] : n < 256 ? [0x58, n] : [0x59, n >> 8, n & 255];
    return Buffer.concat([Buffer.from(head), Buffer.from(b)]);
  };
  return new Uint8Array(Buffer.concat([Buffer.from('846a5369676e617475726531', 'hex'), bstr(prot), Buffer.from([0x40]), bstr(payload)]));
}

test('COSE_Sign1 interop: the signature verifies with @noble/curves and node:crypto over a hand-built Sig_structure', async () => {
  for (const alg of ['ed25519', 'p256']) {
    for (const digestAlg of ['sha256', 'sha512']) {
      const key = generateKey(alg);
      const image = seeded(alg.length + digestAlg.length).bytes(5000);
      const msg = await signManifest({ key, image, vendor: VENDOR, deviceClass: CLASS, component: 'gateway-fw', version: '2.4.1', securityCounter: 7, digestAlg });
      assert.equal(msg[0], 0xd2, 'tag 18');
      const c = decodeCoseSign1(msg);
      assert.ok(c.tagged);
      assert.equal(c.unprotected.size, 0);
      assert.deepEqual([...c.protected.keys()], [1, 4]);
      assert.equal(c.protected.get(1), alg === 'ed25519' ? -8 : -7);
      assert.equal(toHex(c.protected.get(4)), toHex(key.kid));
      assert.equal(toHex(c.protectedBytes), `a201${alg === 'ed25519' ? '27' : '26'}0448${toHex(key.kid)}`);
      const ss = handSigStructure(c.protectedBytes, c.payload);
      assert.equal(toHex(sigStructure(c.protectedBytes, c.payload)), toHex(ss));
      assert.equal(c.signature.byteLength, 64);
      const pub = crypto.createPublicKey(publicKeyPem(key));
      if (alg === 'ed25519') {
        assert.ok(ed25519.verify(c.signature, ss, key.publicKey));
        assert.ok(crypto.verify(null, ss, pub, c.signature));
      } else {
        assert.ok(p256.verify(c.signature, ss, key.publicKey, { prehash: true, lowS: false }));
        assert.ok(crypto.verify('sha256', ss, { key: pub, dsaEncoding: 'ieee-p1363' }, c.signature));
      }
      const f = decodeManifestPayload(c.payload);
      assert.equal(toHex(f.digest), crypto.createHash(digestAlg).update(image).digest('hex'));
      assert.equal(f.imageSize, 5000n);
      assert.equal(f.securityCounter, 7n);
    }
  }
});

// ---------------------------------------------------------------- the module

const api = await loadModule();

async function device(supplier, { vendor = VENDOR, deviceClass = CLASS, onEvent } = {}) {
  const fw = new Firmware(await loadModule(), { onEvent });
  await fw.provision({ vendor, deviceClass, supplierAnchors: [anchorOf(supplier)] });
  return fw;
}

async function expectStatus(promise, status, reason) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof FirmwareError, `FirmwareError, got ${e}`);
    assert.ok(e instanceof IacsecError);
    assert.equal(e.status, status, e.message);
    if (reason) assert.match(e.reason, reason);
    assert.ok(e.message.includes(status));
    return true;
  });
}

const supEd = generateKey('ed25519');
const supP = generateKey('p256');

test('provision, then sign -> verify for both algorithms and both digests; events and counters', async () => {
  for (const sup of [supEd, supP]) {
    for (const digestAlg of ['sha256', 'sha512']) {
      const seen = [];
      const fw = await device(sup, { onEvent: (e) => seen.push(e) });
      assert.equal(fw.provisioningOpen(), false);
      assert.deepEqual(seen.map((e) => e.type), ['ANCHOR_ADDED', 'PROVISIONING_CLOSED']);
      assert.equal(seen[0].kid, toHex(sup.kid));
      assert.equal(seen[0].role, 'supplier');
      const an = fw.anchors();
      assert.equal(an.length, 1);
      assert.equal(an[0].role, 'supplier');
      assert.equal(an[0].alg, sup.alg);
      assert.equal(an[0].revoked, false);
      assert.equal(an[0].kidHex, toHex(sup.kid));
      assert.equal(toHex(an[0].publicKey), toHex(sup.publicKey));

      const image = seeded(3).bytes(200_001);
      const m = await signManifest({ key: sup, image, vendor: VENDOR, deviceClass: CLASS, component: 'gateway-fw', version: '2.4.1', securityCounter: 5n, digestAlg });
      const boot = await fw.verifyFirmware(m, image, { purpose: 'boot', component: 'gateway-fw' });
      assert.equal(boot.version, '2.4.1');
      assert.equal(fw.securityCounter('gateway-fw'), 0n, 'a boot check changes no counter');
      const f = await fw.verifyFirmware(m, image, { purpose: 'install', component: 'gateway-fw' });
      assert.equal(f.component, 'gateway-fw');
      assert.equal(f.securityCounter, 5n);
      assert.equal(f.imageSize, 200_001n);
      assert.equal(f.digestAlg, digestAlg);
      assert.equal(formatUuid(f.vendor), formatUuid(VENDOR));
      assert.equal(formatUuid(f.deviceClass), formatUuid(CLASS));
      assert.equal(fw.securityCounter('gateway-fw'), 5n);
      assert.equal(fw.securityCounter('other'), 0n);
      const types = seen.map((e) => e.type);
      assert.ok(types.includes('BOOT_CHECK_PASSED'), types.join());
      assert.ok(types.includes('FW_ACCEPTED'), types.join());
      assert.ok(types.includes('COUNTER_RAISED'), types.join());
      const acc = seen.find((e) => e.type === 'FW_ACCEPTED');
      assert.equal(acc.a, 5n);
      assert.equal(acc.b, 200_001n);
      assert.equal(acc.status, 'OK');
      const raised = seen.find((e) => e.type === 'COUNTER_RAISED');
      assert.equal(raised.b, 5n);
      for (let i = 1; i < seen.length; i++) assert.equal(seen[i].sequence, seen[i - 1].sequence + 1, 'sequence numbers consecutive');
      assert.deepEqual(fw.events, seen);
    }
  }
});

test('every rejection carries its status and reason; the event says FW_REJECTED', async () => {
  const fw = await device(supEd);
  const image = seeded(9).bytes(70_000);
  const base = { key: supEd, image, vendor: VENDOR, deviceClass: CLASS, component: 'gateway-fw', version: '3', securityCounter: 10 };
  const good = await signManifest(base);
  await fw.verifyFirmware(good, image, FW);

  const tampered = image.slice(); tampered[12345] ^= 1;
  await expectStatus(fw.verifyFirmware(good, tampered, FW), 'ERR_DIGEST', /digest/);
  await expectStatus(fw.verifyFirmware(good, image.subarray(0, image.length - 1), FW), 'ERR_SIZE', /shorter than the 70000 bytes/);
  const longer = new Uint8Array(image.length + 1); longer.set(image);
  await expectStatus(fw.verifyFirmware(good, longer, FW), 'ERR_SIZE', /longer than the 70000 bytes/);

  // A changed byte in the signed payload (the version text): the signature no longer verifies.
  const badManifest = good.slice();
  const at = Buffer.from(badManifest).indexOf(Buffer.from('gateway-fw'));
  badManifest[at] ^= 0x20;
  await expectStatus(fw.verifyFirmware(badManifest, image, FW), 'ERR_INVALID', /signature/);
  const badSig = good.slice(); badSig[badSig.length - 1] ^= 1;
  await expectStatus(fw.verifyFirmware(badSig, image, FW), 'ERR_INVALID');
  await expectStatus(fw.verifyFirmware(good.subarray(0, 20), image, FW), 'ERR_MALFORMED');

  const stranger = generateKey('ed25519');
  await expectStatus(fw.verifyFirmware(await signManifest({ ...base, key: stranger }), image, FW), 'ERR_UNKNOWN_KEY', /key id/);
  // Same kid as the anchor, another key: the signature check fails.
  const impostor = { ...generateKey('ed25519'), kid: supEd.kid };
  await expectStatus(fw.verifyFirmware(await signManifest({ ...base, key: impostor }), image, FW), 'ERR_INVALID');
  await expectStatus(fw.verifyFirmware(await signManifest({ ...base, vendor: OTHER }), image, FW), 'ERR_WRONG_VENDOR', /vendor/);
  await expectStatus(fw.verifyFirmware(await signManifest({ ...base, deviceClass: OTHER }), image, FW), 'ERR_WRONG_CLASS', /class/);
  await expectStatus(fw.verifyFirmware(await signManifest({ ...base, securityCounter: 9 }), image, FW), 'ERR_ROLLBACK', /rollback/);
  await expectStatus(fw.verifyFirmware(await signManifest({ ...base, securityCounter: 9 }), image, { purpose: 'boot', component: 'gateway-fw' }), 'ERR_ROLLBACK');
  await fw.verifyFirmware(await signManifest({ ...base, securityCounter: 10 }), image, FW);
  assert.equal(fw.securityCounter('gateway-fw'), 10n);

  const big = new Uint8Array(3000);
  await expectStatus(fw.verifyFirmware(big, image, FW), 'ERR_LENGTH', /3000 bytes/);

  const rejectedEvents = fw.events.filter((e) => e.type === 'FW_REJECTED');
  const statuses = rejectedEvents.map((e) => e.status);
  for (const s of ['ERR_DIGEST', 'ERR_SIZE', 'ERR_INVALID', 'ERR_UNKNOWN_KEY', 'ERR_WRONG_VENDOR', 'ERR_WRONG_CLASS', 'ERR_ROLLBACK']) {
    assert.ok(statuses.includes(s), `${s} in ${statuses.join()}`);
  }
  const rb = rejectedEvents.find((e) => e.status === 'ERR_ROLLBACK');
  assert.equal(rb.component, 'gateway-fw');
  assert.equal(rb.kid, toHex(supEd.kid));

  // A failing image source aborts the session; the module is usable afterwards.
  async function* failing() { yield image.subarray(0, 100); throw new Error('disk read failed'); }
  await assert.rejects(fw.verifyFirmware(good, failing(), FW), /disk read failed/);
  await fw.verifyFirmware(good, image, FW);
});

test('verification before provisioning is refused; provisioning closes once', async () => {
  const fw = new Firmware(await loadModule());
  const image = new Uint8Array(10);
  const m = await signManifest({ key: supEd, image, vendor: VENDOR, deviceClass: CLASS, version: '1', securityCounter: 1 });
  const FIRMWARE = { component: 'firmware' };
  await expectStatus(fw.verifyFirmware(m, image, FIRMWARE), 'ERR_STATE');
  await fw.provision({ vendor: formatUuid(VENDOR), deviceClass: CLASS, supplierAnchors: [anchorOf(supEd), anchorOf(supP)] });
  assert.equal(fw.anchors().length, 2);
  await expectStatus(fw.provision({ vendor: VENDOR, deviceClass: CLASS, supplierAnchors: [anchorOf(supEd)] }), 'ERR_UNAUTHORIZED', /provisioning is closed/);
  await fw.verifyFirmware(m, image, FIRMWARE);
  // A fresh module given the same anchor twice: the cause is named.
  const twice = new Firmware(await loadModule());
  await expectStatus(twice.provision({ vendor: VENDOR, deviceClass: CLASS, supplierAnchors: [anchorOf(supEd), anchorOf(supEd)] }), 'ERR_EXISTS', /given twice/);
});

test('trust statements: add an asset-owner anchor, revoke it; owner statements are unauthorized', async () => {
  const fw = await device(supEd);
  const owner = generateKey('p256');
  const image = seeded(11).bytes(1000);
  const byOwner = await signManifest({ key: owner, image, vendor: VENDOR, deviceClass: CLASS, component: 'config', version: '1', securityCounter: 1 });
  const CONFIG = { component: 'config' };
  await expectStatus(fw.verifyFirmware(byOwner, image, CONFIG), 'ERR_UNKNOWN_KEY');

  await fw.applyTrustStatement(signTrustStatement(supEd, { operation: 'add-owner', kid: owner.kid, publicKey: owner, components: ['config'], vendor: VENDOR, deviceClass: CLASS }));
  await expectStatus(fw.applyTrustStatement(signTrustStatement(supEd, { operation: 'add-owner', kid: owner.kid, publicKey: owner, vendor: VENDOR, deviceClass: CLASS })),
    'ERR_EXISTS', /already a trust anchor/);
  const an = fw.anchors();
  assert.deepEqual(an.map((a) => a.role), ['supplier', 'owner']);
  assert.equal(an[1].alg, 'p256');
  assert.equal(toHex(an[1].publicKey), toHex(owner.publicKey));
  assert.ok(fw.events.some((e) => e.type === 'ANCHOR_ADDED' && e.kid === toHex(owner.kid)));
  const verified = await fw.verifyFirmware(byOwner, image, CONFIG);
  assert.deepEqual([verified.signer.kidHex, verified.signer.role], [toHex(owner.kid), 'owner']);
  // The owner may not sign the supplier's firmware slot.
  const ownerFirmware = await signManifest({ key: owner, image, vendor: VENDOR, deviceClass: CLASS, component: 'gateway-fw', version: '1', securityCounter: 99 });
  await expectStatus(fw.verifyFirmware(ownerFirmware, image, FW), 'ERR_UNAUTHORIZED', /not granted/);

  const ownerAddsAnother = signTrustStatement(owner, { operation: 'add-owner', kid: hex('0909'), publicKey: generateKey('ed25519'), vendor: VENDOR, deviceClass: CLASS });
  await expectStatus(fw.applyTrustStatement(ownerAddsAnother), 'ERR_UNAUTHORIZED', /only a supplier anchor/);
  await expectStatus(fw.applyTrustStatement(signTrustStatement(supEd, { operation: 'revoke', kid: owner.kid, vendor: OTHER, deviceClass: CLASS })), 'ERR_WRONG_VENDOR');
  await expectStatus(fw.applyTrustStatement(signTrustStatement(generateKey('ed25519'), { operation: 'revoke', kid: owner.kid, vendor: VENDOR, deviceClass: CLASS })), 'ERR_UNKNOWN_KEY');
  assert.ok(fw.events.some((e) => e.type === 'TRUST_STATEMENT_REJECTED'));

  await fw.applyTrustStatement(signTrustStatement(supEd, { operation: 'revoke', kid: owner.kid, vendor: VENDOR, deviceClass: CLASS }));
  assert.equal(fw.anchors().find((a) => a.kidHex === toHex(owner.kid)).revoked, true);
  await expectStatus(fw.verifyFirmware(byOwner, image, CONFIG), 'ERR_REVOKED', /signer's key id is revoked/);
  await expectStatus(fw.applyTrustStatement(signTrustStatement(supEd, { operation: 'revoke', kid: owner.kid, vendor: VENDOR, deviceClass: CLASS })),
    'ERR_EXISTS', /already revoked/);
  await expectStatus(fw.applyTrustStatement(signTrustStatement(supEd, { operation: 'add-owner', kid: owner.kid, publicKey: owner, vendor: VENDOR, deviceClass: CLASS })),
    'ERR_KID_REVOKED', /key id to add was revoked/);
  await expectStatus(fw.applyTrustStatement(signTrustStatement(supEd, { operation: 'revoke', kid: supEd.kid, vendor: VENDOR, deviceClass: CLASS })),
    'ERR_LAST_ANCHOR', /last active supplier anchor/);
  await expectStatus(fw.applyTrustStatement(signTrustStatement(supEd, { operation: 'revoke', kid: hex('77'), vendor: VENDOR, deviceClass: OTHER })),
    'ERR_WRONG_CLASS', /trust statement is for another device class/);
});

test('a 16 MiB image verified from an AsyncIterable, streamed in chunks through the I/O area', async () => {
  // The module's exports wrapped to record every iacsec_fw_update length.
  const mod = await loadModule();
  const updates = [];
  const raw = { ...mod.raw, iacsec_fw_update: (p, n) => { updates.push(n); return mod.raw.iacsec_fw_update(p, n); } };
  const fw = new Firmware({ raw, heap: () => mod.heap(), ioPtr: mod.ioPtr, ioBytes: mod.ioBytes });
  await fw.provision({ vendor: VENDOR, deviceClass: CLASS, supplierAnchors: [anchorOf(supP)] });
  const size = 16 * 1024 * 1024;
  assert.ok(api.heap().byteLength < size, 'module memory cannot hold the image: it must be streamed');
  const block = seeded(16).bytes(1 << 20);
  const chunkSizes = [1, 65535, 65536, 65537, 300_000, 1 << 20];
  async function* source(flip) {
    let sent = 0;
    let i = 0;
    while (sent < size) {
      const n = Math.min(chunkSizes[i++ % chunkSizes.length], size - sent);
      const c = new Uint8Array(n);
      for (let k = 0; k < n; k++) c[k] = block[(sent + k) & 0xfffff];
      if (flip && sent <= size - 7 && sent + n > size - 7) c[size - 7 - sent] ^= 0x80;
      sent += n;
      yield c;
    }
  }
  const h = crypto.createHash('sha512');
  for await (const c of source(false)) h.update(c);
  const digest = new Uint8Array(h.digest());
  const payload = encodeManifestPayload({ vendor: VENDOR, deviceClass: CLASS, component: 'gateway-fw', version: '16M', securityCounter: 1, imageSize: size, digestAlg: 'sha512', digest });
  const m = signCoseSign1(supP, payload);
  const f = await fw.verifyFirmware(m, source(false), { purpose: 'install', component: 'gateway-fw' });
  assert.equal(f.imageSize, BigInt(size));
  assert.equal(updates.reduce((x, y) => x + y, 0), size);
  assert.ok(Math.max(...updates) <= 65536 && updates.length >= size / 65536, `${updates.length} updates`);
  await expectStatus(fw.verifyFirmware(m, source(true), { purpose: 'boot', component: 'gateway-fw' }), 'ERR_DIGEST');
  assert.ok(IMAGE_CHUNK_BYTES <= api.ioBytes);
});

test('event records decode field by field', () => {
  const r = new Uint8Array(128);
  const dv = new DataView(r.buffer);
  dv.setUint16(0, 2, true); dv.setInt16(2, -13, true); dv.setUint32(4, 77, true);
  dv.setBigUint64(8, 4n, true); dv.setBigUint64(16, 5n, true);
  r[24] = 3; r.set([1, 2, 3], 25); r[57] = 2; r[58] = 2; r.set([0x66, 0x77], 59);
  assert.deepEqual(decodeEvent(r), {
    type: 'FW_REJECTED', typeCode: 2, status: 'ERR_ROLLBACK', statusCode: -13, sequence: 77, a: 4n, b: 5n,
    kid: '010203', role: 'owner', component: 'fw',
  });
});

// ---------------------------------------------------------------- state

test('state store: counters and anchors survive a restart; corrupted, wrongly keyed or truncated state is refused', async () => {
  const dir = mkdtempSync(join(TMP, 'state-'));
  const path = join(dir, 'state.bin');
  const sealKey = new Uint8Array(crypto.randomBytes(32));
  const image = seeded(21).bytes(4096);
  const m5 = await signManifest({ key: supEd, image, vendor: VENDOR, deviceClass: CLASS, component: 'gw', version: '5', securityCounter: 5 });
  const m4 = await signManifest({ key: supEd, image, vendor: VENDOR, deviceClass: CLASS, component: 'gw', version: '4', securityCounter: 4 });

  const a = new Firmware(await loadModule());
  const sa = await openStateStore(a, { path, sealKey });
  assert.equal(sa.imported, false);
  assert.equal(existsSync(path), false);
  await a.provision({ vendor: VENDOR, deviceClass: CLASS, supplierAnchors: [anchorOf(supEd)] });
  assert.equal(statSync(path).mode & 0o777, 0o600);
  await a.verifyFirmware(m5, image, { component: 'gw' });
  assert.deepEqual(readdirSync(dir).sort(), ['state.bin', 'state.bin.hwm'], 'no temporary or lock file left behind');
  const lastSeq = a.events.at(-1).sequence;

  const b = new Firmware(await loadModule());
  const sb = await openStateStore(b, { path, sealKey });
  assert.equal(sb.imported, true);
  assert.equal(b.events[0].type, 'STATE_IMPORTED');
  assert.ok(b.events[0].sequence > lastSeq, 'the event sequence continues across restarts');
  assert.equal(b.securityCounter('gw'), 5n);
  assert.equal(b.anchors()[0].kidHex, toHex(supEd.kid));
  assert.equal(b.provisioningOpen(), false);
  await expectStatus(b.verifyFirmware(m4, image, { component: 'gw' }), 'ERR_ROLLBACK');

  const blob = readFileSync(path);
  const refuse = async (bytes, key, status) => {
    const p = join(dir, `bad-${status}.bin`);
    writeFileSync(p, bytes);
    const fw = new Firmware(await loadModule());
    await assert.rejects(openStateStore(fw, { path: p, sealKey: key }), (e) => {
      assert.ok(e instanceof StateStoreError, String(e));
      assert.equal(e.cause.status, status);
      assert.match(e.message, /refused by the module/);
      return true;
    });
    assert.deepEqual([...readFileSync(p)], [...bytes], 'a refused file is left as it was');
    assert.equal(fw.provisioningOpen(), true, 'nothing imported');
    assert.ok(fw.events.some((e) => e.type === 'STATE_IMPORT_REJECTED'));
  };
  const flipped = Buffer.from(blob); flipped[flipped.length >> 1] ^= 1;
  await refuse(flipped, sealKey, 'ERR_INVALID');
  await refuse(blob, new Uint8Array(32).fill(7), 'ERR_INVALID');
  const badMagic = Buffer.from(blob); badMagic[0] ^= 1;
  await refuse(badMagic, sealKey, 'ERR_MALFORMED');
  await refuse(blob.subarray(0, 3), sealKey, 'ERR_MALFORMED');
});

test('state files: atomic write with mode 0600; sealing key file created 0600, refused when readable by others or not 32 bytes', async () => {
  const dir = mkdtempSync(join(TMP, 'files-'));
  const p = join(dir, 'x.bin');
  await writeFileAtomic(p, hex('0102'));
  await writeFileAtomic(p, hex('0304'));
  assert.equal(toHex(readFileSync(p)), '0304');
  assert.equal(statSync(p).mode & 0o777, 0o600);
  assert.deepEqual(readdirSync(dir), ['x.bin']);
  const kp = join(dir, 'sub', 'seal.key');
  await assert.rejects(readSealKeyFile(kp), /missing/);
  const k = await readSealKeyFile(kp, true);
  assert.equal(k.byteLength, 32);
  assert.equal(statSync(kp).mode & 0o777, 0o600);
  assert.equal(toHex(await readSealKeyFile(kp)), toHex(k));
  writeFileSync(join(dir, 'short.key'), new Uint8Array(31), { mode: 0o600 });
  await assert.rejects(readSealKeyFile(join(dir, 'short.key')), /32 bytes/);
  writeFileSync(join(dir, 'open.key'), new Uint8Array(32), { mode: 0o644 });
  await assert.rejects(readSealKeyFile(join(dir, 'open.key')), /accessible to others/);
});
