// Runs INSIDE a real VS Code extension host (see test/vscode-host/run-tests.mjs):
// `vscode` is the real API. A real broker and a real agent in a fixture
// service; the extension is driven only through its commands and the public
// debug API, with input passed as command arguments instead of typed.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const vscode = require('vscode');
const { World, agentFixtures, lineOf, repoRoot } = require('./support/world');
const { DapLog, breakpointSays } = require('./support/dapLog');
const { screenshot } = require('./support/screenshot');

const EXT_ID = 'keyhole.keyhole';
const plain = path.join(agentFixtures, 'plain-service.js');
const run = (id, ...args) => vscode.commands.executeCommand(id, ...args);

suite('Keyhole in VS Code', function () {
  this.timeout(60000);
  let world;
  let svc;
  let dap;
  let grant;
  let session;
  let threadId;

  suiteSetup(async () => {
    await vscode.extensions.getExtension(EXT_ID).activate();
    dap = new DapLog();
    world = await World.start();
  });

  suiteTeardown(async () => {
    await vscode.debug.stopDebugging();
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await run('keyhole.signOut');
    dap?.dispose();
    await world?.close();
  });

  test('the extension contributes its commands and the keyhole debugger', async () => {
    const ext = vscode.extensions.getExtension(EXT_ID);
    assert.equal(ext.isActive, true);
    const commands = await vscode.commands.getCommands(true);
    for (const c of ext.packageJSON.contributes.commands) assert.ok(commands.includes(c.command), `${c.command} is registered`);
    assert.equal(ext.packageJSON.contributes.debuggers[0].type, 'keyhole');
  });

  test('an approver signs in with a token, makes a signing key and registers its public key; ops trusts it', async () => {
    const s = await run('keyhole.signIn', { brokerUrl: world.url, token: world.tokens.ann });
    assert.equal(s.userId, 'ann');
    assert.deepEqual(s.roles, ['approver']);
    const key = await run('keyhole.exportPublicKey');
    assert.equal(key.created, true);
    assert.equal(key.registered, true, key.problem);
    assert.match(key.publicKeyPem, /^-----BEGIN PUBLIC KEY-----/);
    const again = await run('keyhole.exportPublicKey');
    assert.equal(again.created, false, 'the key is kept in SecretStorage, not made again');
    assert.equal(again.publicKeyPem, key.publicKeyPem);
    const trust = await world.buildTrustFile();
    assert.deepEqual(trust.approvers.map((a) => [a.id, a.publicKeyPem]), [['ann', key.publicKeyPem]]);
    svc = await world.service('plain-service.js');
  });

  test('a bad token is refused by the broker and the stored sign-in stays as it was', async () => {
    assert.equal(await run('keyhole.signIn', { brokerUrl: world.url, token: 'not-a-token' }), undefined);
    const lists = await run('keyhole.refreshGrants');
    assert.equal(lists.signedIn, true);
    assert.equal(lists.userId, 'ann');
  });

  test('a developer requests a grant from a command; it is listed as theirs, pending', async () => {
    assert.equal((await run('keyhole.signIn', { brokerUrl: world.url, token: world.tokens.dev })).userId, 'dev');
    grant = await run('keyhole.requestGrant', {
      service: 'orders',
      files: ['test/agent/fixtures/**'],
      kinds: ['SNAPSHOT'],
      durationMinutes: 30,
      labels: { region: 'eu' },
      reason: 'checkout totals look wrong',
      ticket: 'OPS-7',
    });
    assert.equal(grant.state, 'pending');
    const lists = await run('keyhole.refreshGrants');
    assert.deepEqual(lists.mine.map((g) => [g.id, g.state]), [[grant.id, 'pending']]);
    assert.deepEqual(lists.awaiting, [], 'a developer approves nothing');
  });

  test('a keyhole session: the configuration gets its defaults, a breakpoint waits for approval, the approver approves in VS Code, a masked snapshot stops a thread', async () => {
    const folder = vscode.workspace.workspaceFolders[0];
    const started = new Promise((resolve) => {
      const sub = vscode.debug.onDidStartDebugSession((s) => {
        sub.dispose();
        resolve(s);
      });
    });
    // No broker, no token, no history limit: the provider fills them from the sign-in and the settings.
    assert.equal(await vscode.debug.startDebugging(folder, { type: 'keyhole', request: 'attach', name: 'Keyhole: orders', service: 'orders', labels: { region: 'eu' }, localRoot: repoRoot }), true);
    session = await started;
    assert.equal(session.configuration.broker, world.url);
    assert.equal(session.configuration.snapshotHistoryLimit, 50);
    assert.equal(session.configuration.token, undefined, 'no token in the configuration');
    await dap.event('output', (m) => /attached to orders .* as dev/.test(m.body.output));

    const line = lineOf(plain, 'checkout');
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(vscode.Uri.file(plain), new vscode.Position(line - 1, 0)))]);
    await dap.event('breakpoint', breakpointSays(/waiting for approval/));

    // The approver, in this same VS Code, signs the grant with the key kept in SecretStorage.
    await run('keyhole.signIn', { brokerUrl: world.url, token: world.tokens.ann });
    const waiting = await run('keyhole.refreshGrants');
    assert.deepEqual(waiting.awaiting.map((g) => g.id), [grant.id]);
    const approved = await run('keyhole.approveGrant', { grantId: grant.id });
    assert.equal(approved.approvals.length, 1);
    assert.equal(approved.approvals[0].approverId, 'ann');
    await dap.event('breakpoint', breakpointSays(/^installed on 1 of 1 instance$/));

    await run('keyhole.signIn', { brokerUrl: world.url, token: world.tokens.dev });
    const mine = await run('keyhole.refreshGrants');
    assert.equal(mine.mine.find((g) => g.id === grant.id).state, 'active');

    const from = dap.length;
    const ran = svc.call('checkout', 7, 2, true);
    const stopped = await dap.event('stopped', () => true, { from });
    threadId = stopped.body.threadId;
    assert.equal(stopped.body.reason, 'breakpoint');
    const result = await ran;
    assert.equal(result.total, 22.5, 'the service ran on: it never stopped');

    const vars = await localVariables(threadId);
    assert.equal(vars.get('total'), '25');
    assert.equal(vars.get('password'), '[MASKED:password]');
    assert.equal(vars.get('meta'), 'Map(2)');
    const customer = await childVariables(threadId, 'customer');
    assert.equal(customer.get('email'), '[MASKED:email]');
    assert.equal(customer.get('name'), '"Ada Lovelace"');

    await vscode.commands.executeCommand('workbench.view.debug');
    await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
    await vscode.commands.executeCommand('keyhole.grants.focus');
    await vscode.commands.executeCommand('workbench.debug.action.focusVariablesView');
    await new Promise((r) => setTimeout(r, 1000)); // let the views paint the stopped thread
    await screenshot('vscode-snapshot.png', { expand: ['Local', 'customer'] });
  });

  test('the snapshot history lists the snapshot, reopens it as a stopped thread, and exports it masked', async () => {
    const rows = await run('keyhole.refreshSnapshots');
    assert.equal(rows.length, 1);
    assert.equal(rows[0].instanceId, 'orders-1');
    assert.match(rows[0].label, /^plain-service\.js:\d+$/);

    const from = dap.length;
    const opened = await run('keyhole.openSnapshot', rows[0].id);
    assert.equal(typeof opened.threadId, 'number');
    assert.notEqual(opened.threadId, threadId, 'a second thread for the reopened snapshot');
    await dap.event('stopped', (m) => m.body.threadId === opened.threadId, { from });
    assert.equal((await localVariables(opened.threadId)).get('password'), '[MASKED:password]');

    const target = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'keyhole-export-')), 'snapshot.json');
    assert.equal(await run('keyhole.exportSnapshot', { id: rows[0].id, path: target }), target);
    const text = fs.readFileSync(target, 'utf8');
    const json = JSON.parse(text);
    assert.equal(json.id, rows[0].id);
    assert.ok(text.includes('[MASKED:email]'));
    assert.ok(!text.includes('ada7@example.com'), 'the planted email never leaves the agent');
    assert.ok(!text.includes('hunter2'), 'the planted password never leaves the agent');
    fs.rmSync(path.dirname(target), { recursive: true, force: true });
  });

  test('an approver rejects a request and the developer revokes their grant; the breakpoint says it expired', async () => {
    const second = await run('keyhole.requestGrant', { service: 'orders', files: ['test/agent/fixtures/plain-service.js'], kinds: ['LOGPOINT'], durationMinutes: 5, labels: {}, reason: 'one more look' });
    await run('keyhole.signIn', { brokerUrl: world.url, token: world.tokens.ann });
    const rejected = await run('keyhole.rejectGrant', { grantId: second.id, reason: 'use the existing grant' });
    assert.equal(rejected.state, 'rejected');
    assert.deepEqual((await run('keyhole.refreshGrants')).awaiting, []);

    await run('keyhole.signIn', { brokerUrl: world.url, token: world.tokens.dev });
    const from = dap.length;
    const revoked = await run('keyhole.revokeGrant', { grantId: grant.id, reason: 'done' });
    assert.equal(revoked.state, 'revoked');
    await dap.event('breakpoint', breakpointSays(/revoked|expired|no active grant/i), { from });
  });

  async function localVariables(thread) {
    const st = await session.customRequest('stackTrace', { threadId: thread, levels: 1 });
    const scopes = await session.customRequest('scopes', { frameId: st.stackFrames[0].id });
    const local = scopes.scopes.find((s) => s.name === 'Local');
    const r = await session.customRequest('variables', { variablesReference: local.variablesReference });
    localVariables.last = r.variables;
    return new Map(r.variables.map((v) => [v.name, v.value]));
  }

  async function childVariables(thread, name) {
    await localVariables(thread);
    const v = localVariables.last.find((x) => x.name === name);
    const r = await session.customRequest('variables', { variablesReference: v.variablesReference });
    return new Map(r.variables.map((x) => [x.name, x.value]));
  }
});
