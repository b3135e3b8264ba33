// Standalone entry: the adapter over stdio, for DebugClient tests and other
// editors. The composition root for that mode: the broker client, node:fs,
// node:crypto and the process environment become the session's services.
import { nodeServices } from './nodeServices';
import { SnapshotSession } from './snapshotSession';

function main(): void {
  // A failure in one request must not kill the session silently: say it on stderr, keep serving.
  process.on('uncaughtException', (err) => process.stderr.write(`[keyhole adapter] KH_INTERNAL: ${err.stack ?? String(err)}\n`));
  process.on('unhandledRejection', (err) => process.stderr.write(`[keyhole adapter] KH_INTERNAL: ${String(err)}\n`));
  const session = new SnapshotSession(nodeServices(process.env, process.cwd()));
  session.setRunAsServer(false);
  session.start(process.stdin, process.stdout);
}

if (require.main === module) main();
