// The high-water mark of the state's generation, kept outside the state
// file (CR 3.4, EDR 3.10 RE1): a state older than the mark is a rollback of
// state and the module refuses it. What this protects depends on where the
// mark lives:
//  - FileHighWaterMark (the default: `state.hwm` beside the state) stops a
//    state file replaced by an older copy of itself, and a deleted state
//    file. Someone who can write the directory can still put back an older
//    pair of both files.
//  - A platform hook (a TPM NV counter, a secure element's monotonic
//    counter, an RPMB partition) implements HighWaterMark with storage that
//    software cannot move back: then no older state loads, whoever can write
//    the files.
// The store advances the mark after the state file is durable, so a power
// cut between the two writes leaves a state newer than the mark (accepted),
// never one older (which would lock the device out).

import { open } from 'node:fs/promises';
import { writeFileAtomic } from './atomic_file.js';

export interface HighWaterMark {
  /** Where the mark lives, for the configuration report. */
  readonly describe: string;
  /** True when software cannot lower the mark (hardware monotonic counter). */
  readonly hardware: boolean;
  read(): Promise<bigint>;
  /** Raises the mark to at least `generation`; never lowers it. */
  advance(generation: bigint): Promise<void>;
}

const MAGIC = 'iacsec-hwm-v1';

/** The mark in a small file: "iacsec-hwm-v1 <generation>". A missing file is 0; a damaged one is an error. */
export class FileHighWaterMark implements HighWaterMark {
  readonly hardware = false;
  constructor(readonly path: string) {}
  get describe(): string { return `file ${this.path} (software: does not stop an older pair of files being put back)`; }

  async read(): Promise<bigint> {
    let text: string;
    try {
      const fh = await open(this.path, 'r');
      try {
        const buf = Buffer.alloc(64);
        const { bytesRead } = await fh.read(buf, 0, 64, 0);
        text = buf.subarray(0, bytesRead).toString('utf8');
      } finally {
        await fh.close();
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0n;
      throw e;
    }
    const m = /^iacsec-hwm-v1 ([0-9]{1,20})\n$/.exec(text);
    if (!m || BigInt(m[1]) >= 1n << 64n) throw new Error(`${this.path}: not a high-water mark file`);
    return BigInt(m[1]);
  }

  async advance(generation: bigint): Promise<void> {
    if (generation <= (await this.read())) return;
    await writeFileAtomic(this.path, new TextEncoder().encode(`${MAGIC} ${generation}\n`));
  }
}
