/** Entry of the location worker (locationWorker.ts): a script index of its own, answering one question at a time. */
import { parentPort, workerData } from 'node:worker_threads';
import type { LocationReply, LocationRequest, LocationWorkerData } from './locationWorker';
import { mapGeneratedToOriginal } from './mapFrame';
import { resolveProbeLocation } from './resolveProbe';
import { ScriptIndex } from './scriptIndex';

const index = new ScriptIndex({ settings: (workerData as LocationWorkerData).settings });

parentPort?.on('message', (m: LocationRequest) => {
  if (m.type === 'add') {
    for (const record of m.records) index.add(record);
  } else if (m.type === 'resolve') {
    parentPort?.postMessage({ id: m.id, resolution: resolveProbeLocation(index, m.path, m.line, m.column) } satisfies LocationReply);
  } else {
    parentPort?.postMessage({ id: m.id, positions: m.positions.map((p) => mapGeneratedToOriginal(index, p.script, p.line, p.column)) } satisfies LocationReply);
  }
});
