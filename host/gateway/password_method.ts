// Objects/Gateway/ChangePassword(OldPassword, NewPassword): how a user whose
// password is a factory default, temporary or expired (CR 1.5) changes it
// over OPC UA. Such a session is activated with GoodPasswordChangeRequired,
// holds no OPC UA role but AuthenticatedUser, and the module refuses its
// reads and writes (ERR_MUST_CHANGE) until this method succeeds. The module
// checks the old password and the policy (history, length, blocklist, ...).
// Only over SignAndEncrypt: the arguments travel in the message body.

import {
  DataType, MessageSecurityMode, PermissionFlag, StatusCodes, WellKnownRoles, resolveNodeId,
  type AddressSpace, type Namespace, type StatusCode, type Variant, type ISessionContext,
} from 'node-opcua';
import { AuthError } from '../auth.js';
import { opcuaRolesFor } from './roles.js';
import { peerOf, type GatewayContext } from './context.js';

const REFUSALS: Record<string, StatusCode> = {
  ERR_AUTH: StatusCodes.BadUserAccessDenied,
  ERR_POLICY: StatusCodes.BadInvalidArgument,
  ERR_LENGTH: StatusCodes.BadInvalidArgument,
  ERR_MALFORMED: StatusCodes.BadInvalidArgument,
  ERR_SESSION: StatusCodes.BadSessionIdInvalid,
  ERR_SESSION_LOCKED: StatusCodes.BadUserAccessDenied,
};

interface SessionLike { channel?: { securityMode?: MessageSecurityMode; remoteAddress?: string; remotePort?: number }; passwordChangeRequired?: boolean }

export function addPasswordMethod(addressSpace: AddressSpace, namespace: Namespace, ctx: GatewayContext): void {
  const gateway = namespace.addObject({ organizedBy: addressSpace.rootFolder.objects, browseName: 'Gateway', nodeId: 's=Gateway' });
  const method = namespace.addMethod(gateway, {
    browseName: 'ChangePassword', nodeId: 's=Gateway.ChangePassword',
    inputArguments: [
      { name: 'OldPassword', dataType: DataType.String, description: 'the current password (without a second-factor code)' },
      { name: 'NewPassword', dataType: DataType.String, description: 'the new password; the module checks it against the policy' },
    ],
    outputArguments: [],
    rolePermissions: [{ roleId: resolveNodeId(WellKnownRoles.AuthenticatedUser), permissions: PermissionFlag.Browse | PermissionFlag.Call }],
  });
  method.bindMethod(async (inputArguments: Variant[], context: ISessionContext) => {
    const session = context.session as SessionLike | undefined;
    const link = session ? ctx.links.get(session) : undefined;
    const peer = peerOf(session?.channel);
    const done = (statusCode: StatusCode, reason: string) => {
      ctx.log.record({
        event: 'PASSWORD_CHANGED', category: 'access_control', outcome: statusCode.isGood() ? 'success' : 'denied', peer, subject: link?.user,
        detail: { result: statusCode.name, reason },
      });
      return { statusCode };
    };
    if (!session || !link) return done(StatusCodes.BadUserAccessDenied, 'no module session');
    if (session.channel?.securityMode !== MessageSecurityMode.SignAndEncrypt) return done(StatusCodes.BadSecurityModeInsufficient, 'not over SignAndEncrypt');
    const [oldPw, newPw] = inputArguments.map((a) => a.value);
    if (typeof oldPw !== 'string' || typeof newPw !== 'string') return done(StatusCodes.BadInvalidArgument, 'arguments are not strings');
    try {
      await ctx.auth.transaction((a) => a.changePassword(link.moduleSession, oldPw, newPw));
    } catch (e) {
      if (!(e instanceof AuthError)) throw e;
      return done(REFUSALS[e.status] ?? StatusCodes.BadUserAccessDenied, e.status);
    }
    session.passwordChangeRequired = false;
    ctx.roles.set(link.user, opcuaRolesFor(link.permissions));
    return done(StatusCodes.Good, 'changed');
  });
}
