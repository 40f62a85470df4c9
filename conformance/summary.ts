// The terminal summary: the matrix by FR, the failing items, where the
// report is; colour where the terminal has it (NO_COLOR / FORCE_COLOR honoured).

import { pct, sl } from './_format.js';
import type { Report } from './report_types.js';

export function colourWanted(stream: NodeJS.WriteStream): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  const force = process.env.FORCE_COLOR;
  if (force !== undefined && force !== '' && force !== '0') return true;
  return stream.isTTY === true && typeof stream.hasColors === 'function' && stream.hasColors();
}

export function terminalSummary(r: Report, dir: string, colour: boolean): string {
  const c = (code: string, s: string) => (colour ? `\x1b[${code}m${s}\x1b[0m` : s);
  const green = (s: string) => c('32', s); const red = (s: string) => c('31', s); const yellow = (s: string) => c('33', s); const dim = (s: string) => c('2', s);
  const bold = (s: string) => c('1', s);
  const s = r.summary;
  const out: string[] = [];
  out.push(bold(`iacsec conformance (IEC 62443-4-2) at SL-T ${s.slTarget}`));
  out.push(`module   ${r.module.source}  sha256 ${r.module.sha256.slice(0, 16)}…  ABI ${r.module.abiVersion}  caps 0x${r.module.caps.toString(16)}`);
  out.push(`profile  ${r.profile.name}  sha256 ${r.profile.sha256.slice(0, 16)}…`);
  out.push(`native   ${r.native.status}: ${r.native.detail}`);
  out.push('');
  out.push(`${'FR'.padEnd(4)} ${'name'.padEnd(42)} ${'met'.padStart(7)} ${'score'.padStart(8)} ${'SL-C'.padStart(4)} ${'SL-A'.padStart(4)}`);
  for (const f of r.frs) {
    const line = `${f.fr.padEnd(4)} ${f.name.padEnd(42)} ${`${f.met}/${f.applicable}`.padStart(7)} ${pct(f.score).padStart(8)} ${sl(f.slC).padStart(4)} ${sl(f.slA).padStart(4)}`;
    out.push(f.applicable === 0 ? dim(line) : f.met === f.applicable ? green(line) : red(line));
  }
  out.push('');
  const failing = r.items.filter((i) => i.verdict === 'fail' || i.verdict === 'needs-integrator-evidence');
  // Items missing because a part is not in the build: one line per part.
  const missing = new Map<string, string[]>();
  for (const i of failing) {
    const m = /^not implemented: this build has no (.+?) \(/.exec(i.reason);
    if (m && !i.accepted && i.verdict === 'fail') {
      missing.set(m[1], [...(missing.get(m[1]) ?? []), i.id]);
      continue;
    }
    const mark = i.accepted ? yellow('accepted') : i.verdict === 'fail' ? red('FAIL    ') : yellow('EVIDENCE');
    out.push(`${mark} ${i.id.padEnd(13)} ${i.reason.length > 100 ? `${i.reason.slice(0, 99)}…` : i.reason}`);
  }
  for (const [part, ids] of missing) out.push(`${red('FAIL    ')} not implemented (${part}): ${ids.join(', ')}`);
  if (failing.length) out.push('');
  out.push(`checks   ${s.checks.pass}/${s.checks.total} passed${s.checks.fail ? `, ${s.checks.fail} failed` : ''}${s.checks.error ? `, ${s.checks.error} errors` : ''}${s.checks.notImplemented ? `, ${s.checks.notImplemented} not implemented` : ''}`);
  out.push(`score    ${pct(s.score)} of applicable module and host items met (${s.metItems}/${s.applicable}); SL-C ${sl(s.slC)}, SL-A ${sl(s.slA)}`);
  out.push(`SL-T ${s.slTarget}   ${s.met ? green(bold('MET')) : red(bold('NOT MET'))}${s.acceptedItems ? ` (${s.acceptedItems} gaps accepted)` : ''}`);
  out.push(`report   ${dir}/report.html  (also report.json, report.md, OSCAL, evidence/)`);
  return `${out.join('\n')}\n`;
}
