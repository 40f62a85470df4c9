// Rate limiting per client address through the module's buckets (CR 7.1,
// the rule is in assembly/ratelimit/gcra.ts). Three doors take a token:
//  - a new TCP connection (a secure channel to be), checked before
//    node-opcua sees the socket: its own limit (maxConnectionsPerEndpoint)
//    closes the oldest channel without a session to make room, which would
//    let one flooding address push others out; the module's limit refuses
//    the flooding address first. A refused connection gets an OPC UA TCP
//    Error message (OPC 10000-6 7.1.2.5) with BadTcpServerTooBusy, then is
//    closed;
//  - CreateSession: refused with a ServiceFault BadTooManySessions;
//  - ActivateSession (every login attempt): refused with BadTooManyOperations.
// The module's buckets bound the rate; the gateway also bounds how many
// connections one address holds open at once (maxPerSource, default 5), so
// that a slow flood cannot fill node-opcua's table either: the total
// (maxConnectionsPerEndpoint, default 20) is then shared by at least four
// addresses before node-opcua closes anyone's channel.
// Denials are recorded once per episode and address (the first denial, and
// when the address is let through again, how many were refused), so a
// flood cannot flood the audit log.

import type { Server as NetServer, Socket } from 'node:net';
import { ServiceFault, StatusCodes, TCPErrorMessage, packTcpMessage, type OPCUAServer, type StatusCode } from 'node-opcua';
import { peerOf, sourceOf, type GatewayContext } from './context.js';

export type Door = 'connection' | 'create_session' | 'activate_session';

/** Connections one address may hold open at once (default). */
export const MAX_CONNECTIONS_PER_SOURCE = 5;

/** How long a refused connection may take to send its Hello before it is dropped. */
const REFUSED_HELLO_WAIT_MS = 2000;

export class RateGuard {
  private readonly episodes = new Map<string, { door: Door; refused: number; since: number }>();
  /** Refusals so far, per door (the gateway's own count, for reports and tests). */
  readonly refused: Record<Door, number> = { connection: 0, create_session: 0, activate_session: 0 };

  private readonly open = new Map<string, number>();

  constructor(
    private readonly ctx: GatewayContext,
    private readonly clock: () => number,
    private readonly maxPerSource: number = MAX_CONNECTIONS_PER_SOURCE,
  ) {}

  /** Connections the address holds open now. */
  openConnections(source: string): number { return this.open.get(source) ?? 0; }

  /** True when the address may pass this door now; a refusal is recorded (once per episode). */
  allow(source: string, peer: string, door: Door): boolean {
    let ok: boolean;
    let reason = 'rate';
    if (door === 'connection' && this.openConnections(source) >= this.maxPerSource) {
      ok = false;
      reason = 'open connections';
    } else {
      try {
        ok = this.ctx.rl.check(source);
      } catch {
        ok = false; // a source the module cannot key (too long) is refused: fail closed
      }
    }
    const ep = this.episodes.get(source);
    if (ok) {
      if (ep) {
        this.episodes.delete(source);
        this.ctx.log.record({
          event: 'RATE_LIMIT_ENDED', category: 'potential_reconnaissance', outcome: 'success', peer,
          detail: { source, refused: ep.refused, lastDoor: ep.door, ms: this.clock() - ep.since },
        });
      }
      return true;
    }
    this.refused[door]++;
    if (ep) {
      ep.refused++;
      ep.door = door;
    } else {
      this.episodes.set(source, { door, refused: 1, since: this.clock() });
      this.ctx.log.record({
        event: 'RATE_LIMITED', category: 'potential_reconnaissance', outcome: 'denied', peer,
        detail: { source, door, reason },
      });
    }
    return false;
  }

  /** Puts the module's limit in front of every endpoint's listening socket. */
  guardConnections(server: OPCUAServer): void {
    for (const ep of server.endpoints) {
      const net = (ep as unknown as { _server?: NetServer })._server;
      if (!net) throw new Error('node-opcua endpoint without a listening socket: cannot guard its connections');
      const inner = net.listeners('connection') as ((s: Socket) => void)[];
      net.removeAllListeners('connection');
      net.on('connection', (socket: Socket) => {
        const source = sourceOf(socket);
        if (this.allow(source, peerOf(socket), 'connection')) {
          this.open.set(source, this.openConnections(source) + 1);
          socket.once('close', () => {
            const n = this.openConnections(source) - 1;
            if (n > 0) this.open.set(source, n);
            else this.open.delete(source);
          });
          for (const l of inner) l.call(net, socket);
        } else {
          refuseConnection(socket, StatusCodes.BadTcpServerTooBusy);
        }
      });
    }
  }

  /** Puts the module's limit in front of CreateSession and ActivateSession. */
  guardSessions(server: OPCUAServer): void {
    const s = server as unknown as Record<string, (message: { request: unknown; requestId: number }, channel: Channel) => unknown>;
    const wrap = (name: string, door: Door, code: StatusCode) => {
      const inner = s[name];
      if (typeof inner !== 'function') throw new Error(`node-opcua has no ${name}: cannot guard it`);
      s[name] = function guarded(this: unknown, message, channel) {
        if (guard.allow(sourceOf(channel), peerOf(channel), door)) return inner.call(this, message, channel);
        channel.send_response('MSG', new ServiceFault({ responseHeader: { serviceResult: code } }), message);
        return undefined;
      };
    };
    const guard = this;
    wrap('_on_CreateSessionRequest', 'create_session', StatusCodes.BadTooManySessions);
    wrap('_on_ActivateSessionRequest', 'activate_session', StatusCodes.BadTooManyOperations);
  }
}

interface Channel {
  remoteAddress?: string;
  remotePort?: number;
  send_response(type: string, response: unknown, message: unknown): void;
}

/**
 * Answers the client's Hello with an Error message and closes. Waiting for
 * the Hello (bounded) lets the client read the reason instead of a reset.
 */
function refuseConnection(socket: Socket, code: StatusCode): void {
  const err = packTcpMessage('ERR', new TCPErrorMessage({ statusCode: code, reason: 'the source address is over its rate limit' }));
  const timer = setTimeout(() => socket.destroy(), REFUSED_HELLO_WAIT_MS);
  timer.unref();
  socket.on('error', () => { /* the client went away */ });
  socket.once('data', () => {
    clearTimeout(timer);
    socket.end(err);
  });
  socket.once('close', () => clearTimeout(timer));
  socket.resume();
}
