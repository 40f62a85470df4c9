// The configuration report's checks (CR 7.6, CR 7.6 RE1): the report of
// host/config_report.ts (what `iacsec config show --json` prints), produced
// from a fresh module under test after the run's profile was applied to it,
// must state each deployed setting as applied; and its JSON form must parse,
// name its schema and match host/config_report.schema.json.
// The profile applied (conformance/checks/_deployment.ts for access control):
//   passwordPolicy, lockout, sessions -> the module's security profile
//   mfa.roles.<name> -> that role's "second factor" flag
//   rateLimit.requestsPerSecond, burst -> per-source rate and burst (when enabled)
//   audit.onFailure -> the ring's policy when full (overwrite / reject), warnThresholdPercent -> its warning
//   provisioning.supplierAnchors, closed -> supplier anchors provisioned, provisioning closed

import { readFileSync } from 'node:fs';
import { audit } from '../../host/audit.js';
import { toJson } from '../../host/cli_args.js';
import { CONFIG_REPORT_SCHEMA, configReport, type ConfigReport } from '../../host/config_report.js';
import { anchorOf, firmware } from '../../host/firmware.js';
import { outcome, type Check, type CheckContext } from './registry.js';
import { accessBench } from './_access.js';
import { moduleProfile } from './_deployment.js';
import { CLASS, VENDOR } from './_firmware.js';
import { validate } from './_schema.js';

type Setting = [name: string, deployed: unknown, reported: unknown];

/** A fresh module with the profile applied; the settings applied, and the report built from the module afterwards. */
async function deployedReport(ctx: CheckContext): Promise<{ report: ConfigReport; settings: Setting[] }> {
  const p = ctx.profile;
  const prof = moduleProfile(p);
  const b = await accessBench(ctx, { profile: prof });
  const fw = firmware(b.api);
  const settings: Setting[] = [];
  const pending: [string, unknown, (r: ConfigReport) => unknown][] = [];
  for (const [k, v] of Object.entries(prof)) pending.push([`profile.${k}`, v, (r) => (r.accessControl?.profile as Record<string, number> | undefined)?.[k]]);
  if (p.rateLimit?.enabled === true && typeof p.rateLimit.requestsPerSecond === 'number' && typeof p.rateLimit.burst === 'number') {
    const now = b.rl.config();
    b.rl.configure(b.admin, { ...now, sourceRate: p.rateLimit.requestsPerSecond, sourceBurst: p.rateLimit.burst });
    pending.push(['rateLimit.sourceRate', p.rateLimit.requestsPerSecond, (r) => r.rateLimit?.sourceRate]);
    pending.push(['rateLimit.sourceBurst', p.rateLimit.burst, (r) => r.rateLimit?.sourceBurst]);
  }
  const a = p.audit;
  if (a?.enabled === true && typeof (b.api.raw as unknown as Record<string, unknown>).iacsec_audit_configure === 'function') {
    const onFull = /stop|reject|keep/.test(a.onFailure ?? '') ? 'reject' as const : 'overwrite' as const;
    audit(b.api).configure({ policy: onFull, ...(typeof a.warnThresholdPercent === 'number' ? { thresholdPercent: a.warnThresholdPercent } : {}) });
    pending.push(['audit.onFull', onFull, (r) => r.audit?.onFull]);
    if (typeof a.warnThresholdPercent === 'number') pending.push(['audit.warnThresholdPercent', a.warnThresholdPercent, (r) => r.audit?.warnThresholdPercent]);
  }
  for (const role of b.a.roles()) {
    const want = p.mfa?.roles?.[role.name];
    if (typeof want !== 'boolean') continue;
    b.a.setRole(b.admin, role.index, { name: role.name, permissions: role.permissions, mfaRequired: want });
    pending.push([`role ${role.name} second factor`, want, (r) => r.accessControl?.roles.find((x) => x.index === role.index)?.mfaRequired]);
  }
  if (p.provisioning?.closed !== false) {
    const n = p.provisioning?.supplierAnchors ?? 1;
    const keys = Array.from({ length: n }, (_, i) => ctx.key(`config-supplier-${i}`));
    await fw.provision({ vendor: VENDOR, deviceClass: CLASS, supplierAnchors: keys.map(anchorOf) });
    pending.push(['provisioning', 'closed', (r) => r.provisioning]);
    pending.push(['supplier anchors', keys.map((k) => Buffer.from(k.kid).toString('hex')).join(' '), (r) => r.anchors.filter((x) => x.role === 'supplier').map((x) => x.kid).join(' ')]);
  }
  ctx.log(`applied the profile to a fresh module: ${pending.length} settings`);
  const report = configReport({ fw, state: null });
  for (const [name, deployed, get] of pending) settings.push([name, deployed, get(report)]);
  return { report, settings };
}

export const configStatesDeployment: Check = {
  id: 'config.report-states-deployment',
  title: 'The configuration report states every deployed setting as applied: password policy, lockout, sessions, second factor per role, rate limits, audit policy, anchors',
  requirements: ['CR 7.6'],
  kind: 'capability',
  part: 'config',
  remedy: 'build the report from the module\'s getters (host/config_report.ts), and make each getter report the setting the module enforces',
  async run(ctx) {
    const { settings } = await deployedReport(ctx);
    let wrong = 0;
    for (const [name, deployed, reported] of settings) {
      const same = JSON.stringify(deployed) === JSON.stringify(reported);
      if (!same) wrong++;
      ctx.log(`${same ? 'same' : 'DIFFERENT'}  ${name}: deployed ${JSON.stringify(deployed)}, reported ${JSON.stringify(reported) ?? 'nothing'}`);
    }
    return outcome(wrong === 0 && settings.length > 0, `the report states all ${settings.length} deployed settings`,
      `${wrong} of ${settings.length} settings reported otherwise than deployed`, { settings: settings.length, wrong });
  },
};

export const configMachineReadable: Check = {
  id: 'config.report-machine-readable',
  title: 'The configuration report is JSON of a documented schema: it parses, names its schema, matches host/config_report.schema.json, and is the same for the same settings',
  requirements: ['CR 7.6 RE1'],
  kind: 'capability',
  part: 'config',
  remedy: 'print the report as JSON of the shape host/config_report.schema.json describes (iacsec config show --json)',
  async run(ctx) {
    const { report } = await deployedReport(ctx);
    const text = toJson(report);
    // A factory-fresh module (nothing provisioned) reports in the same shape.
    const again = toJson(configReport({ fw: firmware((await accessBench(ctx, { provision: false })).api), state: null }));
    ctx.input('config-report.json', `${text}\n`);
    let parsed: unknown;
    try { parsed = JSON.parse(text); } catch (e) { return { result: 'fail', summary: `the report is not JSON: ${(e as Error).message}` }; }
    const schema = JSON.parse(readFileSync(`${ctx.root}host/config_report.schema.json`, 'utf8')) as Record<string, unknown>;
    const problems = validate(schema, parsed);
    for (const p of problems.slice(0, 20)) ctx.log(`schema: ${p}`);
    const named = (parsed as { schema?: unknown }).schema === CONFIG_REPORT_SCHEMA;
    const stable = toJson((await deployedReport(ctx)).report) === text;
    ctx.log(`JSON parses: yes; schema named: ${named ? CONFIG_REPORT_SCHEMA : 'no'}; violations of host/config_report.schema.json: ${problems.length}; `
      + `a second report of the same settings is the same text: ${stable}; a fresh module's report also matches: ${validate(schema, JSON.parse(again)).length === 0}`);
    const freshOk = validate(schema, JSON.parse(again)).length === 0;
    return outcome(named && problems.length === 0 && stable && freshOk, `JSON of schema ${CONFIG_REPORT_SCHEMA}, valid and stable (${text.length} characters)`,
      `schema named: ${named}; ${problems.length} violations; stable: ${stable}; fresh module's report valid: ${freshOk}`,
      { characters: text.length, violations: problems.length, stable });
  },
};
