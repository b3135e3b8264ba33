// The approver page in real Chromium against a real broker (the CLI) and a
// real service carrying the agent: sign in, make a signing key in the
// browser, approve a request and see the agent arm its probe, reject, start
// a runbook and read its masked table, the activity view and its alert
// hook, role and session checks, and keyboard reach of every control.
// Each screen is saved to docs/images/web-*.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { Service } from '../support/service';
import { agentFixtures, lineOf, repoRoot } from '../support/fixtures';
import { Children } from '../e2e/support/processes';
import { waitFor } from '../e2e/support/waitFor';
import { Api, IMAGES, launchChromium, signedIn, startBrokerWith, startWebhook, tempDir, writeJson } from './support/webWorld';

const FIXTURE = join(repoRoot, 'test', 'e2e', 'fixtures', 'orders-service.js');
const FIXTURE_PATH = 'test/e2e/fixtures/orders-service.js';
const SESSION_IDLE_MINUTES = 5;

const tmp = tempDir();
const children = new Children();
const tokens: Record<string, string> = {};
let api: Api;
let url = '';
let browser: Browser;
let webhook: Awaited<ReturnType<typeof startWebhook>>;
let svc: Service | undefined;
let annPage: Page;
let annPem = '';

// Scripts run inside the page (the test project has no DOM types, so they are source text).
const READ_STORED_KEY = `new Promise((resolve, reject) => {
  const open = indexedDB.open('keyhole-approver');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const get = open.result.transaction('keys').objectStore('keys').get('ann');
    get.onsuccess = () => { const k = get.result.privateKey; resolve({ type: k.type, extractable: k.extractable, algorithm: k.algorithm.name }); };
  };
})`;
/** Numbers every visible control (data-kb) and returns how many there are. */
const MARK_CONTROLS = `(() => {
  const controls = [...document.querySelectorAll('button, input, textarea, select, a[href]')].filter((e) => e.offsetParent !== null && !e.closest('dialog:not([open])'));
  controls.forEach((e, i) => e.setAttribute('data-kb', String(i)));
  document.activeElement?.blur();
  return controls.length;
})()`;
const GAPS = `(seen) => {
  const name = (e) => e.tagName.toLowerCase() + ' "' + (e.getAttribute('aria-label') ?? e.textContent ?? '').trim().slice(0, 40) + '"';
  const controls = [...document.querySelectorAll('[data-kb]')];
  const unreached = controls.filter((e) => !seen.includes(e.getAttribute('data-kb'))).map(name);
  const unlabelled = [...document.querySelectorAll('input, textarea, select')].filter((e) => e.labels.length === 0 && !e.getAttribute('aria-label')).map((e) => e.id || e.tagName);
  controls.forEach((e) => e.removeAttribute('data-kb'));
  return { unreached, unlabelled };
}`;

const shot = (page: Page, name: string) => page.screenshot({ path: join(IMAGES, `web-${name}.png`), fullPage: true });

async function requestGrant(reason: string): Promise<string> {
  const g = await api.ok<{ id: string }>(tokens['dev']!, 'POST', '/v1/grants', {
    service: 'orders',
    selector: { region: 'eu' },
    scopeGlobs: ['test/e2e/fixtures/**'],
    kinds: ['SNAPSHOT', 'LOGPOINT'],
    durationMs: 20 * 60_000,
    reason,
    ticket: 'OPS-42',
  });
  return g.id;
}

async function approveInPage(page: Page, grantId: string): Promise<void> {
  await page.getByRole('button', { name: 'Requests and grants' }).click();
  await page.getByRole('button', { name: 'Refresh' }).first().click();
  const card = page.locator(`[data-grant="${grantId}"]`);
  await card.getByRole('button', { name: /^Approve/ }).click();
  await page.getByRole('button', { name: 'Sign and approve' }).click();
  await page.getByText(`Approved ${grantId}`).waitFor();
}

before(async () => {
  webhook = await startWebhook();
  writeJson(join(tmp.dir, 'runbooks.json'), {
    version: 1,
    runbooks: [
      {
        id: 'orders-quantities',
        service: 'orders',
        title: 'Which quantities do customers order?',
        problem: 'Support hears that some order sizes fail. See which quantities come in, without seeing who ordered.',
        allowedRoles: ['developer'],
        selector: { region: 'eu' },
        durationMinutes: 15,
        probes: [{ kind: 'LOGPOINT', label: 'Orders placed', path: FIXTURE_PATH, line: lineOf(FIXTURE, 'log'), template: 'order for {order.customer.email} x{quantity}' }],
        reading: 'Each row is one kind of order with how often it came in; emails show as [MASKED:email].',
      },
      {
        id: 'orders-sizes-standing',
        service: 'orders',
        title: 'Order sizes, approved ahead of time',
        problem: 'On-call looks at order sizes during an incident without waiting for an approver.',
        allowedRoles: ['developer'],
        selector: { region: 'eu' },
        durationMinutes: 10,
        standingApprovals: true,
        probes: [{ kind: 'LOGPOINT', label: 'Order sizes', path: FIXTURE_PATH, line: lineOf(FIXTURE, 'log'), template: 'size x{quantity}' }],
        reading: 'Each row is one order size with how often it came in.',
      },
    ],
  });
  url = await startBrokerWith(children, [
    '--db', join(tmp.dir, 'keyhole.db'),
    '--runbooks', join(tmp.dir, 'runbooks.json'),
    '--alert-webhook', webhook.url,
    '--session-idle-minutes', String(SESSION_IDLE_MINUTES),
    '--sign-in-limit', '100',
  ]);
  api = new Api(url);
  tokens['root'] = (await api.ok<{ token: string }>('', 'POST', '/v1/init', { adminId: 'root' })).token;
  for (const [id, role] of [['dev', 'developer'], ['ann', 'approver'], ['ops1', 'ops']]) {
    tokens[id!] = (await api.ok<{ token: string }>(tokens['root'], 'POST', '/v1/users', { id, roles: [role] })).token;
  }
  await api.ok(tokens['ops1']!, 'POST', '/v1/services', { name: 'orders', policy: { approvalsRequired: 1 } });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await children.stopAll();
  await svc?.stop();
  await webhook?.close();
  tmp.dispose();
});

test('the page is served with a strict policy and no inline script or style', async () => {
  const res = await fetch(url + '/');
  assert.equal(res.status, 200);
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  const html = await res.text();
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'every script is a file');
  assert.doesNotMatch(html, /<style|\sstyle=/, 'no inline style');
  assert.doesNotMatch(html, /https?:\/\//, 'no third-party asset');
});

test('an approver signs in, makes a key in the browser and registers its public half', async () => {
  ({ page: annPage } = await signedIn(browser, url, tokens['ann']!));
  await shot(annPage, 'requests-empty');
  await annPage.getByRole('button', { name: 'My signing key' }).click();
  await annPage.getByRole('button', { name: 'Generate my signing key' }).click();
  await annPage.getByText('Your public key is registered with the broker').waitFor();
  annPem = await annPage.getByLabel(/My public key/).inputValue();
  assert.match(annPem, /^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----\n$/);
  // The private key is a non-extractable CryptoKey in IndexedDB.
  const stored = await annPage.evaluate(READ_STORED_KEY);
  assert.deepEqual(stored, { type: 'private', extractable: false, algorithm: 'Ed25519' });
  await shot(annPage, 'key');
  // Ops builds the trust file from the registered keys; the page's key is in it.
  const trust = await api.ok<{ approvers: { id: string; publicKeyPem: string }[] }>(tokens['ops1']!, 'GET', '/v1/services/orders/trust');
  assert.equal(trust.approvers.find((a) => a.id === 'ann')?.publicKeyPem, annPem);
  const trustFile = join(tmp.dir, 'orders.trust.json');
  writeJson(trustFile, trust);
  const agentToken = (await api.ok<{ token: string }>(tokens['ops1']!, 'POST', '/v1/services/orders/agent-tokens')).token;
  svc = await Service.start(FIXTURE, {
    registerPath: join(agentFixtures, 'start-agent.js'),
    env: {
      // Roomy budgets: the defaults are sized for production hosts, not a loaded 2-core test machine.
      KEYHOLE_TEST_START_OPTIONS: JSON.stringify({ capture: { timeBudgetMs: 2000 }, rate: { blockedMsPerSecond: 1000 } }),
      KEYHOLE_BROKER: url.replace(/^http/, 'ws') + '/agent',
      KEYHOLE_SERVICE: 'orders',
      KEYHOLE_TRUST_FILE: trustFile,
      KEYHOLE_AGENT_TOKEN: agentToken,
      KEYHOLE_LABELS: 'region=eu',
      KEYHOLE_INSTANCE_ID: 'orders-1',
    },
  });
  await waitFor('the agent to connect', async () => ((await api.ok<unknown[]>(tokens['ops1']!, 'GET', '/v1/agents?service=orders')).length ? true : undefined));
});

let approvedGrant = '';

test('the approver reads a request in plain words, approves it with a confirmation, and sees the agent arm the probe', async () => {
  approvedGrant = await requestGrant('checkout fails for one customer');
  await annPage.getByRole('button', { name: 'Requests and grants' }).click();
  await annPage.getByRole('button', { name: 'Refresh' }).first().click();
  const card = annPage.locator(`[data-grant="${approvedGrant}"]`);
  await card.waitFor();
  const text = await card.innerText();
  assert.match(text, /dev asks to look into orders for 20 minutes/);
  assert.match(text, /test\/e2e\/fixtures\/\*\*/);
  assert.match(text, /instances labelled region=eu/);
  assert.match(text, /snapshots: the values of the variables/);
  assert.match(text, /log lines/);
  assert.match(text, /masked inside the service/);
  assert.match(text, /checkout fails for one customer/);
  assert.match(text, /OPS-42/);
  await shot(annPage, 'requests');
  await card.getByRole('button', { name: /^Approve/ }).click();
  await annPage.getByRole('dialog').waitFor();
  await shot(annPage, 'confirm-approve');
  await annPage.getByRole('button', { name: 'Sign and approve' }).click();
  await annPage.getByText(`Approved ${approvedGrant}`).waitFor();
  assert.equal((await api.ok<{ state: string }>(tokens['dev']!, 'GET', `/v1/grants/${approvedGrant}`)).state, 'active');

  const probe = await api.ok<{ id: string }>(tokens['dev']!, 'POST', '/v1/probes', { grantId: approvedGrant, kind: 'SNAPSHOT', path: FIXTURE_PATH, line: lineOf(FIXTURE, 'place') });
  await waitFor('the page to show the probe armed', async () => {
    await annPage.getByRole('button', { name: 'Refresh' }).first().click();
    const li = annPage.locator(`[data-probe="${probe.id}"]`);
    return (await li.count()) && /armed on 1 of 1 instance/.test(await li.innerText()) ? true : undefined;
  });
  assert.match(await annPage.locator(`#active-list [data-grant="${approvedGrant}"] h4`).innerText(), /dev on orders: \d+ minutes left/);
  await shot(annPage, 'active');
});

test('the approver rejects a request after confirming, with a reason', async () => {
  const id = await requestGrant('just curious');
  await annPage.getByRole('button', { name: 'Refresh' }).first().click();
  await annPage.locator(`[data-grant="${id}"]`).getByRole('button', { name: /^Reject/ }).click();
  await annPage.getByLabel('Why (the requester sees this)').fill('not enough of a reason');
  await shot(annPage, 'confirm-reject');
  await annPage.getByRole('dialog').getByRole('button', { name: 'Reject' }).click();
  await annPage.getByText(`Rejected ${id}`).waitFor();
  const g = await api.ok<{ state: string; closedReason: string }>(tokens['dev']!, 'GET', `/v1/grants/${id}`);
  assert.deepEqual({ state: g.state, reason: g.closedReason }, { state: 'rejected', reason: 'not enough of a reason' });
});

test('a developer starts a runbook; once approved its probe is set for them and the page shows a masked table and a CSV', async () => {
  const { page } = await signedIn(browser, url, tokens['dev']!);
  await page.getByRole('button', { name: 'Runbooks' }).click();
  await page.getByText('Which quantities do customers order?').first().waitFor();
  await shot(page, 'runbooks');
  await page.getByRole('button', { name: 'Start the runbook Which quantities do customers order?' }).click();
  await page.getByLabel('Ticket (optional)').fill('SUP-9');
  await page.getByRole('button', { name: 'Ask for approval' }).click();
  await page.getByText(/it waits for an approver/).waitFor();
  const runs = await api.ok<{ grantId: string; state: string }[]>(tokens['dev']!, 'GET', '/v1/web/runs');
  const grantId = runs[0]!.grantId;
  assert.equal(runs[0]!.state, 'pending');

  await approveInPage(annPage, grantId);
  const probeId = await waitFor('the runbook probe to be set and armed', async () => {
    const probes = await api.ok<{ id: string; installed: number }[]>(tokens['dev']!, 'GET', `/v1/probes?grant=${grantId}`);
    return probes[0]?.installed === 1 ? probes[0].id : undefined;
  });
  assert.match(probeId, /^p_/);
  for (const qty of [2, 2, 3]) await svc!.call('placeOrder', `o-${qty}`, qty);

  const { page: devPage } = { page };
  await devPage.getByRole('button', { name: 'Runbooks' }).click();
  await devPage.locator(`[data-run="${grantId}"]`).getByRole('button', { name: /Show the results/ }).click();
  const rows = await waitFor('three log lines in the table', async () => {
    await devPage.getByRole('button', { name: 'Refresh results' }).click();
    const cells = await devPage.locator('#run-tables tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent)));
    if (cells.reduce((n, [, c]) => n + Number(c), 0) === 3) return cells;
    throw new Error(`the table so far: ${JSON.stringify(cells)}; ${await devPage.locator('#run-results').innerText()}`);
  });
  assert.deepEqual(rows, [
    ['order for [MASKED:email] x2', '2'],
    ['order for [MASKED:email] x3', '1'],
  ]);
  assert.match(await devPage.locator('#run-tables caption').innerText(), /Orders placed: 3 log lines, masked: email/);
  assert.doesNotMatch(await devPage.content(), /margaret/i, 'no planted value reaches the page');
  await shot(devPage, 'runbook-results');

  const [download] = await Promise.all([devPage.waitForEvent('download'), devPage.getByRole('button', { name: 'Download CSV' }).click()]);
  const csv = readFileSync((await download.path())!, 'utf8');
  assert.match(csv, /^probe,kind,message,count,first_seen_utc,last_seen_utc\r\n/);
  assert.match(csv, /Orders placed,LOGPOINT,order for \[MASKED:email\] x2,2,/);
  assert.doesNotMatch(csv, /margaret/i);
});

test('an approver opens a standing approval from the page; once signed, the starter\'s start is active at once', async () => {
  await annPage.getByRole('button', { name: 'Runbooks' }).click();
  const plain = annPage.locator('[data-runbook="orders-quantities"]');
  const standing = annPage.locator('[data-runbook="orders-sizes-standing"]');
  await standing.waitFor();
  assert.equal(await plain.getByRole('button', { name: /standing approval/ }).count(), 0, 'no control where the runbook file does not allow it');
  assert.equal(await plain.locator('input').count(), 0);
  await standing.getByLabel('Who will start it (user id)').fill('dev');
  await standing.getByLabel(/^Window \(minutes/).fill('12');
  await standing.getByLabel('Most hits per probe (optional)').fill('50');
  await standing.getByRole('button', { name: /Open a standing approval/ }).click();
  const dialog = annPage.getByRole('dialog');
  assert.match(await dialog.innerText(), /dev may then start "Order sizes, approved ahead of time" once on orders without asking again, within 12 minutes of the first approval, at most 50 hits per probe/);
  await shot(annPage, 'confirm-standing');
  await dialog.getByRole('button', { name: 'Open it' }).click();
  const said = standing.locator('.standing-result');
  await said.filter({ hasText: /^Opened g/ }).waitFor();
  const grantId = /^Opened (\S+):/.exec(await said.innerText())![1]!;
  assert.match(await said.innerText(), /dev may start "Order sizes, approved ahead of time" without a new request, for 12 minutes from the first approval, at most 50 hits per probe/);
  await shot(annPage, 'runbook-standing');

  await annPage.getByRole('button', { name: 'Requests and grants' }).click();
  await annPage.getByRole('button', { name: 'Refresh' }).first().click();
  const pending = annPage.locator(`#pending-list [data-grant="${grantId}"]`);
  assert.match(await pending.innerText(), /dev asks to look into orders for 12 minutes[\s\S]*standing\] opened by ann/);
  await approveInPage(annPage, grantId);

  const { page: devPage, context } = await signedIn(browser, url, tokens['dev']!);
  await devPage.getByRole('button', { name: 'Runbooks' }).click();
  await devPage.getByRole('button', { name: 'Start the runbook Order sizes, approved ahead of time' }).click();
  await devPage.getByRole('button', { name: 'Ask for approval' }).click();
  await devPage.getByText(`Started "Order sizes, approved ahead of time" (${grantId}) on a standing approval; its probes are set.`).waitFor();
  const run = devPage.locator(`[data-run="${grantId}"]`);
  await run.waitFor();
  assert.match(await run.innerText(), /State\s+active[\s\S]*Probes set\s+1/);
  const open = await api.ok<{ id: string; state: string }[]>(tokens['dev']!, 'GET', '/v1/web/grants');
  assert.deepEqual(open.filter((g) => g.state === 'pending').map((g) => g.id), [], 'no new request was made');
  await context.close();
});

test('a user without the approver role sees no approve button, and the API refuses them', async () => {
  const id = await requestGrant('second look');
  const { page } = await signedIn(browser, url, tokens['ops1']!);
  await page.getByRole('button', { name: 'Refresh' }).first().click();
  const card = page.locator(`[data-grant="${id}"]`);
  await card.waitFor();
  assert.equal(await card.getByRole('button', { name: /Approve|Reject/ }).count(), 0);
  assert.match(await card.innerText(), /Only approvers decide on requests/);
  assert.equal(await page.getByRole('button', { name: 'My signing key' }).isVisible(), false);
  const refused = await api.call<{ code: string }>(tokens['ops1']!, 'GET', `/v1/grants/${id}/signing-body`);
  assert.deepEqual([refused.status, refused.json.code], [403, 'KH_FORBIDDEN']);
  const posted = await api.call<{ code: string }>(tokens['dev']!, 'POST', `/v1/grants/${id}/approvals`, { body: '', signature: '' });
  assert.deepEqual([posted.status, posted.json.code], [403, 'KH_FORBIDDEN']);
});

test('ops read the activity view; suspicious activity reaches the alert webhook', async () => {
  await api.ok(tokens['ops1']!, 'POST', '/v1/kill-switch', { scope: 'orders', on: true, reason: 'drill' });
  await api.ok(tokens['ops1']!, 'POST', '/v1/kill-switch', { scope: 'orders', on: false, reason: 'drill over' });
  const { page } = await signedIn(browser, url, tokens['ops1']!);
  for (let i = 0; i < 5; i++) {
    const r = await page.evaluate(async () => (await fetch('/v1/web/session', { method: 'POST', headers: { authorization: 'Bearer kh_wrong_token' } })).status);
    assert.equal(r, 401);
  }
  await waitFor('kill switch and failed sign-in alerts', async () => {
    const kinds = webhook.alerts.map((a) => a.kind);
    return kinds.filter((k) => k === 'kill-switch').length === 2 && kinds.includes('repeated-failed-sign-ins') ? true : undefined;
  });
  assert.match(webhook.alerts.find((a) => a.kind === 'kill-switch')!.message, /ops1 turned the orders kill switch on/);

  await page.getByRole('button', { name: 'Activity' }).click();
  await page.getByRole('button', { name: 'Refresh' }).last().click();
  const services = await page.locator('#activity-services').innerText();
  assert.match(services, /orders\s+green: 1 agent connected and reporting/);
  assert.match(await page.locator('#activity-grants').innerText(), /checkout fails for one customer/);
  assert.match(await page.locator('#activity-captures').innerText(), /snapshot\.captured/);
  assert.match(await page.locator('#activity-refusals').innerText(), /login\.failed/);
  assert.match(await page.locator('#activity-kill').innerText(), /drill over/);
  assert.match(await page.locator('#activity-alerts').innerText(), /sent/);
  await shot(page, 'activity');
});

test('an idle session forgets the token and returns to sign-in', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.clock.install();
  await page.goto(url + '/');
  await shot(page, 'sign-in');
  await page.getByLabel('Your token').fill(tokens['dev']!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Signed in as dev').waitFor();
  await page.clock.fastForward(SESSION_IDLE_MINUTES * 60_000 + 1_000);
  await page.getByText(`You were signed out after ${SESSION_IDLE_MINUTES} minutes without activity`).waitFor();
  assert.equal(await page.getByLabel('Your token').isVisible(), true);
  assert.equal(await page.getByRole('button', { name: 'Runbooks' }).isVisible(), false);
  await shot(page, 'session-expired');
  await context.close();
});

/** Tabs through the page and returns the controls never reached, and the fields without a label. */
async function keyboardGaps(page: Page): Promise<{ unreached: string[]; unlabelled: string[] }> {
  const total = await page.evaluate<number>(MARK_CONTROLS);
  const reached = new Set<string>();
  for (let i = 0; i < total + 3; i++) {
    await page.keyboard.press('Tab');
    const k = await page.evaluate<string>("document.activeElement?.getAttribute('data-kb') ?? ''");
    if (k) reached.add(k);
  }
  return page.evaluate<{ unreached: string[]; unlabelled: string[] }>(`(${GAPS})(${JSON.stringify([...reached])})`);
}

test('every control on every screen is reached with Tab and every field has a label', async () => {
  for (const screen of ['Requests and grants', 'My signing key', 'Runbooks']) {
    await annPage.getByRole('button', { name: screen }).click();
    await annPage.waitForLoadState('networkidle');
    assert.deepEqual(await keyboardGaps(annPage), { unreached: [], unlabelled: [] }, screen);
  }
  const { page } = await signedIn(browser, url, tokens['ops1']!);
  await page.getByRole('button', { name: 'Activity' }).click();
  await page.getByText('Agents of each service').waitFor();
  assert.deepEqual(await keyboardGaps(page), { unreached: [], unlabelled: [] }, 'Activity');
  await page.getByRole('button', { name: 'Sign out' }).click();
  assert.deepEqual(await keyboardGaps(page), { unreached: [], unlabelled: [] }, 'Sign in');
});
