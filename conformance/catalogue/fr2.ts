// FR2: Use control. The project's own catalogue of the in-scope IEC 62443-4-2
// requirements of this family: ids, paraphrased titles, the lowest SL at which
// each applies, scope, the part of iacsec that serves it, and the host tests
// that show it (the conformance checks that show it are in conformance/checks/).
// Integrator-scope items name what the product vendor must supply.

import type { CatalogueRequirement } from './_types.js';

export const FR2: readonly CatalogueRequirement[] = [
  {
    id: "CR 2.1", fr: "FR2", title: "Authorization enforcement", sl: 1, scope: "module", part: "access",
    shownBy: ["tests/host/auth_sessions.test.js"],
    enhancements: [
      { id: "RE1", title: "Authorization enforcement for all users", sl: 2 },
      { id: "RE2", title: "Permission mapping to roles", sl: 2 },
      { id: "RE3", title: "Supervisor override", sl: 3 },
      { id: "RE4", title: "Dual approval", sl: 4 },
    ],
  },
  {
    id: "CR 2.5", fr: "FR2", title: "Session lock", sl: 1, scope: "module", part: "access",
    shownBy: ["tests/host/auth_sessions.test.js"],
    enhancements: [],
  },
  {
    id: "CR 2.6", fr: "FR2", title: "Remote session termination", sl: 2, scope: "module", part: "access",
    shownBy: ["tests/host/auth_sessions.test.js"],
    enhancements: [],
  },
  {
    id: "CR 2.7", fr: "FR2", title: "Concurrent session control", sl: 3, scope: "module", part: "access",
    shownBy: ["tests/host/auth_sessions.test.js"],
    enhancements: [],
  },
  {
    id: "CR 2.8", fr: "FR2", title: "Auditable events", sl: 1, scope: "module", part: "audit",
    shownBy: ["tests/host/audit_module.test.js", "tests/host/audit_state.test.js"],
    enhancements: [],
  },
  {
    id: "CR 2.9", fr: "FR2", title: "Audit storage capacity", sl: 1, scope: "module", part: "audit",
    shownBy: ["tests/host/audit_module.test.js"],
    enhancements: [
      { id: "RE1", title: "Warn when audit record storage capacity threshold reached", sl: 3 },
    ],
  },
  {
    id: "CR 2.10", fr: "FR2", title: "Response to audit processing failures", sl: 1, scope: "module", part: "audit",
    shownBy: ["tests/host/audit_module.test.js"],
    enhancements: [],
  },
  {
    id: "CR 2.11", fr: "FR2", title: "Timestamps", sl: 1, scope: "host", part: "audit",
    shownBy: ["tests/host/audit_module.test.js"],
    enhancements: [
      { id: "RE1", title: "Time synchronization", sl: 2 },
      { id: "RE2", title: "Protection of time source integrity", sl: 4 },
    ],
  },
  {
    id: "CR 2.12", fr: "FR2", title: "Non-repudiation", sl: 1, scope: "module", part: "audit",
    shownBy: ["tests/host/audit_state.test.js", "tests/host/audit_module.test.js"],
    enhancements: [
      { id: "RE1", title: "Non-repudiation for all users", sl: 4 },
    ],
  },
];
