// The sealed state (assembly/firmware/state.ts): one export of the whole
// state of the full build (about 39 KB: firmware, access control and audit
// sections), sealed with HMAC-SHA256 and encrypted with ChaCha20, as the
// host does on every save. node:crypto doing the same HMAC and ChaCha20
// over the same number of bytes is the reference: what an encrypted save
// costs with OpenSSL.
import crypto from 'node:crypto';
import { Firmware } from '../../dist/host/index.js';
import { seeded } from './_data.js';

const SEAL_KEY = seeded(5151).bytes(32);

const exportCase = {
  id: 'state-export',
  title: 'Sealed state export: the whole state, HMAC-SHA256 tag and ChaCha20 encryption (one save)',
  needs: ['iacsec_state_export', 'iacsec_state_seal_key'],
  reference: 'node:crypto HMAC + ChaCha20',
  goals: [],
  async setup({ api }) {
    const fw = new Firmware(api);
    fw.setSealKey(SEAL_KEY);
    const bytes = fw.exportState().length;
    exportCase.bytes = bytes;
    const data = Buffer.from(seeded(5252).bytes(bytes - 56));
    const mac = Buffer.from(seeded(5353).bytes(32));
    const enc = Buffer.from(seeded(5454).bytes(32));
    const node = () => {
      const tag = crypto.createHmac('sha256', mac).update(data).digest();
      const iv = Buffer.concat([Buffer.alloc(4), tag.subarray(0, 12)]);
      return crypto.createCipheriv('chacha20', enc, iv).update(data).length === data.length;
    };
    return {
      contenders: [
        { name: 'iacsec', fn: () => fw.exportState().length === bytes },
        { name: 'node:crypto HMAC + ChaCha20', fn: node },
      ],
      expect: true,
      fixture: { kind: 'state_export', param: 0, inputs: [SEAL_KEY], expect: new Uint8Array(0) },
    };
  },
};

export const area = 'state';
export const cases = [exportCase];
