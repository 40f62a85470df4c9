// The same module, profile and options give the same report, evidence and
// OSCAL documents, apart from timestamps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { CLI, readJson, tempDir } from './_conformance.js';
import { ROOT } from './_helpers.js';

const TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g;
const run = (out) => {
  const r = spawnSync(process.execPath, [CLI, 'conformance', '--out', out, '--no-native'], { encoding: 'utf8', cwd: ROOT, timeout: 300_000 });
  assert.equal(r.status, 1, r.stderr);
  return out;
};

test('two runs give the same report apart from timestamps, and byte-identical evidence', () => {
  const a = run(tempDir('conf-det-a'));
  const b = run(tempDir('conf-det-b'));
  const ra = readJson(join(a, 'report.json'));
  const rb = readJson(join(b, 'report.json'));
  assert.notEqual(ra.generatedAt, undefined);
  delete ra.generatedAt; delete rb.generatedAt;
  assert.deepEqual(ra, rb);
  for (const f of ['report.md', 'report.html', 'oscal-assessment-results.json', 'oscal-poam.json']) {
    assert.equal(readFileSync(join(a, f), 'utf8').replace(TIME, 'T'), readFileSync(join(b, f), 'utf8').replace(TIME, 'T'), f);
  }
  const ma = readJson(join(a, 'manifest.json'));
  const mb = readJson(join(b, 'manifest.json'));
  const evidence = (m) => m.files.filter((f) => f.path.startsWith('evidence/'));
  assert.ok(evidence(ma).length > 30);
  assert.deepEqual(evidence(ma), evidence(mb), 'every evidence file has the same digest');
});
