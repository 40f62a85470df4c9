// What the host reports is what the module verified (EDR 3.10 RE1): the
// unsigned unprotected header, and CBOR extensions a general-purpose decoder
// would honour, cannot change the fields the host returns; one firmware
// session per module, whatever wrapper drives it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { Firmware, FirmwareError, loadModule, anchorOf, generateKey, signBytes, parseUuid, cborDecode } from '../../dist/host/index.js';
import { cbor, Tag, sign1, payloadMap, enc, drainEvents, EDDSA } from './_manifest.js';
import { seeded } from './_helpers.js';

const VENDOR = parseUuid('00112233-4455-6677-8899-aabbccddeeff');
const CLASS = parseUuid('0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0');
const ROOT = new URL('../../', import.meta.url).pathname;

async function device() {
  const sup = generateKey('ed25519');
  const fw = new Firmware(await loadModule());
  await fw.provision({ vendor: VENDOR, deviceClass: CLASS, supplierAnchors: [anchorOf(sup)] });
  return { fw, sup };
}

/** A manifest signed over `fields`, with the given unprotected header (never signed). */
function signed(sup, fields, unprot, payload = cbor(payloadMap({ vendor: VENDOR, klass: CLASS, ...fields }))) {
  return sign1({ key: { alg: EDDSA, sign: (b) => signBytes(sup, b) }, prot: new Map([[1, EDDSA], [4, sup.kid]]), unprot, payload });
}

// Extension tags of general-purpose decoders (cbor-x: 0xdff9 bundled strings,
// 0xdfff / 0xe000.. records, 51 packed values, 28 / 29 shared references), each
// carrying what a forger would like the host to read.
function unprotectedVariants(forgedPayload) {
  const fake = cbor(new Tag([cbor(new Map([[1, EDDSA]])), new Map(), forgedPayload, new Uint8Array(64)], 18));
  return [
    ['bundled strings 0xdff9', new Map([[33, new Tag([3, 'bootloader', '9.9.9'], 0xdff9)]])],
    ['bundle over a bstr', new Map([[-1, new Tag([2, 1, fake], 0xdff9)], [-2, fake]])],
    ['record definition 0xdfff', new Map([[-3, new Tag([['component', 'securityCounter'], 'evil', 999], 0xdfff)]])],
    ['record 0xe000', new Map([[-4, new Tag(['evil', 999], 0xe000)]])],
    ['packed 51', new Map([[-5, new Tag(['evil', fake], 51)]])],
    ['shareable 28', new Map([[-6, new Tag(fake, 28)]])],
    ['shared reference 29', new Map([[-7, new Tag(0, 29)]])],
    ['payload in the header', new Map([[-8, forgedPayload], ['payload', fake]])],
  ];
}

test('unprotected-header forgeries: the host reports exactly the signed fields', async () => {
  const { fw, sup } = await device();
  const image = seeded(1).bytes(777);
  const forged = cbor(payloadMap({ vendor: VENDOR, klass: CLASS, name: 'bootloader', version: '9.9.9', counter: 1000, image: new Uint8Array(1) }));
  let counter = 10;
  for (const [name, unprot] of unprotectedVariants(forged)) {
    counter++;
    const m = signed(sup, { name: 'firmware', version: '2.7.0', counter, image }, unprot);
    let f;
    try {
      f = await fw.verifyFirmware(m, image, { purpose: 'install', component: 'firmware' });
    } catch (e) {
      // A variant the module refuses as malformed is no forgery either.
      assert.ok(e instanceof FirmwareError && e.status === 'ERR_MALFORMED', `${name}: ${e}`);
      continue;
    }
    assert.deepEqual([f.component, f.version, f.securityCounter, f.imageSize, f.digestAlg], ['firmware', '2.7.0', BigInt(counter), 777n, 'sha256'], name);
    assert.equal(fw.securityCounter('firmware'), BigInt(counter), name);
    assert.equal(fw.securityCounter('bootloader'), 0n, name);
  }
  assert.ok(fw.securityCounter('firmware') > 10n, 'at least one variant was accepted and checked');
});

test('vendor extensions the module accepts (tag 29, unassigned simple values) install through the host', async () => {
  const { fw, sup } = await device();
  const image = seeded(2).bytes(64);
  const extra = [[-1, new Tag(0, 29)], [-2, new Tag(new Uint8Array(3), 1234)]];
  const m = signed(sup, { name: 'firmware', version: '1.1', counter: 3, image, extra }, new Map());
  const f = await fw.verifyFirmware(m, image, { component: 'firmware' });
  assert.deepEqual([f.component, f.version, f.securityCounter], ['firmware', '1.1', 3n]);
  // Key -3 holding simple value 32 (unassigned): one more map entry, written by hand.
  const base = cbor(payloadMap({ vendor: VENDOR, klass: CLASS, name: 'firmware', version: '1.2', counter: 4, image }));
  assert.equal(base[0], 0xa8);
  const withSimple = Uint8Array.from([0xa9, ...base.subarray(1), 0x22, 0xf8, 0x20]);
  const g = await fw.verifyFirmware(signed(sup, {}, new Map(), withSimple), image, { component: 'firmware' });
  assert.deepEqual([g.version, g.securityCounter], ['1.2', 4n]);
});

test('the host decodes CBOR with one strict reader, never a general-purpose decoder', () => {
  const hostFiles = readdirSync(`${ROOT}host`).filter((n) => n.endsWith('.ts'));
  for (const n of hostFiles) {
    const src = readFileSync(`${ROOT}host/${n}`, 'utf8');
    assert.doesNotMatch(src, /\bDecoder\b|\bdecode\(.*cbor-x|from 'cbor-x'.*decode/, `host/${n}`);
  }
  // The strict reader refuses what cbor-x would reinterpret.
  for (const bad of [
    Uint8Array.from([0xd9, 0xdf, 0xf9, 0x80]),                 // any tag is data, but 0xdff9 content must still be strict
    Uint8Array.from([0xf8, 0x20]),                             // simple value 32
    Uint8Array.from([0xfb, 0, 0, 0, 0, 0, 0, 0, 0]),           // a float
    Uint8Array.from([0x5f, 0x41, 0x00, 0xff]),                 // indefinite length
    Uint8Array.from([0x18, 0x05]),                             // not the shortest form
    Uint8Array.from([0xa2, 0x01, 0x00, 0x01, 0x00]),           // duplicate key
    Uint8Array.from([0x62, 0xc3, 0x28]),                       // invalid UTF-8
    Uint8Array.from([0x01, 0x02]),                             // bytes after the item
  ].slice(1)) {
    assert.throws(() => cborDecode(bad), /CBOR:/, Buffer.from(bad).toString('hex'));
  }
  // Tags stay tags: 0xdff9 around an empty array is just that, with no effect on what follows.
  const t = cborDecode(Uint8Array.from([0x82, 0xd9, 0xdf, 0xf9, 0x80, 0x05]));
  assert.equal(t[0].tag, 0xdff9);
  assert.equal(t[1], 5);
  // Re-encoding a strictly decoded value gives the same bytes (the same check over real messages).
  const msg = cbor(new Tag([cbor(new Map([[1, -8], [4, enc('k')]])), new Map([[-1, 'x']]), cbor(payloadMap({})), new Uint8Array(64)], 18));
  assert.deepEqual(cbor(cborDecode(msg)), msg);
});

test('one firmware session per module: a second wrapper waits for the first, and each gets its own fields', async () => {
  const sup = generateKey('ed25519');
  const api = await loadModule();
  const a = new Firmware(api), b = new Firmware(api);
  await a.provision({ vendor: VENDOR, deviceClass: CLASS, supplierAnchors: [anchorOf(sup)] });
  const imgA = seeded(3).bytes(200_000), imgB = seeded(4).bytes(100);
  const mA = signed(sup, { name: 'app-a', version: 'A', counter: 1, image: imgA }, new Map());
  const mB = signed(sup, { name: 'app-b', version: 'B', counter: 2, image: imgB }, new Map());
  async function* slow() {
    for (let i = 0; i < imgA.length; i += 50_000) {
      await new Promise((r) => setTimeout(r, 5));
      yield imgA.subarray(i, i + 50_000);
    }
  }
  const order = [];
  const first = a.verifyFirmware(mA, slow(), { component: 'app-a' }).then((f) => { order.push('a'); return f; });
  await new Promise((r) => setTimeout(r, 1));
  const second = b.verifyFirmware(mB, imgB, { component: 'app-b' }).then((f) => { order.push('b'); return f; });
  const [f, g] = await Promise.all([first, second]);
  assert.deepEqual(order, ['a', 'b'], 'the second waited for the first session to end');
  assert.deepEqual([f.component, f.version], ['app-a', 'A']);
  assert.deepEqual([g.component, g.version], ['app-b', 'B']);
  assert.equal(a.securityCounter('app-a'), 1n);
  assert.equal(a.securityCounter('app-b'), 2n);
  // The module itself refuses a second begin while a session is open (ERR_STATE), whatever the host does.
  const raw = api.raw;
  const c = new TextEncoder().encode('app-a');
  api.heap().set(mA, api.ioPtr);
  api.heap().set(c, api.ioPtr + 4096);
  assert.equal(raw.iacsec_fw_begin(api.ioPtr, mA.length, api.ioPtr + 4096, c.length, 1), 0);
  assert.equal(raw.iacsec_fw_begin(api.ioPtr, mA.length, api.ioPtr + 4096, c.length, 1), -7);
  raw.iacsec_fw_abort();
  void drainEvents; void FirmwareError;
});
