// The module's roles seen as OPC UA roles (OPC 10000-3 section 4.9, the
// well-known roles of OPC 10000-18). The mapping follows the permissions a
// module role holds, not its name, so a role an administrator defines
// (iacsec role set) maps the same way (CR 2.1):
//   PROCESS_OPERATE or PROCESS_WRITE  -> Operator  (may write the setpoint)
//   PROCESS_READ                      -> Observer  (reads process values)
//   CONFIG_WRITE                      -> Engineer
//   SECURITY_ADMIN                    -> SecurityAdmin
//   USER_ADMIN or ROLE_ADMIN          -> ConfigureAdmin
// Every logged-in user also holds AuthenticatedUser (node-opcua adds it).
// The module decides again on every guarded read and write
// (write_guard.ts): the OPC UA roles only let node-opcua answer early.

import { NodeId, WellKnownRoles, resolveNodeId } from 'node-opcua';
import { PERMISSIONS } from '../../bindings/abi.js';

const has = (mask: number, p: keyof typeof PERMISSIONS) => ((mask >>> PERMISSIONS[p]) & 1) === 1;

/** The OPC UA well-known roles of a module role with these permission bits. */
export function opcuaRolesFor(permissions: number): NodeId[] {
  const roles: WellKnownRoles[] = [];
  if (has(permissions, 'PROCESS_OPERATE') || has(permissions, 'PROCESS_WRITE')) roles.push(WellKnownRoles.Operator);
  if (has(permissions, 'PROCESS_READ')) roles.push(WellKnownRoles.Observer);
  if (has(permissions, 'CONFIG_WRITE')) roles.push(WellKnownRoles.Engineer);
  if (has(permissions, 'SECURITY_ADMIN')) roles.push(WellKnownRoles.SecurityAdmin);
  if (has(permissions, 'USER_ADMIN') || has(permissions, 'ROLE_ADMIN')) roles.push(WellKnownRoles.ConfigureAdmin);
  return roles.map((r) => resolveNodeId(r));
}

/** Names of the OPC UA roles, for logs and the README. */
export function roleNames(ids: NodeId[]): string[] {
  return ids.map((id) => WellKnownRoles[id.value as number] ?? id.toString());
}
