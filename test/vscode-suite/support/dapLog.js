// Everything the keyhole debug adapter sends to VS Code, recorded through the
// public DebugAdapterTracker API, with a way to wait for a message.
'use strict';
const vscode = require('vscode');

class DapLog {
  constructor() {
    this.messages = [];
    this.waiters = [];
    this.registration = vscode.debug.registerDebugAdapterTrackerFactory('keyhole', {
      createDebugAdapterTracker: () => ({
        onDidSendMessage: (m) => {
          this.messages.push(m);
          this.waiters = this.waiters.filter((w) => {
            if (!w.match(m)) return true;
            w.resolve(m);
            return false;
          });
        },
      }),
    });
  }

  /** The next (or an already recorded, after index `from`) event named `event` for which `match` holds. */
  event(event, match = () => true, { from = 0, timeoutMs = 30000 } = {}) {
    const test = (m) => m.type === 'event' && m.event === event && match(m);
    const seen = this.messages.slice(from).find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const w = { match: test, resolve: (m) => (clearTimeout(timer), resolve(m)) };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        const recent = this.messages.filter((m) => m.type === 'event').slice(-8).map((m) => `${m.event} ${JSON.stringify(m.body)}`).join('\n');
        reject(new Error(`no "${event}" event within ${timeoutMs} ms; last events:\n${recent}`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  get length() {
    return this.messages.length;
  }

  dispose() {
    this.registration.dispose();
  }
}

/** A breakpoint event whose message matches `re`. */
const breakpointSays = (re) => (m) => re.test(String(m.body && m.body.breakpoint && m.body.breakpoint.message));

module.exports = { DapLog, breakpointSays };
