// FR7 Resource availability: backup and recovery of the sealed state (CR 7.3,
// CR 7.4), least functionality (CR 7.7), component inventory (CR 7.8), and
// the profile's rate limits (CR 7.1). The access
// control and state parts add their capability checks here. See registry.ts.

import { ALLOWED_IMPORTS, EXPORTS } from '../../bindings/abi.js';
import { firmware, FirmwareError, type Firmware } from '../../host/firmware.js';
import { outcome, type Check, type CheckContext } from './registry.js';
import { Tally, attempt, flip, manifestFor, provisioned } from './_firmware.js';

/** A minimal module that imports env.system (not on the host's list). */
function moduleImporting(module: string, name: string): Uint8Array {
  const str = (s: string) => [s.length, ...Buffer.from(s)];
  const type = [0x01, 0x04, 0x01, 0x60, 0x00, 0x00];
  const body = [...str(module), ...str(name), 0x00, 0x00];
  const imp = [0x02, body.length + 1, 0x01, ...body];
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...type, ...imp]);
}

const leastImports: Check = {
  id: 'least.imports',
  title: 'The module imports only allowed WASI functions, and the host refuses a module that imports anything else',
  requirements: ['CR 7.7'],
  kind: 'capability',
  part: 'core',
  remedy: 'remove imports outside ALLOWED_IMPORTS from the build',
  async run(ctx) {
    const allowed = new Set<string>(ALLOWED_IMPORTS);
    const extra = ctx.module.imports.filter((i) => !allowed.has(i));
    ctx.log(`module imports: ${ctx.module.imports.length ? ctx.module.imports.join(', ') : 'none'}`);
    let refused = false;
    const bad = moduleImporting('env', 'system');
    ctx.input('imports-env-system.wasm', bad);
    try {
      await ctx.instantiate(bad);
    } catch (e) {
      refused = /imports that this host does not provide/.test((e as Error).message);
      ctx.log(`host on a module importing env.system: ${(e as Error).message}`);
    }
    return outcome(extra.length === 0 && refused, `${ctx.module.imports.length} imports, all allowed; a module importing env.system is refused`,
      extra.length ? `imports outside the allow-list: ${extra.join(', ')}` : 'the host loaded a module importing env.system',
      { imports: ctx.module.imports.length, disallowed: extra.length, foreignRefused: refused });
  },
};

const inventory: Check = {
  id: 'inventory.identity',
  title: 'The module reports its ABI version, capabilities and exports, and the host its SHA-256, as an inventory entry',
  requirements: ['CR 7.8'],
  kind: 'capability',
  part: 'core',
  remedy: 'export iacsec_abi_version and iacsec_caps, and keep bindings/abi.ts in step with the build',
  async run(ctx) {
    const api = await ctx.load();
    const info = api.info();
    const known = Object.keys(EXPORTS).filter((n) => info.exports.includes(n)).length;
    ctx.log(`abi ${info.abiVersion}, caps 0x${info.caps.toString(16)} (${info.capabilities.join(' ')}), ${info.exports.length} exports (${known} described in bindings/abi.ts), sha256 ${info.sha256}`);
    const ok = info.abiVersion >= 1 && info.caps !== 0 && /^[0-9a-f]{64}$/.test(info.sha256) && info.sha256 === ctx.module.sha256;
    return outcome(ok, `ABI ${info.abiVersion}, ${info.capabilities.length} capabilities, ${info.exports.length} exports`, 'the module does not identify itself',
      { abiVersion: info.abiVersion, capabilities: info.capabilities.length, exports: info.exports.length });
  },
};

const rateLimit: Check = {
  id: 'profile.rate-limit',
  title: 'The deployment limits the request rate (and burst) of each client',
  requirements: ['CR 7.1'],
  kind: 'profile',
  remedy: 'set rateLimit.enabled to true with requestsPerSecond and burst of 1 or more',
  run: (ctx) => {
    const r = ctx.profile.rateLimit;
    return outcome(r?.enabled === true && (r.requestsPerSecond ?? 0) >= 1 && (r.burst ?? 0) >= 1,
      `${r?.requestsPerSecond}/s, burst ${r?.burst}`, 'rate limiting off');
  },
};

const outbound: Check = {
  id: 'profile.rate-limit-outbound',
  title: 'The deployment limits the load the component sends',
  requirements: ['CR 7.1 RE1'],
  kind: 'profile',
  remedy: 'set rateLimit.enabled to true and rateLimit.outboundPerSecond to 1 or more',
  run: (ctx) => {
    const r = ctx.profile.rateLimit;
    return outcome(r?.enabled === true && (r.outboundPerSecond ?? 0) >= 1, `${r?.outboundPerSecond}/s outbound`, 'no outbound limit (or rate limiting off)');
  },
};

/** A fresh module holding this device's sealing key and device secret (the same device after a replacement). */
async function device(ctx: CheckContext, seal: Uint8Array, secret: Uint8Array): Promise<Firmware> {
  const fw = firmware(await ctx.load());
  fw.setSealKey(seal);
  fw.setDeviceSecret(secret);
  return fw;
}

async function restoreStatus(fw: Firmware, backup: Uint8Array): Promise<string> {
  try { await fw.restore(backup); return 'OK'; } catch (e) { if (e instanceof FirmwareError) return e.status; throw e; }
}

const backupRestore: Check = {
  id: 'state.backup-restore',
  title: 'A backup signed by the device key restores anchors and counters into a replacement module, and a restore never lowers a counter',
  requirements: ['CR 7.3', 'CR 7.4'],
  kind: 'capability',
  part: 'state',
  remedy: 'back up the sealed state signed by the device key; restore all of it, keeping the higher of the live and backed-up counters',
  async run(ctx) {
    const sup = ctx.key('supplier');
    const seal = ctx.rng.bytes(32);
    const secret = ctx.rng.bytes(32);
    const { fw } = await provisioned(ctx, [sup]);
    fw.setSealKey(seal);
    fw.setDeviceSecret(secret);
    const t = new Tally(ctx);
    const image = ctx.rng.bytes(1024);
    t.expect('install counter 5', 'OK', await attempt(fw, await manifestFor(sup, image, { counter: 5 }), image));
    const backup = await fw.backup();
    ctx.input('backup.bin', backup);
    ctx.log(`backup: ${backup.byteLength} bytes`);
    const replacement = await device(ctx, seal, secret);
    t.expect('restore into a replacement module', 'OK', await restoreStatus(replacement, backup));
    t.expect('restored: provisioning closed', 'false', String(replacement.provisioningOpen()));
    t.expect('restored: anchors', 'supplier', replacement.anchors().map((a) => a.role).join(','));
    t.expect('restored: counter', '5', String(replacement.securityCounter('gateway-fw')));
    // (That an older counter is then refused is fw_begin's anti-rollback, shown by fw.anti-rollback.)
    t.expect('restored module installs counter 7', 'OK', await attempt(replacement, await manifestFor(sup, image, { counter: 7 }), image));
    t.expect('restore the older backup (counter 5) over counter 7', 'OK', await restoreStatus(replacement, backup));
    t.expect('counter after restoring the older backup', '7', String(replacement.securityCounter('gateway-fw')));
    return outcome(t.ok, 'backup restored into a replacement module; no counter lowered by a restore', t.describe(),
      { backupBytes: backup.byteLength, cases: t.cases.length });
  },
};

const backupIntegrity: Check = {
  id: 'state.backup-integrity',
  title: 'A backup changed in any bit, or made by another device, is refused before anything changes',
  requirements: ['CR 7.3 RE1'],
  kind: 'capability',
  part: 'state',
  remedy: 'verify the backup\'s device signature, seal and every field before restoring any of it',
  async run(ctx) {
    const sup = ctx.key('supplier');
    const seal = ctx.rng.bytes(32);
    const secret = ctx.rng.bytes(32);
    const { fw } = await provisioned(ctx, [sup]);
    fw.setSealKey(seal);
    fw.setDeviceSecret(secret);
    const image = ctx.rng.bytes(256);
    await attempt(fw, await manifestFor(sup, image, { counter: 3 }), image);
    const backup = await fw.backup();
    ctx.input('backup.bin', backup);
    const t = new Tally(ctx);
    const positions = [0, 1, backup.byteLength >> 1, backup.byteLength - 64, backup.byteLength - 1];
    for (let i = 0; i < 8; i++) positions.push(ctx.rng.below(backup.byteLength));
    const target = await device(ctx, seal, secret);
    for (const p of positions) {
      const st = await restoreStatus(target, flip(backup, p, 1 << (p % 8)));
      t.expect(`bit flipped at byte ${p}`, 'refused', st === 'OK' ? 'restored' : 'refused');
    }
    t.expect('nothing restored by the refusals: provisioning still open', 'true', String(target.provisioningOpen()));
    const other = await device(ctx, seal, ctx.rng.bytes(32));
    t.expect('backup of another device', 'refused', (await restoreStatus(other, backup)) === 'OK' ? 'restored' : 'refused');
    t.expect('the genuine backup', 'OK', await restoreStatus(await device(ctx, seal, secret), backup));
    return outcome(t.ok, `${positions.length + 1} changed or foreign backups refused, nothing changed; the genuine one restores`, t.describe(),
      { bitFlips: positions.length, refused: t.rejected });
  },
};

export const CHECKS: readonly Check[] = [backupRestore, backupIntegrity, leastImports, inventory, rateLimit, outbound];
