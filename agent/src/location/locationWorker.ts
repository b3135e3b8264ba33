/**
 * Probe location and frame mapping on a worker thread. Reading and decoding
 * a large bundle's source map on the service's main thread stalled it: 0.31 s
 * to map the first snapshot's frames and 0.27 s more to place the first
 * probe, for a 9.9 MB esbuild bundle with a 14 MB map, and left 225 MB in
 * the service's heap (bench/location-stall.mjs). Here the main thread only
 * posts script records and questions; the worker holds its own script index
 * with the parsed maps, in a heap of its own, capped
 * (LocationSettings.workerHeapMb), and is ended when no probe is left, which
 * frees every map at once. It never keeps the process alive.
 *
 * Where a worker cannot start (no threads left, a permission model without
 * --allow-worker) the same functions run in place, as before.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { LocationErrorCode } from './errors';
import { mapGeneratedToOriginal, type OriginalPosition } from './mapFrame';
import { resolveProbeLocation, type Resolution } from './resolveProbe';
import type { ScriptIndex, ScriptRecord } from './scriptIndex';
import type { LocationSettings } from './settings';

/** A generated position to map: the script (by id or url) and a 1-based line and column. */
export interface GeneratedPosition {
  readonly script: string;
  readonly line: number;
  readonly column: number;
}

/** Messages to the worker. */
export type LocationRequest =
  | { readonly type: 'add'; readonly records: readonly ScriptRecord[] }
  | { readonly type: 'resolve'; readonly id: number; readonly path: string; readonly line: number; readonly column: number | undefined }
  | { readonly type: 'map'; readonly id: number; readonly positions: readonly GeneratedPosition[] };

/** Messages from the worker. */
export type LocationReply = { readonly id: number; readonly resolution: Resolution } | { readonly id: number; readonly positions: readonly (OriginalPosition | undefined)[] };

export interface LocationWorkerData {
  readonly settings: LocationSettings;
}

const WORKER_MAIN = join(__dirname, 'locationWorkerMain.js');

/**
 * Script records held for the worker before they are sent without waiting
 * for a question: a service that loads file scripts all the time (a `vm`
 * script with a filename per request) must not grow the main thread's heap.
 * Default 1000 (one structured clone of about 200 KB).
 */
export const UNSENT_BATCH = 1000;

export class LocationWorker {
  private worker: Worker | undefined;
  /** Added since the worker last heard: sent in one message before the next question. */
  private unsent: ScriptRecord[] = [];
  private readonly waiting = new Map<number, (reply: LocationReply | undefined, why: string) => void>();
  private nextId = 1;
  private stopped = false;
  /** Set once a worker could not be started: from then on, questions are answered in place. */
  private inPlace = false;

  /**
   * `index` is the main thread's own index of the scripts V8 reported, which
   * its owner adds to before calling `add`: a new worker is sent its records,
   * and where no worker can run, questions are answered from it in place.
   */
  constructor(
    private readonly settings: LocationSettings,
    private readonly index: ScriptIndex,
  ) {}

  /**
   * Passes a script the index just took on to the worker, if one runs. Only
   * what the index holds (files): a service that runs a `vm` script per
   * request would otherwise pile its records up here until the next
   * question (measured: 46 MB per 200,000). At most UNSENT_BATCH wait; then
   * they go to the worker without a question.
   */
  add(record: ScriptRecord): void {
    if (!this.worker || !this.index.holds(record.scriptId)) return;
    this.unsent.push(record);
    if (this.unsent.length >= UNSENT_BATCH) this.sendUnsent(this.worker);
  }

  private sendUnsent(worker: Worker): void {
    if (!this.unsent.length) return;
    worker.postMessage({ type: 'add', records: this.unsent } satisfies LocationRequest);
    this.unsent = [];
  }

  /** Ends the worker, releasing its source maps; call it when the index was cleared. */
  clear(): void {
    this.unsent = [];
    this.end('the scripts were cleared');
  }

  stop(): void {
    this.stopped = true;
    this.clear();
  }

  /** Locates a developer's path and line (resolveProbe.ts); `done` is called once, from a later task or in place. */
  resolve(path: string, line: number, column: number | undefined, done: (r: Resolution) => void): void {
    const failed = (why: string): Resolution => ({ ok: false, code: LocationErrorCode.INTERNAL, message: `${path}:${line} could not be located: ${why}`, candidates: [] });
    if (this.inPlace) return done(resolveProbeLocation(this.index, path, line, column));
    this.ask({ type: 'resolve', id: 0, path, line, column }, (reply, why) => done(reply && 'resolution' in reply ? reply.resolution : failed(why)));
  }

  /** Maps generated positions back to original sources (mapFrame.ts); undefined for each position that cannot be. */
  map(positions: readonly GeneratedPosition[], done: (r: readonly (OriginalPosition | undefined)[]) => void): void {
    if (this.inPlace) return done(positions.map((p) => mapGeneratedToOriginal(this.index, p.script, p.line, p.column)));
    this.ask({ type: 'map', id: 0, positions }, (reply) => done(reply && 'positions' in reply ? reply.positions : positions.map(() => undefined)));
  }

  private ask(request: Extract<LocationRequest, { id: number }>, done: (reply: LocationReply | undefined, why: string) => void): void {
    if (this.stopped) return done(undefined, 'the agent stopped');
    const worker = this.start();
    if (!worker) {
      // No worker here: answer in place, as the agent did before it had one.
      if (request.type === 'resolve') this.resolve(request.path, request.line, request.column, (resolution) => done({ id: 0, resolution }, ''));
      else this.map(request.positions, (positions) => done({ id: 0, positions }, ''));
      return;
    }
    this.sendUnsent(worker);
    const id = this.nextId++;
    this.waiting.set(id, done);
    worker.postMessage({ ...request, id } satisfies LocationRequest);
  }

  private start(): Worker | undefined {
    if (this.worker) return this.worker;
    let worker: Worker;
    try {
      // execArgv []: the service's --require/--import preloads (an APM, the agent's own register) have no business here.
      worker = new Worker(WORKER_MAIN, { workerData: { settings: this.settings } satisfies LocationWorkerData, execArgv: [], resourceLimits: { maxOldGenerationSizeMb: this.settings.workerHeapMb } });
    } catch {
      this.inPlace = true;
      return undefined;
    }
    worker.on('message', (reply: LocationReply) => {
      const done = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      done?.(reply, '');
    });
    // An error ends the worker: 'exit' follows and answers whoever still waits.
    worker.on('error', (err) => this.end(`the source map worker failed: ${err.message}`, worker));
    worker.on('exit', (code) => this.end(`the source map worker stopped (exit code ${code}; a map may need more than its ${this.settings.workerHeapMb} MB heap)`, worker));
    // After the listeners: adding a 'message' listener refs the worker again, and it would keep the host alive.
    worker.unref();
    this.worker = worker;
    this.unsent = [];
    worker.postMessage({ type: 'add', records: this.index.records() } satisfies LocationRequest);
    return worker;
  }

  /** Ends the worker (the current one, or `only` if it still is), answering every waiting question with `why`. */
  private end(why: string, only?: Worker): void {
    const worker = this.worker;
    if (!worker || (only && only !== worker)) return;
    this.worker = undefined;
    this.unsent = [];
    worker.terminate().catch(() => undefined);
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const done of waiting) done(undefined, why);
  }
}
