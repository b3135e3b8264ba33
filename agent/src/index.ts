// @keyhole/agent: load into a production Node.js process with
// `node --require @keyhole/agent/register app.js` (configured by KEYHOLE_*
// environment variables) or call start(options) from code. Disabled or
// unconfigured means no inspector session and nothing else. Nothing here
// throws into the host: problems become one line on stderr.
import { isMainThread } from 'node:worker_threads';
import { Agent, type AgentStatus } from './agent';
import { resolveConfig, type AgentOptions } from './config';
import { loadTrustFile } from './grants/trustFile';
import { loadMaskingPolicyFromEnv } from './redact';
import { createStderrLog, type AgentLog } from './util/log';

export type { AgentOptions, ResolvedAgentConfig } from './config';
export type { AgentStatus } from './agent';
export { DEFAULT_CAPTURE_LIMITS, type CaptureLimits } from './capture/limits';
export { DEFAULT_RATE, DEFAULT_TRANSPORT } from './config';

let current: Agent | undefined;

export interface StartResult {
  readonly started: boolean;
  readonly reason: string;
}

/** Starts the agent once per process; a second call while running is a no-op that says so. */
export function start(options: AgentOptions = {}, log: AgentLog = createStderrLog()): StartResult {
  try {
    // A worker thread inherits the process's --require preloads, the agent's own workers included:
    // one agent per process, on the main thread, where the service's code runs.
    if (!isMainThread) return { started: false, reason: 'the agent runs on the main thread only' };
    if (current && current.status().state === 'running') return { started: false, reason: 'the agent is already running' };
    const resolved = resolveConfig(options, process.env);
    if (!resolved.ok) {
      log('KH_CONFIG', `the agent stays off: ${resolved.problems.join('; ')}`);
      return { started: false, reason: resolved.problems.join('; ') };
    }
    const config = resolved.config;
    if (!config.enabled) return { started: false, reason: 'disabled' };
    const trust = loadTrustFile(config.trustFile, config.service);
    if (!trust.ok) {
      log('KH_TRUST_FILE', `the agent stays off (no capture without a valid trust file): ${trust.problems.join('; ')}`);
      return { started: false, reason: trust.problems.join('; ') };
    }
    const masking = loadMaskingPolicyFromEnv(process.env);
    if (!masking.ok) {
      log('KH_MASKING_POLICY', `the agent stays off (masking policy invalid): ${masking.problems.join('; ')}`);
      return { started: false, reason: masking.problems.join('; ') };
    }
    const agent = new Agent(config, trust.policy, masking.policy, log);
    current = agent;
    agent.start();
    const s = agent.status();
    return s.state === 'running' ? { started: true, reason: '' } : { started: false, reason: s.reason };
  } catch (err) {
    log('KH_AGENT_INTERNAL', `the agent stays off after an internal error: ${err instanceof Error ? err.message : String(err)}`);
    return { started: false, reason: 'internal error' };
  }
}

/** Stops the agent: removes every probe, closes the connection and the inspector session. Idempotent. */
export function stop(): void {
  try {
    current?.stop();
  } catch {
    // Stopping must never fail the host.
  }
  current = undefined;
}

export function status(): AgentStatus | undefined {
  return current?.status();
}
