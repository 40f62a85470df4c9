// report.md: the same results as report.json, for reading and for diffs.

import { FR_NAMES } from './catalogue/index.js';
import { VERDICT_TEXT, pct, sl } from './_format.js';
import type { Report } from './report_types.js';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function reportMarkdown(r: Report): string {
  const s = r.summary;
  const out: string[] = [];
  out.push('# iacsec conformance report (IEC 62443-4-2)', '');
  out.push(`SL-T ${s.slTarget}: **${s.met ? 'met' : 'not met'}**. Score ${pct(s.score)} (${s.metItems} of ${s.applicable} applicable module and host items met). SL-C ${sl(s.slC)}, SL-A ${sl(s.slA)}.`, '');
  out.push(`Verdicts: ${s.verdicts.pass} pass, ${s.verdicts.fail} fail, ${s.verdicts['not-applicable']} not applicable at SL ${s.slTarget}, ${s.verdicts['needs-integrator-evidence']} need integrator evidence; ${s.acceptedItems} accepted gaps. Checks: ${s.checks.pass} of ${s.checks.total} passed, ${s.checks.fail} failed, ${s.checks.error} errors, ${s.checks.notImplemented} not implemented.`, '');
  out.push('| | |', '|---|---|');
  out.push(`| generated | ${r.generatedAt} |`);
  out.push(`| module | ${cell(r.module.source)}, ${r.module.size} bytes, SHA-256 \`${r.module.sha256}\` |`);
  out.push(`| ABI, capabilities | ABI ${r.module.abiVersion}; 0x${r.module.caps.toString(16)}: ${r.module.capabilities.join(' ')} |`);
  out.push(`| parts | ${r.module.parts.map((p) => `${p.id} ${p.present ? 'present' : 'absent'}`).join(', ')} |`);
  out.push(`| profile | ${cell(r.profile.name)} (${cell(r.profile.source)}), SHA-256 \`${r.profile.sha256}\` |`);
  out.push(`| accepted gaps | ${r.accept.source ? `${cell(r.accept.source)} (${r.accept.entries} entries), SHA-256 \`${r.accept.sha256}\`` : 'none given'} |`);
  out.push(`| native (wasm2c) self-test | ${r.native.status}: ${cell(r.native.detail)} |`);
  out.push(`| tool | ${r.tool.name} ${r.tool.version}; ${r.tool.runtime}; ${r.tool.platform}; AssemblyScript ${r.tool.assemblyscript}; ${Object.entries(r.tool.dependencies).map(([k, v]) => `${k} ${v}`).join(', ')} |`);
  out.push('');
  out.push('## By foundational requirement', '');
  out.push('| FR | name | applicable | met | score | SL-C | SL-A |', '|---|---|---:|---:|---:|---:|---:|');
  for (const f of r.frs) out.push(`| ${f.fr} | ${f.name} | ${f.applicable} | ${f.met} | ${pct(f.score)} | ${sl(f.slC)} | ${sl(f.slA)} |`);
  out.push('');
  out.push('## Control assessment matrix', '');
  for (const f of r.frs) {
    const rows = r.items.filter((i) => i.fr === f.fr);
    out.push(`### ${f.fr} ${FR_NAMES[f.fr]}`, '');
    if (!rows.length) { out.push('No requirement of this family is in scope.', ''); continue; }
    out.push('| id | title | SL | scope | verdict | SL-C | SL-A | checks | reason |', '|---|---|---:|---|---|---:|---:|---|---|');
    for (const i of rows) {
      const v = VERDICT_TEXT[i.verdict] + (i.accepted ? ' (gap accepted)' : '');
      out.push(`| ${i.id} | ${cell(i.title)} | ${i.sl} | ${i.scope} | ${v} | ${sl(i.slC)} | ${sl(i.slA)} | ${i.checks.join(', ') || '—'} | ${cell(i.reason)} |`);
    }
    out.push('');
  }
  out.push('## Gap register', '');
  if (!r.gaps.length) out.push('No gaps.');
  else {
    out.push('| id | title | blocks SL | severity | status | reason | what would close it |', '|---|---|---:|---|---|---|---|');
    for (const g of r.gaps) {
      const st = g.accepted ? `accepted by ${cell(g.accepted.owner)}: ${cell(g.accepted.justification)}${g.accepted.expires ? ` (until ${g.accepted.expires})` : ''}` : g.status;
      out.push(`| ${g.id} | ${cell(g.title)} | ${g.blocksSl} | ${g.severity} | ${st} | ${cell(g.reason)} | ${cell(g.closes)} |`);
    }
  }
  out.push('');
  out.push('## Checks', '');
  out.push('| check | kind | requirements | result | summary | measured | evidence |', '|---|---|---|---|---|---|---|');
  for (const c of r.checks) {
    const m = Object.entries(c.measured).map(([k, v]) => `${k}=${v}`).join(', ');
    out.push(`| ${c.id} | ${c.kind} | ${c.requirements.join(', ')} | ${c.result} | ${cell(c.summary)} | ${cell(m) || '—'} | ${c.evidence.map((e) => `[${e.split('/').pop()}](${e})`).join(' ')} |`);
  }
  out.push('');
  return `${out.join('\n')}`;
}
