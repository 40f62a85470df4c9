// The OPC UA gateway guarded by the module: a node-opcua server whose
// logins, roles, guarded reads and writes, session rate and connection rate
// are decided by the module, every decision recorded (decisions.ts).
//
// Endpoints: Basic256Sha256 with the modes asked for (securityModes; by
// default Sign and SignAndEncrypt), and security policy None only when mode
// None is asked for explicitly: a None channel carries messages with neither
// integrity nor confidentiality (CR 3.1, CR 4.1), so it is off by default.
// Nothing weaker than Basic256Sha256 (no Basic128Rsa15, Basic256, Aes128).
// User tokens: user name and password only (no anonymous, no X.509 user
// tokens: every login goes through the module). On a None endpoint the
// password is still encrypted to the server's certificate (Basic256Sha256,
// RSA-OAEP), never sent in the clear. Client application certificates are
// refused until trusted (pki.ts), unless acceptUnknownClients is set
// (commissioning only: it gives up CR 3.1 RE1).

import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import {
  MessageSecurityMode, OPCUAServer, SecurityPolicy, UserTokenType, type EndpointDescription,
} from 'node-opcua';
import { loadModule } from '../index.js';
import type { Iacsec } from '../api.js';
import { Auth } from '../auth.js';
import type { AuthEvent } from '../auth_events.js';
import { Firmware } from '../firmware.js';
import { RateLimit } from '../ratelimit.js';
import { openStateStore, readSealKeyFile, statePaths, type StateStore } from '../state_store.js';
import { buildDemoAddressSpace, type DemoNodes } from './address_space.js';
import { AccessGuard } from './access_guard.js';
import { peerOf, type GatewayContext } from './context.js';
import { DecisionLog, type DecisionSink } from './decisions.js';
import { openPki, type GatewayPki } from './pki.js';
import { RateGuard } from './rate_guard.js';
import { ModuleUserManager } from './users.js';
import { addPasswordMethod } from './password_method.js';
import { auditSink, hasAuditLog, type AuditSink } from './audit_sink.js';

export const GATEWAY_DEFAULTS = {
  host: '127.0.0.1',
  port: 4840,
  /** Relative to the working directory: the project's own directory, never the home directory. */
  stateDir: join('.iacsec', 'gateway'),
  /** The module interface index the gateway's logins and sessions count against. */
  iface: 2,
  /** node-opcua's limits, behind the module's rate limit. */
  maxConnections: 20,
  maxSessions: 20,
  /** Connections one client address may hold open at once. */
  maxConnectionsPerSource: 5,
  /** Message security modes offered (with Basic256Sha256; 'None' adds the None policy). */
  securityModes: ['Sign', 'SignAndEncrypt'] as readonly SecurityModeName[],
} as const;

export type SecurityModeName = 'None' | 'Sign' | 'SignAndEncrypt';
const MODE_NAMES: readonly SecurityModeName[] = ['None', 'Sign', 'SignAndEncrypt'];

export interface GatewayOptions {
  host?: string;
  /** 0: an ephemeral port (the gateway reports the one it got). */
  port?: number;
  stateDir?: string;
  /** Another build of the module. */
  modulePath?: string;
  /** An already loaded module (embedding); its state store is opened on stateDir. */
  api?: Iacsec;
  iface?: number;
  /** ms since the epoch; the module's time for logins, locks, sessions and buckets. */
  clock?: () => number;
  maxConnections?: number;
  maxSessions?: number;
  maxConnectionsPerSource?: number;
  /** Receives every decision from the start on (more sinks: gateway.log.subscribe). */
  onDecision?: DecisionSink;
  /** Message security modes to offer (default Sign and SignAndEncrypt); 'None' is refused unless listed here. */
  securityModes?: readonly SecurityModeName[];
  /** Accept (and trust) any client application certificate: commissioning only, it gives up CR 3.1 RE1 (default false). */
  acceptUnknownClients?: boolean;
}

export interface Gateway {
  readonly endpointUrl: string;
  readonly port: number;
  readonly stateDir: string;
  readonly server: OPCUAServer;
  readonly api: Iacsec;
  readonly auth: Auth;
  readonly rl: RateLimit;
  readonly log: DecisionLog;
  readonly pki: GatewayPki;
  readonly store: StateStore;
  readonly nodes: DemoNodes;
  readonly rateGuard: RateGuard;
  /** The message security modes the endpoints offer, and whether unknown client certificates are accepted. */
  readonly security: { readonly modes: readonly SecurityModeName[]; readonly acceptUnknownClients: boolean };
  /** The module's audit log behind the decisions (undefined for a build without one). */
  readonly audit: AuditSink | undefined;
  /** Subscribes to the module's access-control events (logins, locks, denials); returns the unsubscribe function. */
  onAuthEvent(fn: (e: AuthEvent) => void): () => void;
  /** Closes every session (each module session is logged out) and the endpoints; stores every audit record. */
  stop(): Promise<void>;
}

const ALLOWED_TOKEN_POLICIES = new Set(['', SecurityPolicy.Basic256Sha256 as string]);

/** Keeps user-name tokens only, encrypted with Basic256Sha256 or by the channel itself. */
function restrictUserTokens(server: OPCUAServer): void {
  for (const ep of server.endpoints) {
    for (const d of ep.endpointDescriptions() as EndpointDescription[]) {
      d.userIdentityTokens = (d.userIdentityTokens ?? []).filter((t) =>
        t.tokenType === UserTokenType.UserName && ALLOWED_TOKEN_POLICIES.has(t.securityPolicyUri ?? ''));
    }
  }
}

export async function startGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const host = options.host ?? GATEWAY_DEFAULTS.host;
  const port = options.port ?? GATEWAY_DEFAULTS.port;
  const stateDir = resolve(options.stateDir ?? GATEWAY_DEFAULTS.stateDir);
  const clock = options.clock ?? Date.now;
  const iface = options.iface ?? GATEWAY_DEFAULTS.iface;
  const modes = [...new Set(options.securityModes ?? GATEWAY_DEFAULTS.securityModes)];
  if (modes.length === 0 || modes.some((m) => !MODE_NAMES.includes(m))) {
    throw new TypeError(`securityModes: one or more of ${MODE_NAMES.join(', ')}, not ${JSON.stringify(options.securityModes)}`);
  }
  const acceptUnknownClients = options.acceptUnknownClients === true;

  // The module and its sealed, locked state (created on the first start).
  const api = options.api ?? await loadModule({ path: options.modulePath });
  const p = statePaths(stateDir);
  const fw = new Firmware(api);
  const sealKey = await readSealKeyFile(p.sealKey, true);
  const deviceSecret = await readSealKeyFile(p.deviceSecret, true);
  // With an audit log in the build, every save drains it into DIR/audit.cbor first (host/state_audit.ts).
  const store = await openStateStore(fw, { path: p.state, sealKey, deviceSecret, audit: { dir: stateDir } });

  const authListeners = new Set<(e: AuthEvent) => void>();
  const auth = new Auth(api, { clock, onEvent: (e) => { for (const l of authListeners) l(e); } });
  // onEvent makes each check drain the queue; the records reach `auth`'s subscriber through the module's one gate.
  const rl = new RateLimit(api, { clock, onEvent: () => {} });
  const log = new DecisionLog(clock);
  const trail = hasAuditLog(api)
    ? auditSink(api, (e) => process.emitWarning(`iacsec gateway: an audit record could not be stored: ${e instanceof Error ? e.message : String(e)}`))
    : undefined;
  if (trail) log.subscribe(trail.sink);
  if (options.onDecision) log.subscribe(options.onDecision);
  const ctx: GatewayContext = {
    auth, rl, log, iface, links: new WeakMap(), roles: new Map(),
    onAuthEvent: (fn) => { authListeners.add(fn); return () => authListeners.delete(fn); },
  };

  const pki = await openPki(stateDir, { acceptUnknownClients });
  const server = new OPCUAServer({
    host, hostname: host, port,
    serverCertificateManager: pki.server,
    userCertificateManager: pki.user,
    securityPolicies: modes.includes('None') ? [SecurityPolicy.None, SecurityPolicy.Basic256Sha256] : [SecurityPolicy.Basic256Sha256],
    securityModes: modes.map((m) => MessageSecurityMode[m]),
    allowAnonymous: false,
    userManager: new ModuleUserManager(ctx),
    maxConnectionsPerEndpoint: options.maxConnections ?? GATEWAY_DEFAULTS.maxConnections,
    serverCapabilities: { maxSessions: options.maxSessions ?? GATEWAY_DEFAULTS.maxSessions },
    serverInfo: { applicationUri: 'urn:iacsec:gateway', productUri: 'urn:iacsec:gateway', applicationName: { text: 'iacsec OPC UA gateway' } },
    buildInfo: { productName: 'iacsec OPC UA gateway', manufacturerName: 'iacsec', productUri: 'urn:iacsec:gateway' },
  });
  await server.initialize();
  const addressSpace = server.engine.addressSpace;
  if (!addressSpace) throw new Error('node-opcua started without an address space');
  const nodes = buildDemoAddressSpace(addressSpace, clock);
  addPasswordMethod(addressSpace, nodes.namespace, ctx);
  restrictUserTokens(server);

  const rateGuard = new RateGuard(ctx, clock, options.maxConnectionsPerSource ?? GATEWAY_DEFAULTS.maxConnectionsPerSource);
  rateGuard.guardConnections(server);
  rateGuard.guardSessions(server);
  new AccessGuard(ctx, nodes.guarded).install(server);

  // node-opcua's own refusals of a channel: its connection limit, and a secure channel that failed to open
  // (an untrusted or invalid client certificate, a policy not offered, a bad signature).
  for (const endpoint of server.endpoints) {
    const refused = (kind: string) => (socket: { remoteAddress?: string; remotePort?: number; reason?: string }, channel?: { securityMode?: number; securityPolicy?: string }) => {
      log.record({
        event: 'CHANNEL_REFUSED', category: 'access_control', outcome: 'denied', peer: peerOf(socket),
        detail: { kind, reason: socket.reason ?? '', securityMode: MessageSecurityMode[channel?.securityMode ?? 0] ?? '', securityPolicy: channel?.securityPolicy ?? '' },
      });
    };
    endpoint.on('connectionRefused', refused('connection limit'));
    endpoint.on('openSecureChannelFailure', refused('secure channel'));
  }
  // A client certificate the PKI refuses (untrusted, revoked, expired, invalid): recorded with its thumbprint.
  const check = pki.server.checkCertificate.bind(pki.server) as (c: Buffer | Buffer[]) => Promise<{ isNotGood(): boolean; name: string }>;
  (pki.server as unknown as { checkCertificate: unknown }).checkCertificate = (chain: Buffer | Buffer[], callback?: (err: Error | null, st?: unknown) => void) => {
    const p = check(chain).then((st) => {
      if (st.isNotGood()) {
        const leaf = Array.isArray(chain) ? chain[0] : chain;
        log.record({
          event: 'CHANNEL_REFUSED', category: 'access_control', outcome: 'denied',
          detail: { kind: 'client certificate', reason: st.name, thumbprint: leaf ? createHash('sha1').update(leaf).digest('hex') : '' },
        });
      }
      return st;
    });
    if (!callback) return p;
    p.then((st) => callback(null, st), (e: Error) => callback(e));
    return undefined;
  };
  server.on('create_session', (session) => {
    log.record({
      event: 'SESSION_CREATED', category: 'access_control', outcome: 'success', peer: peerOf(session.channel),
      detail: { session: session.nodeId.toString(), name: session.sessionName ?? '', securityMode: MessageSecurityMode[session.channel?.securityMode ?? 0] ?? '', securityPolicy: session.channel?.securityPolicy ?? '' },
    });
  });
  server.on('session_activated', (session) => {
    const link = ctx.links.get(session);
    log.record({
      event: 'SESSION_ACTIVATED', category: 'access_control', outcome: 'success', peer: peerOf(session.channel), subject: link?.user,
      detail: {
        session: session.nodeId.toString(), roles: (ctx.roles.get(link?.user ?? '') ?? []).map((r) => r.toString()).join(' '),
        mustChangePassword: session.passwordChangeRequired === true,
        securityMode: MessageSecurityMode[session.channel?.securityMode ?? 0] ?? '',
      },
    });
  });
  server.on('session_closed', (session, deleteSubscriptions) => {
    const link = ctx.links.get(session);
    let ended = 'no module session';
    if (link) {
      ctx.links.delete(session);
      try { auth.logout(link.moduleSession); ended = 'logged out'; } catch (e) { ended = (e as { status?: string }).status ?? 'ERR'; }
    }
    log.record({
      event: 'SESSION_CLOSED', category: 'access_control', outcome: 'success', peer: peerOf(session.channel), subject: link?.user,
      detail: { session: session.nodeId.toString(), deleteSubscriptions: deleteSubscriptions === true, module: ended },
    });
  });

  await server.start();
  const ep = server.endpoints[0];
  const actualPort = ep.port;
  const endpointUrl = `opc.tcp://${host}:${actualPort}`;
  log.record({
    event: 'GATEWAY_STARTED', category: 'configuration_change', outcome: 'success',
    detail: { endpoint: endpointUrl, securityModes: modes.join(' '), acceptUnknownClients },
  });

  let stopped = false;
  return {
    endpointUrl, port: actualPort, stateDir, server, api, auth, rl, log, pki, store, nodes, rateGuard, onAuthEvent: ctx.onAuthEvent, audit: trail,
    security: { modes, acceptUnknownClients },
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.shutdown(0);
      log.record({ event: 'GATEWAY_STOPPED', category: 'configuration_change', outcome: 'success', detail: { endpoint: endpointUrl } });
      await trail?.flush();
    },
  };
}
