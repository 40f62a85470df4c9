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
});

test('iacsec with an unknown command or a missing module fails with a clear message', () => {
  const r = spawnSync(process.execPath, [CLI, 'frobnicate'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown command 'frobnicate'/);
  const m = spawnSync(process.execPath, [CLI, 'info', '--module', '/nonexistent/iacsec.wasm'], { encoding: 'utf8' });
  assert.equal(m.status, 1);
  assert.match(m.stderr, /ENOENT|no such file/);
});
