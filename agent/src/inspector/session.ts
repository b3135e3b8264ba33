import * as inspector from 'node:inspector';

/** Errors from the inspector protocol, kept as data. */
export class InspectorError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Params = Record<string, unknown>;

/**
 * A same-thread `node:inspector` session whose commands complete
 * synchronously. In-process sessions run their `post` callbacks before `post`
 * returns, which is what lets capture happen inside a `Debugger.paused`
 * handler (the pause ends when that handler returns).
 */
export class SyncSession {
  private readonly session = new inspector.Session();
  private connected = false;

  connect(): void {
    if (this.connected) return;
    this.session.connect();
    this.connected = true;
  }

  get isConnected(): boolean {
    return this.connected;
  }

  on(event: string, listener: (message: { method: string; params: Params }) => void): void {
    this.session.on(event, listener as (m: inspector.InspectorNotification<object>) => void);
  }

  /** Sends a command and returns its result; throws InspectorError on failure. */
  post<T>(method: string, params: Params = {}): T {
    if (!this.connected) throw new InspectorError('KH_INSPECTOR_CLOSED', `inspector session closed (${method})`);
    let done = false;
    let error: Error | null = null;
    let result: unknown;
    this.session.post(method, params, (err: Error | null, res?: object) => {
      done = true;
      error = err;
      result = res;
    });
    if (!done) throw new InspectorError('KH_INSPECTOR_ASYNC', `inspector answered ${method} asynchronously; is this a worker session?`);
    if (error) throw new InspectorError('KH_INSPECTOR_COMMAND', `${method}: ${(error as Error).message}`);
    return result as T;
  }

  disconnect(): void {
    if (!this.connected) return;
    this.connected = false;
    try {
      this.session.disconnect();
    } catch {
      // Already gone; nothing to release.
    }
  }
}

/**
 * Another debugger is present when the inspector server is listening
 * (`--inspect`, SIGUSR1) : its user expects to own pauses and breakpoints, so
 * the agent stands down.
 */
export function otherDebuggerUrl(): string | undefined {
  try {
    return inspector.url() ?? undefined;
  } catch {
    return undefined;
  }
}
