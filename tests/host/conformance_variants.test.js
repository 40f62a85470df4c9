// The suite can fail: each weakened variant (conformance/variants.ts) makes
// exactly the matching catalogue items fail, and the report names them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MODULE_VARIANTS, PROFILE_VARIANTS, buildModuleVariant, writeProfileVariant } from '../../dist/conformance/variants.js';
import { runSuite } from '../../dist/conformance/run.js';
import { CHECKS } from '../../dist/conformance/checks/index.js';
import { releaseRun, tempDir } from './_conformance.js';

const sorted = (xs) => [...xs].sort();

test('the reference run passes every check', async () => {
  const { report } = await releaseRun();
  assert.deepEqual(report.checks.filter((c) => c.result !== 'pass').map((c) => c.id), []);
});

for (const v of MODULE_VARIANTS) {
  test(`module variant ${v.id} (${v.description}) fails exactly ${v.expectFailing.join(', ')}`, { timeout: 600_000 }, async () => {
    const { report: base } = await releaseRun();
    const wasm = buildModuleVariant(v);
    const { report } = await runSuite({ modulePath: wasm, native: false });
    assert.notEqual(report.module.sha256, base.module.sha256, 'the variant is another build');
    const before = new Map(base.items.map((i) => [i.id, i]));
    const lost = report.items.filter((i) => before.get(i.id).capabilityMet && !i.capabilityMet).map((i) => i.id);
    assert.deepEqual(sorted(lost), sorted(v.expectFailing));
    for (const id of v.expectFailing) {
      const item = report.items.find((i) => i.id === id);
      if (item.applicable) assert.equal(item.verdict, 'fail', id);
      assert.match(item.reason, /^failed: /, id);
      assert.ok(report.gaps.some((g) => g.id === id && g.status === 'open'), `${id} in the gap register`);
    }
  });
}

for (const v of PROFILE_VARIANTS) {
  test(`profile variant ${v.id} (${v.description}) fails exactly ${v.expectFailing.join(', ')}`, async () => {
    const { report: base } = await releaseRun();
    const { report } = await runSuite({ profilePath: writeProfileVariant(v, tempDir('profile')), native: false });
    const failing = report.checks.filter((c) => c.kind === 'profile' && c.result !== 'pass');
    assert.ok(failing.length > 0);
    const items = new Set(failing.flatMap((c) => c.requirements));
    assert.deepEqual(sorted(items), sorted(v.expectFailing));
    for (const id of v.expectFailing) {
      const item = report.items.find((i) => i.id === id);
      assert.equal(item.achievedMet, false, id);
      assert.match(item.reason, /profile: profile\./, `${id} names the profile check`);
    }
    // Capability is the module's and does not change with the profile.
    assert.deepEqual(report.items.map((i) => i.capabilityMet), base.items.map((i) => i.capabilityMet));
    assert.notEqual(report.profile.sha256, base.profile.sha256);
  });
}

test('state not persisted turns an item that passed into a failure of SL-A, not of SL-C', async () => {
  const v = PROFILE_VARIANTS.find((x) => x.id === 'state-not-persisted');
  const { report } = await runSuite({ profilePath: writeProfileVariant(v, tempDir('profile')), native: false });
  const req = report.items.find((i) => i.id === 'EDR 3.10');
  assert.equal(report.items.find((i) => i.id === 'EDR 3.10 RE1').verdict, 'fail');
  assert.equal(req.slC, 4);
  assert.equal(req.slA, 1);
});

test('the CLI on a weakened build names the failing item and exits 1', { timeout: 600_000 }, async () => {
  const { spawnSync } = await import('node:child_process');
  const { CLI } = await import('./_conformance.js');
  const wasm = buildModuleVariant(MODULE_VARIANTS.find((x) => x.id === 'anti-rollback-off'));
  const r = spawnSync(process.execPath, [CLI, 'conformance', '--module', wasm, '--out', tempDir('variant-cli'), '--no-native'], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stdout, /FAIL\s+EDR 3\.10 RE1\s+failed: fw\.anti-rollback/);
  const total = CHECKS.length;
  assert.match(r.stdout, new RegExp(`checks\\s+${total - 1}/${total} passed, 1 failed`), 'fw.anti-rollback alone');
});
