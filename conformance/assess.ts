// From check outcomes to verdicts: per item (CR or RE), SL-C and SL-A per
// requirement, per foundational requirement and overall, the gap register and
// the score.
//
// Rules (README, "Conformance"):
// - An integrator-scope item is never passed: its verdict is "needs
//   integrator evidence"; it stays out of SL-C, SL-A and the score, and blocks
//   SL-T until the vendor accepts it (--accept) with a reference to the evidence.
// - A module or host item whose part the build lacks, or that no check shows,
//   fails as "not implemented".
// - capabilityMet: every capability check of the item passed. achievedMet:
//   capabilityMet and every profile check of the item passed.
// - A requirement's SL-C (SL-A) is the highest n in 0..4 such that it and each
//   of its REs that applies at n or below is capability-met (achieved).
//   An FR's is the lowest of its requirements'; overall, the lowest of the FRs'.
// - Verdict at SL-T: not applicable when the item's SL is above SL-T; else
//   pass when achieved, else fail. SL-T is met when every applicable item
//   passes or is accepted (an acceptance whose "expires" date has passed
//   no longer counts).

import { FR_NAMES, FRS, type CatalogueItem, type FrId, type Level } from './catalogue/index.js';
import { PARTS, type ModuleFacts } from './parts.js';
import type { CheckRecord } from './checks/registry.js';
import type { Acceptance, FrSummary, Gap, ItemResult, Report, Verdict } from './report_types.js';

export interface Assessment {
  items: ItemResult[];
  frs: FrSummary[];
  gaps: Gap[];
  summary: Omit<Report['summary'], 'checks'>;
}

function levelOf(rows: ItemResult[], met: (r: ItemResult) => boolean): number {
  let n = 0;
  for (const level of [1, 2, 3, 4]) {
    if (rows.filter((r) => r.sl <= level).every(met)) n = level; else break;
  }
  return n;
}

export function assess(catalogue: CatalogueItem[], checks: CheckRecord[], facts: ModuleFacts, slTarget: Level,
  accepted: ReadonlyMap<string, Acceptance>, today: string = new Date().toISOString().slice(0, 10)): Assessment {
  const items: ItemResult[] = catalogue.map((c) => {
    const mine = checks.filter((k) => k.requirements.includes(c.id));
    const cap = mine.filter((k) => k.kind === 'capability');
    const prof = mine.filter((k) => k.kind === 'profile');
    const part = PARTS[c.part];
    const applicable = c.sl <= slTarget;
    let capabilityMet = false;
    let reason: string;
    if (c.scope === 'integrator') {
      reason = `needs integrator evidence: ${c.vendorEvidence ?? 'the vendor\'s evidence'}`;
    } else if (!part.present(facts)) {
      reason = `not implemented: this build has no ${part.name} (${part.detection})`;
    } else if (cap.length === 0) {
      reason = 'not implemented: no conformance check shows this item yet';
    } else {
      const bad = cap.filter((k) => k.result !== 'pass');
      capabilityMet = bad.length === 0;
      reason = capabilityMet ? `${cap.length} capability check(s) passed` : `failed: ${bad.map((k) => `${k.id} (${k.summary})`).join('; ')}`;
    }
    const badProfile = prof.filter((k) => k.result !== 'pass');
    const achievedMet = capabilityMet && badProfile.length === 0;
    if (badProfile.length) {
      const p = `profile: ${badProfile.map((k) => `${k.id} (${k.summary})`).join('; ')}`;
      reason = capabilityMet ? `failed ${p}` : `${reason}; ${p}`;
    } else if (capabilityMet && prof.length) {
      reason += `; ${prof.length} profile check(s) passed`;
    }
    let verdict: Verdict;
    if (!applicable) verdict = 'not-applicable';
    else if (c.scope === 'integrator') verdict = 'needs-integrator-evidence';
    else verdict = achievedMet ? 'pass' : 'fail';
    const row: ItemResult = {
      id: c.id, ...(c.parent ? { parent: c.parent } : {}), fr: c.fr, title: c.title, sl: c.sl, scope: c.scope, part: c.part,
      applicable, verdict, reason, capabilityMet, achievedMet, checks: mine.map((k) => k.id), shownBy: c.shownBy,
      ...(c.vendorEvidence ? { vendorEvidence: c.vendorEvidence } : {}),
    };
    const acc = accepted.get(c.id);
    if (acc && !(c.scope !== 'integrator' && achievedMet)) {
      // An acceptance past its date no longer covers the gap.
      if (acc.expires !== undefined && acc.expires < today) row.reason += `; acceptance by ${acc.owner} expired on ${acc.expires}`;
      else row.accepted = acc;
    }
    return row;
  });

  // SL-C and SL-A per requirement, over its module/host rows.
  const assessed = (r: ItemResult) => r.scope !== 'integrator';
  for (const req of items.filter((r) => !r.parent)) {
    const rows = items.filter((r) => (r.id === req.id || r.parent === req.id) && assessed(r));
    if (rows.length === 0) continue;
    req.slC = levelOf(rows, (r) => r.capabilityMet);
    req.slA = levelOf(rows, (r) => r.achievedMet);
  }

  const minOf = (xs: number[]) => (xs.length ? Math.min(...xs) : null);
  const frs: FrSummary[] = FRS.map((fr: FrId) => {
    const rows = items.filter((r) => r.fr === fr);
    const reqs = rows.filter((r) => !r.parent && r.slC !== undefined);
    const scored = rows.filter((r) => r.applicable && assessed(r));
    const met = scored.filter((r) => r.achievedMet).length;
    return {
      fr, name: FR_NAMES[fr], items: rows.length, applicable: scored.length, met,
      score: scored.length ? met / scored.length : null,
      slC: minOf(reqs.map((r) => r.slC!)), slA: minOf(reqs.map((r) => r.slA!)),
    };
  });

  const gaps: Gap[] = [];
  for (const r of items) {
    const integrator = r.scope === 'integrator';
    if (!integrator && r.achievedMet) continue;
    const checkRemedies = checks.filter((k) => r.checks.includes(k.id) && k.result !== 'pass').map((k) => k.remedy);
    const part = PARTS[r.part];
    const closes = integrator ? (r.vendorEvidence ?? 'the vendor\'s evidence')
      : !part.present(facts) || r.checks.every((id) => checks.find((k) => k.id === id)?.kind !== 'capability')
        ? [part.closes, ...checkRemedies].join('; ') : checkRemedies.join('; ');
    gaps.push({
      id: r.id, title: r.title, fr: r.fr, blocksSl: r.sl,
      severity: !r.applicable ? 'low' : integrator ? 'medium' : 'high',
      status: r.accepted ? 'accepted' : integrator ? 'needs-integrator-evidence' : 'open',
      reason: r.reason, closes, ...(r.accepted ? { accepted: r.accepted } : {}),
    });
  }

  const applicableRows = items.filter((r) => r.applicable);
  const scored = applicableRows.filter(assessed);
  const metItems = scored.filter((r) => r.achievedMet).length;
  const verdicts: Record<Verdict, number> = { pass: 0, fail: 0, 'not-applicable': 0, 'needs-integrator-evidence': 0 };
  for (const r of items) verdicts[r.verdict]++;
  const withItems = frs.filter((f) => f.slC !== null);
  return {
    items, frs, gaps,
    summary: {
      slTarget,
      met: applicableRows.every((r) => r.verdict === 'pass' || r.accepted !== undefined),
      score: scored.length ? metItems / scored.length : null,
      applicable: scored.length,
      metItems,
      acceptedItems: items.filter((r) => r.accepted).length,
      slC: minOf(withItems.map((f) => f.slC!)),
      slA: minOf(withItems.map((f) => f.slA!)),
      verdicts,
    },
  };
}
