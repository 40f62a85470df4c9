// `npm pack` gives a package that works when installed elsewhere: the CLI
// runs its self-test and the API loads the bundled module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './_helpers.js';

test('the packed package installs elsewhere and works', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'iacsec-pack-'));
  try {
    const npm = (args, cwd) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    // The tree is built already (npm test builds first); pack it as it is.
    const tgz = npm(['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], ROOT).trim().split('\n').pop();
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', type: 'module', private: true }));
    npm(['install', '--omit=dev', '--no-audit', '--no-fund', '--ignore-scripts', join(dir, tgz)], dir);
    const cli = join(dir, 'node_modules', '.bin', 'iacsec');
    assert.match(execFileSync(cli, ['selftest'], { cwd: dir, encoding: 'utf8' }), /self-test passed/);
    writeFileSync(join(dir, 'use.js'), `import { loadModule } from 'iacsec';
const api = await loadModule();
console.log(Buffer.from(api.sha256(new TextEncoder().encode('abc'))).toString('hex'));`);
    assert.equal(execFileSync(process.execPath, ['use.js'], { cwd: dir, encoding: 'utf8' }).trim(),
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
