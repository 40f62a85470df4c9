// The firmware subcommands of the iacsec command line: keys, signing,
// trust statements, verification, install, boot check, provisioning, trust
// changes, and the device's anchors and counters (EDR 3.10, 3.12, 3.13,
// 3.14, CR 3.4). Exit codes: cli_args.ts EXIT.

import { mkdir, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { FirmwareError, anchorOf, type AnchorRecord, type VerifiedManifest } from './firmware.js';
import { generateKey, toHex, writeKeyFiles, type KeyAlg, type PublicKeyInfo } from './keys.js';
import {
  decodeCoseSign1, decodeManifestPayload, formatUuid, signManifest, signTrustStatement, type DigestAlg, type ManifestFields,
} from './manifest.js';
import { SIZES } from '../bindings/abi.js';
import {
  Checks, EXIT, JSON_OPTION, MODULE_OPTION, UsageError, checkImageInput, checkModuleInput, checkOutputPath, readInput,
  readPrivateKeyInput, readPublicKeyInput, toJson, type CommandSpec, type Values,
} from './cli_args.js';
import { changeRecords, checkStateDir, eventsSince, hasState, newFirmware, openState, paths } from './cli_state_dir.js';
import { loadModule } from './index.js';

/** Largest trust statement read: the module takes one through its I/O area. */
const STATEMENT_MAX_BYTES = SIZES.IO_BYTES;
const COMPONENT_MAX = SIZES.COMPONENT_MAX_BYTES;

const out = (s: string) => process.stdout.write(`${s}\n`);

/** The image file as a stream of 64 KiB chunks. */
function imageStream(path: string): AsyncIterable<Uint8Array> {
  return createReadStream(path, { highWaterMark: 65536 });
}

function describe(f: ManifestFields): string {
  return `${f.component} ${f.version} (security counter ${f.securityCounter}, ${f.imageSize} bytes, ${f.digestAlg})`;
}

function manifestJson(f: VerifiedManifest) {
  return {
    vendor: formatUuid(f.vendor), deviceClass: formatUuid(f.deviceClass), component: f.component, version: f.version,
    securityCounter: f.securityCounter, imageSize: f.imageSize, digestAlg: f.digestAlg, digest: f.digest,
  };
}

/** A refused decision: the module's status and the reason for it. */
function refusal(e: unknown): { status: string; statusCode: number; reason: string } {
  if (e instanceof FirmwareError) return { status: e.status, statusCode: e.code, reason: e.reason };
  throw e;
}

/** The reason of a refusal for a slot; a manifest for another component says how the slot's must be signed. */
function slotReason(slot: string, r: { status: string; reason: string }): string {
  return r.status === 'ERR_WRONG_COMPONENT'
    ? `the manifest is for another component than the '${slot}' slot: that slot takes a manifest signed with \`iacsec sign --component ${slot}\``
    : r.reason;
}

function anchorJson(a: AnchorRecord) {
  return { role: a.role, alg: a.alg, kid: a.kidHex, revoked: a.revoked, publicKey: a.publicKey };
}

function printAnchors(list: AnchorRecord[]): void {
  for (const a of list) {
    out(`${a.role.padEnd(8)} ${a.alg.padEnd(7)} kid ${a.kidHex.padEnd(16)} ${a.revoked ? 'REVOKED' : 'active '} ${toHex(a.publicKey)}`);
  }
}

const STATE_OPTION = { type: 'string', arg: 'DIR', help: 'the device state directory (state.bin, seal.key, device.key)' } as const;
const COMPONENT_SLOT = { type: 'string', arg: 'NAME', help: 'the slot (component) the manifest must be for (default firmware)' } as const;

// ---- keygen ----

const keygen: CommandSpec = {
  name: 'keygen',
  summary: 'Generates a signing key pair for manifests and trust statements (kept by a supplier or asset owner, never on the device).',
  synopsis: ['--alg ed25519|p256 -o NAME [--kid HEX] [--json]'],
  options: {
    alg: { type: 'string', arg: 'ALG', help: 'ed25519 or p256', required: true },
    out: { type: 'string', short: 'o', arg: 'NAME', help: 'writes NAME.key (private JWK, 0600), NAME.pub.pem (SPKI), NAME.cose_key (COSE_Key)', required: true },
    kid: { type: 'string', arg: 'HEX', help: 'key id, 1..32 bytes (default: first 8 bytes of SHA-256 of the raw public key)' },
    json: JSON_OPTION,
  },
  notes: 'An existing NAME.key is never overwritten.',
  examples: ['iacsec keygen --alg ed25519 -o vendor'],
  async run(v) {
    const c = new Checks(v);
    const alg = c.oneOf('alg', ['ed25519', 'p256'] as const);
    const kid = c.hex('kid', 1, 32);
    const name = c.str('out')!;
    await checkOutputPath('out', `${name}.key`, c);
    if (await stat(`${name}.key`).then(() => true, () => false)) c.add(`-o ${name}: ${name}.key exists; keygen never overwrites a private key`);
    c.done();
    const key = generateKey(alg as KeyAlg, kid);
    const files = await writeKeyFiles(name, key);
    if (v.json) {
      out(toJson({ alg, kid: key.kid, files }));
    } else {
      out(`${alg} key, kid ${toHex(key.kid)}`);
      out(`private key  ${files.key} (mode 0600: keep it offline)`);
      out(`public key   ${files.pem}`);
      out(`COSE_Key     ${files.coseKey}`);
    }
    return EXIT.OK;
  },
};

// ---- sign ----

const sign: CommandSpec = {
  name: 'sign',
  summary: 'Signs a manifest for an image (COSE_Sign1, tag 18; payload as in bindings/manifest.cddl).',
  synopsis: ['--key K.key --image FILE --version V --counter N --vendor UUID --class UUID -o FILE.cose',
    '[--component NAME] [--digest sha256|sha512] [--json]'],
  options: {
    key: { type: 'string', arg: 'FILE', help: 'the private key file written by keygen', required: true },
    image: { type: 'string', arg: 'FILE', help: 'the image (firmware, configuration) to sign', required: true },
    version: { type: 'string', arg: 'V', help: 'version text, 1..32 bytes', required: true },
    counter: { type: 'string', arg: 'N', help: 'security counter (anti-rollback), 0..2^64-1', required: true },
    vendor: { type: 'string', arg: 'UUID', help: 'vendor id', required: true },
    class: { type: 'string', arg: 'UUID', help: 'device class id', required: true },
    component: { type: 'string', arg: 'NAME', help: 'the slot it is for, 1..64 bytes (default firmware; a configuration: config)' },
    digest: { type: 'string', arg: 'ALG', help: 'sha256 (default) or sha512' },
    out: { type: 'string', short: 'o', arg: 'FILE', help: 'the manifest to write', required: true },
    module: MODULE_OPTION,
    json: JSON_OPTION,
  },
  notes: 'A device checks each slot against manifests for that component only: sign a configuration with --component config.',
  examples: [
    'iacsec sign --key vendor.key --image fw.bin --version 2.4.1 --counter 7 --vendor UUID --class UUID -o fw.cose',
    'iacsec sign --key vendor.key --image app.cfg --version 1 --counter 1 --component config --vendor UUID --class UUID -o app.cfg.cose',
  ],
  async run(v) {
    const c = new Checks(v);
    const digest = c.oneOf('digest', ['sha256', 'sha512'] as const, 'sha256');
    const vendor = c.uuid('vendor');
    const deviceClass = c.uuid('class');
    const version = c.text('version', 1, 32);
    const counter = c.u64('counter');
    const component = c.text('component', 1, COMPONENT_MAX, c.str('component') ?? 'firmware');
    await checkOutputPath('out', c.str('out')!, c);
    await checkImageInput('image', c.str('image')!).catch((e) => c.add((e as Error).message));
    await checkModuleInput(v).catch((e) => c.add((e as Error).message));
    const key = await readPrivateKeyInput('key', c.str('key')!).catch((e) => { c.add((e as Error).message); return undefined; });
    c.done();
    const api = await loadModule({ path: v.module as string | undefined });
    const manifest = await signManifest({
      key: key!, image: imageStream(c.str('image')!), vendor: vendor!, deviceClass: deviceClass!, component, version: version!,
      securityCounter: counter!, digestAlg: digest as DigestAlg, hasher: digest === 'sha256' ? api.createSha256() : api.createSha512(),
    });
    const path = c.str('out')!;
    await writeFile(path, manifest);
    const f = decodeManifestPayload(decodeCoseSign1(manifest).payload);
    if (v.json) {
      out(toJson({ manifest: path, bytes: manifest.byteLength, fields: { ...f, vendor: formatUuid(f.vendor), deviceClass: formatUuid(f.deviceClass) }, signer: { alg: key!.alg, kid: key!.kid } }));
    } else {
      out(`signed ${describe(f)}`);
      out(`  key ${key!.alg}, kid ${toHex(key!.kid)}; manifest ${path} (${manifest.byteLength} bytes)`);
    }
    return EXIT.OK;
  },
};

// ---- trust-statement ----

const trustStatement: CommandSpec = {
  name: 'trust-statement',
  summary: 'Signs a trust statement with a supplier key: add an asset-owner anchor, revoke a key id, or set a security counter (EDR 3.13).',
  synopsis: [
    '--key SUPPLIER.key --op add-owner --pub OWNER.cose_key [--kid HEX] [--grant COMPONENT ...] --vendor UUID --class UUID -o FILE',
    '--key SUPPLIER.key --op revoke --kid HEX --vendor UUID --class UUID -o FILE',
    '--key SUPPLIER.key --op set-counter --component NAME --from N --to M --vendor UUID --class UUID -o FILE',
  ],
  options: {
    key: { type: 'string', arg: 'FILE', help: 'the supplier\'s private key file', required: true },
    op: { type: 'string', arg: 'OP', help: 'add-owner, revoke or set-counter', required: true },
    pub: { type: 'string', arg: 'FILE', help: 'add-owner: the owner\'s public key (.cose_key, .pub.pem or .key)' },
    kid: { type: 'string', arg: 'HEX', help: 'revoke: the key id to revoke; add-owner: the new anchor\'s kid (default: the key file\'s)' },
    grant: { type: 'string', multiple: true, arg: 'COMPONENT', help: 'add-owner: a component the owner anchor may sign (1..8; none when absent)' },
    component: { type: 'string', arg: 'NAME', help: 'set-counter: the component' },
    from: { type: 'string', arg: 'N', help: 'set-counter: the counter the device must hold now (a stale statement is refused)' },
    to: { type: 'string', arg: 'M', help: 'set-counter: the counter to set' },
    vendor: { type: 'string', arg: 'UUID', help: 'vendor id of the devices it applies to', required: true },
    class: { type: 'string', arg: 'UUID', help: 'device class id', required: true },
    out: { type: 'string', short: 'o', arg: 'FILE', help: 'the statement to write', required: true },
    json: JSON_OPTION,
  },
  notes: `An owner anchor signs manifests only for the components granted to it (else ERR_UNAUTHORIZED).
set-counter is the supplier's recovery from a counter pushed too far (for example by a key since
revoked); it applies only while the device's counter equals --from (else ERR_STALE).`,
  examples: [
    'iacsec trust-statement --key vendor.key --op add-owner --pub owner.cose_key --grant config --vendor UUID --class UUID -o add.cose',
    'iacsec trust-statement --key vendor.key --op set-counter --component firmware --from 1000 --to 8 --vendor UUID --class UUID -o fix.cose',
  ],
  async run(v) {
    const c = new Checks(v);
    const op = c.oneOf('op', ['add-owner', 'revoke', 'set-counter'] as const);
    const vendor = c.uuid('vendor');
    const deviceClass = c.uuid('class');
    await checkOutputPath('out', c.str('out')!, c);
    const only = (names: string[], forOp: string) => {
      for (const n of names) if (v[n] !== undefined) c.add(`--${n} is not for --op ${forOp}`);
    };
    const needs = (names: string[], forOp: string) => {
      const missing = names.filter((n) => v[n] === undefined).map((n) => `--${n}`);
      if (missing.length) c.add(`--op ${forOp} needs ${missing.join(', ')}`);
    };
    let kid = c.hex('kid', 1, 32);
    let publicKey: PublicKeyInfo | undefined;
    let grants: string[] | undefined;
    let component: string | undefined;
    let from: bigint | undefined;
    let to: bigint | undefined;
    if (op === 'add-owner') {
      only(['component', 'from', 'to'], op);
      needs(['pub'], op);
      const g = c.list('grant');
      if (g.length > 8) c.add(`--grant: at most 8 components (got ${g.length})`);
      for (const name of g) c.text('grant', 1, COMPONENT_MAX, name);
      grants = g.length ? g : undefined;
      if (v.pub !== undefined) {
        publicKey = await readPublicKeyInput('pub', c.str('pub')!, kid).catch((e) => { c.add((e as Error).message); return undefined; });
        kid = publicKey?.kid;
      }
    } else if (op === 'revoke') {
      only(['pub', 'grant', 'component', 'from', 'to'], op);
      needs(['kid'], op);
    } else if (op === 'set-counter') {
      only(['pub', 'grant', 'kid'], op);
      needs(['component', 'from', 'to'], op);
      component = c.text('component', 1, COMPONENT_MAX);
      from = c.u64('from');
      to = c.u64('to');
    }
    const key = await readPrivateKeyInput('key', c.str('key')!).catch((e) => { c.add((e as Error).message); return undefined; });
    c.done();
    const stmt = signTrustStatement(key!, {
      operation: op!, kid: op === 'set-counter' ? undefined : kid, publicKey, components: grants, component,
      expectedCounter: from, newCounter: to, vendor: vendor!, deviceClass: deviceClass!,
    });
    const path = c.str('out')!;
    await writeFile(path, stmt);
    const what = op === 'set-counter' ? `set-counter '${component}' from ${from} to ${to}`
      : `${op} kid ${toHex(kid!)}${grants ? `, granted ${grants.join(', ')}` : ''}`;
    if (v.json) {
      out(toJson({ statement: path, bytes: stmt.byteLength, op, kid: op === 'set-counter' ? undefined : kid, grants, component, from, to, signer: { alg: key!.alg, kid: key!.kid } }));
    } else {
      out(`trust statement ${what}, signed by kid ${toHex(key!.kid)}: ${path}`);
    }
    return EXIT.OK;
  },
};

// ---- verify ----

const verify: CommandSpec = {
  name: 'verify',
  summary: 'Verifies a manifest and its image in the module, against anchors given here or against a device state (which it never changes).',
  synopsis: ['--anchor PUB [--anchor PUB ...] --manifest FILE.cose --image FILE [--vendor UUID --class UUID] [--component NAME] [--json]',
    '--state DIR --manifest FILE.cose --image FILE [--component NAME] [--json]'],
  options: {
    anchor: { type: 'string', multiple: true, arg: 'PUB', help: 'a supplier public key (.cose_key, .pub.pem or .key)' },
    state: STATE_OPTION,
    manifest: { type: 'string', arg: 'FILE', help: `the signed manifest (at most ${SIZES.MANIFEST_MAX_BYTES} bytes)`, required: true },
    image: { type: 'string', arg: 'FILE', help: 'the image', required: true },
    component: COMPONENT_SLOT,
    vendor: { type: 'string', arg: 'UUID', help: 'without --state: the vendor id to check (default: the manifest\'s own, not checked)' },
    class: { type: 'string', arg: 'UUID', help: 'without --state: the device class id to check (default: the manifest\'s own)' },
    module: MODULE_OPTION,
    json: JSON_OPTION,
  },
  notes: 'Prints ACCEPTED or REJECTED with the reason; --json prints {decision, status, statusCode, reason, slot, manifest, signer}.',
  examples: ['iacsec verify --anchor vendor.cose_key --manifest fw.cose --image fw.bin --vendor UUID --class UUID',
    'iacsec verify --state /var/lib/iacsec --manifest app.cfg.cose --image app.cfg --component config --json'],
  async run(v) {
    const c = new Checks(v);
    const state = c.str('state');
    const anchorPaths = c.list('anchor');
    if (state && (anchorPaths.length > 0 || v.vendor !== undefined || v.class !== undefined)) {
      c.add('with --state, anchors, vendor and class come from the device state: drop --anchor/--vendor/--class');
    }
    if (!state && anchorPaths.length === 0) c.add('missing required option: --anchor (or --state)');
    const slot = c.text('component', 1, COMPONENT_MAX, c.str('component') ?? 'firmware');
    let vendor = c.uuid('vendor');
    let deviceClass = c.uuid('class');
    const manifest = await readInput('manifest', c.str('manifest')!, SIZES.MANIFEST_MAX_BYTES, 'manifest').catch((e) => { c.add((e as Error).message); return undefined; });
    await checkImageInput('image', c.str('image')!).catch((e) => c.add((e as Error).message));
    await checkModuleInput(v).catch((e) => c.add((e as Error).message));
    const anchors: PublicKeyInfo[] = [];
    for (const p of anchorPaths) {
      const a = await readPublicKeyInput('anchor', p).catch((e) => { c.add((e as Error).message); return undefined; });
      if (a) anchors.push(a);
    }
    if (state) await checkStateDir(state).catch((e) => c.add((e as Error).message));
    c.done();
    let fw;
    let note: string | undefined;
    if (state) {
      // Checked against the stored anchors and counters; nothing is written back.
      fw = (await openState(v, state, { write: false })).fw;
    } else {
      fw = await newFirmware(v);
      if (!vendor || !deviceClass) {
        let own: ManifestFields | undefined;
        try { own = decodeManifestPayload(decodeCoseSign1(manifest!).payload); } catch { /* the module will refuse it */ }
        const zero = new Uint8Array(16);
        const from: string[] = [];
        if (!vendor) { vendor = own?.vendor.byteLength === 16 ? own.vendor : zero; from.push('vendor'); }
        if (!deviceClass) { deviceClass = own?.deviceClass.byteLength === 16 ? own.deviceClass : zero; from.push('class'); }
        note = `${from.join(' and ')} taken from the manifest itself, so not checked: pass --vendor and --class to check them`;
      }
      try {
        await fw.provision({ vendor, deviceClass, supplierAnchors: anchors.map(anchorOf) });
      } catch (e) {
        if (e instanceof FirmwareError) throw new UsageError(`--anchor: ${e.reason} (${e.status})`);
        throw e;
      }
    }
    try {
      const f = await fw.verifyFirmware(manifest!, imageStream(c.str('image')!), { purpose: 'install', component: slot! });
      if (v.json) {
        out(toJson({ decision: 'ACCEPTED', status: 'OK', statusCode: 0, reason: null, slot, manifest: manifestJson(f), signer: { kid: f.signer.kid, role: f.signer.role }, note }));
      } else {
        if (note) out(`note: ${note}`);
        out(`ACCEPTED: ${describe(f)}`);
        out(`  signed by kid ${f.signer.kidHex} (${f.signer.role} anchor); vendor ${formatUuid(f.vendor)}, class ${formatUuid(f.deviceClass)}; slot ${slot}`);
      }
      return EXIT.OK;
    } catch (e) {
      const r = refusal(e);
      const reason = slotReason(slot!, r);
      if (v.json) out(toJson({ decision: 'REJECTED', ...r, reason, slot, manifest: null, signer: null, note }));
      else {
        if (note) out(`note: ${note}`);
        out(`REJECTED: ${reason} (${r.status})`);
      }
      return EXIT.REFUSED;
    }
  },
};

// ---- install ----

const install: CommandSpec = {
  name: 'install',
  summary: 'Verifies a manifest and image for a slot, raises the slot\'s stored security counter, and saves the state.',
  synopsis: ['--state DIR --manifest FILE.cose --image FILE [--component NAME] [--json]'],
  options: {
    state: { ...STATE_OPTION, required: true },
    manifest: { type: 'string', arg: 'FILE', help: `the signed manifest (at most ${SIZES.MANIFEST_MAX_BYTES} bytes)`, required: true },
    image: { type: 'string', arg: 'FILE', help: 'the image', required: true },
    component: COMPONENT_SLOT,
    module: MODULE_OPTION,
    json: JSON_OPTION,
  },
  notes: 'Runs under the state lock on the newest state: concurrent installs never lose an update.',
  examples: ['iacsec install --state /var/lib/iacsec --manifest fw.cose --image fw.bin'],
  async run(v) {
    const c = new Checks(v);
    const slot = c.text('component', 1, COMPONENT_MAX, c.str('component') ?? 'firmware');
    const manifest = await readInput('manifest', c.str('manifest')!, SIZES.MANIFEST_MAX_BYTES, 'manifest').catch((e) => { c.add((e as Error).message); return undefined; });
    await checkImageInput('image', c.str('image')!).catch((e) => c.add((e as Error).message));
    await checkModuleInput(v).catch((e) => c.add((e as Error).message));
    await checkStateDir(c.str('state')!).catch((e) => c.add((e as Error).message));
    c.done();
    const { fw } = await openState(v, c.str('state')!, { write: true });
    const mark = fw.events.length;
    try {
      const f = await fw.verifyFirmware(manifest!, imageStream(c.str('image')!), { purpose: 'install', component: slot! });
      const changes = changeRecords(eventsSince(fw, mark));
      const counter = fw.securityCounter(slot!);
      if (v.json) {
        out(toJson({ decision: 'ACCEPTED', status: 'OK', statusCode: 0, reason: null, slot, manifest: manifestJson(f), signer: { kid: f.signer.kid, role: f.signer.role }, counter, changes, generation: fw.generation() }));
      } else {
        out(`ACCEPTED: ${describe(f)}`);
        out(`  installed in slot '${slot}': ${changes.length ? changes.map((x) => x.text).join('; ') : `stored security counter of '${slot}' stays ${counter}`}; state saved (generation ${fw.generation()})`);
      }
      return EXIT.OK;
    } catch (e) {
      const r = refusal(e);
      const reason = slotReason(slot!, r);
      if (v.json) out(toJson({ decision: 'REJECTED', ...r, reason, slot, manifest: null, signer: null, changes: [] }));
      else out(`REJECTED: ${reason} (${r.status}); nothing changed`);
      return EXIT.REFUSED;
    }
  },
};

// ---- verify-boot ----

const verifyBoot: CommandSpec = {
  name: 'verify-boot',
  summary: 'The boot check (EDR 3.14 RE1): each installed image against its manifest and its slot\'s stored counter; changes nothing.',
  synopsis: ['--state DIR [--image FILE --manifest FILE.cose] [--config FILE --config-manifest FILE.cose] [--json]',
    '--state DIR --slot NAME --image FILE --manifest FILE.cose [--slot NAME --image FILE --manifest FILE.cose ...] [--json]'],
  options: {
    state: { ...STATE_OPTION, required: true },
    image: { type: 'string', multiple: true, arg: 'FILE', help: 'an image, checked against the firmware slot (or the slot named by the matching --slot)' },
    manifest: { type: 'string', multiple: true, arg: 'FILE', help: 'the manifest of the matching --image' },
    slot: { type: 'string', multiple: true, arg: 'NAME', help: 'the slot of the matching --image (give one per --image, or none)' },
    config: { type: 'string', multiple: true, arg: 'FILE', help: 'a configuration, checked against the config slot' },
    'config-manifest': { type: 'string', multiple: true, arg: 'FILE', help: 'its manifest, signed with `iacsec sign --component config`' },
    module: MODULE_OPTION,
    json: JSON_OPTION,
  },
  notes: 'Exit 1 when any check fails. A configuration\'s manifest must be signed with --component config:\na manifest for another component is refused for the config slot (ERR_WRONG_COMPONENT).',
  examples: ['iacsec verify-boot --state /var/lib/iacsec --image fw.bin --manifest fw.cose --config app.cfg --config-manifest app.cfg.cose'],
  async run(v) {
    const c = new Checks(v);
    const images = c.list('image');
    const manifests = c.list('manifest');
    const slots = c.list('slot');
    const configs = c.list('config');
    const configManifests = c.list('config-manifest');
    if (images.length !== manifests.length) c.add(`give one --manifest per --image (got ${images.length} --image, ${manifests.length} --manifest)`);
    if (slots.length !== 0 && slots.length !== images.length) c.add(`give one --slot per --image, or none (got ${slots.length} --slot, ${images.length} --image)`);
    if (configs.length !== configManifests.length) c.add(`give one --config-manifest per --config (got ${configs.length} and ${configManifests.length})`);
    for (const s of slots) c.text('slot', 1, COMPONENT_MAX, s);
    const blobs = [
      ...images.map((p, i) => ({ slot: slots[i] ?? 'firmware', flag: 'image', path: p, mflag: 'manifest', manifest: manifests[i] })),
      ...configs.map((p, i) => ({ slot: 'config', flag: 'config', path: p, mflag: 'config-manifest', manifest: configManifests[i] })),
    ];
    if (blobs.length === 0) c.add('nothing to check: give --image/--manifest, --config/--config-manifest, or --slot/--image/--manifest');
    const loaded: { slot: string; path: string; manifest: Uint8Array }[] = [];
    for (const b of blobs) {
      if (b.manifest === undefined) continue;
      const m = await readInput(b.mflag, b.manifest, SIZES.MANIFEST_MAX_BYTES, 'manifest').catch((e) => { c.add((e as Error).message); return undefined; });
      await checkImageInput(b.flag, b.path).catch((e) => c.add((e as Error).message));
      if (m) loaded.push({ slot: b.slot, path: b.path, manifest: m });
    }
    await checkModuleInput(v).catch((e) => c.add((e as Error).message));
    await checkStateDir(c.str('state')!).catch((e) => c.add((e as Error).message));
    c.done();
    const { fw } = await openState(v, c.str('state')!, { saveEvents: true });
    const results = [];
    for (const b of loaded) {
      try {
        const f = await fw.verifyFirmware(b.manifest, imageStream(b.path), { purpose: 'boot', component: b.slot });
        results.push({ slot: b.slot, image: b.path, passed: true, status: 'OK', reason: null, manifest: manifestJson(f), text: describe(f) });
      } catch (e) {
        const r = refusal(e);
        results.push({ slot: b.slot, image: b.path, passed: false, status: r.status, statusCode: r.statusCode, reason: slotReason(b.slot, r), manifest: null, text: '' });
      }
    }
    const failed = results.filter((r) => !r.passed).length;
    if (v.json) {
      out(toJson({ passed: failed === 0, checked: results.length, failed, results: results.map(({ text: _t, ...r }) => r) }));
    } else {
      for (const r of results) out(r.passed ? `PASSED  ${r.slot} ${r.image}: ${r.text}` : `FAILED  ${r.slot} ${r.image}: ${r.reason} (${r.status})`);
      out(failed === 0 ? `boot check passed (${results.length} checked)` : `boot check FAILED: ${failed} of ${results.length}`);
    }
    return failed === 0 ? EXIT.OK : EXIT.REFUSED;
  },
};

// ---- provision ----

const provision: CommandSpec = {
  name: 'provision',
  summary: 'Sets the device identity (vendor, class) and supplier anchors, and closes provisioning for good (EDR 3.12).',
  synopsis: ['--state DIR --vendor UUID --class UUID --anchor PUB [--anchor PUB ...] [--json]'],
  options: {
    state: { ...STATE_OPTION, required: true },
    vendor: { type: 'string', arg: 'UUID', help: 'vendor id', required: true },
    class: { type: 'string', arg: 'UUID', help: 'device class id', required: true },
    anchor: { type: 'string', multiple: true, arg: 'PUB', help: `a supplier public key (at most ${SIZES.ANCHORS_MAX} anchors in all)`, required: true },
    module: MODULE_OPTION,
    json: JSON_OPTION,
  },
  notes: `Creates DIR (0700) with seal.key and device.key (32 random bytes each, 0600), state.bin and state.bin.hwm.
A provision that fails leaves nothing it created behind: running it again is safe. After
\`iacsec state recover\`, provision works again on the recovered (factory-fresh) state.`,
  examples: ['iacsec provision --state /var/lib/iacsec --vendor UUID --class UUID --anchor vendor.cose_key'],
  async run(v) {
    const c = new Checks(v);
    const vendor = c.uuid('vendor');
    const deviceClass = c.uuid('class');
    const anchors: PublicKeyInfo[] = [];
    for (const p of c.list('anchor')) {
      const a = await readPublicKeyInput('anchor', p).catch((e) => { c.add((e as Error).message); return undefined; });
      if (a) anchors.push(a);
    }
    await checkModuleInput(v).catch((e) => c.add((e as Error).message));
    const dir = c.str('state')!;
    const kind = await checkStateDir(dir).catch((e) => { c.add((e as Error).message); return undefined; });
    c.done();
    const p = paths(dir);
    const existing = kind === 'directory' && (await hasState(dir));
    // What this run creates, removed again if it fails (no half state).
    const created: string[] = [];
    const exists = (f: string) => stat(f).then(() => true, () => false);
    if (kind === 'missing') { await mkdir(dir, { recursive: true, mode: 0o700 }); created.push(dir); }
    if (!existing) for (const f of [p.sealKey, p.deviceSecret, p.state, p.hwm, p.audit]) if (!(await exists(f))) created.push(f);
    let ok = false;
    try {
      const { fw } = await openState(v, dir, { write: true, create: !existing });
      if (!fw.provisioningOpen()) {
        out(`REFUSED: ${p.state}: this device is already provisioned (provisioning is irreversible; a damaged state needs \`iacsec state recover\` first)`);
        ok = true;
        return EXIT.REFUSED;
      }
      const mark = fw.events.length;
      try {
        await fw.provision({ vendor: vendor!, deviceClass: deviceClass!, supplierAnchors: anchors.map(anchorOf) });
      } catch (e) {
        const r = refusal(e);
        if (v.json) out(toJson({ decision: 'REJECTED', ...r, changes: [] }));
        else out(`REJECTED: ${r.reason} (${r.status}); nothing was provisioned`);
        return EXIT.REFUSED;
      }
      ok = true;
      const changes = changeRecords(eventsSince(fw, mark));
      const list = fw.anchors();
      if (v.json) {
        out(toJson({ decision: 'ACCEPTED', status: 'OK', vendor: formatUuid(vendor!), deviceClass: formatUuid(deviceClass!), state: p.state, anchors: list.map(anchorJson), changes, generation: fw.generation() }));
      } else {
        out(`provisioned: vendor ${formatUuid(vendor!)}, class ${formatUuid(deviceClass!)}; provisioning closed; state ${p.state} (generation ${fw.generation()})`);
        printAnchors(list);
      }
      return EXIT.OK;
    } finally {
      if (!ok) {
        for (const f of created.slice().reverse()) {
          if (f === dir) await rmdir(dir).catch(() => {});
          else await rm(f, { force: true }).catch(() => {});
        }
      }
    }
  },
};

// ---- apply-statement ----

const applyStatement: CommandSpec = {
  name: 'apply-statement',
  summary: 'Applies a supplier-signed trust statement to the device state (EDR 3.13) and reports what it changed.',
  synopsis: ['--state DIR --statement FILE.cose [--json]'],
  options: {
    state: { ...STATE_OPTION, required: true },
    statement: { type: 'string', arg: 'FILE', help: 'the statement written by `iacsec trust-statement`', required: true },
    module: MODULE_OPTION,
    json: JSON_OPTION,
  },
  examples: ['iacsec apply-statement --state /var/lib/iacsec --statement add.cose'],
  async run(v) {
    const c = new Checks(v);
    const stmt = await readInput('statement', c.str('statement')!, STATEMENT_MAX_BYTES, 'trust statement').catch((e) => { c.add((e as Error).message); return undefined; });
    await checkModuleInput(v).catch((e) => c.add((e as Error).message));
    await checkStateDir(c.str('state')!).catch((e) => c.add((e as Error).message));
    c.done();
    const { fw } = await openState(v, c.str('state')!, { write: true });
    const mark = fw.events.length;
    try {
      await fw.applyTrustStatement(stmt!);
    } catch (e) {
      const r = refusal(e);
      if (v.json) out(toJson({ decision: 'REJECTED', ...r, changes: [] }));
      else out(`REJECTED: ${r.reason} (${r.status}); nothing changed`);
      return EXIT.REFUSED;
    }
    const changes = changeRecords(eventsSince(fw, mark));
    if (v.json) {
      out(toJson({ decision: 'ACCEPTED', status: 'OK', changes, anchors: fw.anchors().map(anchorJson), generation: fw.generation() }));
    } else {
      out(`ACCEPTED: trust statement applied: ${changes.map((x) => x.text).join('; ') || 'no change'}; state saved (generation ${fw.generation()})`);
      printAnchors(fw.anchors());
    }
    return EXIT.OK;
  },
};

// ---- anchors, counter ----

const anchors: CommandSpec = {
  name: 'anchors',
  summary: 'Lists the device\'s trust anchors (supplier and asset owner; revoked ones flagged).',
  synopsis: ['--state DIR [--json]'],
  options: { state: { ...STATE_OPTION, required: true }, module: MODULE_OPTION, json: JSON_OPTION },
  examples: ['iacsec anchors --state /var/lib/iacsec'],
  async run(v) {
    const c = new Checks(v);
    await checkModuleInput(v).catch((e) => c.add((e as Error).message));
    await checkStateDir(c.str('state')!).catch((e) => c.add((e as Error).message));
    c.done();
    const { fw } = await openState(v, c.str('state')!);
    const list = fw.anchors();
    if (v.json) out(toJson({ anchors: list.map(anchorJson) }));
    else printAnchors(list);
    return EXIT.OK;
  },
};

const counter: CommandSpec = {
  name: 'counter',
  summary: 'Prints the stored anti-rollback counter of components (0 when none is stored).',
  synopsis: ['--state DIR --component NAME [--component NAME ...] [--json]'],
  options: {
    state: { ...STATE_OPTION, required: true },
    component: { type: 'string', multiple: true, arg: 'NAME', help: 'a component (slot) name', required: true },
    module: MODULE_OPTION,
    json: JSON_OPTION,
  },
  examples: ['iacsec counter --state /var/lib/iacsec --component firmware'],
  async run(v) {
    const c = new Checks(v);
    const names = c.list('component');
    for (const n of names) c.text('component', 1, COMPONENT_MAX, n);
    await checkModuleInput(v).catch((e) => c.add((e as Error).message));
    await checkStateDir(c.str('state')!).catch((e) => c.add((e as Error).message));
    c.done();
    const { fw } = await openState(v, c.str('state')!);
    const counters = names.map((n) => ({ component: n, counter: fw.securityCounter(n) }));
    if (v.json) out(toJson({ counters }));
    else for (const x of counters) out(`${x.component} ${x.counter}`);
    return EXIT.OK;
  },
};

export const FIRMWARE_SPECS: CommandSpec[] = [keygen, sign, trustStatement, verify, install, verifyBoot, provision, applyStatement, anchors, counter];

export type { Values };
