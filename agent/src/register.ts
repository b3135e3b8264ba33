// `node --require @keyhole/agent/register app.js`: starts the agent from the
// KEYHOLE_* environment. Unconfigured or KEYHOLE_ENABLED=false does nothing
// at all: the agent's modules are not even loaded, so there is no inspector
// session, no timer, no connection and no start-up cost.
//
// Worker threads inherit --require, so this runs in every worker too; only
// the main thread starts an agent, or one process would dial the broker as
// several instances under one instance id (a worker's inspector session sees
// only that worker's code; start() from the worker's own code can still opt in).
import { isMainThread } from 'node:worker_threads';
import type * as Agent from './index';

if (isMainThread && (process.env['KEYHOLE_BROKER'] !== undefined || process.env['KEYHOLE_ENABLED'] !== undefined)) {
  // A lazy require on purpose: a static import would load the agent (and the protocol) even when it is off.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('./index') as typeof Agent).start();
}
