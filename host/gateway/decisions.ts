// Every decision the gateway takes goes through record(): the session
// services, failed logins and lockouts, every write, every rate-limit
// denial (CR 2.8). A decision carries the fields of an audit record (category,
// type, outcome, interface, peer, subject, detail); each sink receives it.
// The module's own access-control events (login, lock, authorization) are
// queued by the module itself; these records add the OPC UA side.

/** Gateway event types (audit record types 1024..1039). */
export const GATEWAY_EVENTS = {
  CHANNEL_REFUSED: 1024,
  SESSION_CREATED: 1025,
  SESSION_ACTIVATED: 1026,
  SESSION_CLOSED: 1027,
  LOGIN_FAILED: 1028,
  ACCOUNT_LOCKED: 1029,
  WRITE: 1030,
  RATE_LIMITED: 1031,
  RATE_LIMIT_ENDED: 1032,
  PASSWORD_CHANGED: 1033,
  GATEWAY_STARTED: 1034,
  GATEWAY_STOPPED: 1035,
} as const;
export type GatewayEventName = keyof typeof GATEWAY_EVENTS;

export type DecisionCategory = 'access_control' | 'request_error' | 'control_system_event' | 'configuration_change' | 'potential_reconnaissance';
export type DecisionOutcome = 'success' | 'failure' | 'denied';

export interface Decision {
  event: GatewayEventName;
  category: DecisionCategory;
  outcome: DecisionOutcome;
  /** The client's address and port. */
  peer?: string;
  /** The user, when known. */
  subject?: string;
  /** Event-specific fields (node, old and new value, status code, reason, ...). */
  detail: Record<string, string | number | boolean | null>;
}

export type DecisionSink = (d: Decision & { type: number; time: number }) => void;

/** Audit records hold at most 256 bytes of detail; longer values are cut, and the cut is marked. */
export const DETAIL_MAX_BYTES = 256;

/** The detail as compact JSON within DETAIL_MAX_BYTES (long string values are shortened first). */
export function detailText(detail: Decision['detail']): string {
  let text = JSON.stringify(detail);
  if (Buffer.byteLength(text) <= DETAIL_MAX_BYTES) return text;
  const short: Decision['detail'] = {};
  for (const [k, v] of Object.entries(detail)) short[k] = typeof v === 'string' && v.length > 48 ? `${v.slice(0, 45)}...` : v;
  text = JSON.stringify(short);
  while (Buffer.byteLength(text) > DETAIL_MAX_BYTES) text = `${text.slice(0, text.length - 8)}...`;
  return text;
}

export class DecisionLog {
  private readonly sinks = new Set<DecisionSink>();
  /** Sinks that threw: a failing sink never stops the gateway's decision, and is counted. */
  sinkFailures = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  /** Adds a sink; returns the function that removes it. */
  subscribe(sink: DecisionSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  record(d: Decision): void {
    const full = { ...d, type: GATEWAY_EVENTS[d.event], time: this.clock() };
    for (const s of this.sinks) {
      try { s(full); } catch { this.sinkFailures++; }
    }
  }
}
