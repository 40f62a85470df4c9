// The results file in Markdown: the machine, one table row per contender and
// case, the goals, and the footprint, as the README's performance section shows it.
import { fmtTime } from './_harness.js';
import { machineLines } from './_machine.js';
import { footprintLines } from './_footprint.js';

export function resultMarkdown(out) {
  const L = [];
  L.push(`# iacsec benchmarks, ${out.date.slice(0, 10)}${out.quick ? ' (quick smoke run: not measurements)' : ''}`, '');
  L.push('```', ...machineLines(out.machine), `module   ${out.module.path} (${out.module.bytes} bytes, sha256 ${out.module.sha256})`);
  if (out.native) L.push(`native   wasm2c, ${out.native.cc} ${out.native.cflags}`);
  L.push(`timing   ${out.options.rounds} rounds x ${out.options.batchMs} ms per contender (defaults; some cases set their own), interleaved, order rotated`, '```', '');
  L.push('Ratios are speed (ops/s) against the case\'s reference, taken inside each round and then the median over rounds; p50 and p99 are per call.', '');
  L.push('| operation | contender | ops/s | p50 | p99 | MB/s | ratio |', '|---|---|---:|---:|---:|---:|---|');
  for (const c of out.cases) {
    for (const r of c.results) {
      const mbs = c.bytes ? ((r.opsPerSec * c.bytes) / 1e6).toFixed(1) : '';
      L.push(`| ${c.title} | ${r.name} | ${r.opsPerSec.toFixed(1)} | ${fmtTime(r.p50us)} | ${fmtTime(r.p99us)} | ${mbs} | ${r.ratio.toFixed(2)}x ${c.reference} |`);
    }
  }
  L.push('', '## Goals', '', '| goal | reached | target | |', '|---|---:|---:|---|');
  for (const g of out.goals) {
    const unit = g.unit === 'x' ? 'x' : g.unit === 'ms' ? ' ms' : g.unit === 'us' ? ' us' : ' bytes';
    const cmp = g.unit === 'x' ? '>=' : '<';
    L.push(`| ${g.goal} | ${g.reached ?? 'not built'}${g.reached == null ? '' : unit} | ${cmp} ${g.target}${unit} | ${g.met ? 'met' : '**not met**'} |`);
  }
  if (out.skipped.length) L.push('', `Skipped: ${out.skipped.map((s) => `${s.id} (${s.reason})`).join('; ')}.`);
  if (out.footprint) L.push('', '## Footprint', '', '```', ...footprintLines(out.footprint).map((l) => l.trim()), '```');
  return `${L.join('\n')}\n`;
}
