// The OPC UA gateway's checks: communication integrity (CR 3.1),
// communication authentication (CR 3.1 RE1) and confidentiality in transit
// (CR 4.1), each against the real gateway guarded by the module under test
// (_gateway.ts), with node-opcua's real client, through a relay that reads
// and changes bytes on the wire (_tap.ts). Capability checks start the
// gateway with Sign and SignAndEncrypt; profile checks start it with the
// deployment's `gateway` settings (a field left out: the gateway's default,
// host/gateway/server.ts GATEWAY_DEFAULTS) and show what that deployment offers.
// A channel of mode None carries messages with neither a signature nor
// encryption, so a deployment that offers it fails CR 3.1 and CR 4.1 at
// every level where they apply (both apply from SL 1).

import type { SecurityModeName } from '../../host/gateway/server.js';
import { PARTS } from '../parts.js';
import type { Profile } from '../profile.js';
import { outcome, type Check, type CheckContext, type CheckOutcome } from './registry.js';
import { OPERATOR, OPERATOR_PW, SETPOINT_BYTES, gatewayBench, readSetpoint, type GatewayBench } from './_gateway.js';
import { openTap } from './_tap.js';

const GATEWAY_DEFAULT_MODES: readonly SecurityModeName[] = ['Sign', 'SignAndEncrypt'];
const CAPABILITY_MODES: readonly SecurityModeName[] = ['Sign', 'SignAndEncrypt'];

export async function withBench<T>(ctx: CheckContext, o: Parameters<typeof gatewayBench>[1], fn: (b: GatewayBench) => Promise<T>): Promise<T> {
  const b = await gatewayBench(ctx, o);
  try { return await fn(b); } finally { await b.stop(); }
}

/**
 * A session of this mode through the relay reads the setpoint; then one byte
 * of the next request is changed on the wire. The gateway must refuse it
 * (its signature check fails) and close the channel.
 */
async function tamperProbe(ctx: CheckContext, b: GatewayBench, mode: SecurityModeName) {
  const tap = await openTap(b.gw.port);
  try {
    const s = await b.session({ mode, endpointUrl: tap.endpointUrl });
    if (!s.session) { ctx.log(`${mode}: the session through the relay was refused (${s.refused})`); return { readOk: false, refused: false, detected: false }; }
    const before = await readSetpoint(b, s.session);
    ctx.log(`${mode}: session as '${OPERATOR}' through the relay; read of the setpoint: ${before.status}, value ${String(before.value)}`);
    const logged = b.stackLog.length;
    tap.arm();
    const changed = await readSetpoint(b, s.session);
    const detected = b.stackLog.slice(logged).some((l) => /ServerSecureChannel/.test(l) && /Invalid packet signature/.test(l));
    ctx.log(`${mode}: one byte of the next Read request changed in transit (${tap.tampered} chunk): answer ${changed.status}; `
      + `the gateway's secure channel reported an invalid signature: ${detected ? 'yes' : 'no'}`);
    return { readOk: before.status === 'Good' && before.value === 65, refused: changed.status !== 'Good' && tap.tampered === 1, detected };
  } finally {
    await tap.close();
  }
}

export const gatewayIntegrity: Check = {
  id: 'gateway.integrity',
  title: 'The OPC UA gateway signs every message: a message changed in transit is refused, and no channel without security is offered or accepted',
  requirements: ['CR 3.1'],
  kind: 'capability',
  part: 'gateway',
  remedy: 'offer Basic256Sha256 Sign and SignAndEncrypt only, and refuse a session over a channel of mode None (host/gateway/server.ts)',
  async run(ctx) {
    return withBench(ctx, { securityModes: CAPABILITY_MODES }, async (b) => {
      const ep = await b.endpoints('None');
      ctx.log(`endpoints offered (GetEndpoints over the discovery channel): ${ep.offered.join(', ')}`);
      const noneOffered = ep.offered.some((e) => e.endsWith('/None'));
      const overNone = await b.sessionOverNone();
      ctx.log(`CreateSession sent over a channel of mode None anyway: ${overNone}`);
      const sign = await tamperProbe(ctx, b, 'Sign');
      const ok = !noneOffered && overNone !== 'Good' && sign.readOk && sign.refused && sign.detected;
      return outcome(ok,
        'Sign works; a request changed in transit is refused by the signature check; no None endpoint, and a session over None is refused',
        `None offered: ${noneOffered}; session over None: ${overNone}; Sign read: ${sign.readOk}; changed request refused: ${sign.refused}, detected: ${sign.detected}`,
        { endpoints: ep.offered.length, noneOffered, sessionOverNone: overNone, signedRead: sign.readOk, tamperedRefused: sign.refused, signatureFailureDetected: sign.detected });
    });
  },
};

export const gatewayAuthentication: Check = {
  id: 'gateway.authentication',
  title: 'Both ends of an OPC UA channel are authenticated: an unknown client certificate, an anonymous token, a wrong password and a forged message are refused; the client refuses an untrusted server',
  requirements: ['CR 3.1 RE1'],
  kind: 'capability',
  part: 'gateway',
  remedy: 'refuse untrusted client certificates (host/gateway/pki.ts), offer no anonymous token, verify every message signature',
  async run(ctx) {
    return withBench(ctx, { securityModes: CAPABILITY_MODES }, async (b) => {
      const unknown = await b.session({ mode: 'SignAndEncrypt', trusted: false });
      const recorded = b.decisions('CHANNEL_REFUSED').filter((d) => d.detail.kind === 'client certificate');
      ctx.log(`a client whose certificate the gateway does not trust: ${unknown.refused ?? 'Good'}; CHANNEL_REFUSED records (client certificate): ${recorded.length}, reason ${recorded.map((d) => String(d.detail.reason)).join(', ')}`);
      const anonymous = await b.anonymousAnyway('SignAndEncrypt');
      ctx.log(`an anonymous identity token sent although none is offered: ${anonymous}`);
      const wrong = await b.session({ mode: 'SignAndEncrypt' }, { userName: OPERATOR, password: `${OPERATOR_PW}x` });
      ctx.log(`the operator with a wrong password: ${wrong.refused ?? 'Good'}`);
      const strict = await b.session({ mode: 'SignAndEncrypt', trustServer: false });
      ctx.log(`a client that does not trust the gateway's certificate: ${strict.refused ?? 'Good'}`);
      await b.trustGateway();
      const trusting = await b.session({ mode: 'SignAndEncrypt', trustServer: false });
      ctx.log(`the same client after its administrator trusted the gateway's certificate: ${trusting.refused ?? 'session Good'}`);
      const forged = await tamperProbe(ctx, b, 'SignAndEncrypt');
      const ok = unknown.refused !== undefined && recorded.length > 0 && anonymous !== 'Good' && wrong.refused !== undefined
        && strict.refused !== undefined && trusting.session !== undefined && forged.readOk && forged.refused && forged.detected;
      return outcome(ok,
        'unknown client certificate, anonymous token and wrong password refused; untrusted server refused by the client; a changed message refused',
        `unknown client: ${unknown.refused ?? 'accepted'}; anonymous: ${anonymous}; wrong password: ${wrong.refused ?? 'accepted'}; untrusted server: ${strict.refused ?? 'accepted'}; changed message refused: ${forged.refused}`,
        {
          unknownClient: unknown.refused ?? 'Good', unknownClientRecorded: recorded.length, anonymous, wrongPassword: wrong.refused ?? 'Good',
          untrustedServer: strict.refused ?? 'Good', trustedServer: trusting.session !== undefined, tamperedRefused: forged.refused,
        });
    });
  },
};

export const gatewayConfidentiality: Check = {
  id: 'gateway.confidentiality-in-transit',
  title: 'Over SignAndEncrypt neither the user name, the password nor a guarded process value can be read on the wire; the password is encrypted to the server\'s certificate on every endpoint',
  requirements: ['CR 4.1'],
  kind: 'capability',
  part: 'gateway',
  remedy: 'offer SignAndEncrypt and user-name tokens encrypted with Basic256Sha256 only (host/gateway/server.ts)',
  async run(ctx) {
    return withBench(ctx, { securityModes: CAPABILITY_MODES }, async (b) => {
      const ep = await b.endpoints('None');
      ctx.log(`user token policies offered: ${ep.tokenPolicies.join(', ')}`);
      const tokensEncrypted = ep.tokenPolicies.length > 0 && ep.tokenPolicies.every((t) => t === 'UserName:Basic256Sha256');
      const seen: Record<string, { user: boolean; password: boolean; value: boolean; read: boolean }> = {};
      for (const mode of ['Sign', 'SignAndEncrypt'] as const) {
        const tap = await openTap(b.gw.port);
        try {
          const s = await b.session({ mode, endpointUrl: tap.endpointUrl });
          const r = s.session ? await readSetpoint(b, s.session) : { status: s.refused ?? 'refused' };
          seen[mode] = {
            read: r.status === 'Good',
            user: tap.seen(new TextEncoder().encode(OPERATOR), 'toServer'),
            password: tap.seen(new TextEncoder().encode(OPERATOR_PW), 'toServer'),
            value: tap.seen(SETPOINT_BYTES, 'toClient'),
          };
          // Byte counts are left out of the evidence: certificate sizes vary by a byte from run to run.
          ctx.log(`${mode}: login and read ${r.status}; on the wire, both ways: `
            + `user name ${seen[mode].user ? 'visible' : 'not visible'}, password ${seen[mode].password ? 'VISIBLE' : 'not visible'}, setpoint value ${seen[mode].value ? 'visible' : 'not visible'}`);
        } finally {
          await tap.close();
        }
      }
      // Sign is the control: the relay does see clear text there (user name, value), so "not visible" over SignAndEncrypt is measured.
      const control = seen.Sign.read && seen.Sign.user && seen.Sign.value;
      const e = seen.SignAndEncrypt;
      const ok = tokensEncrypted && control && !seen.Sign.password && e.read && !e.user && !e.password && !e.value;
      return outcome(ok,
        'SignAndEncrypt hides user name, password and values on the wire; the password is encrypted to the server\'s certificate even over Sign',
        `token policies ${ep.tokenPolicies.join(' ')}; control (Sign shows clear text): ${control}; SignAndEncrypt read ${e.read}, user ${e.user}, password ${e.password}, value ${e.value}; password over Sign ${seen.Sign.password}`,
        {
          tokenPolicies: ep.tokenPolicies.join(' '), controlClearTextSeen: control, passwordSeenOverSign: seen.Sign.password,
          encryptedRead: e.read, userSeen: e.user, passwordSeen: e.password, valueSeen: e.value,
        });
    });
  },
};

/** The deployment's gateway settings (a field left out: the gateway's default). */
function deployedGateway(p: Profile): { securityModes: readonly SecurityModeName[]; acceptUnknownClients: boolean } {
  return {
    securityModes: p.gateway?.securityModes ?? GATEWAY_DEFAULT_MODES,
    acceptUnknownClients: p.gateway?.acceptUnknownClients === true,
  };
}

type Deployed = ReturnType<typeof deployedGateway>;

/** The most protective mode a deployment offers. */
export function strongestMode(modes: readonly SecurityModeName[]): SecurityModeName {
  return modes.includes('SignAndEncrypt') ? 'SignAndEncrypt' : modes.includes('Sign') ? 'Sign' : 'None';
}

/**
 * Runs a profile check on the gateway started with the deployment's
 * settings (logged first); "not enforced" where the gateway cannot run.
 */
export async function withDeployedGateway(ctx: CheckContext, fn: (b: GatewayBench, g: Deployed) => Promise<CheckOutcome>): Promise<CheckOutcome> {
  const part = PARTS.gateway;
  if (!part.present({ caps: ctx.module.caps, exports: ctx.module.exports })) {
    return { result: 'fail', summary: `not enforced: the gateway cannot run here (${part.detection})` };
  }
  const g = deployedGateway(ctx.profile);
  const set = ctx.profile.gateway;
  ctx.log(`profile gateway.securityModes: ${g.securityModes.join(', ')}${set?.securityModes ? '' : ' (not set: the gateway\'s default)'}; `
    + `gateway.acceptUnknownClients: ${g.acceptUnknownClients}${set?.acceptUnknownClients === undefined ? ' (not set: the gateway\'s default)' : ''}`);
  return withBench(ctx, g, (b) => fn(b, g));
}

export const profileGatewayChannels: Check = {
  id: 'profile.gateway-channels',
  title: 'The deployed gateway offers no channel without security (mode None), and refuses a session over one',
  requirements: ['CR 3.1'],
  kind: 'profile',
  remedy: 'leave None out of gateway.securityModes',
  async run(ctx) {
    return withDeployedGateway(ctx, async (b) => {
      const ep = await b.endpoints('None');
      const noneOffered = ep.offered.some((e) => e.endsWith('/None'));
      const overNone = await b.sessionOverNone();
      ctx.log(`endpoints offered: ${ep.offered.join(', ')}; CreateSession over a channel of mode None: ${overNone}`);
      return outcome(!noneOffered && overNone !== 'Good', 'no None endpoint; a session over None is refused',
        `the deployment offers mode None (no integrity protection): ${noneOffered ? 'None endpoint offered' : ''}${overNone === 'Good' ? ', session over None accepted' : ''}`,
        { noneOffered, sessionOverNone: overNone });
    });
  },
};

export const profileGatewayEncryption: Check = {
  id: 'profile.gateway-encryption',
  title: 'The deployed gateway offers SignAndEncrypt only, so the process values a read permission guards never travel in clear',
  requirements: ['CR 4.1'],
  kind: 'profile',
  remedy: 'set gateway.securityModes to ["SignAndEncrypt"]',
  async run(ctx) {
    return withDeployedGateway(ctx, async (b) => {
      const ep = await b.endpoints('None');
      const clear = ep.offered.filter((e) => !e.endsWith('/SignAndEncrypt'));
      ctx.log(`endpoints offered: ${ep.offered.join(', ')}; without encryption: ${clear.join(', ') || 'none'}`);
      return outcome(ep.offered.length > 0 && clear.length === 0, 'every endpoint encrypts (SignAndEncrypt)',
        `endpoints without encryption are offered: ${clear.join(', ')}`, { endpoints: ep.offered.length, unencrypted: clear.length });
    });
  },
};

export const profileGatewayClients: Check = {
  id: 'profile.gateway-client-certificates',
  title: 'The deployed gateway refuses a client application whose certificate it has not been told to trust',
  requirements: ['CR 3.1 RE1'],
  kind: 'profile',
  remedy: 'set gateway.acceptUnknownClients to false (trust each client certificate explicitly, host/gateway/pki.ts)',
  async run(ctx) {
    return withDeployedGateway(ctx, async (b, g) => {
      const mode = strongestMode(g.securityModes);
      const unknown = await b.session({ mode, trusted: false });
      ctx.log(`a client with a certificate the gateway never saw, over ${mode}: ${unknown.refused ?? 'session Good'}`);
      return outcome(unknown.refused !== undefined, 'an unknown client certificate is refused',
        'the deployment accepts any client certificate: clients are not authenticated', { unknownClient: unknown.refused ?? 'Good' });
    });
  },
};
