// `iacsec gateway` as a vendor runs it: the first start creates the state
// and PKI in the project-local directory (./.iacsec/gateway by default),
// nothing in the home directory; a user provisioned with the CLI logs in
// over SignAndEncrypt; SIGTERM stops it cleanly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { OPCUAClient, OPCUACertificateManager, MessageSecurityMode, SecurityPolicy, UserTokenType, AttributeIds } from 'node-opcua';

const CLI = resolve('dist/host/cli.js');
const PW = 'correct horse battery staple';

test('first start creates state and PKI under ./.iacsec/gateway, none in HOME; a CLI-provisioned user logs in; SIGTERM stops it', async () => {
  const work = await mkdtemp(join(tmpdir(), 'iacsec-gw-cli-'));
  const home = join(work, 'home');
  const cwd = join(work, 'project');
  execFileSync('mkdir', ['-p', home, cwd]);
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), IACSEC_NEW_PASSWORD: PW };
  const stateDir = join(cwd, '.iacsec', 'gateway');
  execFileSync(process.execPath, [CLI, 'user', 'provision', 'admin', '--state', stateDir], { cwd, env, stdio: 'pipe' });
  const clientPki = new OPCUACertificateManager({ rootFolder: join(work, 'client-pki'), automaticallyAcceptUnknownCertificate: true });
  await clientPki.initialize();
  const client = OPCUAClient.create({
    clientCertificateManager: clientPki, securityMode: MessageSecurityMode.SignAndEncrypt, securityPolicy: SecurityPolicy.Basic256Sha256,
    endpointMustExist: false, connectionStrategy: { maxRetry: 0 },
  });
  await client.createDefaultCertificate();
  // The administrator trusts the client before the start: its certificate goes to pki/trusted/certs
  // (the gateway reads the folder when it starts; a running gateway notices a change only later).
  const trust = new OPCUACertificateManager({ rootFolder: join(stateDir, 'pki'), automaticallyAcceptUnknownCertificate: false });
  await trust.initialize();
  await trust.trustCertificate(client.getCertificate());
  await trust.dispose();
  const child = spawn(process.execPath, [CLI, 'gateway', '--port', '0', '--json'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const lines = createInterface({ input: child.stdout });
  const records = [];
  const first = new Promise((resolveFirst, reject) => {
    lines.on('line', (l) => {
      if (!l.startsWith('{')) return;
      const j = JSON.parse(l);
      records.push(j);
      if (j.endpoint && j.stateDir) resolveFirst(j);
    });
    child.once('exit', (code) => reject(new Error(`gateway exited (${code}): ${stderr}`)));
  });
  const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
  try {
    const started = await first;
    assert.equal(started.stateDir, stateDir);
    assert.match(started.endpoint, /^opc\.tcp:\/\/127\.0\.0\.1:\d+$/);
    const own = await readdir(join(stateDir, 'pki', 'own', 'certs'));
    assert.ok(own.some((f) => f.endsWith('.pem')), 'the server certificate was made on the first start');
    assert.equal((await stat(join(stateDir, 'seal.key'))).mode & 0o777, 0o600);
    await client.connect(started.endpoint);
    const session = await client.createSession({ type: UserTokenType.UserName, userName: 'admin', password: PW });
    const dv = await session.read({ nodeId: 'ns=2;s=Plant.Setpoint', attributeId: AttributeIds.Value });
    assert.equal(dv.statusCode.name, 'Good');
    await session.close();
    await client.disconnect();
    child.kill('SIGTERM');
    const end = await exited;
    assert.equal(end.code, 0, stderr);
    const events = records.filter((r) => r.event).map((r) => r.event);
    for (const e of ['GATEWAY_STARTED', 'SESSION_CREATED', 'SESSION_ACTIVATED', 'SESSION_CLOSED', 'GATEWAY_STOPPED']) assert.ok(events.includes(e), e);
    assert.deepEqual(await readdir(home), [], 'nothing was written to the home directory');
    // The CLI's provisioning and the gateway's run are one audit log, in the state directory.
    const verified = execFileSync(process.execPath, [CLI, 'audit', 'verify', '--state', stateDir], { cwd, env, encoding: 'utf8' });
    assert.match(verified, /VERIFIED/);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await rm(work, { recursive: true, force: true });
  }
});

test('a bad --port is a usage error (exit 2) before anything starts', () => {
  let code = 0;
  try { execFileSync(process.execPath, [CLI, 'gateway', '--port', '70000'], { stdio: 'pipe' }); } catch (e) { code = e.status; }
  assert.equal(code, 2);
});
