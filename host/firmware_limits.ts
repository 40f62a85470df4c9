// Sizes of the module's firmware records and tables, as the host reads them
// (IACSEC_* in bindings/c/iacsec.h; tests/host/abi.test.js checks them).

import { SIZES } from '../bindings/abi.js';

export const FIRMWARE_LIMITS = {
  ANCHOR_RECORD_BYTES: SIZES.ANCHOR_RECORD_BYTES,
  EVENT_BYTES: SIZES.EVENT_BYTES,
  MANIFEST_MAX_BYTES: SIZES.MANIFEST_MAX_BYTES,
  FW_INFO_BYTES: SIZES.FW_INFO_BYTES,
  GRANT_BYTES: 40,
  COMPONENT_MAX_BYTES: SIZES.COMPONENT_MAX_BYTES,
} as const;

export const FIRMWARE_LIMITS_TEXT = {
  manifest: `${SIZES.MANIFEST_MAX_BYTES} bytes`,
} as const;
