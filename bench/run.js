// npm run bench [hash|sig|firmware|footprint ...] [--module PATH] [--quick]
// Runs the chosen areas (all by default) and writes bench/results.json.
import { writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { loadModule, DEFAULT_MODULE_PATH } from '../dist/host/index.js';
import { benchHash } from './hash.js';
import { benchSig } from './sig.js';
import { benchFirmware } from './firmware.js';
import { footprint } from './footprint.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { module: { type: 'string' }, quick: { type: 'boolean', default: false }, out: { type: 'string', default: 'reports/bench.json' } },
});
const areas = positionals.length ? positionals : ['hash', 'sig', 'firmware', 'footprint'];
const path = values.module ?? DEFAULT_MODULE_PATH;
const opts = values.quick ? { rounds: 3, batchMs: 60, warmupMs: 60 } : undefined;
const api = await loadModule({ path });

console.log(`iacsec benchmarks: ${path}`);
console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown cpu'}, ${os.cpus().length} cores`);
const result = { date: new Date().toISOString(), node: process.version, cpu: os.cpus()[0]?.model, module: api.info().sha256, goals: [] };
if (areas.includes('hash')) result.goals.push(...await benchHash(api, opts));
if (areas.includes('sig')) result.goals.push(...await benchSig(api, opts));
if (areas.includes('firmware')) result.goals.push(...await benchFirmware(api, opts));
if (areas.includes('footprint')) {
  const f = footprint(api, path);
  result.footprint = f.result;
  result.goals.push(f.goal);
}

const dir = values.out.includes('/') ? values.out.slice(0, values.out.lastIndexOf('/')) : '.';
mkdirSync(dir, { recursive: true });
writeFileSync(values.out, JSON.stringify(result, null, 2));
console.log(`\nGoals met: ${result.goals.filter((g) => g.met).length} of ${result.goals.length}; written to ${values.out}`);
