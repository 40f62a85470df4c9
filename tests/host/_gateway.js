// Shared by the gateway tests: a gateway on 127.0.0.1 at an ephemeral port
// with its state in a fresh temporary directory, a fast profile (PBKDF2 at
// 1,000 iterations), a clock the test moves, the gateway's decisions
// collected, and node-opcua's real client (its PKI in the temporary
// directory too, its certificate trusted by the gateway when asked).
import { mkdtemp, rm } from 'node:fs/promises';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  OPCUAClient, OPCUACertificateManager, MessageSecurityMode, SecurityPolicy, UserTokenType, AttributeIds, DataType,
  makeReverseClientTransportFactory,
} from 'node-opcua';
import { startGateway } from '../../dist/host/gateway/server.js';

export const ADMIN = 'admin';
export const ADMIN_PW = 'correct horse battery staple';
export const OPERATOR = 'olga';
export const OPERATOR_PW = 'turbine hall north 7';
export const OBSERVER = 'otto';
export const OBSERVER_PW = 'pump house south 9';
export const T0 = Date.UTC(2026, 11, 3, 9, 0, 0);
export { MessageSecurityMode, SecurityPolicy, AttributeIds, DataType };

/** Starts a gateway with an administrator, an operator (role 2) and an observer (viewer, role 3). */
/** Rate limits high enough that the functional tests never meet them (the test clock stands still). */
export const GENEROUS_RATE = { sourceRate: 10_000, sourceBurst: 10_000, globalRate: 10_000, globalBurst: 10_000 };

export async function startTestGateway({ profile = {}, rateLimit = GENEROUS_RATE, gateway = {}, beforeStart } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'iacsec-gateway-'));
  const clock = { now: T0 };
  // What an operator puts in the state directory before the first start (for example the PKI's trust list).
  await beforeStart?.(join(dir, 'state'));
  // These tests log in over None too (the password is still encrypted to the server's certificate): None is asked for.
  const gw = await startGateway({ host: '127.0.0.1', port: 0, stateDir: join(dir, 'state'), clock: () => clock.now,
    securityModes: ['None', 'Sign', 'SignAndEncrypt'], ...gateway });
  const decisions = [];
  gw.log.subscribe((d) => decisions.push(d));
  const authEvents = [];
  const stopEvents = gw.onAuthEvent((e) => authEvents.push(e));
  let admin;
  await gw.auth.transaction((a) => {
    a.setProfile('', { iterations: 1000, minLifetime: 0, sessionsPerUser: 8, ...profile });
    gw.rl.configure('', rateLimit);
    a.provision({ user: ADMIN, password: ADMIN_PW });
    admin = a.login({ user: ADMIN, password: ADMIN_PW, source: 'console', iface: 0 }).session;
  });
  const addUser = (user, password, role) => gw.auth.transaction((a) => {
    const temp = 'temporary setup passphrase 1';
    a.addUser(admin, { user, password: temp, role });
    const { session } = a.login({ user, password: temp, source: 'setup', iface: 0 });
    a.changePassword(session, temp, password);
    a.logout(session);
  });
  await addUser(OPERATOR, OPERATOR_PW, 2);
  await addUser(OBSERVER, OBSERVER_PW, 3);
  const clientPki = new OPCUACertificateManager({ rootFolder: join(dir, 'client-pki'), automaticallyAcceptUnknownCertificate: true });
  await clientPki.initialize();
  const clients = new Set();
  return {
    gw, dir, clock, decisions, authEvents, admin, addUser, clientPki, clients,
    tick(ms) { clock.now += ms; },
    /** Decisions of this kind recorded so far. */
    of(event) { return decisions.filter((d) => d.event === event); },
    async stop() {
      for (const c of clients) await c.disconnect().catch(() => {});
      await gw.stop();
      stopEvents();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A transport that connects from a given local address (another host as the gateway sees it). */
function fromAddress(localAddress, endpointUrl) {
  const u = new URL(endpointUrl.replace(/^opc\.tcp:/, 'http:'));
  return makeReverseClientTransportFactory(() => new Promise((resolve, reject) => {
    const socket = netConnect({ host: u.hostname, port: Number(u.port), localAddress });
    socket.once('connect', () => resolve({ socket, endpointUrl }));
    socket.once('error', reject);
  }));
}

/**
 * A node-opcua client (the real one). mode/policy: the secure channel;
 * trusted: the gateway trusts this client's certificate first;
 * localAddress: connect from this loopback address.
 */
export async function newClient(t, { mode = MessageSecurityMode.None, policy = SecurityPolicy.None, trusted = true, localAddress, certificate } = {}) {
  const client = OPCUAClient.create({
    applicationName: 'iacsec gateway test client',
    clientCertificateManager: t.clientPki,
    securityMode: mode, securityPolicy: policy,
    endpointMustExist: false,
    connectionStrategy: { maxRetry: 0, initialDelay: 10, maxDelay: 20 },
    requestedSessionTimeout: 60_000,
    transportFactory: localAddress ? fromAddress(localAddress, t.gw.endpointUrl) : undefined,
    // certificate: { certificateFile, privateKeyFile, applicationUri } of an application certificate of its own (not trusted here).
    ...certificate,
  });
  t.clients.add(client);
  if (certificate) return client;
  await client.createDefaultCertificate();
  if (trusted) await t.gw.pki.trust(client.getCertificate());
  return client;
}

/** Connects and opens a session with a user name and password; returns the session. */
export async function login(t, user, password, options = {}) {
  const client = await newClient(t, options);
  await client.connect(t.gw.endpointUrl);
  const session = await client.createSession({ type: UserTokenType.UserName, userName: user, password });
  return { client, session };
}

/** The status code name an async call fails with, or 'Good'. */
export async function outcome(p) {
  try {
    await p;
    return 'Good';
  } catch (e) {
    const m = /Bad[A-Za-z]+/.exec(String(e?.message ?? e));
    return m ? m[0] : String(e?.message ?? e);
  }
}

export const readValue = (session, nodeId) => session.read({ nodeId, attributeId: AttributeIds.Value });
export const writeDouble = (session, nodeId, value) =>
  session.write({ nodeId, attributeId: AttributeIds.Value, value: { value: { dataType: DataType.Double, value } } });
