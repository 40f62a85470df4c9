// One gate per module instance, shared by every wrapper over it (Firmware,
// and each later part's API):
//  - operations run one at a time, in the order they were called, whatever
//    wrapper calls them (the module holds one firmware session, one I/O area);
//  - with a state store attached, each runs as a transaction of the one
//    sealed, locked state (state_store.ts): lock, reload the newest stored
//    state, run, save if anything changed, unlock;
//  - the module's event queue has one reader: every record drained is handed
//    to every subscriber, so no part's events are lost to another part.

import { SIZES, STATUS } from '../bindings/abi.js';
import type { Iacsec } from './api.js';

/** What keeps the module's state (state_store.ts). */
export interface StatePersister {
  /** Runs fn under the state lock with the module holding the newest stored state; saves when fn reports a change. */
  transaction<T>(fn: () => Promise<{ value: T; changed: boolean }>): Promise<T>;
}

export type EventListener = (record: Uint8Array) => void;

export class ModuleGate {
  private tail: Promise<unknown> = Promise.resolve();
  private persister?: StatePersister;
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly api: Iacsec) {}

  setPersister(p: StatePersister | undefined): void {
    this.persister = p;
  }

  hasPersister(): boolean {
    return this.persister !== undefined;
  }

  /** Subscribes to every event record drained from the module; returns the unsubscribe function. */
  subscribe(fn: EventListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Reads every queued event record and hands each to every subscriber; returns how many there were. */
  drain(): number {
    const ptr = this.api.ioPtr;
    let n = 0;
    for (;;) {
      const s = this.api.raw.iacsec_event_next(ptr);
      if (s !== STATUS.OK.code) break;
      const r = this.api.heap().slice(ptr, ptr + SIZES.EVENT_BYTES);
      n++;
      for (const l of this.listeners) l(r);
    }
    return n;
  }

  /**
   * Runs fn alone on the module, inside the state transaction when a store
   * is attached. fn says whether it changed the state; queued events count
   * as a change too (their sequence numbers must persist). A refused
   * operation still saves its events, then rethrows.
   */
  async run<T>(fn: () => Promise<{ value: T; changed: boolean }>): Promise<T> {
    const before = this.tail;
    let done!: () => void;
    const mine = new Promise<void>((r) => { done = r; });
    this.tail = before.then(() => mine);
    await before;
    try {
      type Outcome = { ok: true; v: T } | { ok: false; e: unknown };
      const step = async (): Promise<{ value: Outcome; changed: boolean }> => {
        let out: Outcome;
        let changed = false;
        try {
          const r = await fn();
          out = { ok: true, v: r.value };
          changed = r.changed;
        } catch (e) {
          out = { ok: false, e };
        }
        if (this.drain() > 0) changed = true;
        return { value: out, changed };
      };
      const o = this.persister ? await this.persister.transaction(step) : (await step()).value;
      if (!o.ok) throw o.e;
      return o.v;
    } finally {
      done();
    }
  }
}

const GATES = new WeakMap<object, ModuleGate>();

/** The gate of this module instance (one per instance, whichever wrapper asks). */
export function moduleGate(api: Iacsec): ModuleGate {
  let g = GATES.get(api.raw);
  if (!g) {
    g = new ModuleGate(api);
    GATES.set(api.raw, g);
  }
  return g;
}
