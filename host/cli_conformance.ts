// `iacsec conformance`: runs the IEC 62443-4-2 conformance suite against a
// build of the module and writes the report folder; `iacsec conformance
// verify DIR` checks an evidence package. Exit codes: 0 SL-T met (verify:
// package intact), 1 not met (verify: changed, missing or badly signed),
// 2 usage error.

import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { readPrivateKeyFile, readPublicKeyFile, toHex } from './keys.js';
import { runSuite, UsageError } from '../conformance/run.js';
import { writeReport, verifyPackage } from '../conformance/evidence.js';
import { colourWanted, terminalSummary } from '../conformance/summary.js';
import { ProfileError } from '../conformance/profile.js';
import type { Level } from '../conformance/catalogue/index.js';

export const CONFORMANCE_USAGE = `conformance (IEC 62443-4-2 conformance suite and evidence report):
  conformance [--sl 1|2|3|4] [--module PATH.wasm] [--profile FILE] [--accept FILE]
              [--out DIR] [--sign-key KEY] [--no-native] [--json]
              run every check against the module (default: the built one) at SL-T (default 2);
              writes report.json, report.md, report.html, OSCAL and evidence/ to DIR (default reports/);
              exit 0 when SL-T is met, 1 when not
  conformance verify DIR [--key PUBLIC_KEY]
              check the evidence package: every digest, and the COSE_Sign1 signature
              (pinned to --key when given)
`;

async function verifyCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { key: { type: 'string' }, json: { type: 'boolean', default: false } } });
  if (positionals.length !== 1) throw new UsageError('conformance verify needs one folder');
  let key;
  if (values.key) {
    try { key = await readPublicKeyFile(values.key); } catch (e) { throw new UsageError(`--key ${values.key}: ${(e as Error).message}`); }
  }
  const r = await verifyPackage(resolve(positionals[0]), key);
  if (values.json) {
    console.log(JSON.stringify(r, null, 2));
  } else {
    for (const p of r.problems) console.log(`PROBLEM  ${p}`);
    const sig = r.signed ? `signed by kid ${r.signer?.kid ?? '?'} (${r.signer?.alg ?? '?'})${r.signer && !r.signer.pinned ? ', key taken from the package: pass --key to pin it' : ''}` : 'not signed';
    console.log(r.ok ? `INTACT   ${r.files} files match the manifest; ${sig}` : `REJECTED ${r.problems.length} problem(s); ${sig}`);
  }
  return r.ok ? 0 : 1;
}

export async function runConformanceCommand(args: string[]): Promise<number> {
  try {
    if (args[0] === 'verify') return await verifyCommand(args.slice(1));
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        sl: { type: 'string', default: '2' }, module: { type: 'string' }, profile: { type: 'string' }, accept: { type: 'string' },
        out: { type: 'string', default: 'reports' }, 'sign-key': { type: 'string' }, 'no-native': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) { process.stdout.write(CONFORMANCE_USAGE); return 0; }
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    if (!/^[1-4]$/.test(values.sl!)) throw new UsageError('--sl must be 1, 2, 3 or 4');
    let signKey;
    if (values['sign-key']) {
      try { signKey = await readPrivateKeyFile(values['sign-key']); } catch (e) { throw new UsageError(`--sign-key ${values['sign-key']}: ${(e as Error).message}`); }
    }
    const progress = process.stderr.isTTY === true;
    const result = await runSuite({
      slTarget: Number(values.sl) as Level,
      modulePath: values.module,
      profilePath: values.profile,
      acceptPath: values.accept,
      native: !values['no-native'],
      onProgress: progress ? (done, total, id) => {
        const bar = `[${'#'.repeat(Math.round((done / total) * 20)).padEnd(20)}] ${done}/${total} ${id}`;
        process.stderr.write(`\r\x1b[2K${bar.slice(0, (process.stderr.columns ?? 80) - 1)}`);
        if (done === total) process.stderr.write('\r\x1b[2K');
      } : undefined,
    });
    const dir = resolve(values.out!);
    await writeReport(dir, result, signKey);
    if (values.json) console.log(JSON.stringify(result.report.summary, null, 2));
    else {
      process.stdout.write(terminalSummary(result.report, dir, colourWanted(process.stdout)));
      if (signKey) console.log(`evidence manifest signed by kid ${toHex(signKey.kid)} (${signKey.alg})`);
    }
    return result.report.summary.met ? 0 : 1;
  } catch (e) {
    if (e instanceof UsageError || e instanceof ProfileError || (e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
      || (e as { code?: string }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      process.stderr.write(`iacsec conformance: ${(e as Error).message}\n${CONFORMANCE_USAGE}`);
      return 2;
    }
    throw e;
  }
}
