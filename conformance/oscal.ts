// The results as NIST OSCAL (https://pages.nist.gov/OSCAL/): Assessment
// Results (one result; an observation per check, a finding per CR/RE) and a
// Plan of Action and Milestones (a POA&M item per gap). Target: OSCAL 1.1.2;
// a test validates both against the OSCAL JSON Schemas kept in
// conformance/oscal/. OSCAL ships no IEC 62443 catalogue, so control ids are
// the catalogue's ids in OSCAL token form ("CR 1.1 RE1" -> "cr-1.1-re1").
// UUIDs are derived from the module, profile and options, so that the same
// run gives the same document apart from timestamps.

import { createHash } from 'node:crypto';
import type { Report } from './report_types.js';

export const OSCAL_VERSION = '1.1.2';

export const controlId = (id: string) => id.toLowerCase().replace(/\s+/g, '-');

/** A version-4-shaped UUID derived from the run and a name (deterministic). */
function uuidFor(r: Report, name: string): string {
  const h = createHash('sha256').update(`${r.module.sha256} ${r.profile.sha256} ${r.accept.sha256 ?? ''} ${r.options.slTarget} ${name}`).digest();
  h[6] = (h[6] & 0x0f) | 0x40;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

const nonEmpty = (s: string) => (s.trim() === '' ? '-' : s.trim());

function metadata(r: Report, title: string) {
  const tool = uuidFor(r, 'party:tool');
  return {
    title,
    'last-modified': r.generatedAt,
    version: r.tool.version,
    'oscal-version': OSCAL_VERSION,
    props: [
      { name: 'module-sha256', ns: 'https://github.com/iacsec/iacsec/ns/oscal', value: r.module.sha256 },
      { name: 'profile-sha256', ns: 'https://github.com/iacsec/iacsec/ns/oscal', value: r.profile.sha256 },
      { name: 'target-security-level', ns: 'https://github.com/iacsec/iacsec/ns/oscal', value: String(r.options.slTarget) },
    ],
    roles: [{ id: 'assessor', title: 'Assessor (automated conformance suite)' }],
    parties: [{ uuid: tool, type: 'organization', name: `${r.tool.name} ${r.tool.version}` }],
    'responsible-parties': [{ 'role-id': 'assessor', 'party-uuids': [tool] }],
  };
}

export function assessmentResults(r: Report): unknown {
  const tool = uuidFor(r, 'party:tool');
  const obsUuid = new Map(r.checks.map((c) => [c.id, uuidFor(r, `observation:${c.id}`)]));
  const observations = r.checks.map((c) => ({
    uuid: obsUuid.get(c.id)!,
    title: c.id,
    description: nonEmpty(`${c.title}. Result: ${c.result}: ${c.summary}`),
    props: [
      { name: 'result', ns: 'https://github.com/iacsec/iacsec/ns/oscal', value: c.result },
      { name: 'kind', ns: 'https://github.com/iacsec/iacsec/ns/oscal', value: c.kind },
      ...Object.entries(c.measured).map(([k, v]) => ({ name: 'measured', ns: 'https://github.com/iacsec/iacsec/ns/oscal', class: k, value: nonEmpty(String(v)) })),
    ],
    methods: ['TEST'],
    types: ['control-objective'],
    origins: [{ actors: [{ type: 'tool', 'actor-uuid': tool }] }],
    'relevant-evidence': c.evidence.map((e) => ({ href: e, description: e.endsWith('log.txt') ? 'check log' : 'check input' })),
    collected: r.generatedAt,
  }));
  const findings = r.items.map((i) => ({
    uuid: uuidFor(r, `finding:${i.id}`),
    title: `${i.id} ${i.title}`,
    description: nonEmpty(`Verdict at SL-T ${r.options.slTarget}: ${i.verdict}${i.accepted ? ' (gap accepted)' : ''}. ${i.reason}`),
    props: [
      { name: 'verdict', ns: 'https://github.com/iacsec/iacsec/ns/oscal', value: i.verdict },
      { name: 'security-level', ns: 'https://github.com/iacsec/iacsec/ns/oscal', value: String(i.sl) },
      { name: 'scope', ns: 'https://github.com/iacsec/iacsec/ns/oscal', value: i.scope },
      ...(i.slC !== undefined ? [{ name: 'sl-c', ns: 'https://github.com/iacsec/iacsec/ns/oscal', value: String(i.slC) }] : []),
      ...(i.slA !== undefined ? [{ name: 'sl-a', ns: 'https://github.com/iacsec/iacsec/ns/oscal', value: String(i.slA) }] : []),
    ],
    origins: [{ actors: [{ type: 'tool', 'actor-uuid': tool }] }],
    target: {
      type: 'objective-id',
      'target-id': controlId(i.id),
      status: { state: i.verdict === 'pass' ? 'satisfied' : 'not-satisfied', ...(i.verdict === 'not-applicable' ? { remarks: `applies from SL ${i.sl}` } : {}) },
    },
    ...(i.checks.length ? { 'related-observations': i.checks.map((c) => ({ 'observation-uuid': obsUuid.get(c)! })) } : {}),
  }));
  return {
    'assessment-results': {
      uuid: uuidFor(r, 'assessment-results'),
      metadata: metadata(r, `iacsec IEC 62443-4-2 conformance, SL-T ${r.options.slTarget}: module ${r.module.sha256.slice(0, 16)}`),
      'import-ap': { href: 'report.json', remarks: 'The assessment plan is the catalogue and the checks of this tool version, listed in report.json.' },
      results: [{
        uuid: uuidFor(r, 'result'),
        title: `Conformance at SL-T ${r.options.slTarget}`,
        description: nonEmpty(`SL-T ${r.options.slTarget} ${r.summary.met ? 'met' : 'not met'}; score ${r.summary.score === null ? 'n/a' : (r.summary.score * 100).toFixed(1) + ' %'}; SL-C ${r.summary.slC ?? 'n/a'}, SL-A ${r.summary.slA ?? 'n/a'}. Module ${r.module.source} (SHA-256 ${r.module.sha256}), profile ${r.profile.name} (SHA-256 ${r.profile.sha256}).`),
        start: r.generatedAt,
        end: r.generatedAt,
        'reviewed-controls': { 'control-selections': [{ 'include-controls': r.items.map((i) => ({ 'control-id': controlId(i.id) })) }] },
        observations,
        findings,
      }],
    },
  };
}

export function poam(r: Report): unknown {
  const tool = uuidFor(r, 'party:tool');
  return {
    'plan-of-action-and-milestones': {
      uuid: uuidFor(r, 'poam'),
      metadata: metadata(r, `iacsec IEC 62443-4-2 plan of action and milestones, SL-T ${r.options.slTarget}: module ${r.module.sha256.slice(0, 16)}`),
      'system-id': { 'identifier-type': 'https://ietf.org/rfc/rfc6920', id: `ni:///sha-256;${Buffer.from(r.module.sha256, 'hex').toString('base64url')}` },
      'poam-items': r.gaps.length ? r.gaps.map((g) => ({
        uuid: uuidFor(r, `poam-item:${g.id}`),
        title: `${g.id} ${g.title}`,
        description: nonEmpty(`${g.reason}. What would close it: ${g.closes}.`),
        props: [
          { name: 'severity', ns: 'https://github.com/iacsec/iacsec/ns/oscal', value: g.severity },
          { name: 'status', ns: 'https://github.com/iacsec/iacsec/ns/oscal', value: g.status },
          { name: 'blocks-security-level', ns: 'https://github.com/iacsec/iacsec/ns/oscal', value: String(g.blocksSl) },
          ...(g.accepted ? [{ name: 'risk-accepted-by', ns: 'https://github.com/iacsec/iacsec/ns/oscal', value: nonEmpty(g.accepted.owner) }] : []),
        ],
        origins: [{ actors: [{ type: 'tool', 'actor-uuid': tool }] }],
        ...(g.accepted ? { remarks: `Accepted: ${g.accepted.justification}${g.accepted.expires ? ` (until ${g.accepted.expires})` : ''}` } : {}),
      })) : [{ uuid: uuidFor(r, 'poam-item:none'), title: 'No gaps', description: 'Every catalogue item was met.' }],
    },
  };
}
