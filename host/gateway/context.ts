// What the gateway's parts share: the module's access control and rate
// limits, the decision log, and the link between each OPC UA session and
// the module session its login opened.

import type { NodeId } from 'node-opcua';
import type { Auth } from '../auth.js';
import type { AuthEvent } from '../auth_events.js';
import type { RateLimit } from '../ratelimit.js';
import type { DecisionLog } from './decisions.js';

/** What the gateway keeps about one OPC UA session. */
export interface SessionLink {
  /** The module session (hex id): every guarded read and write is authorized against it. */
  moduleSession: string;
  user: string;
  /** The module role's permission bits at login. */
  permissions: number;
}

export interface GatewayContext {
  auth: Auth;
  rl: RateLimit;
  log: DecisionLog;
  /** The module interface index of the gateway (0..7; default 2, "OPC UA"). */
  iface: number;
  /** OPC UA session (node-opcua ServerSession) -> its module session. */
  links: WeakMap<object, SessionLink>;
  /** User -> OPC UA roles, as of the user's last login (node-opcua asks by user name). */
  roles: Map<string, NodeId[]>;
  /** Subscribes to the module's access-control events; returns the unsubscribe function. */
  onAuthEvent(fn: (e: AuthEvent) => void): () => void;
}

/** A client's address as the module keys it (no port: one source per host, CR 1.11, CR 7.1). */
export function sourceOf(channel: { remoteAddress?: string } | undefined): string {
  const a = channel?.remoteAddress ?? '';
  return a.startsWith('::ffff:') ? a.slice(7) : a || 'unknown';
}

/** address:port, for audit records. */
export function peerOf(channel: { remoteAddress?: string; remotePort?: number } | undefined): string {
  const a = sourceOf(channel);
  return channel?.remotePort ? `${a}:${channel.remotePort}` : a;
}
