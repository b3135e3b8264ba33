// The DAP session: requests in, answers and events out. It holds no broker
// or file I/O of its own: it works through ISnapshotSource, SourceMapper,
// BreakpointManager and SnapshotModel, supplied at attach through
// SessionServices. Every handler answers; nothing escapes as an exception.
import * as path from 'node:path';
import { BreakpointEvent, DebugSession, InitializedEvent, OutputEvent, StoppedEvent, TerminatedEvent, ThreadEvent } from '@vscode/debugadapter';
import { type DebugProtocol } from '@vscode/debugprotocol';
import { type pb } from '@keyhole/protocol';
import { type Disposable } from '../common/emitter';
import { BreakpointManager, type ManagedBreakpoint } from './breakpointManager';
import * as errors from './errors';
import { type ResolvedLaunchArgs, resolveLaunchArgs, type TokenSource } from './launchConfig';
import { lookupPath, parseMemberPath } from './memberPath';
import { SnapshotModel } from './snapshotModel';
import { shapeMessage, shapeProblems } from './snapshotShape';
import { type ISnapshotSource, type SessionServices } from './snapshotSource';
import { SourceMapper } from './sourceMapper';
import { presentationHint, typeText, valueText } from './valueText';

/** Custom requests the extension's views use. */
export const CustomRequest = { Snapshots: 'keyhole/snapshots', OpenSnapshot: 'keyhole/openSnapshot' } as const;

interface Attached {
  readonly args: ResolvedLaunchArgs;
  readonly source: ISnapshotSource;
  readonly mapper: SourceMapper;
  readonly breakpoints: BreakpointManager;
  readonly subscriptions: Disposable[];
}

const STEP_REQUESTS = new Set(['next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'pause', 'restartFrame', 'goto']);

export class SnapshotSession extends DebugSession {
  private attached: Attached | undefined;
  private readonly model = new SnapshotModel();
  private readonly reportedUnknownPaths = new Set<string>();

  constructor(private readonly services: SessionServices) {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsEvaluateForHovers: true,
      supportsSetVariable: false,
      supportsStepBack: false,
      supportsRestartFrame: false,
      supportsGotoTargetsRequest: false,
      supportsStepInTargetsRequest: false,
      supportsTerminateRequest: true,
      supportsFunctionBreakpoints: false,
      supportsDataBreakpoints: false,
      supportsCompletionsRequest: false,
      supportsExceptionInfoRequest: false,
      supportSuspendDebuggee: false,
      supportTerminateDebuggee: false,
    };
    this.sendResponse(response);
  }

  protected override attachRequest(response: DebugProtocol.AttachResponse, args: DebugProtocol.AttachRequestArguments): void {
    void this.attach(response, args);
  }

  /** `launch` attaches too: Keyhole never starts the service. */
  protected override launchRequest(response: DebugProtocol.LaunchResponse, args: DebugProtocol.LaunchRequestArguments): void {
    void this.attach(response, args);
  }

  private async attach(response: DebugProtocol.Response, raw: unknown): Promise<void> {
    const resolved = resolveLaunchArgs(raw, this.services.cwd);
    if (!resolved.ok) return this.sendErrorResponse(response, errors.launchArgsInvalid(resolved.problems));
    const args = resolved.args;
    const token = await this.readToken(args.token);
    if (!token.ok) return this.sendErrorResponse(response, errors.tokenUnavailable(token.why));
    let source: ISnapshotSource;
    try {
      source = await this.services.connect(args, token.token);
    } catch (err) {
      const e = err as Error & { code?: string };
      return this.sendErrorResponse(response, errors.brokerUnreachable(e.code ?? 'KH_BROKER_UNREACHABLE', `could not attach to ${args.service} at ${args.broker}: ${e.message}`));
    }
    const mapper = new SourceMapper(args.localRoot, args.remoteRoot, this.services.files);
    const breakpoints = new BreakpointManager(source, mapper, {
      service: args.service,
      labels: args.labels,
      framesWithLocals: args.framesWithLocals,
      localSha256: (p) => this.services.files.readFile(p).then((d) => this.services.sha256(d), () => undefined),
    });
    const subscriptions = [
      breakpoints.onChanged((b) => this.sendEvent(new BreakpointEvent('changed', this.toDapBreakpoint(b)))),
      breakpoints.onWarning((w) => this.output(`warning: ${w}\n`, 'important')),
      source.onEvent((e) => this.onBrokerEvent(e)),
      source.onConnection((c) => {
        if (c.connected) {
          this.output(`reconnected to the broker; snapshots captured meanwhile are in the snapshot history\n`, 'console');
          // Grants may have changed while the stream was down.
          breakpoints.onGrantChanged({});
        } else {
          this.output(`${c.code}: ${c.reason}${c.willRetry ? '; reconnecting' : ''}\n`, 'important');
        }
      }),
    ];
    this.attached = { args, source, mapper, breakpoints, subscriptions };
    this.sendResponse(response);
    this.output(`attached to ${args.service} at ${args.broker} as ${source.userId}\n`, 'console');
    this.sendEvent(new InitializedEvent());
  }

  private async readToken(src: TokenSource): Promise<{ ok: true; token: string } | { ok: false; why: string }> {
    if (src.kind === 'env') {
      const t = this.services.env[src.name]?.trim();
      return t ? { ok: true, token: t } : { ok: false, why: `the environment variable ${src.name} holding your broker token is not set` };
    }
    try {
      const t = Buffer.from(await this.services.files.readFile(src.path)).toString('utf8').trim();
      return t ? { ok: true, token: t } : { ok: false, why: `the token file ${src.path} is empty` };
    } catch (err) {
      return { ok: false, why: `the token file ${src.path} could not be read: ${(err as Error).message}` };
    }
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.sendResponse(response);
  }

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    const file = args.source.path;
    const specs = (args.breakpoints ?? []).map((b) => ({
      line: this.convertClientLineToDebugger(b.line),
      ...(b.column ? { column: this.convertClientColumnToDebugger(b.column) } : {}),
      ...(b.condition ? { condition: b.condition } : {}),
      ...(b.hitCondition ? { hitCondition: b.hitCondition } : {}),
      ...(b.logMessage ? { logMessage: b.logMessage } : {}),
    }));
    if (!this.attached || !file) {
      const message = !file ? 'Keyhole can only set breakpoints in files on disk' : 'not attached to a broker';
      response.body = { breakpoints: specs.map((s) => ({ verified: false, line: this.convertDebuggerLineToClient(s.line), message, reason: 'failed' as const })) };
      return this.sendResponse(response);
    }
    const managed = this.attached.breakpoints.setForFile(file, specs);
    response.body = { breakpoints: managed.map((b) => this.toDapBreakpoint(b)) };
    this.sendResponse(response);
  }

  private toDapBreakpoint(b: ManagedBreakpoint): DebugProtocol.Breakpoint {
    return {
      id: b.id,
      verified: b.view.verified,
      message: b.view.message,
      line: this.convertDebuggerLineToClient(b.spec.line),
      source: { name: path.basename(b.localPath), path: b.localPath },
      ...(b.view.reason ? { reason: b.view.reason } : {}),
    };
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: this.model.threadList() };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    const r = this.model.stackFrames(args.threadId, (p) => this.sourceOf(p), args.startFrame ?? 0, args.levels ?? 0);
    if (!r) return this.sendErrorResponse(response, errors.unknownThread(args.threadId));
    response.body = { stackFrames: r.frames.map((f) => ({ ...f, line: this.convertDebuggerLineToClient(f.line), column: this.convertDebuggerColumnToClient(f.column) })), totalFrames: r.total };
    this.sendResponse(response);
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    const scopes = this.model.scopes(args.frameId);
    if (!scopes) return this.sendErrorResponse(response, errors.unknownFrame(args.frameId));
    response.body = { scopes };
    this.sendResponse(response);
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    const all = this.model.variables(args.variablesReference);
    if (!all) return this.sendErrorResponse(response, errors.unknownVariables(args.variablesReference));
    const start = args.start ?? 0;
    response.body = { variables: args.count ? all.slice(start, start + args.count) : all.slice(start) };
    this.sendResponse(response);
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    const found = args.frameId !== undefined ? this.model.frame(args.frameId) : undefined;
    if (!found) return this.sendErrorResponse(response, errors.notCaptured(args.expression, 'select a snapshot frame first: Keyhole reads captured values only'));
    const parsed = parseMemberPath(args.expression);
    if (!parsed.ok) return this.sendErrorResponse(response, errors.notCaptured(args.expression, parsed.why));
    const hit = lookupPath(found.frame, parsed.parts);
    if (!hit.ok) return this.sendErrorResponse(response, errors.notCaptured(args.expression, hit.why));
    const v = this.model.variable(found.open.threadId, args.expression, hit.value);
    response.body = { result: valueText(hit.value), type: typeText(hit.value), presentationHint: presentationHint(hit.value), variablesReference: v.variablesReference };
    this.sendResponse(response);
  }

  /** Continue dismisses the snapshot: the service never stopped. */
  protected override continueRequest(response: DebugProtocol.ContinueResponse, args: DebugProtocol.ContinueArguments): void {
    if (!this.model.close(args.threadId)) return this.sendErrorResponse(response, errors.unknownThread(args.threadId));
    response.body = { allThreadsContinued: false };
    this.sendResponse(response);
    this.sendEvent(new ThreadEvent('exited', args.threadId));
  }

  protected override setVariableRequest(response: DebugProtocol.SetVariableResponse): void {
    this.sendErrorResponse(response, errors.setVariableUnsupported());
  }

  protected override dispatchRequest(request: DebugProtocol.Request): void {
    if (STEP_REQUESTS.has(request.command)) {
      const response: DebugProtocol.Response = { seq: 0, type: 'response', request_seq: request.seq, command: request.command, success: true };
      return this.sendErrorResponse(response, errors.steppingUnsupported(request.command));
    }
    try {
      super.dispatchRequest(request);
    } catch (err) {
      const response: DebugProtocol.Response = { seq: 0, type: 'response', request_seq: request.seq, command: request.command, success: true };
      this.sendErrorResponse(response, { id: 4999, format: `KH_INTERNAL: ${(err as Error).message}`.replace(/[{}]/g, ''), showUser: true });
    }
  }

  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    if (command === CustomRequest.Snapshots) return void this.listSnapshots(response);
    if (command === CustomRequest.OpenSnapshot) return void this.openSnapshot(response, args);
    super.customRequest(command, response, args);
  }

  private async listSnapshots(response: DebugProtocol.Response): Promise<void> {
    const a = this.attached;
    if (!a) return this.sendErrorResponse(response, errors.notAttached());
    try {
      const rows = await a.source.listSnapshots(a.args.snapshotHistoryLimit);
      response.body = {
        snapshots: rows.map((r) => ({ id: r.id, probeId: r.probeId, grantId: r.grantId, instanceId: r.instanceId, capturedAtMs: r.capturedAtMs, traceId: r.traceId ?? '', label: this.probeLabel(r.probeId) })),
      };
      this.sendResponse(response);
    } catch (err) {
      this.sendErrorResponse(response, errors.snapshotUnavailable('history', (err as Error).message));
    }
  }

  private async openSnapshot(response: DebugProtocol.Response, args: unknown): Promise<void> {
    const a = this.attached;
    if (!a) return this.sendErrorResponse(response, errors.notAttached());
    const id = typeof args === 'object' && args !== null && typeof (args as { id?: unknown }).id === 'string' ? (args as { id: string }).id : '';
    if (!id) return this.sendErrorResponse(response, errors.snapshotUnavailable('(none)', 'pass { "id": "<snapshot id>" }'));
    try {
      const snapshot = await a.source.getSnapshot(id);
      const threadId = this.showSnapshot(snapshot);
      response.body = { threadId };
      this.sendResponse(response);
    } catch (err) {
      this.sendErrorResponse(response, errors.snapshotUnavailable(id, (err as Error).message));
    }
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    void this.detach().then(() => this.sendResponse(response));
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    void this.detach().then(() => {
      this.sendResponse(response);
      this.sendEvent(new TerminatedEvent());
    });
  }

  /** Removes this session's probes and closes the broker connection. */
  private async detach(): Promise<void> {
    const a = this.attached;
    this.attached = undefined;
    if (!a) return;
    for (const s of a.subscriptions) s.dispose();
    await a.breakpoints.dispose('debug session ended');
    a.source.close();
  }

  // ---- broker events ------------------------------------------------------

  private onBrokerEvent(e: pb.ClientEvent): void {
    const a = this.attached;
    if (!a) return;
    if (e.probeStatusChanged) a.breakpoints.onProbeStatus(e.probeStatusChanged);
    else if (e.grantChanged?.grant) a.breakpoints.onGrantChanged(e.grantChanged.grant);
    else if (e.snapshotArrived) this.onSnapshot(e.snapshotArrived.snapshot);
    else if (e.logLineArrived?.logLine) this.onLogLine(e.logLineArrived.logLine);
    else if (e.error) this.output(`${e.error.code}: ${e.error.message}\n`, 'important');
  }

  private onSnapshot(snapshot: pb.ISnapshot | null | undefined): void {
    const problem = malformed(snapshot);
    if (problem || !snapshot) return this.output(`KH_SNAPSHOT_MALFORMED: a snapshot from the broker was skipped: ${problem}\n`, 'important');
    const odd = shapeProblems(snapshot);
    if (odd.length) this.output(`${shapeMessage(snapshot.id ?? '', odd)}\n`, 'important');
    this.showSnapshot(snapshot);
  }

  private showSnapshot(snapshot: pb.ISnapshot): number {
    const bp = this.attached?.breakpoints.byProbe(snapshot.probeId ?? '');
    const open = this.model.open(snapshot, this.probeLabel(snapshot.probeId ?? ''));
    this.sendEvent(new ThreadEvent('started', open.threadId));
    const stopped = new StoppedEvent('breakpoint', open.threadId) as DebugProtocol.StoppedEvent;
    stopped.body.description = `snapshot ${open.name}`;
    stopped.body.allThreadsStopped = false;
    stopped.body.preserveFocusHint = false;
    if (bp) stopped.body.hitBreakpointIds = [bp.id];
    this.sendEvent(stopped);
    if (snapshot.errors?.length) this.output(`snapshot ${open.name}: ${snapshot.errors.map((x) => `${x.code}: ${x.message}`).join('; ')}\n`, 'important');
    return open.threadId;
  }

  private onLogLine(line: pb.ILogLine): void {
    const loc = line.location;
    const e = new OutputEvent(`${line.message ?? ''}${line.traceId ? `  [trace ${line.traceId}]` : ''}\n`, 'console') as DebugProtocol.OutputEvent;
    if (loc?.path) {
      e.body.source = this.sourceOf(loc.path);
      e.body.line = this.convertDebuggerLineToClient(loc.line ?? 0);
      if (loc.column) e.body.column = this.convertDebuggerColumnToClient(loc.column);
    }
    e.body.data = { probeId: line.probeId, instanceId: line.instanceId, traceId: line.traceId || undefined, spanId: line.spanId || undefined };
    this.sendEvent(e);
  }

  private probeLabel(probeId: string): string {
    const bp = this.attached?.breakpoints.byProbe(probeId);
    return bp ? `${path.basename(bp.localPath)}:${bp.spec.line}` : `probe ${probeId}`;
  }

  /** A frame's source: the workspace file when found, else a name only (and one console note per path). */
  private sourceOf(remote: string): DebugProtocol.Source {
    const local = this.attached?.mapper.toLocal(remote);
    if (local) return { name: path.basename(local), path: local };
    if (!remote.startsWith('node:') && !this.reportedUnknownPaths.has(remote)) {
      this.reportedUnknownPaths.add(remote);
      this.output(`a snapshot refers to ${remote}, which is not in the workspace (${this.attached?.args.localRoot ?? ''}); set "localRoot"/"remoteRoot" if the layout differs\n`, 'console');
    }
    return { name: path.basename(remote.replace(/^file:\/\//, '')), origin: remote.startsWith('node:') ? 'Node.js internals' : 'not in the workspace', presentationHint: 'deemphasize' };
  }

  private output(text: string, category: 'console' | 'important' | 'stderr'): void {
    this.sendEvent(new OutputEvent(text, category));
  }
}

/** Why a snapshot cannot be shown, or '' when it can. */
export function malformed(s: pb.ISnapshot | null | undefined): string {
  if (!s) return 'the event carried no snapshot';
  if (!s.id) return 'it has no id';
  if (!s.probeId) return `snapshot ${s.id} names no probe`;
  if (!Array.isArray(s.frames)) return `snapshot ${s.id} has no frame list`;
  return '';
}
