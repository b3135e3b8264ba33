// The approver page: sign-in, requests and grants, the signing key,
// runbooks and their results, and the ops activity view. Every control is a
// real button or a labelled field, so it works from the keyboard.
import { definitions, el, empty, replace, table } from './dom.js';
import { duration, headline, instancesText, kindsText, maskingText, when } from './describe.js';
import { decodeGrantBody } from './grantBody.js';
import { generateKey, loadKey, signBytes } from './keystore.js';
import { api, currentUser, hasRole, onSessionExpired, signIn, signOut, touch } from './session.js';

const SCREENS = ['sign-in', 'approvals', 'key', 'runbooks', 'activity'];
const $ = (id) => document.getElementById(id);
let lastCsv = { name: '', text: '' };
let shownRun = '';

function say(text) {
  $('status').textContent = text;
}

function problem(err) {
  return err && err.hint ? `${err.message}. ${err.hint}` : String(err?.message ?? err);
}

function allowedScreens() {
  const s = ['approvals', 'runbooks'];
  if (hasRole('approver')) s.splice(1, 0, 'key');
  if (hasRole('ops') || hasRole('admin')) s.push('activity');
  return s;
}

function show(screen) {
  for (const s of SCREENS) $(`screen-${s}`).hidden = s !== screen;
  for (const b of document.querySelectorAll('#nav button')) {
    if (b.dataset.screen === screen) b.setAttribute('aria-current', 'page');
    else b.removeAttribute('aria-current');
  }
  const load = { approvals: renderGrants, key: renderKey, runbooks: renderRunbooks, activity: renderActivity }[screen];
  if (load) load().catch((err) => say(problem(err)));
}

function toSignIn(message) {
  signOut();
  $('nav').hidden = true;
  $('whoami').hidden = true;
  $('sign-in-error').textContent = message ?? '';
  if ($('confirm').open) $('confirm').close();
  show('sign-in');
  $('token').focus();
}

// ---- confirmation dialog ----

function confirmStep({ title, body, okText, danger, reason, ticket, action }) {
  const dialog = $('confirm');
  $('confirm-title').textContent = title;
  replace('confirm-body', body);
  $('confirm-ok').textContent = okText;
  $('confirm-ok').className = danger ? 'danger' : 'primary';
  $('confirm-reason').hidden = !reason;
  $('confirm-reason-label').textContent = reason ?? 'Reason';
  $('confirm-reason-input').value = '';
  $('confirm-ticket').hidden = !ticket;
  $('confirm-ticket-input').value = '';
  $('confirm-error').textContent = '';
  dialog.onsubmit = async (e) => {
    e.preventDefault();
    if (e.submitter?.value !== 'ok') return dialog.close();
    $('confirm-ok').disabled = true;
    try {
      await action({ reason: $('confirm-reason-input').value, ticket: $('confirm-ticket-input').value });
      dialog.close();
    } catch (err) {
      $('confirm-error').textContent = problem(err);
    } finally {
      $('confirm-ok').disabled = false;
    }
  };
  dialog.showModal();
  (reason ? $('confirm-reason-input') : $('confirm-cancel')).focus();
}

// ---- requests and grants ----

function timeLeft(deadline) {
  return el('span', { 'data-deadline': deadline }, duration(deadline - Date.now()));
}

function tickDeadlines() {
  for (const span of document.querySelectorAll('[data-deadline]')) span.textContent = duration(Number(span.dataset.deadline) - Date.now());
}

function sameGrant(signed, g) {
  const sameList = (a, b) => a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);
  return (
    signed.grantId === g.id &&
    signed.service === g.service &&
    signed.requester === g.requester &&
    sameList(signed.scopeGlobs, g.scopeGlobs) &&
    sameList(signed.kinds, g.kinds) &&
    JSON.stringify(Object.entries(signed.selector).sort()) === JSON.stringify(Object.entries(g.selector ?? {}).sort())
  );
}

async function approve(g) {
  const me = currentUser();
  const key = await loadKey(me.id);
  if (!key) throw new Error('You have no signing key in this browser yet. Open "My signing key" and generate one first');
  const s = await api('GET', `/v1/grants/${encodeURIComponent(g.id)}/signing-body`);
  const bytes = Uint8Array.from(atob(s.body), (c) => c.charCodeAt(0));
  const signed = decodeGrantBody(bytes);
  if (!sameGrant(signed, g)) throw new Error('The bytes the broker asked you to sign do not match the request shown. Nothing was signed; tell ops');
  const signature = await signBytes(key.privateKey, bytes);
  const out = await api('POST', `/v1/grants/${encodeURIComponent(g.id)}/approvals`, { body: s.body, signature: btoa(String.fromCharCode(...signature)) });
  say(`Approved ${g.id}: ${out.state === 'active' ? `active until ${when(out.notAfterMs)}` : `${out.approvals.length} of ${out.approvalsRequired} approvals`}.`);
  await renderGrants();
}

function grantFacts(g, policy) {
  return definitions([
    ['Service', g.service],
    ['Files', g.scopeGlobs.join(', ')],
    ['Where', instancesText(g.selector)],
    ['What could be seen', kindsText(g.kinds)],
    ['Masking', maskingText(policy)],
    ['For how long', duration(g.requestedDurationMs)],
    ['Why', g.reason],
    ['Ticket', g.ticket],
    ['Runbook', g.runbook ? `${g.runbook.title}: ${g.runbook.problem}` : ''],
    ['Requested', when(g.createdAtMs)],
    ['Approvals', `${g.approvals.length} of ${g.approvalsRequired}${g.approvals.length ? ` (${g.approvals.map((a) => a.approverId).join(', ')})` : ''}`],
  ]);
}

function pendingCard(g, policy) {
  const me = currentUser();
  const mine = g.requester === me.id;
  const signedAlready = g.approvals.some((a) => a.approverId === me.id);
  const mayDecide = hasRole('approver') && !mine && !signedAlready;
  const label = `${g.service} by ${g.requester}`;
  return el(
    'article',
    { class: 'card', 'data-grant': g.id },
    el('h4', {}, headline(g)),
    grantFacts(g, policy),
    mayDecide
      ? el(
          'div',
          { class: 'actions' },
          el('button', {
            type: 'button',
            class: 'primary',
            'aria-label': `Approve the request on ${label}`,
            onclick: () =>
              confirmStep({
                title: `Approve ${g.requester}'s request on ${g.service}?`,
                body: [el('p', {}, headline(g) + '.'), grantFacts(g, policy), el('p', {}, 'Approving signs this request with your key in this browser. The service checks the signature itself before it captures anything.')],
                okText: 'Sign and approve',
                action: () => approve(g),
              }),
          }, 'Approve…'),
          el('button', {
            type: 'button',
            class: 'danger',
            'aria-label': `Reject the request on ${label}`,
            onclick: () =>
              confirmStep({
                title: `Reject ${g.requester}'s request on ${g.service}?`,
                body: [el('p', {}, headline(g) + '.')],
                okText: 'Reject',
                danger: true,
                reason: 'Why (the requester sees this)',
                action: async ({ reason }) => {
                  await api('POST', `/v1/grants/${encodeURIComponent(g.id)}/reject`, { reason });
                  say(`Rejected ${g.id}.`);
                  await renderGrants();
                },
              }),
          }, 'Reject…'),
        )
      : el('p', { class: 'empty' }, mine ? 'You asked for this; another approver must decide.' : signedAlready ? 'You approved this; it needs more approvals.' : 'Only approvers decide on requests.'),
  );
}

function probeLine(p) {
  const what = p.kind === 'LOGPOINT' ? 'Log line' : 'Snapshot';
  const state = p.instances === 0 ? 'waiting for the service to report' : `armed on ${p.installed} of ${p.instances} instance${p.instances === 1 ? '' : 's'}`;
  return el('li', { 'data-probe': p.id }, `${what} at ${p.path}:${p.line}: ${state}`);
}

function activeCard(g, policy) {
  const me = currentUser();
  const mayRevoke = hasRole('approver') || hasRole('ops') || g.requester === me.id;
  return el(
    'article',
    { class: 'card', 'data-grant': g.id },
    el('h4', {}, `${g.requester} on ${g.service}: `, g.state === 'active' ? [timeLeft(g.notAfterMs), ' left'] : 'approved, not started yet'),
    grantFacts(g, policy),
    el('p', {}, 'Probes:'),
    g.probes.length ? el('ul', {}, g.probes.map(probeLine)) : empty('none set yet'),
    mayRevoke
      ? el('div', { class: 'actions' }, el('button', {
          type: 'button',
          class: 'danger',
          'aria-label': `Revoke the grant on ${g.service} for ${g.requester}`,
          onclick: () =>
            confirmStep({
              title: `Revoke ${g.requester}'s grant on ${g.service}?`,
              body: [el('p', {}, 'The service removes its probes at once; nothing more is captured.')],
              okText: 'Revoke',
              danger: true,
              reason: 'Why',
              action: async ({ reason }) => {
                await api('POST', `/v1/grants/${encodeURIComponent(g.id)}/revoke`, { reason });
                say(`Revoked ${g.id}.`);
                await renderGrants();
              },
            }),
        }, 'Revoke…'))
      : null,
  );
}

async function renderGrants() {
  const [grants, services] = await Promise.all([api('GET', '/v1/web/grants'), api('GET', '/v1/services')]);
  const policies = Object.fromEntries(services.map((s) => [s.name, s.policy]));
  const pending = grants.filter((g) => g.state === 'pending');
  const active = grants.filter((g) => g.state === 'active' || g.state === 'approved');
  replace('pending-list', pending.length ? pending.map((g) => pendingCard(g, policies[g.service])) : empty('Nothing is waiting.'));
  replace('active-list', active.length ? active.map((g) => activeCard(g, policies[g.service])) : empty('No grant is active.'));
}

// ---- signing key ----

async function registerKey(pem) {
  const me = currentUser();
  await api('PUT', `/v1/users/${encodeURIComponent(me.id)}/key`, { publicKeyPem: pem });
  say('Your public key is registered with the broker. Ops must add it to each service\'s trust file (keyhole trust build) before services accept your approvals.');
}

async function renderKey() {
  const key = await loadKey(currentUser().id);
  $('key-state').textContent = key ? `You have a signing key in this browser, made ${when(key.createdAtMs)}.` : 'You have no signing key in this browser yet.';
  $('generate-key').textContent = key ? 'Replace my signing key' : 'Generate my signing key';
  $('key-public').hidden = !key;
  $('public-key-pem').value = key ? key.publicKeyPem : '';
}

async function makeKey() {
  const created = await generateKey(currentUser().id);
  await registerKey(created.publicKeyPem);
  await renderKey();
}

// ---- runbooks ----

function probeText(p) {
  return `${p.label}: ${p.kind === 'LOGPOINT' ? `a log line "${p.template}"` : 'a snapshot'} at ${p.path}:${p.line}`;
}

/** Plain words for a standing grant the broker just opened. */
function standingText(r, g) {
  const hits = g.maxHitsPerProbe ? `, at most ${g.maxHitsPerProbe} hits per probe` : '';
  return `Opened ${g.id}: once approved, ${g.requester} may start "${r.title}" without a new request, for ${duration(g.requestedDurationMs)} from the first approval${hits}. It waits under "Waiting for a decision" for approvers to sign.`;
}

/**
 * Approvers open a standing pre-signed approval here, only for runbooks whose
 * file allows it. The fields read as text and go to the broker as numbers;
 * the broker checks them (and caps the window by the service's maxWindowMs).
 */
function standingForm(r) {
  const id = (name) => `standing-${r.id}-${name}`;
  const result = el('p', { class: 'standing-result', 'aria-live': 'polite' });
  const form = el(
    'form',
    { class: 'standing', 'aria-label': `Standing approval for ${r.title}` },
    el('h5', {}, 'Approve ahead of time (standing approval)'),
    el('label', { for: id('starter') }, 'Who will start it (user id)'),
    el('input', { id: id('starter'), type: 'text', required: true, autocomplete: 'off' }),
    el('label', { for: id('window') }, 'Window (minutes, from the first approval)'),
    el('input', { id: id('window'), type: 'number', min: 1, step: 1, required: true, value: r.durationMinutes }),
    el('label', { for: id('hits') }, 'Most hits per probe (optional)'),
    el('input', { id: id('hits'), type: 'number', min: 1, step: 1 }),
    el('div', { class: 'actions' }, el('button', { type: 'submit', 'aria-label': `Open a standing approval for ${r.title}` }, 'Open a standing approval…')),
    result,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const starter = document.getElementById(id('starter')).value.trim();
    const windowMinutes = Number(document.getElementById(id('window')).value);
    const hitsText = document.getElementById(id('hits')).value.trim();
    const maxHitsPerProbe = hitsText === '' ? undefined : Number(hitsText);
    confirmStep({
      title: `Open a standing approval for "${r.title}"?`,
      body: [
        el('p', {}, `${starter} may then start "${r.title}" once on ${r.service} without asking again, within ${duration(windowMinutes * 60000)} of the first approval${maxHitsPerProbe ? `, at most ${maxHitsPerProbe} hits per probe` : ''}.`),
        el('p', {}, 'It is an ordinary request in their name: approvers still sign it, you included, before it counts.'),
      ],
      okText: 'Open it',
      reason: 'Why (optional; the runbook\'s problem if left empty)',
      action: async ({ reason }) => {
        const g = await api('POST', `/v1/web/runbooks/${encodeURIComponent(r.id)}/standing`, { starter, windowMinutes, maxHitsPerProbe, reason });
        result.textContent = standingText(r, g);
        say(`Opened a standing approval ${g.id} for ${g.requester}.`);
      },
    });
  });
  return form;
}

function runbookCard(r) {
  return el(
    'article',
    { class: 'card', 'data-runbook': r.id },
    el('h4', {}, r.title),
    definitions([
      ['Service', r.service],
      ['Looks into', r.problem],
      ['It sets', el('ul', {}, r.probes.map((p) => el('li', {}, probeText(p))))],
      ['For how long', duration(r.durationMinutes * 60000)],
      ['How to read it', r.reading],
      ['Who may start it', r.allowedRoles.join(', ')],
    ]),
    r.mayStart
      ? el('div', { class: 'actions' }, el('button', {
          type: 'button',
          class: 'primary',
          'aria-label': `Start the runbook ${r.title}`,
          onclick: () =>
            confirmStep({
              title: `Start "${r.title}"?`,
              body: [el('p', {}, `This asks an approver to allow ${r.probes.length} probe${r.probes.length === 1 ? '' : 's'} on ${r.service} for ${duration(r.durationMinutes * 60000)}.`)],
              okText: 'Ask for approval',
              reason: 'What you are looking for (optional)',
              ticket: true,
              action: async ({ reason, ticket }) => {
                const run = await api('POST', `/v1/web/runbooks/${encodeURIComponent(r.id)}/runs`, { reason, ticket });
                say(run.state === 'active' ? `Started "${r.title}" (${run.grantId}) on a standing approval; its probes are set.` : `Started "${r.title}" (${run.grantId}); it waits for an approver.`);
                await renderRuns();
              },
            }),
        }, 'Start…'))
      : el('p', { class: 'empty' }, `Only ${r.allowedRoles.join(', ')} may start this runbook.`),
    r.standingApprovals && hasRole('approver') ? standingForm(r) : null,
  );
}

async function renderRuns() {
  const runs = await api('GET', '/v1/web/runs');
  const me = currentUser();
  replace(
    'run-list',
    runs.length
      ? runs.map((run) =>
          el(
            'article',
            { class: 'card', 'data-run': run.grantId },
            el('h4', {}, `${run.title} (${run.service})`),
            definitions([
              ['State', run.state === 'pending' ? 'waiting for approval' : run.state],
              ['Started', `${when(run.startedAtMs)} by ${run.startedBy}`],
              ['Probes set', String(run.probeIds.length)],
              ['Problems', run.problems.join('; ')],
            ]),
            run.startedBy === me.id
              ? el('div', { class: 'actions' }, el('button', { type: 'button', 'aria-label': `Show the results of ${run.title}`, onclick: () => showResults(run.grantId).catch((err) => say(problem(err))) }, 'Show results'))
              : null,
          ),
        )
      : empty('No runs yet.'),
  );
}

async function renderRunbooks() {
  const runbooks = await api('GET', '/v1/web/runbooks');
  replace('runbook-list', runbooks.length ? runbooks.map(runbookCard) : empty('Ops have not defined runbooks for this broker.'));
  await renderRuns();
}

async function showResults(grantId) {
  shownRun = grantId;
  const r = await api('GET', `/v1/web/runs/${encodeURIComponent(grantId)}`);
  $('run-results').hidden = false;
  $('run-results-title').textContent = `Results of "${r.runbook.title}" (${r.run.state})`;
  $('run-results-reading').textContent = `How to read it: ${r.runbook.reading}`;
  lastCsv = { name: `${r.run.runbookId}-${grantId}.csv`, text: r.csv };
  replace(
    'run-tables',
    r.results.length
      ? r.results.map((p) =>
          p.rows.length
            ? table(
                `${p.label}: ${p.total} ${p.kind === 'LOGPOINT' ? 'log lines' : 'snapshots'}${p.maskedKinds.length ? `, masked: ${p.maskedKinds.join(', ')}` : ''}`,
                ['Message (masked)', 'Count', 'First seen', 'Last seen'],
                p.rows.map((row) => [row.message, String(row.count), when(row.firstAtMs), when(row.lastAtMs)]),
                [1],
              )
            : el('p', { class: 'empty' }, `${p.label}: nothing yet.`),
        )
      : empty(r.run.state === 'pending' ? 'Nothing yet: the run waits for approval.' : 'Nothing yet.'),
  );
  $('run-results-title').focus();
}

function downloadCsv() {
  const url = URL.createObjectURL(new Blob([lastCsv.text], { type: 'text/csv' }));
  const a = el('a', { href: url, download: lastCsv.name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// ---- activity ----

async function renderActivity() {
  const a = await api('GET', '/v1/web/activity');
  replace(
    'activity-services',
    a.services.length
      ? table('Agents of each service', ['Service', 'Health', 'Agents', 'Last heartbeat'], a.services.map((s) => [s.name, el('span', { class: `badge ${s.health}` }, `${s.health}: ${s.summary}`), String(s.connected), s.lastHeartbeatMs ? when(s.lastHeartbeatMs) : 'never']), [2])
      : empty('No services.'),
  );
  replace(
    'activity-grants',
    a.activeGrants.length
      ? table('Grants active now', ['Service', 'For', 'Approved by', 'Why', 'Time left'], a.activeGrants.map((g) => [g.service, g.requester, g.approvers.join(', '), `${g.reason}${g.ticket ? ` (${g.ticket})` : ''}`, timeLeft(a.atMs + g.timeLeftMs)]))
      : empty('No grant is active.'),
  );
  replace('activity-kill', a.killSwitches.length ? table('Kill switches', ['Scope', 'State', 'By', 'Why', 'When'], a.killSwitches.map((k) => [k.scope, k.on ? 'ON: capture stopped' : 'off', k.setBy, k.reason, when(k.setAtMs)])) : empty('No kill switch was ever set.'));
  const rows = (list, caption) => table(caption, ['When', 'Who', 'What', 'On', 'Detail'], list.map((r) => [when(r.atMs), r.actor, r.action, r.subject, r.detail]));
  replace('activity-captures', a.recentCaptures.length ? rows(a.recentCaptures, 'Recent captures') : empty('No captures recently.'));
  replace('activity-refusals', a.refusals.length ? rows(a.refusals, 'Refused attempts') : empty('No refusals recently.'));
  $('activity-alerts').textContent = a.alertHook
    ? `Alerts go to ${a.alertHook.url}: ${a.alertHook.sent} sent, ${a.alertHook.failed} failed${a.alertHook.lastError ? ` (last error: ${a.alertHook.lastError})` : ''}${a.alertHook.lastAlert ? `. Last alert: ${a.alertHook.lastAlert.message}` : ''}.`
    : 'No alert webhook is configured (keyhole broker start --alert-webhook <url>).';
}

// ---- wiring ----

function start() {
  onSessionExpired((message) => toSignIn(message));
  for (const type of ['keydown', 'pointerdown']) document.addEventListener(type, touch, { capture: true });
  setInterval(tickDeadlines, 1000);

  $('sign-in-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    $('sign-in-error').textContent = '';
    try {
      const user = await signIn($('token').value.trim());
      $('token').value = '';
      $('whoami-text').textContent = `Signed in as ${user.id} (${user.roles.join(', ')})`;
      $('whoami').hidden = false;
      const allowed = allowedScreens();
      for (const b of document.querySelectorAll('#nav button')) b.hidden = !allowed.includes(b.dataset.screen);
      $('nav').hidden = false;
      say('');
      show('approvals');
    } catch (err) {
      $('sign-in-error').textContent = err.status === 429 ? `Too many attempts from this address. Wait ${err.retryAfter} seconds.` : `Sign-in refused: ${problem(err)}`;
    }
  });
  $('sign-out').addEventListener('click', () => toSignIn('You signed out.'));
  for (const b of document.querySelectorAll('#nav button')) b.addEventListener('click', () => show(b.dataset.screen));
  $('refresh-grants').addEventListener('click', () => renderGrants().catch((err) => say(problem(err))));
  $('generate-key').addEventListener('click', async () => {
    const existing = await loadKey(currentUser().id);
    if (!existing) return makeKey().catch((err) => say(problem(err)));
    confirmStep({
      title: 'Replace your signing key?',
      body: [el('p', {}, 'Your old key stops counting once the broker and the trust files have the new one. Ops must rebuild the trust files.')],
      okText: 'Replace it',
      danger: true,
      action: makeKey,
    });
  });
  $('register-key').addEventListener('click', () => registerKey($('public-key-pem').value).catch((err) => say(problem(err))));
  $('refresh-results').addEventListener('click', () => showResults(shownRun).catch((err) => say(problem(err))));
  $('download-csv').addEventListener('click', downloadCsv);
  $('refresh-activity').addEventListener('click', () => renderActivity().catch((err) => say(problem(err))));
  toSignIn('');
}

start();
