// FR1: Identification and authentication control. The project's own catalogue of the in-scope IEC 62443-4-2
// requirements of this family: ids, paraphrased titles, the lowest SL at which
// each applies, scope, the part of iacsec that serves it, and the host tests
// that show it (the conformance checks that show it are in conformance/checks/).
// Integrator-scope items name what the product vendor must supply.

import type { CatalogueRequirement } from './_types.js';

export const FR1: readonly CatalogueRequirement[] = [
  {
    id: "CR 1.1", fr: "FR1", title: "Human user identification and authentication", sl: 1, scope: "module", part: "access",
    shownBy: ["tests/host/auth.test.js", "tests/host/auth_totp.test.js"],
    enhancements: [
      { id: "RE1", title: "Unique identification and authentication", sl: 2 },
      { id: "RE2", title: "Multifactor authentication for all interfaces", sl: 3 },
    ],
  },
  {
    id: "CR 1.2", fr: "FR1", title: "Software process and device identification and authentication", sl: 2, scope: "module", part: "access",
    shownBy: ["tests/host/auth_devices.test.js"],
    enhancements: [
      { id: "RE1", title: "Unique identification and authentication", sl: 3 },
    ],
  },
  {
    id: "CR 1.3", fr: "FR1", title: "Account management", sl: 1, scope: "module", part: "access",
    shownBy: ["tests/host/auth.test.js", "tests/host/cli_auth.test.js"],
    enhancements: [],
  },
  {
    id: "CR 1.4", fr: "FR1", title: "Identifier management", sl: 1, scope: "module", part: "access",
    shownBy: ["tests/host/auth.test.js"],
    enhancements: [],
  },
  {
    id: "CR 1.5", fr: "FR1", title: "Authenticator management", sl: 1, scope: "module", part: "access",
    shownBy: ["tests/host/auth.test.js"],
    enhancements: [
      { id: "RE1", title: "Hardware security for authenticators", sl: 3, scope: "integrator", part: 'integrator',
        vendorEvidence: "Evidence that authenticators (passwords, keys, seeds) are held in hardware: secure element or TPM part number, its certification, and how the host stores the sealing and device secrets in it." },
    ],
  },
  {
    id: "CR 1.7", fr: "FR1", title: "Strength of password-based authentication", sl: 1, scope: "module", part: "access",
    shownBy: ["tests/host/auth.test.js"],
    enhancements: [
      { id: "RE1", title: "Password generation and lifetime restrictions for human users", sl: 3 },
      { id: "RE2", title: "Password lifetime restrictions for all users", sl: 4 },
    ],
  },
  {
    id: "CR 1.8", fr: "FR1", title: "Public key infrastructure certificates", sl: 2, scope: "host", part: "gateway",
    shownBy: ["tests/host/gateway_pki.test.js"],
    enhancements: [],
  },
  {
    id: "CR 1.9", fr: "FR1", title: "Strength of public key-based authentication", sl: 2, scope: "module", part: "core",
    shownBy: ["tests/host/ed25519.test.js", "tests/host/p256.test.js", "tests/host/firmware_module.test.js"],
    enhancements: [
      { id: "RE1", title: "Hardware security for public key-based authentication", sl: 3, scope: "integrator", part: 'integrator',
        vendorEvidence: "Evidence that private keys for public-key authentication are generated and used inside hardware (secure element, TPM): part number, certification, key handling design." },
    ],
  },
  {
    id: "CR 1.10", fr: "FR1", title: "Authenticator feedback", sl: 1, scope: "module", part: "access",
    shownBy: ["tests/host/auth.test.js"],
    enhancements: [],
  },
  {
    id: "CR 1.11", fr: "FR1", title: "Unsuccessful login attempts", sl: 1, scope: "module", part: "access",
    shownBy: ["tests/host/auth_lockout.test.js", "tests/host/auth_state.test.js", "tests/host/state_concurrency.test.js", "tests/host/state_crash.test.js"],
    enhancements: [],
  },
  {
    id: "CR 1.14", fr: "FR1", title: "Strength of symmetric key-based authentication", sl: 2, scope: "module", part: "access",
    shownBy: ["tests/host/auth_devices.test.js"],
    enhancements: [
      { id: "RE1", title: "Hardware security for symmetric key-based authentication", sl: 3, scope: "integrator", part: 'integrator',
        vendorEvidence: "Evidence that symmetric authentication keys are protected by hardware (secure element, TPM, or a protected key store): part number and design." },
    ],
  },
];
