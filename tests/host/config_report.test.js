// The configuration report (CR 7.6 RE1): `iacsec config show --json` prints
// one object of schema iacsec-config-report/1 that host/config_report.schema.json
// describes (checked with ajv and with the suite's own validator), stating the
// module's settings; a report changed in its shape is refused by both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { validate } from '../../dist/conformance/checks/_schema.js';
import { CLI, tempDir, validator } from './_conformance.js';
import { ROOT } from './_helpers.js';

const SCHEMA = `${ROOT}host/config_report.schema.json`;
const run = (...args) => execFileSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

test('config show --json matches its schema and states the module\'s settings; a changed report is refused', async () => {
  const { readFileSync } = await import('node:fs');
  const dir = tempDir('config-report');
  run('keygen', '--alg', 'ed25519', '-o', join(dir, 'v'));
  run('provision', '--state', join(dir, 's'), '--vendor', '6ba7b810-9dad-11d1-80b4-00c04fd430c8', '--class', '6ba7b811-9dad-11d1-80b4-00c04fd430c8', '--anchor', join(dir, 'v.cose_key'));
  const report = JSON.parse(run('config', 'show', '--state', join(dir, 's'), '--json'));
  const ajv = validator(SCHEMA);
  const schema = JSON.parse(readFileSync(SCHEMA, 'utf8'));
  assert.ok(ajv(report), JSON.stringify(ajv.errors));
  assert.deepEqual(validate(schema, report), []);
  assert.equal(report.schema, 'iacsec-config-report/1');
  assert.equal(report.provisioning, 'closed');
  assert.equal(report.anchors.length, 1);
  assert.equal(typeof report.accessControl.profile.lockThreshold, 'number');
  assert.ok(report.accessControl.roles.some((r) => r.name === 'administrator'));
  assert.equal(typeof report.rateLimit.sourceRate, 'number');
  assert.ok(['overwrite', 'reject'].includes(report.audit.onFull));
  for (const change of [(r) => { delete r.accessControl; }, (r) => { r.audit.onFull = 'drop'; }, (r) => { r.extra = 1; },
    (r) => { r.accessControl.profile.lockThreshold = '5'; }, (r) => { r.schema = 'iacsec-config-report/2'; }]) {
    const bad = structuredClone(report);
    change(bad);
    assert.equal(ajv(bad), false);
    assert.notDeepEqual(validate(schema, bad), []);
  }
});

test('the suite\'s validator refuses a schema keyword it does not implement', () => {
  assert.match(validate({ oneOf: [] }, {})[0], /not supported/);
});
