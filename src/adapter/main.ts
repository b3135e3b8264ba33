// Standalone entry: the adapter over stdio, for DebugClient tests and other
// editors. The composition root for that mode: the broker client, node:fs,
// node:crypto and the process environment become the session's services.
import { createHash } from 'node:crypto';
import { readFile, statSync } from 'node:fs';
import { promisify } from 'node:util';
import { BrokerClient } from '../client/brokerClient';
import { SnapshotSession } from './snapshotSession';
import { type SessionServices } from './snapshotSource';

const readFileAsync = promisify(readFile);

export function nodeServices(): SessionServices {
  return {
    connect: (args, token) => BrokerClient.connect({ brokerUrl: args.broker, token, service: args.service }),
    files: {
      isFile: (p) => {
        try {
          return statSync(p).isFile();
        } catch {
          return false;
        }
      },
      readFile: (p) => readFileAsync(p),
    },
    env: process.env,
    cwd: process.cwd(),
    sha256: (data) => createHash('sha256').update(data).digest('hex'),
  };
}

function main(): void {
  // A failure in one request must not kill the session silently: say it on stderr, keep serving.
  process.on('uncaughtException', (err) => process.stderr.write(`[keyhole adapter] KH_INTERNAL: ${err.stack ?? String(err)}\n`));
  process.on('unhandledRejection', (err) => process.stderr.write(`[keyhole adapter] KH_INTERNAL: ${String(err)}\n`));
  const session = new SnapshotSession(nodeServices());
  session.setRunAsServer(false);
  session.start(process.stdin, process.stdout);
}

if (require.main === module) main();
