// The session's platform services on Node: the broker client, node:fs and
// node:crypto. Shared by the two composition roots: main.ts (standalone over
// stdio) and the VS Code extension's inline adapter, which pass their own
// environment and working folder.
import { createHash } from 'node:crypto';
import { readFile, statSync } from 'node:fs';
import { promisify } from 'node:util';
import { BrokerClient } from '../client/brokerClient';
import { type SessionServices } from './snapshotSource';

const readFileAsync = promisify(readFile);

export function nodeServices(env: Readonly<Record<string, string | undefined>>, cwd: string): SessionServices {
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
    env,
    cwd,
    sha256: (data) => createHash('sha256').update(data).digest('hex'),
  };
}
