// What a breakpoint shows, from what the agents last reported for its probe
// (one ProbeStatus per instance). Pure: no DAP, no I/O.
import { pb } from '@keyhole/protocol';

export interface BreakpointView {
  readonly verified: boolean;
  readonly message: string;
  /** DAP's reason for an unverified breakpoint. */
  readonly reason?: 'pending' | 'failed';
}

/** Candidate paths listed in a message; more are counted, not listed. */
export const MAX_CANDIDATES_SHOWN = 5;

const pending = (message: string): BreakpointView => ({ verified: false, message, reason: 'pending' });
const failed = (message: string): BreakpointView => ({ verified: false, message, reason: 'failed' });

function candidates(list: readonly string[]): string {
  if (!list.length) return '';
  const shown = list.slice(0, MAX_CANDIDATES_SHOWN).join(', ');
  return `; candidates: ${shown}${list.length > MAX_CANDIDATES_SHOWN ? ` and ${list.length - MAX_CANDIDATES_SHOWN} more` : ''}`;
}

/** The agent's code for a file that is simply not loaded (yet). */
const NOT_LOADED_YET = 'KH_LOCATION_NOT_FOUND';

/**
 * What the agents noted about an installed probe, each note once: it moved
 * to the next line with code, the file changed on disk, it captures by
 * pausing or without, the budget disarmed it. A developer whose snapshot
 * never hits reads the reason here.
 */
function notesOf(installed: readonly pb.IProbeStatus[]): string {
  const notes = [...new Set(installed.map((s) => s.message ?? '').filter(Boolean))];
  return notes.length ? `; ${notes.join('; ')}` : '';
}

const withCode = (s: pb.IProbeStatus) => `${s.message || 'no reason given'}${s.code ? ` (${s.code})` : ''}`;

/** Why one instance does not have the probe installed, in a few words. */
function problemOf(s: pb.IProbeStatus): string {
  const who = s.instanceId ? `${s.instanceId}: ` : '';
  switch (s.state) {
    case pb.ProbeState.REFUSED:
      return `${who}refused: ${withCode(s)}`;
    case pb.ProbeState.ERROR:
      return `${who}error: ${withCode(s)}`;
    case pb.ProbeState.FILE_NOT_FOUND:
      // A plain miss says it in a few words; any other reason to wait (the agent's own code, a vm
      // context, a broken source map) is the agent's own sentence, which says what to do.
      if (s.code && s.code !== NOT_LOADED_YET) return `${who}${withCode(s)}${candidates(s.candidates ?? [])}`;
      return `${who}file not found${candidates(s.candidates ?? [])} (the probe installs if the file loads later)`;
    case pb.ProbeState.AMBIGUOUS:
      return `${who}several loaded files match${candidates(s.candidates ?? [])}; give more of the path`;
    case pb.ProbeState.EXPIRED:
      return `${who}grant expired: ${withCode(s)}`;
    case pb.ProbeState.COMPLETED:
      return `${who}completed: ${s.message || 'hit limit reached'}`;
    case pb.ProbeState.REMOVED:
      return `${who}removed: ${withCode(s)}`;
    case pb.ProbeState.PENDING:
      return `${who}waiting for the file to load`;
    default:
      return `${who}state ${String(s.state)}`;
  }
}

/** Failed states outrank waiting ones when no instance has the probe installed. */
const RANK: Partial<Record<pb.ProbeState, number>> = {
  [pb.ProbeState.REFUSED]: 1,
  [pb.ProbeState.ERROR]: 2,
  [pb.ProbeState.EXPIRED]: 3,
  [pb.ProbeState.AMBIGUOUS]: 4,
  [pb.ProbeState.FILE_NOT_FOUND]: 5,
  [pb.ProbeState.COMPLETED]: 6,
  [pb.ProbeState.REMOVED]: 7,
  [pb.ProbeState.PENDING]: 8,
};

const FAILED_STATES = new Set([pb.ProbeState.REFUSED, pb.ProbeState.ERROR, pb.ProbeState.EXPIRED, pb.ProbeState.AMBIGUOUS, pb.ProbeState.COMPLETED, pb.ProbeState.REMOVED]);

/** The breakpoint's view from the aggregated status of its probe. */
export function viewOfProbe(change: pb.IProbeStatusChanged | undefined, service: string): BreakpointView {
  const instances = change?.instances ?? [];
  const targeted = change?.targeted ?? 0;
  if (!change || targeted === 0 || instances.length === 0) return pending(`set; waiting for an instance of ${service} to report it`);
  const installed = instances.filter((s) => s.state === pb.ProbeState.INSTALLED);
  const others = instances.filter((s) => s.state !== pb.ProbeState.INSTALLED).sort((a, b) => (RANK[a.state ?? 0] ?? 99) - (RANK[b.state ?? 0] ?? 99));
  if (installed.length) {
    const hits = installed.reduce((n, s) => n + (s.hits ?? 0), 0);
    const rest = others.length ? `; ${others.map(problemOf).join('; ')}` : '';
    return { verified: true, message: `installed on ${installed.length} of ${Math.max(targeted, instances.length)} instance${targeted === 1 ? '' : 's'}${hits ? `, ${hits} hit${hits === 1 ? '' : 's'}` : ''}${notesOf(installed)}${rest}` };
  }
  const worst = others[0];
  const text = others.map(problemOf).join('; ');
  return worst && FAILED_STATES.has(worst.state ?? 0) ? failed(text) : pending(text);
}
