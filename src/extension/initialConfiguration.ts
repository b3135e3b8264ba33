// The configuration a new launch.json starts with. package.json's
// `initialConfigurations` must equal it (test/extension/schema.test.ts). No vscode.
import { DEBUG_TYPE } from './commandIds';

export const INITIAL_CONFIGURATION = {
  type: DEBUG_TYPE,
  request: 'attach',
  name: 'Keyhole: snapshots from a service',
  broker: 'http://127.0.0.1:7070',
  service: 'my-service',
  labels: {},
} as const;
