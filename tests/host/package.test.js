// `npm pack` gives a package that works when installed elsewhere: the CLI
// runs its self-test and the API loads the bundled module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './_helpers.js';

test('the packed package installs elsewhere and works', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'iacsec-pack-'));
  try {
    // The npm that runs this test (npm test sets npm_execpath): node_modules/.bin
    // holds an old npm brought in by a test tool's dependency, which `npm run` puts first on PATH.
    const npmCli = process.env.npm_execpath;
    const npm = (args, cwd) => {
      const r = npmCli && /npm-cli\.js$/.test(npmCli)
        ? spawnSync(process.execPath, [npmCli, ...args], { cwd, encoding: 'utf8' })
        : spawnSync('npm', args, { cwd, encoding: 'utf8' });
      assert.equal(r.status, 0, `npm ${args.join(' ')}: ${r.stderr}`);
      return r.stdout;
    };
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
