// Shared by the OPC UA gateway checks (CR 3.1, CR 3.1 RE1, CR 4.1): the real
// gateway (host/gateway/server.ts) guarded by a fresh instance of the module
// under test, on 127.0.0.1 at an ephemeral port, its state and PKI in a
// temporary directory of its own, and node-opcua's real client. An
// operator account is set up in the module; the module's clock stands still
// at T0, so the rate limits are set high enough for the few connections a
// check makes. node-opcua is loaded only when a gateway check runs.
// The evidence never names ports, paths or certificate thumbprints (they
// change from run to run); it names what was asked and what was answered.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClientSession, OPCUAClient, UserIdentityInfo } from 'node-opcua';
import type { Gateway, SecurityModeName } from '../../host/gateway/server.js';
import type { CheckContext } from './registry.js';
import { ADMIN, ADMIN_PW, T0 } from './_access.js';

export const OPERATOR = 'olga';
export const OPERATOR_PW = 'turbine hall north 7';
/** The setpoint's factory value (host/gateway/address_space.ts), read by the checks: 65.0 as an OPC UA Double. */
export const SETPOINT_BYTES = (() => { const b = Buffer.alloc(8); b.writeDoubleLE(65); return new Uint8Array(b); })();
/** Every client call is bounded: a refused or broken channel answers within this time. */
const CALL_MS = 10_000;

export type Opcua = typeof import('node-opcua');

export interface ClientOptions {
  mode: SecurityModeName;
  /** The gateway trusts this client's certificate first (default true); false: a client with a certificate of its own the gateway never saw. */
  trusted?: boolean;
  /** The client trusts the gateway's certificate (default true; false: a client PKI that trusts nothing it has not been told to). */
  trustServer?: boolean;
  /** Connect here instead of the gateway (a relay, _tap.ts). */
  endpointUrl?: string;
  /** Present this certificate and key (an application of that URI) instead of one of the bench's own; the gateway is not told to trust it. */
  certificate?: { certificateFile: string; privateKeyFile: string; applicationUri: string };
}

export interface GatewayBench {
  opcua: Opcua;
  gw: Gateway;
  /** A new client (not connected); every client is disconnected by stop(). */
  client(o: ClientOptions): Promise<OPCUAClient>;
  /** Connects and opens a session as the operator; returns the session, or the refusal as a status name. */
  session(o: ClientOptions, user?: { userName: string; password: string } | 'anonymous'): Promise<{ client: OPCUAClient; session?: ClientSession; refused?: string }>;
  /** The offered endpoints as "policy/mode", sorted, asked over a channel of this mode. */
  endpoints(mode: SecurityModeName): Promise<{ offered: string[]; tokenPolicies: string[] }>;
  /** What node-opcua itself reported (warnings and errors of the server and clients) since the bench started. */
  readonly stackLog: string[];
  /**
   * Sends CreateSession over a secure channel of mode None (the client's own
   * transaction, whatever the endpoints offer); the gateway's answer.
   */
  sessionOverNone(): Promise<string>;
  /**
   * A client that sends an anonymous identity token although no endpoint
   * offers one (it adds the token policy to its copy of the endpoints); the gateway's answer.
   */
  anonymousAnyway(mode: SecurityModeName): Promise<string>;
  /** Trusts the gateway's certificate in the strict client PKI (trustServer: false). */
  trustGateway(): Promise<void>;
  /** Decisions of this kind the gateway recorded. */
  decisions(event: string): { detail: Record<string, unknown> }[];
  stop(): Promise<void>;
}

/** The status name a call fails with, 'Good' when it succeeds, 'timeout' when it does not answer in time. */
export async function answer(p: Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => { timer = setTimeout(() => resolve('timeout'), CALL_MS); });
  try {
    return await Promise.race([p.then(() => 'Good', (e: unknown) => {
      const text = String((e as Error)?.message ?? e);
      const m = /Bad[A-Za-z]+/.exec(text);
      return m ? m[0] : `refused (${text.split('\n')[0].replace(/\d+/g, 'N').slice(0, 120)})`;
    }), late]);
  } finally {
    clearTimeout(timer);
  }
}

export async function gatewayBench(ctx: CheckContext, o: { securityModes: readonly SecurityModeName[]; acceptUnknownClients?: boolean }): Promise<GatewayBench> {
  const opcua = await import('node-opcua');
  // node-opcua's own warnings and errors name times and ports: kept for the checks to read, out of the console.
  const stackLog: string[] = [];
  const keep = (...a: unknown[]) => { if (stackLog.length < 2000) stackLog.push(a.map(String).join(' ')); };
  opcua.setWarningLogger(keep);
  opcua.setErrorLogger(keep);
  const { startGateway } = await import('../../host/gateway/server.js');
  const dir = await mkdtemp(join(tmpdir(), 'iacsec-conformance-gateway-'));
  const api = await ctx.load();
  const clock = { now: T0 };
  let gw: Gateway;
  try {
    gw = await startGateway({
      api, host: '127.0.0.1', port: 0, stateDir: join(dir, 'state'), clock: () => clock.now,
      securityModes: o.securityModes, acceptUnknownClients: o.acceptUnknownClients === true,
    });
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  ctx.log(`gateway started on 127.0.0.1 (ephemeral port), guarded by the module under test; security modes offered: ${gw.security.modes.join(', ')}; unknown client certificates ${gw.security.acceptUnknownClients ? 'ACCEPTED' : 'refused'}`);
  const decisions: { event: string; detail: Record<string, unknown> }[] = [];
  gw.log.subscribe((d) => decisions.push(d as unknown as { event: string; detail: Record<string, unknown> }));
  await gw.auth.transaction((a) => {
    a.setProfile('', { iterations: 1000, minLifetime: 0, sessionsPerUser: 8 });
    gw.rl.configure('', { sourceRate: 10_000, sourceBurst: 10_000, globalRate: 10_000, globalBurst: 10_000 });
    a.provision({ user: ADMIN, password: ADMIN_PW });
    const admin = a.login({ user: ADMIN, password: ADMIN_PW, source: 'console', iface: 0 }).session;
    const temp = 'temporary setup passphrase 1';
    a.addUser(admin, { user: OPERATOR, password: temp, role: 2 });
    const s = a.login({ user: OPERATOR, password: temp, source: 'setup', iface: 0 }).session;
    a.changePassword(s, temp, OPERATOR_PW);
    a.logout(s);
  });
  ctx.log(`module: administrator '${ADMIN}' provisioned, operator '${OPERATOR}' (role 2) added with its own password`);

  // One client PKI that accepts the gateway's certificate, one that trusts nothing unknown.
  const lenient = new opcua.OPCUACertificateManager({ rootFolder: join(dir, 'client-pki'), automaticallyAcceptUnknownCertificate: true });
  const strict = new opcua.OPCUACertificateManager({ rootFolder: join(dir, 'client-pki-strict'), automaticallyAcceptUnknownCertificate: false });
  // A client application of its own certificate, which the gateway has never been told to trust.
  const unknown = new opcua.OPCUACertificateManager({ rootFolder: join(dir, 'client-pki-unknown'), automaticallyAcceptUnknownCertificate: true });
  for (const m of [lenient, strict, unknown]) await m.initialize();
  const clients = new Set<OPCUAClient>();
  const client = async (c: ClientOptions) => {
    const policy = c.mode === 'None' ? opcua.SecurityPolicy.None : opcua.SecurityPolicy.Basic256Sha256;
    const cl = opcua.OPCUAClient.create({
      applicationName: 'iacsec conformance client',
      clientCertificateManager: c.trusted === false ? unknown : c.trustServer === false ? strict : lenient,
      securityMode: opcua.MessageSecurityMode[c.mode], securityPolicy: policy,
      endpointMustExist: false,
      connectionStrategy: { maxRetry: 0, initialDelay: 10, maxDelay: 20 },
      requestedSessionTimeout: 60_000,
      defaultTransactionTimeout: CALL_MS,
      transportTimeout: CALL_MS,
      ...c.certificate,
    });
    clients.add(cl);
    if (c.certificate) return cl;
    await cl.createDefaultCertificate();
    if (c.trusted !== false) await gw.pki.trust(cl.getCertificate());
    return cl;
  };
  const session: GatewayBench['session'] = async (c, user = { userName: OPERATOR, password: OPERATOR_PW }) => {
    const cl = await client(c);
    const connected = await answer(cl.connect(c.endpointUrl ?? gw.endpointUrl));
    if (connected !== 'Good') return { client: cl, refused: `connect ${connected}` };
    let s: ClientSession | undefined;
    const identity: UserIdentityInfo = user === 'anonymous'
      ? { type: opcua.UserTokenType.Anonymous }
      : { type: opcua.UserTokenType.UserName, ...user };
    const created = await answer(cl.createSession(identity).then((x) => { s = x; }));
    return created === 'Good' ? { client: cl, session: s } : { client: cl, refused: `session ${created}` };
  };
  const endpoints: GatewayBench['endpoints'] = async (mode) => {
    const cl = await client({ mode });
    const got = await cl.connect(gw.endpointUrl).then(() => cl.getEndpoints());
    await cl.disconnect();
    const offered = got.map((e) => `${(e.securityPolicyUri ?? '').split('#')[1]}/${opcua.MessageSecurityMode[e.securityMode]}`).sort();
    const tokenPolicies = [...new Set(got.flatMap((e) => (e.userIdentityTokens ?? []).map((t) =>
      `${opcua.UserTokenType[t.tokenType]}:${(t.securityPolicyUri || e.securityPolicyUri || '').split('#')[1] ?? ''}`)))].sort();
    return { offered, tokenPolicies };
  };
  const sessionOverNone = async () => {
    const cl = await client({ mode: 'None' });
    const connected = await answer(cl.connect(gw.endpointUrl));
    if (connected !== 'Good') return `connect ${connected}`;
    const req = new opcua.CreateSessionRequest({
      clientDescription: { applicationUri: 'urn:iacsec:conformance', applicationName: { text: 'iacsec conformance client' }, applicationType: opcua.ApplicationType.Client },
      endpointUrl: gw.endpointUrl, sessionName: 'over None', requestedSessionTimeout: 60_000, maxResponseMessageSize: 0,
    });
    // The client's transaction call (node-opcua's ClientBaseImpl), below the session layer that would refuse to try.
    const tx = cl as unknown as { performMessageTransaction(r: unknown, cb: (err: Error | null, resp?: unknown) => void): void };
    return answer(new Promise((resolve, reject) => tx.performMessageTransaction(req, (err, resp) => {
      if (err) reject(err);
      else resolve(resp);
    })));
  };
  const anonymousAnyway = async (mode: SecurityModeName) => {
    const cl = await client({ mode });
    const connected = await answer(cl.connect(gw.endpointUrl));
    if (connected !== 'Good') return `connect ${connected}`;
    const eps = (cl as unknown as { _serverEndpoints?: { userIdentityTokens?: unknown[] | null }[] })._serverEndpoints ?? [];
    for (const e of eps) {
      e.userIdentityTokens = [...(e.userIdentityTokens ?? []), new opcua.UserTokenPolicy({ policyId: 'anonymous', tokenType: opcua.UserTokenType.Anonymous })];
    }
    return answer(cl.createSession());
  };
  const trustGateway = async () => {
    const cert = gw.server.getCertificate();
    await strict.trustCertificate(cert);
  };
  return {
    opcua, gw, client, session, endpoints, stackLog, sessionOverNone, anonymousAnyway, trustGateway,
    decisions: (event) => decisions.filter((d) => d.event === event),
    async stop() {
      for (const c of clients) await answer(c.disconnect());
      await gw.stop();
      for (const m of [lenient, strict, unknown]) await m.dispose();
      await rm(dir, { recursive: true, force: true });
      opcua.setWarningLogger((...a: unknown[]) => console.warn(...a));
      opcua.setErrorLogger((...a: unknown[]) => console.error(...a));
    },
  };
}

/** Reads the setpoint (a guarded value: the module must grant PROCESS_READ); the status name, or the refusal. */
export async function readSetpoint(b: GatewayBench, s: ClientSession): Promise<{ status: string; value?: unknown }> {
  let value: unknown;
  let status = 'refused';
  const r = await answer(s.read({ nodeId: b.gw.nodes.setpoint.nodeId, attributeId: b.opcua.AttributeIds.Value }).then((dv) => {
    status = dv.statusCode.name; value = dv.value.value;
  }));
  return r === 'Good' ? { status, value } : { status: r };
}
