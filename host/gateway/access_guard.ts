// The module decides every read and write of the guarded process values
// (CR 2.1): a read needs PROCESS_READ, a write of the setpoint
// PROCESS_OPERATE, asked of the module session the login opened. The module
// also refuses a session that is idle-locked, expired, terminated or may
// only change its password, and records each denial (AUTHZ_DENIED). Then
// node-opcua applies the node's rolePermissions as a second check.
// Every write is recorded (CR 2.8): user, node, old and new value, result.

import {
  AttributeIds, StatusCodes, DataValue, type OPCUAServer, type StatusCode, type WriteValue, type ReadRequest, type UAVariable,
} from 'node-opcua';
import type { Auth } from '../auth.js';
import { peerOf, type GatewayContext, type SessionLink } from './context.js';

interface ContextLike { session?: { channel?: { remoteAddress?: string; remotePort?: number } } }
type EngineWrite = (context: ContextLike, nodesToWrite: WriteValue[]) => Promise<StatusCode[]>;
type EngineRead = (context: ContextLike, request: ReadRequest) => Promise<DataValue[]>;

/** A value as audit text: short, and never an object dump. */
function show(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint') return v.toString();
  return JSON.stringify(v) ?? String(v);
}

export class AccessGuard {
  constructor(
    private readonly ctx: GatewayContext,
    private readonly guarded: Map<string, { name: string; write: boolean }>,
  ) {}

  private link(context: ContextLike): SessionLink | undefined {
    return context.session ? this.ctx.links.get(context.session) : undefined;
  }

  /** The module's answer for this session and permission ('OK' or the reason). */
  private decide(link: SessionLink | undefined, permission: 'PROCESS_READ' | 'PROCESS_OPERATE'): string {
    if (!link) return 'ERR_SESSION';
    const a: Auth = this.ctx.auth;
    return a.decide(link.moduleSession, permission);
  }

  install(server: OPCUAServer): void {
    const engine = server.engine as unknown as { write: EngineWrite; read: EngineRead };
    const write = engine.write.bind(engine);
    const read = engine.read.bind(engine);
    engine.write = (context, nodes) => this.write(write, context, nodes, server);
    engine.read = (context, request) => this.read(read, context, request);
  }

  private async read(inner: EngineRead, context: ContextLike, request: ReadRequest): Promise<DataValue[]> {
    const nodes = request.nodesToRead ?? [];
    const touches = nodes.some((n) => this.guarded.has(n.nodeId.toString()) && n.attributeId === AttributeIds.Value);
    const results = await inner(context, request);
    if (!touches) return results;
    if (this.decide(this.link(context), 'PROCESS_READ') === 'OK') return results;
    return results.map((r, i) => (this.guarded.has(nodes[i].nodeId.toString()) && nodes[i].attributeId === AttributeIds.Value
      ? new DataValue({ statusCode: StatusCodes.BadUserAccessDenied }) : r));
  }

  private async write(inner: EngineWrite, context: ContextLike, nodes: WriteValue[], server: OPCUAServer): Promise<StatusCode[]> {
    const link = this.link(context);
    const peer = peerOf(context.session?.channel);
    const space = server.engine.addressSpace;
    const results: (StatusCode | undefined)[] = new Array(nodes.length).fill(undefined);
    const old: unknown[] = nodes.map((n) => {
      const node = space?.findNode(n.nodeId) as UAVariable | null | undefined;
      return n.attributeId === AttributeIds.Value && node && 'readValue' in node ? node.readValue().value?.value : undefined;
    });
    const verdicts: string[] = nodes.map((n) => {
      const g = this.guarded.get(n.nodeId.toString());
      if (!g) return 'not guarded';
      if (!g.write) return 'read-only';
      return this.decide(link, 'PROCESS_OPERATE');
    });
    const pass: number[] = [];
    nodes.forEach((n, i) => {
      if (verdicts[i] === 'OK' || verdicts[i] === 'not guarded' || verdicts[i] === 'read-only') pass.push(i);
      else results[i] = StatusCodes.BadUserAccessDenied;
    });
    if (pass.length > 0) {
      const r = await inner(context, pass.map((i) => nodes[i]));
      pass.forEach((i, k) => { results[i] = r[k]; });
    }
    const out = results.map((r) => r ?? StatusCodes.BadInternalError);
    nodes.forEach((n, i) => {
      const good = out[i].isGood();
      const g = this.guarded.get(n.nodeId.toString());
      this.ctx.log.record({
        event: 'WRITE', category: 'control_system_event', outcome: good ? 'success' : out[i].equals(StatusCodes.BadUserAccessDenied) ? 'denied' : 'failure',
        peer, subject: link?.user,
        detail: {
          node: n.nodeId.toString(), name: g?.name ?? null, attribute: n.attributeId,
          old: show(old[i]), new: show(n.value?.value?.value), result: out[i].name,
          module: verdicts[i] === 'OK' || verdicts[i] === 'not guarded' || verdicts[i] === 'read-only' ? null : verdicts[i],
        },
      });
    });
    return out;
  }
}
