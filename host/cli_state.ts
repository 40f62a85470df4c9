// The state subcommands of the iacsec command line (CR 3.4, CR 7.3, CR 7.4,
// CR 7.6 RE1): backup and restore of the sealed device state, the explicit
// recovery from a damaged state, and the configuration report.

import { copyFile, open } from 'node:fs/promises';
import { SIZES } from '../bindings/abi.js';
import { FirmwareError } from './firmware.js';
import { writeFileAtomic } from './atomic_file.js';
import { toHex } from './keys.js';
import {
  Checks, EXIT, JSON_OPTION, MODULE_OPTION, StateUseError, UsageError, checkModuleInput, checkOutputPath, readInput, toJson,
  type CommandSpec,
} from './cli_args.js';
import { changeRecords, checkStateDir, eventsSince, openState } from './cli_state_dir.js';
import { readDeviceSection } from './cli_state_section.js';
import { configReport } from './config_report.js';

const out = (s: string) => process.stdout.write(`${s}\n`);
const STATE_OPTION = { type: 'string', arg: 'DIR', help: 'the device state directory', required: true } as const;

const backup: CommandSpec = {
  name: 'state backup',
  summary: 'Writes a backup of the device state: the sealed state signed by the device key (CR 7.3).',
  synopsis: ['--state DIR -o FILE [--json]'],
  options: {
    state: STATE_OPTION,
    out: { type: 'string', short: 'o', arg: 'FILE', help: 'the backup file to write (0600, replaced atomically)', required: true },
    module: MODULE_OPTION,
    json: JSON_OPTION,
  },
  notes: 'Only this device (same device key and sealing key) can restore it. A damaged state cannot be backed up.',
  examples: ['iacsec state backup --state /var/lib/iacsec -o /mnt/backup/iacsec-state.bak'],
  async run(v) {
    const c = new Checks(v);
    await checkOutputPath('out', c.str('out')!, c);
    await checkModuleInput(v).catch((e) => c.add((e as Error).message));
    await checkStateDir(c.str('state')!).catch((e) => c.add((e as Error).message));
    c.done();
    const { fw } = await openState(v, c.str('state')!, { write: false, deviceKey: true });
    let data: Uint8Array;
    try {
      data = await fw.backup();
    } catch (e) {
      if (!(e instanceof FirmwareError)) throw e;
      out(`REJECTED: ${e.reason} (${e.status})`);
      return EXIT.REFUSED;
    }
    const path = c.str('out')!;
    try {
      await writeFileAtomic(path, data);
    } catch (e) {
      throw new StateUseError(`-o ${path}: could not write the backup: ${(e as Error).message}`);
    }
    const gen = fw.generation();
    const deviceKey = toHex(fw.devicePublicKey());
    if (v.json) out(toJson({ backup: path, bytes: data.byteLength, generation: gen, deviceKey }));
    else out(`backup of state generation ${gen} written to ${path} (${data.byteLength} bytes, signed by device key ${deviceKey})`);
    return EXIT.OK;
  },
};

const restore: CommandSpec = {
  name: 'state restore',
  summary: 'Restores a backup of this device, after verifying it; works also while the state is fail-secure (CR 7.3 RE1, CR 7.4).',
  synopsis: ['--state DIR FILE [--json]'],
  positionals: [{ name: 'FILE', help: 'a backup written by `iacsec state backup` on this device' }],
  options: { state: STATE_OPTION, module: MODULE_OPTION, json: JSON_OPTION },
  notes: `The backup's device signature and seal are checked before anything changes. A restore never
lowers a security counter below the live one and keeps every live revocation; the restored state
gets a generation above the live one and the high-water mark.`,
  examples: ['iacsec state restore --state /var/lib/iacsec /mnt/backup/iacsec-state.bak'],
  async run(v, positionals) {
    const c = new Checks(v);
    const file = positionals[0];
    let data: Uint8Array | undefined;
    try {
      data = await readInput('backup file', file, SIZES.IO_BYTES, 'backup');
    } catch (e) {
      c.add((e as Error).message);
    }
    await checkModuleInput(v).catch((e) => c.add((e as Error).message));
    await checkStateDir(c.str('state')!).catch((e) => c.add((e as Error).message));
    c.done();
    const { fw } = await openState(v, c.str('state')!, { write: true, allowFailSecure: true, deviceKey: true });
    const wasFailSecure = fw.failSecure();
    const before = wasFailSecure ? undefined : fw.generation();
    const mark = fw.events.length;
    try {
      await fw.restore(data!);
    } catch (e) {
      if (!(e instanceof FirmwareError)) throw e;
      if (v.json) out(toJson({ decision: 'REJECTED', status: e.status, statusCode: e.code, reason: e.reason, changes: [] }));
      else out(`REJECTED: ${e.reason} (${e.status}); nothing changed${wasFailSecure ? ' (the state stays fail-secure)' : ''}`);
      return EXIT.REFUSED;
    }
    const changes = changeRecords(eventsSince(fw, mark));
    const gen = fw.generation();
    if (v.json) {
      out(toJson({ decision: 'ACCEPTED', status: 'OK', restoredFrom: file, wasFailSecure, failSecure: fw.failSecure(), generationBefore: before ?? null, generation: gen, changes }));
    } else {
      out(`ACCEPTED: backup ${file} restored: ${changes.map((x) => x.text).join('; ') || 'state restored'}; ${wasFailSecure ? 'the state was fail-secure and is usable again; ' : ''}state saved (generation ${gen})`);
    }
    return EXIT.OK;
  },
};

const recover: CommandSpec = {
  name: 'state recover',
  summary: 'Discards a damaged (fail-secure) state, keeping it as DIR/state.bin.damaged-<timestamp>; the device is then factory-fresh.',
  synopsis: ['--state DIR [--json]'],
  options: { state: STATE_OPTION, module: MODULE_OPTION, json: JSON_OPTION },
  notes: `Only a state that failed to load (missing, truncated, tampered, wrongly keyed, rolled back) can be
recovered. Afterwards provisioning is open: run \`iacsec provision\` again, then re-apply the trust
statements. Prefer \`iacsec state restore\` where a backup exists: it keeps counters and revocations.`,
  examples: ['iacsec state recover --state /var/lib/iacsec'],
  async run(v) {
    const c = new Checks(v);
    await checkModuleInput(v).catch((e) => c.add((e as Error).message));
    const dir = c.str('state')!;
    await checkStateDir(dir).catch((e) => c.add((e as Error).message));
    c.done();
    const { fw, paths } = await openState(v, dir, { write: true, allowFailSecure: true });
    if (!fw.failSecure()) {
      out(`REFUSED: ${paths.state}: the state loads fine, there is nothing to recover (nothing changed)`);
      return EXIT.REFUSED;
    }
    const kept = `${paths.state}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    const had = await open(paths.state, 'r').then(async (fh) => { await fh.close(); return true; }, () => false);
    if (had) {
      try {
        await copyFile(paths.state, kept);
        const fh = await open(kept, 'r');
        try { await fh.sync(); } finally { await fh.close(); }
      } catch (e) {
        throw new StateUseError(`${kept}: could not keep a copy of the damaged state (${(e as Error).message}); nothing was discarded`);
      }
    }
    const mark = fw.events.length;
    await fw.recover();
    const changes = changeRecords(eventsSince(fw, mark));
    if (v.json) {
      out(toJson({ recovered: true, damagedCopy: had ? kept : null, generation: fw.generation(), provisioningOpen: fw.provisioningOpen(), changes }));
    } else {
      out(`recovered: ${had ? `the damaged state is kept as ${kept}; ` : 'the state file was missing; '}the module is factory-fresh (provisioning open, generation ${fw.generation()})`);
      out(`  next: iacsec provision --state ${dir} --vendor UUID --class UUID --anchor PUB`);
    }
    return EXIT.OK;
  },
};

const show: CommandSpec = {
  name: 'config show',
  summary: 'Reports the deployed security settings of the device (CR 7.6 RE1).',
  synopsis: ['--state DIR [--component NAME ...] [--json]'],
  options: {
    state: STATE_OPTION,
    component: { type: 'string', multiple: true, arg: 'NAME', help: 'also name this component\'s counter (firmware and config are always named)' },
    module: MODULE_OPTION,
    json: JSON_OPTION,
  },
  notes: `Provisioning state, vendor and class, anchors, revocations, owner grants, security counters, the
module's SHA-256 and ABI version, the state's generation, where its high-water mark lives and whether
that is hardware-backed, whether the module is fail-secure, the password policy, lockout and session
limits, each role and whether it needs a second factor, the rate limits and the audit policy, all read
from the module. --json prints one object of the shape host/config_report.schema.json ("schema":
"iacsec-config-report/1"). The module stores components by the
SHA-256 of their names: counters and grants of components not named here are shown by that hash.`,
  examples: ['iacsec config show --state /var/lib/iacsec --component bootloader --json'],
  async run(v) {
    const c = new Checks(v);
    const named = ['firmware', 'config', ...c.list('component')];
    for (const n of c.list('component')) c.text('component', 1, SIZES.COMPONENT_MAX_BYTES, n);
    await checkModuleInput(v).catch((e) => c.add((e as Error).message));
    const dir = c.str('state')!;
    await checkStateDir(dir).catch((e) => c.add((e as Error).message));
    c.done();
    const { fw, store, paths } = await openState(v, dir, { allowFailSecure: true });
    const failSecure = fw.failSecure();
    const section = failSecure ? undefined : readDeviceSection(fw);
    let mark: bigint | string;
    try { mark = await store.highWater.read(); } catch (e) { mark = `unreadable: ${(e as Error).message}`; }
    const report = configReport({
      fw, section, components: named,
      state: {
        directory: dir, file: paths.state, generation: failSecure ? null : fw.generation(), failSecure,
        failure: store.failure ? `${store.failure.reason} (${store.failure.status})` : null,
        highWater: { mark, location: store.highWater.describe, hardwareBacked: store.highWater.hardware },
        sealKey: paths.sealKey, deviceKey: paths.deviceSecret,
      },
    });
    const { anchors, grants, counters } = report;
    const s = report.state as { file: string; generation: bigint | null; failure: string | null; highWater: { location: string; hardwareBacked: boolean } };
    if (v.json) {
      out(toJson(report));
      return EXIT.OK;
    }
    out(`module          ${report.module.path}`);
    out(`  sha256        ${report.module.sha256}`);
    out(`  abi version   ${report.module.abiVersion}`);
    out(`state           ${s.file}`);
    out(`  generation    ${s.generation ?? 'unknown'}`);
    out(`  fail-secure   ${failSecure ? `YES: ${s.failure ?? ''}; \`iacsec state restore\` or \`iacsec state recover\`` : 'no'}`);
    out(`  high-water    ${mark} in ${s.highWater.location}; hardware-backed: ${s.highWater.hardwareBacked ? 'yes' : 'no'}`);
    out(`provisioning    ${report.provisioning}`);
    if (report.device) out(`vendor          ${report.device.vendor ?? 'not set'}\nclass           ${report.device.deviceClass ?? 'not set'}`);
    if (report.devicePublicKey) out(`device key      ${report.devicePublicKey}`);
    out(`anchors         ${anchors.length} of ${SIZES.ANCHORS_MAX}`);
    for (const a of report.anchors) out(`  ${a.role.padEnd(8)} ${a.alg.padEnd(7)} kid ${a.kid.padEnd(16)} ${a.revoked ? 'REVOKED' : 'active'}`);
    out(`revocations     ${report.revocations ? `${report.revocations.length} of ${SIZES.REVOKED_MAX}${report.revocations.length ? `: ${report.revocations.join(', ')}` : ''}` : 'unknown'}`);
    out(`grants          ${grants.length ? '' : 'none'}`.trimEnd());
    for (const g of grants) out(`  owner kid ${g.kid ?? `#${g.anchor}`} may sign ${g.component ?? `component sha256 ${g.componentHash}`}`);
    out('counters');
    for (const x of counters) out(`  ${(x.component ?? `sha256 ${x.componentHash}`).padEnd(16)} ${x.counter}`);
    const ac = report.accessControl;
    if (ac) {
      const p = ac.profile;
      out(`passwords       at least ${p.minLength} characters, history ${p.history}, lifetime at least ${p.minLifetime} s, at most ${p.maxLifetime ? `${p.maxLifetime} s` : 'unlimited'}, PBKDF2 ${p.iterations} iterations`);
      out(`lockout         ${p.lockThreshold} failures in ${p.lockWindow} s lock ${p.lockDuration} s; per source ${p.sourceThreshold} in ${p.sourceWindow} s lock ${p.sourceDuration} s`);
      out(`sessions        idle lock ${p.idleLock} s, idle end ${p.idleTerminate} s, longest ${p.sessionMax} s; at most ${p.sessionsPerUser} per user, ${p.sessionsPerInterface} per interface`);
      out('roles');
      for (const r of ac.roles) out(`  ${String(r.index).padStart(2)} ${r.name.padEnd(16)} ${r.mfaRequired ? 'second factor' : 'password only'}`);
    }
    if (report.rateLimit) out(`rate limits     per source ${report.rateLimit.sourceRate}/s burst ${report.rateLimit.sourceBurst}; global ${report.rateLimit.globalRate}/s burst ${report.rateLimit.globalBurst}`);
    if (report.audit) out(`audit           when full: ${report.audit.onFull}; warning at ${report.audit.warnThresholdPercent} %; checkpoint every ${report.audit.checkpointEvery}; clock ${report.audit.clockSync}`);
    return EXIT.OK;
  },
};

export const STATE_SPECS: CommandSpec[] = [backup, restore, recover, show];
export { UsageError };
