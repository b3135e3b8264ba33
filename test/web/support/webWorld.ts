// A real broker started by the CLI (`keyhole broker start` with a runbook
// file, an alert webhook and a sign-in limit), a local webhook receiver on
// 127.0.0.1 port 0, users made over the HTTP API, and real Chromium driven
// by playwright-core with a fresh profile.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { type AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { type Children, cliMain } from '../../e2e/support/processes';
import { repoRoot } from '../../support/fixtures';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
export const IMAGES = join(repoRoot, 'docs', 'images');

export interface Alert {
  kind: string;
  message: string;
  subject: string;
  count: number;
}

/** Collects the JSON bodies POSTed to it. */
export async function startWebhook(): Promise<{ url: string; alerts: Alert[]; close(): Promise<void> }> {
  const alerts: Alert[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      try {
        alerts.push(JSON.parse(body) as Alert);
      } catch {
        // A body that is not JSON is the broker's bug; the test sees no alert.
      }
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/alerts`, alerts, close: () => new Promise<void>((r) => server.close(() => r())) };
}

export async function startBrokerWith(children: Children, args: readonly string[]): Promise<string> {
  const child = children.track(spawn(process.execPath, [cliMain, 'broker', 'start', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] }));
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /^(http:\/\/\S+)\n/.exec(buf);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`the broker exited (${code}): ${stderr}`)));
  });
}

export class Api {
  constructor(readonly url: string) {}

  async call<T = Record<string, unknown>>(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
    const res = await fetch(this.url + path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as T };
  }

  async ok<T = Record<string, unknown>>(token: string, method: string, path: string, body?: unknown): Promise<T> {
    const r = await this.call<T>(token, method, path, body);
    if (r.status >= 300) throw new Error(`${method} ${path}: HTTP ${r.status} ${JSON.stringify(r.json)}`);
    return r.json;
  }
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** A fresh context (its own IndexedDB) signed in as the token's user. */
export async function signedIn(browser: Browser, url: string, token: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(url + '/');
  await page.getByLabel('Your token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Signed in as').waitFor();
  return { context, page };
}

export function tempDir(): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'keyhole-web-'));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeJson(path: string, value: unknown): void {
  writeFileSync(path, JSON.stringify(value, null, 2));
}
