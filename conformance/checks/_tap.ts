// A TCP relay on 127.0.0.1 between an OPC UA client and the gateway: it
// keeps every byte each way (to look for what a wire tap would read) and,
// when armed, changes one byte of the next client message chunk (MSG) in
// transit, as an attacker on the path would. It parses the OPC UA TCP
// framing (OPC 10000-6 7.1.2: 3-byte type, 1-byte chunk type, 4-byte size),
// so the change lands inside one message whatever the TCP segmentation.

import { createServer, connect, type Server, type Socket } from 'node:net';

/** Offset of the changed byte in a MSG chunk: past the message header (8), channel id (4), token id (4) and sequence header (8). */
const TAMPER_OFFSET = 30;
const HEADER_BYTES = 8;
/** Chunks above this size are not parsed for tampering (the gateway's limit is far below). */
const MAX_CHUNK = 16 * 1024 * 1024;

export interface Tap {
  /** The relay's endpoint URL (the gateway's, through the relay). */
  readonly endpointUrl: string;
  /** Every byte the clients sent, and every byte the gateway sent back. */
  readonly toServer: Buffer[];
  readonly toClient: Buffer[];
  /** Changes one byte of the next client MSG chunk. */
  arm(): void;
  /** Client MSG chunks changed so far. */
  readonly tampered: number;
  /** Whether `bytes` appear in what the clients sent, or what the gateway sent back. */
  seen(bytes: Uint8Array, direction: 'toServer' | 'toClient'): boolean;
  close(): Promise<void>;
}

export async function openTap(gatewayPort: number): Promise<Tap> {
  const toServer: Buffer[] = [];
  const toClient: Buffer[] = [];
  const sockets = new Set<Socket>();
  let armed = false;
  let tampered = 0;
  const server: Server = createServer((client) => {
    const upstream = connect({ host: '127.0.0.1', port: gatewayPort });
    sockets.add(client); sockets.add(upstream);
    let pending = Buffer.alloc(0);
    client.on('data', (d: Buffer) => {
      toServer.push(Buffer.from(d));
      pending = Buffer.concat([pending, d]);
      // Forward whole chunks only, so that the armed change hits a chunk of known layout.
      for (;;) {
        if (pending.length < HEADER_BYTES) break;
        const size = pending.readUInt32LE(4);
        if (size < HEADER_BYTES || size > MAX_CHUNK) { upstream.write(pending); pending = Buffer.alloc(0); break; }
        if (pending.length < size) break;
        const chunk = Buffer.from(pending.subarray(0, size));
        pending = pending.subarray(size);
        if (armed && chunk.toString('latin1', 0, 3) === 'MSG' && size > TAMPER_OFFSET) {
          chunk[TAMPER_OFFSET] ^= 0x01;
          armed = false;
          tampered++;
        }
        upstream.write(chunk);
      }
    });
    upstream.on('data', (d: Buffer) => { toClient.push(Buffer.from(d)); client.write(d); });
    const end = () => { client.destroy(); upstream.destroy(); sockets.delete(client); sockets.delete(upstream); };
    client.on('close', end); upstream.on('close', end);
    client.on('error', end); upstream.on('error', end);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    endpointUrl: `opc.tcp://127.0.0.1:${port}`,
    toServer, toClient,
    arm() { armed = true; },
    get tampered() { return tampered; },
    seen(bytes, direction) { return Buffer.concat(direction === 'toServer' ? toServer : toClient).indexOf(Buffer.from(bytes)) >= 0; },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
