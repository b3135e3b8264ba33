import type * as otelApi from '@opentelemetry/api';
import type { TraceIds } from './probes/probeMessages';

/**
 * Reads the active OpenTelemetry span through @opentelemetry/api, an
 * optional peer dependency: when the host has none installed, snapshots
 * simply carry no trace ids. The API keeps its state in a process-wide
 * global, so this sees the host's tracer whichever copy of the API loads.
 */
// An optional peer is only loadable with a runtime require.
// eslint-disable-next-line @typescript-eslint/no-require-imports
export function createTraceIdSource(load: () => unknown = () => require('@opentelemetry/api')): () => TraceIds | undefined {
  let api: typeof otelApi;
  try {
    api = load() as typeof otelApi;
  } catch {
    return () => undefined;
  }
  return () => {
    try {
      const span = api.trace.getActiveSpan();
      if (!span) return undefined;
      const ctx = span.spanContext();
      if (!api.isSpanContextValid(ctx)) return undefined;
      return {
        traceId: ctx.traceId,
        spanId: ctx.spanId,
        addSnapshotEvent: (snapshotId: string) => {
          span.addEvent('keyhole.snapshot', { 'keyhole.snapshot.id': snapshotId });
        },
      };
    } catch {
      return undefined;
    }
  };
}
