// The demo address space: a small process (a tank with a heater and a pump)
// under Objects/Plant in the gateway's namespace. Process values are
// computed from the clock on each read (no timers); the setpoint is the one
// writable value, range-checked (CR 3.5). Permissions per OPC UA role
// (roles.ts): Observer, Operator and Engineer read; only Operator and
// Engineer write the setpoint (CR 2.1).

import {
  AccessLevelFlag, DataType, PermissionFlag, StatusCodes, Variant, WellKnownRoles, resolveNodeId,
  type AddressSpace, type Namespace, type UAVariable, type RolePermissionTypeOptions, type NodeId,
} from 'node-opcua';

export const GATEWAY_NAMESPACE_URI = 'urn:iacsec:gateway:demo';

/** The setpoint's range (degrees Celsius); a value outside it is refused with BadOutOfRange. */
export const SETPOINT_RANGE = { low: 0, high: 120 } as const;
export const SETPOINT_INITIAL = 65;

/** The fastest a subscription samples the computed values. */
const SAMPLING_MS = 250;

const READ = PermissionFlag.Browse | PermissionFlag.Read | PermissionFlag.ReadRolePermissions;
const WRITE = READ | PermissionFlag.Write;

const role = (r: WellKnownRoles) => resolveNodeId(r);

/** Who may do what with a process value. */
export const PROCESS_VALUE_PERMISSIONS: RolePermissionTypeOptions[] = [
  { roleId: role(WellKnownRoles.Observer), permissions: READ },
  { roleId: role(WellKnownRoles.Operator), permissions: READ },
  { roleId: role(WellKnownRoles.Engineer), permissions: READ },
  { roleId: role(WellKnownRoles.AuthenticatedUser), permissions: PermissionFlag.Browse },
];

/** Who may do what with the setpoint. */
export const SETPOINT_PERMISSIONS: RolePermissionTypeOptions[] = [
  { roleId: role(WellKnownRoles.Observer), permissions: READ },
  { roleId: role(WellKnownRoles.Operator), permissions: WRITE },
  { roleId: role(WellKnownRoles.Engineer), permissions: WRITE },
  { roleId: role(WellKnownRoles.AuthenticatedUser), permissions: PermissionFlag.Browse },
];

export interface DemoNodes {
  namespace: Namespace;
  temperature: UAVariable;
  pressure: UAVariable;
  flow: UAVariable;
  pumpRunning: UAVariable;
  setpoint: UAVariable;
  /** Node ids of the values the module guards (read: PROCESS_READ; write: PROCESS_OPERATE). */
  guarded: Map<string, { name: string; write: boolean }>;
}

/** Builds Objects/Plant. `clock` drives the simulated values (ms since the epoch). */
export function buildDemoAddressSpace(addressSpace: AddressSpace, clock: () => number): DemoNodes {
  const namespace = addressSpace.registerNamespace(GATEWAY_NAMESPACE_URI);
  const plant = namespace.addObject({ organizedBy: addressSpace.rootFolder.objects, browseName: 'Plant', nodeId: 's=Plant' });
  const t = () => clock() / 1000;
  let setpoint = SETPOINT_INITIAL;

  const readOnly = (name: string, dataType: DataType, unit: string, value: () => number | boolean): UAVariable =>
    namespace.addVariable({
      componentOf: plant, browseName: name, nodeId: `s=Plant.${name}`, dataType,
      description: unit ? `${name} (${unit})` : name,
      accessLevel: AccessLevelFlag.CurrentRead, userAccessLevel: AccessLevelFlag.CurrentRead,
      rolePermissions: PROCESS_VALUE_PERMISSIONS, minimumSamplingInterval: SAMPLING_MS,
      value: { get: () => new Variant({ dataType, value: value() }) },
    });

  const temperature = readOnly('Temperature', DataType.Double, 'degC', () => setpoint - 2 + 2 * Math.sin(t() / 30));
  const pressure = readOnly('Pressure', DataType.Double, 'bar', () => 2.5 + 0.1 * Math.sin(t() / 7));
  const flow = readOnly('FlowRate', DataType.Double, 'm3/h', () => 12 + Math.cos(t() / 11));
  const pumpRunning = readOnly('PumpRunning', DataType.Boolean, '', () => true);

  const sp = namespace.addVariable({
    componentOf: plant, browseName: 'Setpoint', nodeId: 's=Plant.Setpoint', dataType: DataType.Double,
    description: `Temperature setpoint (degC, ${SETPOINT_RANGE.low}..${SETPOINT_RANGE.high})`,
    accessLevel: AccessLevelFlag.CurrentRead | AccessLevelFlag.CurrentWrite,
    userAccessLevel: AccessLevelFlag.CurrentRead | AccessLevelFlag.CurrentWrite,
    rolePermissions: SETPOINT_PERMISSIONS, minimumSamplingInterval: SAMPLING_MS,
    value: {
      get: () => new Variant({ dataType: DataType.Double, value: setpoint }),
      set: (v: Variant) => {
        const x = v.value as unknown;
        if (v.dataType !== DataType.Double || typeof x !== 'number' || !Number.isFinite(x)) return StatusCodes.BadTypeMismatch;
        if (x < SETPOINT_RANGE.low || x > SETPOINT_RANGE.high) return StatusCodes.BadOutOfRange;
        setpoint = x;
        return StatusCodes.Good;
      },
    },
  });

  const guarded = new Map<string, { name: string; write: boolean }>();
  const key = (id: NodeId) => id.toString();
  for (const [v, name] of [[temperature, 'Temperature'], [pressure, 'Pressure'], [flow, 'FlowRate'], [pumpRunning, 'PumpRunning']] as const) {
    guarded.set(key(v.nodeId), { name, write: false });
  }
  guarded.set(key(sp.nodeId), { name: 'Setpoint', write: true });
  return { namespace, temperature, pressure, flow, pumpRunning, setpoint: sp, guarded };
}
