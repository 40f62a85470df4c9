import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ROOT, MODULE_PATH } from './_helpers.js';
import { abi } from '../../dist/host/index.js';

const CLI = `${ROOT}dist/host/cli.js`;

test('iacsec info states ABI version, capabilities, module SHA-256, imports and fixed memory', () => {
  const out = execFileSync(process.execPath, [CLI, 'info'], { encoding: 'utf8' });
  const sha = createHash('sha256').update(readFileSync(MODULE_PATH)).digest('hex');
  assert.match(out, new RegExp(`sha256\\s+${sha}`));
  assert.match(out, new RegExp(`abi version\\s+${abi.ABI_VERSION}`));
  for (const cap of Object.keys(abi.CAPS)) assert.match(out, new RegExp(`\\b${cap}\\b`));
  if (abi.IMPORTS.length === 0) assert.match(out, /imports\s+none/);
  for (const imp of abi.IMPORTS) assert.ok(out.includes(imp), imp);
  assert.match(out, /fixed: true/);
  const json = JSON.parse(execFileSync(process.execPath, [CLI, 'info', '--json'], { encoding: 'utf8' }));
  assert.equal(json.sha256, sha);
  assert.equal(json.memoryPages.initial, json.memoryPages.maximum);
  const st = JSON.parse(execFileSync(process.execPath, [CLI, 'selftest', '--json'], { encoding: 'utf8' }));
  assert.equal(st.passed, true);
});

test('iacsec with an unknown command or a missing module fails with a clear message', () => {
  const r = spawnSync(process.execPath, [CLI, 'frobnicate'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown command 'frobnicate'/);
  const m = spawnSync(process.execPath, [CLI, 'info', '--module', '/nonexistent/iacsec.wasm'], { encoding: 'utf8' });
  assert.equal(m.status, 2, 'an argument rejected before any work');
  assert.match(m.stderr, /--module \/nonexistent\/iacsec\.wasm: no such file/);
  assert.equal(m.stdout, '');
  const d = spawnSync(process.execPath, [CLI, 'selftest', '--module', ROOT], { encoding: 'utf8' });
  assert.equal(d.status, 2);
  assert.match(d.stderr, /--module .*: is a directory/);
  const n = spawnSync(process.execPath, [CLI], { encoding: 'utf8' });
  assert.equal(n.status, 2);
  assert.match(n.stdout, /exit codes:/);
  const g = spawnSync(process.execPath, [CLI, 'state'], { encoding: 'utf8' });
  assert.equal(g.status, 2);
  assert.match(g.stderr, /missing subcommand/);
});
