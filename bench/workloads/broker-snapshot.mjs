// A realistic agent snapshot for the broker benchmark, and a cheap way to
// send many of them with distinct ids.
//
// The snapshot is what the agent would capture on a request handler line
// under default limits: 8 frames of which the top 3 carry locals and
// closures (a request with headers, a user, a cart with items, a Map of
// prices, an error, strings cut at the string limit), with masked values
// (email, bearer token, card number, IP address) marked the way the agent
// marks them. It encodes to about 6 KB.
//
// Every frame must carry its own snapshot id (the broker refuses duplicates).
// Re-encoding 6 KB per frame would make the load generator, not the broker,
// the bottleneck on a 2-core machine, so the fixed part is encoded once and
// each frame prepends its own `id` and `captured_at_ms` fields. Protobuf
// readers take fields in any order, so the broker decodes exactly the
// message pb.Snapshot.encode would have produced for the same values.
import protocol from '@keyhole/protocol';

const { pb, encodeAgentMessage, decodeAgentMessage } = protocol;
const K = pb.ValueKind;

const str = (text, masked) => ({ kind: K.STRING, text, ...(masked ? { masked: [masked] } : {}) });
const num = (n) => ({ kind: K.NUMBER, text: String(n) });
const bool = (b) => ({ kind: K.BOOLEAN, text: String(b) });
const prop = (name, value) => ({ name, value });
const obj = (className, props, extra = {}) => ({ kind: K.OBJECT, className, text: className, properties: props, ...extra });
const arr = (items, extra = {}) => ({ kind: K.ARRAY, className: 'Array', text: `Array(${items.length})`, properties: items.map((v, i) => prop(String(i), v)), ...extra });
const masked = (kind) => str(`[MASKED:${kind}]`, kind);

function cartItem(i) {
  return obj('Object', [
    prop('sku', str(`SKU-${10_000 + i * 37}`)),
    prop('name', str(['Espresso beans 1kg', 'Oat milk 6-pack', 'Ceramic mug, blue', 'Grinder burr set', 'Paper filters x200'][i % 5])),
    prop('quantity', num(1 + (i % 3))),
    prop('unitPriceCents', num(1299 + i * 150)),
    prop('giftWrap', bool(i % 2 === 0)),
  ]);
}

function requestValue() {
  return obj('IncomingMessage', [
    prop('method', str('POST')),
    prop('url', str('/api/v2/orders/checkout?cart=c_8Yq2Lr0m&utm_source=newsletter')),
    prop('httpVersion', str('1.1')),
    prop(
      'headers',
      obj('Object', [
        prop('host', str('shop.example.internal')),
        prop('user-agent', str('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36')),
        prop('content-type', str('application/json')),
        prop('content-length', str('1873')),
        prop('authorization', masked('bearer')),
        prop('cookie', masked('cookie')),
        prop('x-forwarded-for', masked('ip')),
        prop('x-request-id', str('5f0c2a7e-3b41-4d0f-9a55-0e8f6c1d2b73')),
        prop('traceparent', str('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')),
      ]),
    ),
    prop('socket', obj('Socket', [], { cut: { reason: pb.CutReason.DEPTH } })),
    prop('complete', bool(true)),
  ]);
}

function userValue() {
  return obj('User', [
    prop('id', str('u_3190284')),
    prop('email', masked('email')),
    prop('displayName', str('Ada L.')),
    prop('phone', masked('phone')),
    prop('roles', arr([str('customer'), str('beta')])),
    prop('createdAt', { kind: K.DATE, text: '2023-04-11T09:21:44.000Z', className: 'Date' }),
    prop('loyaltyPoints', num(4210)),
  ]);
}

function cartValue() {
  const items = Array.from({ length: 12 }, (_, i) => cartItem(i));
  return obj('Cart', [
    prop('id', str('c_8Yq2Lr0m')),
    prop('currency', str('EUR')),
    prop('items', arr(items.slice(0, 10), { cut: { reason: pb.CutReason.COLLECTION_ITEMS, originalSize: 12 } })),
    prop('couponCode', str('SPRING24')),
    prop('payment', obj('Object', [prop('method', str('card')), prop('cardNumber', masked('card')), prop('expiry', str('08/27'))])),
    prop(
      'notes',
      str('Please leave the parcel with the neighbour at number 14 if nobody answers; the bell does not work, knock loudly. Thank you so much for the fast delivery last time, the beans were'.slice(0, 200), undefined),
    ),
  ]);
}

function pricesValue() {
  const entries = ['SKU-10000', 'SKU-10037', 'SKU-10074', 'SKU-10111', 'SKU-10148'].map((k, i) => ({ key: str(k), value: num(1299 + i * 150) }));
  return { kind: K.MAP, className: 'Map', text: 'Map(5)', entries };
}

function errorValue() {
  return {
    kind: K.ERROR,
    className: 'PaymentDeclinedError',
    text: 'PaymentDeclinedError: card [MASKED:card] was declined (insufficient funds)',
    masked: ['card'],
    properties: [prop('code', str('PAYMENT_DECLINED')), prop('retryable', bool(false)), prop('stack', str('PaymentDeclinedError: card [MASKED:card] was declined\n    at chargeCard (/srv/app/dist/payments/charge.js:88:13)\n    at async checkout (/srv/app/dist/orders/checkout.js:142:7)', 'card'))],
  };
}

const FRAMES = [
  ['checkout', 'orders/checkout', 142],
  ['handleCheckout', 'orders/routes', 57],
  ['dispatch', 'http/router', 213],
  ['next', 'http/router', 180],
  ['authenticate', 'http/middleware/auth', 44],
  ['handle', 'http/server', 96],
  ['emit', 'node:events', 517],
  ['parserOnIncoming', 'node:_http_server', 1140],
];

function frame([fn, file, line], index) {
  const node = file.startsWith('node:');
  const f = {
    functionName: fn,
    generated: { path: node ? file : `/srv/app/dist/${file}.js`, line, column: 7 + index },
    ...(node ? {} : { original: { path: `src/${file}.ts`, line: line - 9, column: 5 } }),
    localsCaptured: index < 3,
  };
  if (index === 0) {
    f.scopes = [
      { kind: pb.ScopeKind.LOCAL, variables: [prop('req', requestValue()), prop('user', userValue()), prop('cart', cartValue()), prop('prices', pricesValue()), prop('err', errorValue()), prop('attempt', num(2)), prop('totalCents', num(18734))] },
      { kind: pb.ScopeKind.CLOSURE, name: 'createCheckout', variables: [prop('config', obj('Object', [prop('region', str('eu-west-1')), prop('apiKey', masked('api_key')), prop('timeoutMs', num(2500))]))] },
    ];
  } else if (index < 3) {
    f.scopes = [
      { kind: pb.ScopeKind.LOCAL, variables: [prop('req', obj('IncomingMessage', [], { text: 'IncomingMessage', cut: { reason: pb.CutReason.DEPTH } })), prop('route', str(`/api/v2/orders/${fn}`)), prop('startedAt', num(1718000000000 + index))] },
      { kind: pb.ScopeKind.THIS, variables: [prop('this', obj('Router', [prop('routes', num(48)), prop('name', str('orders'))]))] },
    ];
  }
  return f;
}

/** The fixed fields of the snapshot: everything but `id` and `captured_at_ms`. */
export function snapshotTemplate({ service, probeId, grantId, instanceId }) {
  return {
    probeId,
    grantId,
    service,
    instanceId,
    frames: FRAMES.map(frame),
    framesCut: { reason: pb.CutReason.PROPERTY_COUNT, originalSize: 23 },
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    stats: { durationMicros: 740, encodedBytes: 6000, framesTotal: 23 },
    maskedKinds: ['api_key', 'bearer', 'card', 'cookie', 'email', 'ip', 'phone'],
  };
}

function varint(n) {
  const out = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}

/**
 * Returns `(id, capturedAtMs) => Buffer`: one encoded AgentMessage{snapshot}
 * frame. The fixed part is encoded once; see the file comment. Checked once
 * against the ordinary encoder, so a change to the template or the schema
 * cannot make the load send something else than it claims.
 */
export function snapshotFrameEncoder(template) {
  const fixed = Buffer.from(pb.Snapshot.encode(template).finish());
  const encode = (id, capturedAtMs) => {
    const idBytes = Buffer.from(id, 'utf8');
    const time = Buffer.alloc(9);
    time[0] = (6 << 3) | 1; // field 6, 64-bit
    time.writeDoubleLE(capturedAtMs, 1);
    const body = Buffer.concat([Buffer.from([(1 << 3) | 2]), varint(idBytes.length), idBytes, time, fixed]);
    return Buffer.concat([Buffer.from([(3 << 3) | 2]), varint(body.length), body]); // AgentMessage.snapshot = 3
  };
  const spliced = decodeAgentMessage(encode('s_check', 1_718_000_000_000.5));
  const reference = encodeAgentMessage({ snapshot: { ...template, id: 's_check', capturedAtMs: 1_718_000_000_000.5 } });
  if (!spliced.ok || !Buffer.from(encodeAgentMessage(spliced.message)).equals(Buffer.from(reference))) throw new Error('KH_BENCH_SPLICE: the spliced snapshot frame does not decode to the template');
  return encode;
}

/**
 * True when a snapshot read back from the broker (GET /v1/snapshots/:id)
 * holds exactly what the load sent under that id: its stored protobuf
 * decodes to the template with that id, instance and capture time.
 */
export function snapshotMatchesSent(view, { service, probeId, grantId }) {
  const stored = pb.Snapshot.decode(Buffer.from(view.protobuf, 'base64'));
  const sent = { ...snapshotTemplate({ service, probeId, grantId, instanceId: view.instanceId }), id: view.id, capturedAtMs: view.capturedAtMs };
  return Buffer.from(pb.Snapshot.encode(stored).finish()).equals(Buffer.from(pb.Snapshot.encode(sent).finish()));
}
