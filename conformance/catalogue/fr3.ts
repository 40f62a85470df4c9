// FR3: System integrity. The project's own catalogue of the in-scope IEC 62443-4-2
// requirements of this family: ids, paraphrased titles, the lowest SL at which
// each applies, scope, the part of iacsec that serves it, and the host tests
// that show it (the conformance checks that show it are in conformance/checks/).
// Integrator-scope items name what the product vendor must supply.

import type { CatalogueRequirement } from './_types.js';

export const FR3: readonly CatalogueRequirement[] = [
  {
    id: "CR 3.1", fr: "FR3", title: "Communication integrity", sl: 1, scope: "host", part: "gateway",
    shownBy: ["tests/host/gateway.test.js", "tests/host/gateway_cli.test.js", "tests/host/gateway_security.test.js"],
    enhancements: [
      { id: "RE1", title: "Communication authentication", sl: 2 },
    ],
  },
  {
    id: "CR 3.3", fr: "FR3", title: "Security functionality verification", sl: 1, scope: "module", part: "selftest",
    shownBy: ["tests/host/selftest.test.js", "tests/host/native.test.js"],
    enhancements: [
      { id: "RE1", title: "Security functionality verification during normal operation", sl: 4 },
    ],
  },
  {
    id: "CR 3.4", fr: "FR3", title: "Software and information integrity", sl: 1, scope: "module", part: "firmware",
    shownBy: ["tests/host/firmware_module.test.js", "tests/host/firmware_host.test.js", "tests/host/state_store.test.js", "tests/host/state_concurrency.test.js", "tests/host/state_crash.test.js"],
    enhancements: [
      { id: "RE1", title: "Authenticity of software and information", sl: 2 },
      { id: "RE2", title: "Automated notification of integrity violations", sl: 3 },
    ],
  },
  {
    id: "CR 3.5", fr: "FR3", title: "Input validation", sl: 1, scope: "module", part: "core",
    shownBy: ["tests/host/fuzz.test.js", "tests/host/firmware_fuzz.test.js"],
    enhancements: [],
  },
  {
    id: "CR 3.6", fr: "FR3", title: "Deterministic output", sl: 1, scope: "host", part: "core",
    shownBy: ["tests/host/selftest.test.js"],
    enhancements: [],
  },
  {
    id: "CR 3.7", fr: "FR3", title: "Error handling", sl: 1, scope: "module", part: "core",
    shownBy: ["tests/host/abi.test.js", "tests/host/fuzz.test.js"],
    enhancements: [],
  },
  {
    id: "CR 3.8", fr: "FR3", title: "Session integrity", sl: 2, scope: "module", part: "access",
    shownBy: ["tests/host/auth_sessions.test.js"],
    enhancements: [],
  },
  {
    id: "CR 3.9", fr: "FR3", title: "Protection of audit information", sl: 2, scope: "module", part: "audit",
    shownBy: ["tests/host/audit_tamper.test.js", "tests/host/audit_seal_field.test.js", "tests/host/audit_state.test.js"],
    enhancements: [
      { id: "RE1", title: "Audit records on write-once media", sl: 4, scope: "integrator", part: 'integrator',
        vendorEvidence: "Evidence that audit records go to write-once media (WORM storage or a remote log server that cannot be altered): product, configuration, retention." },
    ],
  },
  {
    id: "EDR 3.10", fr: "FR3", title: "Support for updates", sl: 1, scope: "module", part: "firmware",
    shownBy: ["tests/host/firmware_module.test.js", "tests/host/cli_firmware.test.js"],
    enhancements: [
      { id: "RE1", title: "Update authenticity and integrity", sl: 2 },
    ],
  },
  {
    id: "EDR 3.11", fr: "FR3", title: "Physical tamper resistance and detection", sl: 2, scope: "integrator", part: "integrator",
    shownBy: [],
    vendorEvidence: "Evidence of physical tamper resistance and detection of the gateway: enclosure design, seals or switches, the response to a tamper event, test report.",
    enhancements: [],
  },
  {
    id: "EDR 3.12", fr: "FR3", title: "Provisioning product supplier roots of trust", sl: 2, scope: "module", part: "firmware",
    shownBy: ["tests/host/firmware_module.test.js"],
    enhancements: [],
  },
  {
    id: "EDR 3.13", fr: "FR3", title: "Provisioning asset owner roots of trust", sl: 2, scope: "module", part: "firmware",
    shownBy: ["tests/host/firmware_module.test.js"],
    enhancements: [],
  },
  {
    id: "EDR 3.14", fr: "FR3", title: "Integrity of the boot process", sl: 1, scope: "module", part: "firmware",
    shownBy: ["tests/host/firmware_module.test.js", "tests/host/cli_firmware.test.js"],
    enhancements: [
      { id: "RE1", title: "Authenticity of the boot process", sl: 2 },
    ],
  },
];
