// The operation registry: every file in bench/ops/ (not starting with "_")
// exports `area` and `cases`. A part of the module adds its benchmarks by
// adding one file there; a case whose exports (`needs`) the module under test
// lacks is listed as skipped, so one registry serves every build profile.
//
// A case: { id, title, needs: [export names], reference: contender name,
//   bytes?: input size (for MB/s), timing?: { rounds, batchMs, warmupMs },
//   goals: [{ text, a, b, atLeast } | { text, p50Of, below (us) }],
//   setup(ctx) -> { contenders: [{ name, fn, async? } | { name, batch(ms) }],
//                   expect?: the answer (bytes or true) every contender must give,
//                   fixture?: { kind, param, inputs: [bytes], expect: bytes } for the native harness } }
//
// For example (abridged from bench/ops/audit.js):
//   export const area = 'audit';
//   export const cases = [{
//     id: 'audit-append', title: 'Audit append, 128-byte record', needs: ['iacsec_audit_append'],
//     reference: 'iacsec', goals: [],
//     async setup({ api }) { return { contenders: [{ name: 'iacsec', fn: () => api.auditAppend(record) }] }; },
//   }];
// A case without a fixture runs in Node only; its native form needs a kind in bindings/c/bench_main.c.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const DIR = fileURLToPath(new URL('./ops/', import.meta.url));
// Known areas first, in the order a reader expects; any new area after them.
const ORDER = ['hash', 'kdf', 'sig', 'firmware', 'audit', 'module'];

export async function loadRegistry() {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.js') && !f.startsWith('_')).sort();
  const areas = [];
  for (const f of files) {
    const mod = await import(pathToFileURL(DIR + f).href);
    if (typeof mod.area !== 'string' || !Array.isArray(mod.cases)) throw new Error(`bench/ops/${f}: must export area and cases`);
    areas.push({ area: mod.area, file: f, cases: mod.cases });
  }
  const rank = (a) => (ORDER.includes(a) ? ORDER.indexOf(a) : ORDER.length);
  areas.sort((x, y) => rank(x.area) - rank(y.area) || x.area.localeCompare(y.area));
  const cases = areas.flatMap(({ area, cases }) => cases.map((c) => ({ ...c, area })));
  const ids = new Set();
  for (const c of cases) {
    if (ids.has(c.id)) throw new Error(`bench: case id ${c.id} defined twice`);
    ids.add(c.id);
  }
  return cases;
}

/** Selects cases by id, area, or prefix ending in "*" (e.g. "sha256-*"); none = all. */
export function selectCases(cases, patterns) {
  if (!patterns.length) return cases;
  const match = (c, p) => (p.endsWith('*') ? c.id.startsWith(p.slice(0, -1)) : c.id === p || c.area === p);
  const unknown = patterns.filter((p) => !cases.some((c) => match(c, p)));
  if (unknown.length) throw new Error(`bench: no case or area named ${unknown.join(', ')} (see --list)`);
  return cases.filter((c) => patterns.some((p) => match(c, p)));
}
