// The OSCAL output (Assessment Results and POA&M) validates against the NIST
// OSCAL JSON Schemas kept in conformance/oscal/, and says what the report says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assessmentResults, poam, controlId, OSCAL_VERSION } from '../../dist/conformance/oscal.js';
import { releaseRun, validator } from './_conformance.js';
import { ROOT } from './_helpers.js';

const validateAr = validator(`${ROOT}conformance/oscal/oscal_assessment-results_schema.json`);
const validatePoam = validator(`${ROOT}conformance/oscal/oscal_poam_schema.json`);

test('Assessment Results validate against the OSCAL schema: one finding per CR/RE, one observation per check', async () => {
  const { report } = await releaseRun();
  const ar = JSON.parse(JSON.stringify(assessmentResults(report)));
  assert.ok(validateAr(ar), JSON.stringify(validateAr.errors?.slice(0, 5), null, 2));
  const doc = ar['assessment-results'];
  assert.equal(doc.metadata['oscal-version'], OSCAL_VERSION);
  const result = doc.results[0];
  assert.equal(result.findings.length, report.items.length);
  assert.equal(result.observations.length, report.checks.length);
  const f = result.findings.find((x) => x.target['target-id'] === controlId('EDR 3.10 RE1'));
  assert.equal(f.target.status.state, 'satisfied');
  // Every applicable item is met in the release run; an item not applicable at SL-T is not satisfied.
  const g = result.findings.find((x) => x.target['target-id'] === controlId('CR 2.1 RE3'));
  assert.equal(g.target.status.state, 'not-satisfied');
  assert.equal(result.findings.find((x) => x.target['target-id'] === 'cr-1.8').target.status.state, 'satisfied');
  const obs = new Set(result.observations.map((o) => o.uuid));
  for (const x of result.findings) for (const r of x['related-observations'] ?? []) assert.ok(obs.has(r['observation-uuid']));
  assert.equal(new Set([...result.findings, ...result.observations].map((x) => x.uuid)).size, result.findings.length + result.observations.length, 'UUIDs unique');
  // The validator is not blind: a wrong state is refused.
  f.target.status.state = 'passed';
  assert.equal(validateAr(ar), false);
});

test('the POA&M validates against the OSCAL schema: one item per gap, accepted ones marked', async () => {
  const { report } = await releaseRun();
  const doc = JSON.parse(JSON.stringify(poam(report)));
  assert.ok(validatePoam(doc), JSON.stringify(validatePoam.errors?.slice(0, 5), null, 2));
  const items = doc['plan-of-action-and-milestones']['poam-items'];
  assert.equal(items.length, report.gaps.length);
  const accepted = structuredClone(report);
  accepted.gaps[0] = { ...accepted.gaps[0], status: 'accepted', accepted: { id: accepted.gaps[0].id, justification: 'compensating control', owner: 'PSO' } };
  const doc2 = JSON.parse(JSON.stringify(poam(accepted)));
  assert.ok(validatePoam(doc2), JSON.stringify(validatePoam.errors?.slice(0, 5), null, 2));
  assert.match(doc2['plan-of-action-and-milestones']['poam-items'][0].remarks, /^Accepted: compensating control/);
  delete doc2['plan-of-action-and-milestones']['poam-items'][0].title;
  assert.equal(validatePoam(doc2), false);
});
