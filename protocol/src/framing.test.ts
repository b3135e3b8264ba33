import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  pb,
  decodeAgentMessage,
  decodeBrokerMessage,
  decodeClientEvent,
  decodeClientMessage,
  encodeAgentMessage,
  encodeBrokerMessage,
  encodeClientEvent,
  encodeClientMessage,
  FrameErrorCode,
  checkPeerVersion,
  currentVersion,
  DEFAULT_MAX_FRAME_BYTES,
} from './index';

const value: pb.Value.$Properties = {
  kind: pb.ValueKind.OBJECT,
  className: 'User',
  text: 'User',
  properties: [
    { name: 'id', value: { kind: pb.ValueKind.NUMBER, text: '42' } },
    { name: 'email', value: { kind: pb.ValueKind.STRING, text: '[MASKED:email]', masked: ['email'] } },
    { name: 'bio', value: { kind: pb.ValueKind.STRING, text: 'abc', cut: { reason: pb.CutReason.STRING_LENGTH, originalSize: 100_000_000 } } },
  ],
  entries: [{ key: { kind: pb.ValueKind.STRING, text: 'k' }, value: { kind: pb.ValueKind.CYCLE, text: '[Circular]' } }],
};

const snapshot: pb.Snapshot.$Properties = {
  id: 'snap-1',
  probeId: 'p-1',
  grantId: 'g-1',
  service: 'orders',
  instanceId: 'i-1',
  capturedAtMs: 1_790_000_000_123,
  frames: [
    {
      functionName: 'handle',
      generated: { path: '/srv/app/dist/main.js', line: 10, column: 3 },
      original: { path: 'src/main.ts', line: 7, column: 5 },
      scopes: [{ kind: pb.ScopeKind.LOCAL, variables: [{ name: 'user', value }] }],
      localsCaptured: true,
    },
  ],
  framesCut: { reason: pb.CutReason.DEPTH, originalSize: 40 },
  errors: [{ code: 'KH_CAPTURE_TIME_BUDGET', message: 'time budget ran out' }],
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  stats: { durationMicros: 800, encodedBytes: 2000, framesTotal: 19 },
  maskedKinds: ['email'],
};

const probe: pb.Probe.$Properties = {
  id: 'p-1',
  grantId: 'g-1',
  kind: pb.ProbeKind.LOGPOINT,
  location: { path: 'src/main.ts', line: 7, column: 0 },
  condition: 'user.id > 3',
  hitCondition: '>= 2',
  logTemplate: 'user {user.id}',
  maxHits: 10,
  expiresAtMs: 1_790_000_100_000,
  createdBy: 'dev',
};

const status: pb.ProbeStatus.$Properties = {
  probeId: 'p-1',
  state: pb.ProbeState.AMBIGUOUS,
  code: 'KH_PROBE_AMBIGUOUS',
  message: 'two files match',
  candidates: ['/a/main.js', '/b/main.js'],
  resolvedUrl: 'file:///a/main.js',
  resolvedLine: 10,
  deployedSha256: 'ab'.repeat(32),
  hits: 3,
  instanceId: 'i-1',
  updatedAtMs: 1_790_000_000_000,
};

const grantBody = pb.GrantBody.encode(
  pb.GrantBody.create({
    grantId: 'g-1',
    service: 'orders',
    selector: { region: 'eu' },
    scopeGlobs: ['src/**'],
    kinds: [pb.ProbeKind.SNAPSHOT, pb.ProbeKind.LOGPOINT],
    requester: 'dev',
    reason: 'bug',
    ticket: 'OPS-1',
    notBeforeMs: 1,
    notAfterMs: 2,
    maxHitsPerProbe: 5,
    nonce: new Uint8Array(16).fill(7),
  }),
).finish();
const signedGrant: pb.SignedGrant.$Properties = {
  body: grantBody,
  approvals: [{ approverId: 'ann', signature: new Uint8Array(64).fill(1), signedAtMs: 3 }],
};
const stats: pb.AgentStats.$Properties = { probesArmed: 1, queueLength: 2, droppedFrames: 3, snapshotsCaptured: 4, hitsDeclined: 5, budgetUsedMicros: 6 };
const logLine: pb.LogLine.$Properties = {
  probeId: 'p-1', grantId: 'g-1', service: 'orders', instanceId: 'i-1', loggedAtMs: 5, message: 'user 42',
  location: { path: 'src/main.ts', line: 7, column: 1 }, traceId: 't', spanId: 's', maskedKinds: [],
};
const error: pb.ErrorFrame.$Properties = { code: 'KH_X', message: 'x', fatal: true };

const agentBodies: pb.AgentMessage.$Properties[] = [
  { hello: { version: currentVersion(), service: 'orders', labels: { region: 'eu' }, instanceId: 'i-1', runtimeVersion: 'v20', agentVersion: '0.1.0', pid: 7, hostname: 'h', token: 't' } },
  { probeStatus: status },
  { snapshot },
  { logLine },
  { heartbeat: { sentAtMs: 9, stats } },
  { error },
];
const brokerBodies: pb.BrokerMessage.$Properties[] = [
  { welcome: { version: currentVersion(), serviceEnabled: true, message: 'hi', heartbeatIntervalMs: 5000, masking: { names: ['x'], valuePatterns: ['y'] } } },
  { setProbe: { probe } },
  { removeProbe: { probeId: 'p-1', reason: 'done' } },
  { grant: { grant: signedGrant } },
  { revocation: { grantId: 'g-1', reason: 'r' } },
  { killSwitch: { on: true, scope: 'global', reason: 'incident' } },
  { heartbeat: { sentAtMs: 1 } },
  { error },
];
const clientEvents: pb.ClientEvent.$Properties[] = [
  { welcome: { version: currentVersion(), serviceEnabled: true } },
  { snapshotArrived: { snapshot } },
  { probeStatusChanged: { probeId: 'p-1', instances: [status], installed: 1, targeted: 2 } },
  {
    grantChanged: {
      grant: {
        grantId: 'g-1', state: pb.GrantState.APPROVED, service: 'orders', requester: 'dev', approvers: ['ann'], approvalsNeeded: 1,
        notBeforeMs: 1, notAfterMs: 2, scopeGlobs: ['src/**'], kinds: [pb.ProbeKind.SNAPSHOT], reason: 'r', ticket: 't',
      },
    },
  },
  { logLineArrived: { logLine } },
  { error },
];
const clientMessages: pb.ClientMessage.$Properties[] = [
  { hello: { version: currentVersion(), token: 't', service: 'orders' } },
  { heartbeat: { sentAtMs: 1 } },
];

// Compare with defaults filled in, so an explicit zero and an omitted field read alike.
const asObject = { defaults: true, longs: Number, bytes: String, enums: String } as const;

test('every AgentMessage body round-trips', () => {
  for (const body of agentBodies) {
    const decoded = decodeAgentMessage(encodeAgentMessage(body));
    assert.ok(decoded.ok, JSON.stringify(decoded));
    assert.equal(decoded.message.body, Object.keys(body)[0]);
    assert.deepEqual(pb.AgentMessage.toObject(decoded.message, asObject), pb.AgentMessage.toObject(pb.AgentMessage.fromObject(body), asObject));
  }
});

test('every BrokerMessage body round-trips', () => {
  for (const body of brokerBodies) {
    const decoded = decodeBrokerMessage(encodeBrokerMessage(body));
    assert.ok(decoded.ok, JSON.stringify(decoded));
    assert.equal(decoded.message.body, Object.keys(body)[0]);
    assert.deepEqual(pb.BrokerMessage.toObject(decoded.message, asObject), pb.BrokerMessage.toObject(pb.BrokerMessage.fromObject(body), asObject));
  }
});

test('every ClientEvent and ClientMessage body round-trips', () => {
  for (const body of clientEvents) {
    const decoded = decodeClientEvent(encodeClientEvent(body));
    assert.ok(decoded.ok, JSON.stringify(decoded));
    assert.equal(decoded.message.body, Object.keys(body)[0]);
    assert.deepEqual(pb.ClientEvent.toObject(decoded.message, asObject), pb.ClientEvent.toObject(pb.ClientEvent.fromObject(body), asObject));
  }
  for (const body of clientMessages) {
    const decoded = decodeClientMessage(encodeClientMessage(body));
    assert.ok(decoded.ok, JSON.stringify(decoded));
    assert.deepEqual(pb.ClientMessage.toObject(decoded.message, asObject), pb.ClientMessage.toObject(pb.ClientMessage.fromObject(body), asObject));
  }
});

test('the signed grant body survives as the exact bytes that were signed', () => {
  const decoded = decodeBrokerMessage(encodeBrokerMessage({ grant: { grant: signedGrant } }));
  assert.ok(decoded.ok);
  assert.deepEqual(Buffer.from(decoded.message.grant!.grant!.body), Buffer.from(grantBody));
});

test('frames split into fragments decode like one buffer', () => {
  const bytes = encodeAgentMessage({ snapshot });
  const parts = [bytes.subarray(0, 10), bytes.subarray(10)];
  const decoded = decodeAgentMessage(parts);
  assert.ok(decoded.ok);
  assert.equal(decoded.message.snapshot!.id, 'snap-1');
});

test('an empty frame is a typed error', () => {
  const r = decodeAgentMessage(new Uint8Array(0));
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.error.code, FrameErrorCode.Empty);
});

test('a truncated frame is a typed error', () => {
  const bytes = encodeAgentMessage({ snapshot });
  for (const cut of [1, 5, bytes.length >> 1, bytes.length - 1]) {
    const r = decodeAgentMessage(bytes.subarray(0, cut));
    assert.equal(r.ok, false, `cut at ${cut}`);
    assert.ok(!r.ok && (r.error.code === FrameErrorCode.Truncated || r.error.code === FrameErrorCode.Malformed), `cut at ${cut}`);
  }
  const r = decodeAgentMessage(bytes.subarray(0, bytes.length - 1));
  assert.equal(!r.ok && r.error.code, FrameErrorCode.Truncated);
});

test('an oversized frame is refused before decoding', () => {
  const big = new Uint8Array(DEFAULT_MAX_FRAME_BYTES + 1);
  const r = decodeBrokerMessage(big);
  assert.equal(!r.ok && r.error.code, FrameErrorCode.TooLarge);
  const small = decodeAgentMessage(encodeAgentMessage({ snapshot }), 64);
  assert.equal(!small.ok && small.error.code, FrameErrorCode.TooLarge);
});

test('a malformed frame is a typed error', () => {
  // Field 1, wire type 7 (does not exist).
  const r = decodeAgentMessage(new Uint8Array([0x0f, 0x01, 0x02]));
  assert.equal(!r.ok && r.error.code, FrameErrorCode.Malformed);
});

test('a frame with no known body is a typed error', () => {
  // Field 99 as a varint: valid protobuf, but no envelope member.
  const r = decodeBrokerMessage(new Uint8Array([0x98, 0x06, 0x01]));
  assert.equal(!r.ok && r.error.code, FrameErrorCode.NoBody);
});

test('values nested 100k deep do not escape as an exception', () => {
  // Built from the inside out; the frame is the headers outermost-first, then the core.
  const core = Buffer.from([0x08, 0x01]); // Value{kind: UNDEFINED}
  const headers: Buffer[] = [];
  let innerLength = core.length;
  while (innerLength < DEFAULT_MAX_FRAME_BYTES - 64) {
    const propertyHeader = Buffer.concat([Buffer.from([0x12]), varint(innerLength)]); // Property.value = 2
    innerLength += propertyHeader.length;
    const valueHeader = Buffer.concat([Buffer.from([0x22]), varint(innerLength)]); // Value.properties = 4
    innerLength += valueHeader.length;
    headers.push(propertyHeader, valueHeader);
  }
  const frame = Buffer.concat([...headers.reverse(), core]);
  const r = decodeClientEvent(frame);
  // Whatever the decoder makes of it, it must come back as a result.
  assert.equal(typeof r.ok, 'boolean');
});

test('random bytes never throw out of any decoder', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
      for (const decode of [decodeAgentMessage, decodeBrokerMessage, decodeClientEvent, decodeClientMessage]) {
        const r = decode(bytes);
        assert.equal(typeof r.ok, 'boolean');
      }
    }),
    { numRuns: 2000 },
  );
});

test('a peer on another major version is refused with a clear message', () => {
  assert.equal(checkPeerVersion(currentVersion(), 'agent'), undefined);
  const err = checkPeerVersion({ major: 2, minor: 0 }, 'agent');
  assert.equal(err?.code, FrameErrorCode.ProtocolVersion);
  assert.match(err!.message, /agent speaks Keyhole protocol 2\.0, this side speaks 1\.0/);
  assert.equal(checkPeerVersion(undefined, 'client')?.code, FrameErrorCode.ProtocolVersion);
});

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}
