// OPC UA user-name authentication through the module (node-opcua's
// userManager). Every answer is the module's:
//  - lockout after repeated failures, per account and per source (CR 1.11);
//  - the same answer, BadUserAccessDenied, for an unknown user, a wrong
//    password, a locked or disabled account, a locked source, a missing or
//    wrong second factor (CR 1.10); only the audit records tell them apart;
//  - a second factor when the account or its role needs one (CR 1.1 RE2):
//    the client appends '#' and the code to the password (see splitSecondFactor);
//  - a factory-default, temporary or expired password gives a session that
//    may only change its password (CR 1.5): ActivateSession answers
//    GoodPasswordChangeRequired (OPC 10000-18 5.2.8), the module refuses every
//    read and write of that session, and the ChangePassword method
//    (password_method.ts) is the one thing it can do.

import { UAUserManagerBase, type NodeId } from 'node-opcua';
import { AuthError } from '../auth.js';
import { opcuaRolesFor } from './roles.js';
import { peerOf, sourceOf, type GatewayContext } from './context.js';

/** A second-factor code: a TOTP code (6..8 digits) or a recovery code (10 digits). */
const WITH_CODE = /^([\s\S]*)#(\d{6,8}|\d{10})$/;

/**
 * Splits "password#123456" into the password and the code. A field that does
 * not end in '#' and 6..8 or 10 digits is the password alone. So a password
 * that itself ends in '#' and such digits cannot be used through the gateway
 * (the module ignores a code for an account that needs none, so the rule is
 * the same for every account).
 */
export function splitSecondFactor(field: string): { password: string; code?: string } {
  const m = WITH_CODE.exec(field);
  return m ? { password: m[1], code: m[2] } : { password: field };
}

interface ServerSessionLike {
  channel?: { remoteAddress?: string; remotePort?: number };
  passwordChangeRequired?: boolean;
}

export class ModuleUserManager extends UAUserManagerBase {
  constructor(private readonly ctx: GatewayContext) {
    super();
  }

  override getUserRoles(user: string): NodeId[] {
    return this.ctx.roles.get(user) ?? [];
  }

  override async isValidUser(session: ServerSessionLike, username: string, field: string): Promise<boolean> {
    const { auth, log, iface } = this.ctx;
    const peer = peerOf(session.channel);
    const { password, code } = splitSecondFactor(field);
    const locked: string[] = [];
    const stop = this.ctx.onAuthEvent((e) => {
      if ((e.type === 'ACCOUNT_LOCKED' || e.type === 'SOURCE_LOCKED') && (e.subject === username || e.type === 'SOURCE_LOCKED')) locked.push(e.type);
    });
    try {
      const r = await auth.transaction((a) => {
        const res = a.login({ user: username, password, totp: code, source: sourceOf(session.channel), iface });
        const info = a.whoami(res.session);
        const permissions = a.roles().find((x) => x.index === info.role)?.permissions ?? 0;
        return { ...res, permissions };
      });
      // A second ActivateSession on the same OPC UA session (re-authentication, another user) replaces its module session.
      const previous = this.ctx.links.get(session);
      this.ctx.links.set(session, { moduleSession: r.session, user: username, permissions: r.permissions });
      if (previous) {
        try { auth.logout(previous.moduleSession); } catch { /* ended already (expired or terminated) */ }
      }
      this.ctx.roles.set(username, r.mustChangePassword ? [] : opcuaRolesFor(r.permissions));
      session.passwordChangeRequired = r.mustChangePassword;
      return true;
    } catch (e) {
      if (!(e instanceof AuthError)) throw e;
      log.record({
        event: 'LOGIN_FAILED', category: 'access_control', outcome: 'denied', peer, subject: username,
        detail: { reason: e.status, secondFactor: code !== undefined },
      });
      for (const what of locked) {
        log.record({
          event: 'ACCOUNT_LOCKED', category: 'access_control', outcome: 'denied', peer, subject: username,
          detail: { lock: what === 'SOURCE_LOCKED' ? 'source' : 'account' },
        });
      }
      return false;
    } finally {
      stop();
    }
  }
}
