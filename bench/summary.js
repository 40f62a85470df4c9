// node bench/summary.js bench/results/<date>-<host>.json [native.json]
// Prints the compact Markdown table of a results file, as the README's
// performance section shows it: per operation the module's p50 and p99 in
// Node, the native (wasm2c) build's p50 and its ratio to Node, and the
// module's speed against each peer (above 1.00x: the module is faster).
// A second file (a --native-only run, e.g. with other compiler flags) adds a column.
import { readFileSync } from 'node:fs';
import { fmtTime, ratioOf } from './_harness.js';

const PEERS = ['node:crypto', 'hash-wasm', 'libsodium-wrappers', '@noble/hashes', '@noble/curves'];
const NATIVE = 'iacsec native (wasm2c)';
const [file, extra] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/summary.js RESULTS.json [NATIVE-ONLY-RESULTS.json]');
  process.exit(2);
}
const out = JSON.parse(readFileSync(file, 'utf8'));
const more = extra ? JSON.parse(readFileSync(extra, 'utf8')) : undefined;
const x = (v) => (v === undefined || !Number.isFinite(v) ? '' : `${v.toFixed(2)}x`);

const head = ['operation', 'iacsec p50', 'p99', `native p50 (${out.native?.cflags.replace(' -std=gnu11', '') ?? '-'})`, 'native / Node'];
if (more) head.push(`native / Node (${more.native.cflags.replace(' -std=gnu11', '')})`);
head.push(...PEERS.map((p) => `vs ${p}`));
const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i ? '---:' : '---')).join('|')}|`];
for (const c of out.cases) {
  const self = c.results.find((r) => r.name === 'iacsec') ? 'iacsec' : c.reference;
  const me = c.results.find((r) => r.name === self);
  const nat = c.results.find((r) => r.name === NATIVE);
  const row = [self === 'iacsec' ? c.title : `${c.title} (${self})`, fmtTime(me.p50us), fmtTime(me.p99us), nat ? fmtTime(nat.p50us) : '', x(ratioOf(c.results, NATIVE, self))];
  if (more) {
    const m = more.cases.find((k) => k.id === c.id);
    row.push(m ? x(ratioOf(m.results, NATIVE, m.reference)) : '');
  }
  // The firmware cases name their throughput reference "hash-wasm SHA-256".
  row.push(...PEERS.map((p) => x(ratioOf(c.results, self, p) ?? ratioOf(c.results, self, `${p} SHA-256`))));
  lines.push(`| ${row.join(' | ')} |`);
}
console.log(lines.join('\n'));
console.log('');
console.log('| goal | reached | target | |');
console.log('|---|---:|---:|---|');
for (const g of out.goals) {
  const unit = g.unit === 'x' ? 'x' : g.unit === 'ms' ? ' ms' : g.unit === 'us' ? ' us' : ' bytes';
  console.log(`| ${g.goal} | ${g.reached ?? 'not built'}${g.reached == null ? '' : unit} | ${g.unit === 'x' ? '>=' : '<'} ${g.target}${unit} | ${g.met ? 'met' : '**not met**'} |`);
}
