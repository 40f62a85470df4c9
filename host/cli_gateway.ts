// `iacsec gateway`: runs the OPC UA gateway guarded by the module
// (host/gateway/) until SIGINT or SIGTERM. node-opcua is loaded only by this
// command, so the other commands stay quick.

import { EXIT, JSON_OPTION, MODULE_OPTION, checkModuleInput, UsageError, type CommandSpec } from './cli_args.js';

/** The gateway's default modes (host/gateway/server.ts GATEWAY_DEFAULTS), kept here so the command loads node-opcua only when it runs. */
const GATEWAY_MODES_DEFAULT = ['Sign', 'SignAndEncrypt'] as const;
const out = (s: string) => process.stdout.write(`${s}\n`);
/** One JSON object per line (JSON Lines), so a collector can read the stream as it comes. */
const line = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));

const gateway: CommandSpec = {
  name: 'gateway',
  summary: 'Runs the OPC UA server guarded by the module (logins, roles, lockout, rate limits, audit) until stopped.',
  synopsis: ['[--host ADDR] [--port N] [--state DIR] [--module PATH] [--security-mode MODE ...] [--json]'],
  options: {
    host: { type: 'string', arg: 'ADDR', help: 'address to listen on (default 127.0.0.1)' },
    port: { type: 'string', arg: 'N', help: 'TCP port (default 4840; 0: any free port)' },
    state: { type: 'string', arg: 'DIR', help: 'state directory: sealed state, keys, PKI (default ./.iacsec/gateway, created on the first start)' },
    'security-mode': { type: 'string', multiple: true, arg: 'MODE', help: 'Sign, SignAndEncrypt or None (repeatable; default Sign and SignAndEncrypt; None carries messages unprotected)' },
    module: MODULE_OPTION,
    json: JSON_OPTION,
  },
  notes: [
    'Accounts live in the same sealed state as the other commands: create them with',
    '`iacsec user provision NAME --state DIR` and `iacsec user add NAME --role ROLE --state DIR`, also while',
    'the gateway runs. A user whose role needs a second factor appends "#" and the code to the password.',
    'Client certificates are refused until trusted: move them from DIR/pki/rejected to DIR/pki/trusted/certs.',
    'With --json, one line of JSON per gateway decision is printed on stdout.',
  ].join('\n'),
  examples: ['iacsec gateway', 'iacsec gateway --host 0.0.0.0 --port 4840 --state /var/lib/iacsec-gateway'],
  async run(v) {
    const portText = (v.port as string | undefined) ?? '4840';
    if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) throw new UsageError(`--port ${portText}: a TCP port is 0..65535`);
    const modes = (v['security-mode'] as string[] | undefined) ?? [...GATEWAY_MODES_DEFAULT];
    for (const m of modes) if (!['None', 'Sign', 'SignAndEncrypt'].includes(m)) throw new UsageError(`--security-mode ${m}: Sign, SignAndEncrypt or None`);
    const modulePath = await checkModuleInput(v);
    const { startGateway } = await import('./gateway/server.js');
    const gw = await startGateway({
      host: v.host as string | undefined, port: Number(portText), stateDir: v.state as string | undefined, modulePath,
      securityModes: modes as ('None' | 'Sign' | 'SignAndEncrypt')[],
      onDecision: v.json
        ? (d) => out(line(d))
        : (d) => out(`${new Date(d.time).toISOString()} ${d.event} ${d.outcome}${d.peer ? ` ${d.peer}` : ''}${d.subject ? ` user=${d.subject}` : ''} ${JSON.stringify(d.detail)}`),
    });
    if (v.json) {
      out(line({ endpoint: gw.endpointUrl, stateDir: gw.stateDir, pki: gw.pki.root }));
    } else {
      out(`iacsec gateway listening on ${gw.endpointUrl}`);
      out(`state and PKI in ${gw.stateDir}`);
      out(`security: Basic256Sha256 (${gw.security.modes.filter((m) => m !== 'None').join(', ')})${gw.security.modes.includes('None') ? ' and None (unprotected)' : ''}; user name and password only`);
    }
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await gw.stop();
    if (!v.json) out('gateway stopped');
    return EXIT.OK;
  },
};

export const GATEWAY_SPECS: CommandSpec[] = [gateway];
