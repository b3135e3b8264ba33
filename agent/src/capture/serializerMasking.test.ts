import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pb } from '@keyhole/protocol';
import { DROPPED_TEXT } from '../redact/redactor';
import { TEST_LIMITS } from './fixtures/testLimits';
import { createSerializeContext, MASK_LOOKAHEAD, serializeValue, serializeVariables } from './serializer';
import { createTestRedactor, SECRET } from './fixtures/testRedactor';
import { MIN_MASKED_NUMBER_LENGTH } from './serializerLeaves';

const K = pb.ValueKind;

function fresh(options?: { throwOnMask?: boolean }) {
  const redactor = createTestRedactor(options);
  return { redactor, ctx: createSerializeContext(TEST_LIMITS, redactor) };
}

test('strings, symbols, regexps and error messages are masked by value', () => {
  const { ctx } = fresh();
  assert.deepEqual(serializeValue(`token ${SECRET}!`, ctx), { kind: K.STRING, text: 'token [MASKED:secret]!', masked: ['secret'] });
  assert.deepEqual(serializeValue(Symbol(SECRET), ctx), { kind: K.SYMBOL, text: 'Symbol([MASKED:secret])', masked: ['secret'] });
  assert.deepEqual(serializeValue(new RegExp(SECRET), ctx), { kind: K.REGEXP, text: '/[MASKED:secret]/', className: 'RegExp', masked: ['secret'] });
  const err = serializeValue(new Error(`bad ${SECRET}`), ctx);
  assert.equal(err.text, 'Error: bad [MASKED:secret]');
  assert.deepEqual(err.masked, ['secret']);
  assert.deepEqual(
    err.properties?.find((p) => p.name === 'message')?.value,
    { kind: K.STRING, text: 'bad [MASKED:secret]', masked: ['secret'] },
  );
  const stack = err.properties?.find((p) => p.name === 'stack')?.value;
  assert.equal(stack?.text?.includes(SECRET), false);
  assert.deepEqual(stack?.masked, ['secret']);
  assert.deepEqual([...ctx.maskedKinds], ['secret']);
});

test('numbers of MIN_MASKED_NUMBER_LENGTH characters or more go through the redactor (cards, phones)', () => {
  const { ctx, redactor } = fresh();
  serializeValue(10 ** (MIN_MASKED_NUMBER_LENGTH - 1) - 1, ctx);
  assert.deepEqual(redactor.maskedLengths, []);
  serializeValue(4111111111111111, ctx);
  serializeValue(12345678901234567890n, ctx);
  assert.deepEqual(redactor.maskedLengths, [16, 20]);
});

test('a secret straddling the cut is masked whole: the lookahead window is masked before cutting', () => {
  const { ctx, redactor } = fresh();
  const text = 'a'.repeat(250) + SECRET + 'b'.repeat(1000);
  const v = serializeValue(text, ctx);
  assert.deepEqual(v, { kind: K.STRING, text: 'a'.repeat(250) + '[MASK', cut: { reason: pb.CutReason.STRING_LENGTH, originalSize: text.length }, masked: ['secret'] });
  assert.deepEqual(redactor.maskedLengths, [TEST_LIMITS.maxStringLength + MASK_LOOKAHEAD]);
});

test('property names, variable names and Map keys are masked as text', () => {
  const { ctx } = fresh();
  const v = serializeValue({ [`${SECRET}@example.com`]: 1, plain: 2 }, ctx);
  assert.deepEqual(v.properties, [
    { name: '[MASKED:secret]@example.com', value: { kind: K.NUMBER, text: '1', masked: ['secret'] } },
    { name: 'plain', value: { kind: K.NUMBER, text: '2' } },
  ]);
  const vars = serializeVariables({ [SECRET]: true }, ctx);
  assert.deepEqual(vars.variables, [{ name: '[MASKED:secret]', value: { kind: K.BOOLEAN, text: 'true', masked: ['secret'] } }]);
  const map = serializeValue(new Map([[SECRET, 'v']]), ctx);
  assert.deepEqual(map.entries, [{ key: { kind: K.STRING, text: '[MASKED:secret]', masked: ['secret'] }, value: { kind: K.STRING, text: 'v' } }]);
  const sym = serializeValue({ [Symbol(SECRET)]: 1 }, ctx);
  assert.equal(sym.properties?.[0]?.name, '[Symbol([MASKED:secret])]');
});

test('values under sensitive names are masked whole, keeping only their kind, without being read', () => {
  const { ctx } = fresh();
  let read = 0;
  const user = {
    password: { nested: 'deep' },
    dbPassword: 'hunter2',
    get passwordHash(): string {
      read++;
      return 'h';
    },
  };
  const v = serializeValue(user, ctx);
  assert.deepEqual(v.properties, [
    { name: 'password', value: { kind: K.OBJECT, text: '[MASKED:password]', masked: ['password'] } },
    { name: 'dbPassword', value: { kind: K.STRING, text: '[MASKED:password]', masked: ['password'] } },
    { name: 'passwordHash', value: { kind: K.GETTER, text: '[MASKED:password]', masked: ['password'] } },
  ]);
  assert.equal(read, 0);
  const map = serializeValue(new Map<string, unknown>([['Password', [1, 2]]]), ctx);
  assert.deepEqual(map.entries?.[0]?.value, { kind: K.ARRAY, text: '[MASKED:password]', masked: ['password'] });
  const vars = serializeVariables({ password: new Proxy({}, {}) }, ctx);
  assert.deepEqual(vars.variables[0]?.value, { kind: K.PROXY, text: '[MASKED:password]', masked: ['password'] });
  assert.deepEqual([...ctx.maskedKinds], ['password']);
});

test('when masking cannot finish the text is dropped, never sent raw', () => {
  const { ctx } = fresh();
  assert.deepEqual(serializeValue('this is undroppable', ctx), { kind: K.STRING, text: DROPPED_TEXT, masked: ['dropped'] });
  const thrower = fresh({ throwOnMask: true });
  const v = serializeValue({ note: 'plain text', n: 12345678 }, thrower.ctx);
  assert.deepEqual(v.properties, [
    { name: DROPPED_TEXT, value: { kind: K.STRING, text: DROPPED_TEXT, masked: ['dropped'] } },
    { name: DROPPED_TEXT, value: { kind: K.NUMBER, text: DROPPED_TEXT, masked: ['dropped'] } },
  ]);
  assert.deepEqual(
    thrower.ctx.errors.map((e) => e.code),
    ['KH_CAPTURE_MASK_DROPPED', 'KH_CAPTURE_MASK_DROPPED', 'KH_CAPTURE_MASK_DROPPED'],
  );
  assert.deepEqual([...thrower.ctx.maskedKinds], ['dropped']);
});

test('a redactor whose sensitiveName throws masks the value (fail closed)', () => {
  const redactor = createTestRedactor();
  const ctx = createSerializeContext(TEST_LIMITS, {
    maskText: (t) => redactor.maskText(t),
    sensitiveName: () => {
      throw new Error('broken');
    },
  });
  assert.deepEqual(serializeValue({ a: 'x' }, ctx).properties, [{ name: 'a', value: { kind: K.STRING, text: DROPPED_TEXT, masked: ['dropped'] } }]);
});
