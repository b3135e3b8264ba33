import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createRedactor, MaskingPolicyError, UNCHECKED_NAME_KIND } from './piiRedactor';
import { DROPPED_TEXT } from './redactor';

const generous = { timeBudgetMs: 10_000 };

test('a masked value never carries its length unless ops opt in', () => {
  const plain = createRedactor(generous).maskText('mail ann@example.com');
  assert.equal(plain.text, 'mail [MASKED:email]');
  const revealing = createRedactor({ ...generous, revealLength: true }).maskText('mail ann@example.com');
  assert.equal(revealing.text, 'mail [MASKED:email len=15]');
});

test('extra names and patterns from the policy are masked; exempt names are not masked by name', () => {
  const r = createRedactor({ ...generous, extraNames: ['customerRef'], extraPatterns: [{ kind: 'employee_id', pattern: 'EMP-\\d{6}' }], exemptNames: ['sessionData'] });
  assert.equal(r.sensitiveName('customer_ref'), 'customer_ref');
  assert.equal(r.sensitiveName('sessionData'), undefined);
  assert.equal(r.sensitiveName('session'), 'session');
  assert.equal(r.maskText('by EMP-123456 for customer_ref=C-77').text, 'by [MASKED:employee_id] for customer_ref=[MASKED:customer_ref]');
});

test('an invalid policy is refused at creation with every problem', () => {
  assert.throws(() => createRedactor({ extraPatterns: [{ kind: 'x', pattern: '(a*)*' }] }), (e: unknown) => {
    assert.ok(e instanceof MaskingPolicyError);
    assert.equal(e.code, 'KH_MASKING_POLICY_INVALID');
    assert.match(e.message, /unbounded/);
    return true;
  });
});

test('fail closed: a text whose masking runs past the time budget is dropped', () => {
  let t = 0;
  let reads = 0;
  // Each clock read advances 1 ms against a 2 ms budget.
  const r = createRedactor({ timeBudgetMs: 2 }, () => {
    reads++;
    return (t += 1);
  });
  // A long text has the clock read after every detector that ran: dropped at the third (email, card, iban), on both passes.
  reads = 0;
  const long = 'ann@example.com 4111 1111 1111 1111 +1 415 555 2671 192.0.2.1 ' + 'padding '.repeat(20);
  assert.deepEqual(r.maskText(long), { text: '', kinds: [], dropped: true });
  assert.equal(reads, 8);
  // A short text has it read at the start and the end: 1 ms elapsed, within budget.
  reads = 0;
  assert.deepEqual(r.maskText('mail ann@example.com'), { text: 'mail [MASKED:email]', kinds: ['email'], dropped: false });
  assert.equal(reads, 2);
  // A text that no detector looks at finishes within budget too.
  assert.deepEqual(r.maskText('plain words only'), { text: 'plain words only', kinds: [], dropped: false });
});

test('fail closed: a short text is dropped when the end-of-text clock check is over budget', () => {
  let t = 0;
  const r = createRedactor({ timeBudgetMs: 2 }, () => (t += 5));
  assert.equal(r.maskText('mail ann@example.com').dropped, true);
});

test('fail closed: a redactor whose clock throws drops instead of throwing', () => {
  const r = createRedactor({}, () => {
    throw new Error('clock broke');
  });
  assert.equal(r.maskText('anything at all').dropped, true);
  assert.equal(r.maskText(42 as unknown as string).dropped, true);
});

test('text past maxScanLength is cut and marked, never passed through unscanned', () => {
  const r = createRedactor({ ...generous, maxScanLength: 20 });
  const result = r.maskText('a'.repeat(20) + 'bob@example.com');
  assert.equal(result.text, 'a'.repeat(20) + '[MASKED:unscanned]');
  assert.deepEqual(result.kinds, ['unscanned']);
});

test('a host that replaces String and RegExp methods changes nothing', () => {
  const r = createRedactor(generous);
  const saved = { exec: RegExp.prototype.exec, indexOf: String.prototype.indexOf, slice: String.prototype.slice, parse: JSON.parse };
  let calls = 0;
  try {
    RegExp.prototype.exec = function () {
      calls++;
      return null;
    };
    String.prototype.indexOf = function () {
      calls++;
      return -1;
    };
    JSON.parse = () => {
      calls++;
      return {};
    };
    const result = r.maskText('token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc for ann@example.com');
    assert.equal(result.text, 'token [MASKED:jwt] for [MASKED:email]');
  } finally {
    RegExp.prototype.exec = saved.exec;
    String.prototype.indexOf = saved.indexOf;
    JSON.parse = saved.parse;
  }
  assert.equal(calls, 0);
});

test('sensitiveName fails closed', () => {
  const r = createRedactor(generous);
  assert.equal(r.sensitiveName(Symbol('x') as unknown as string), UNCHECKED_NAME_KIND);
});

test('property: plain words and small numbers are never masked', () => {
  const r = createRedactor(generous);
  const word = fc.stringMatching(/^[A-Za-z]{1,12}$/);
  // Up to 3 digits: runs of 4-digit numbers can legitimately be written like a card.
  const small = fc.integer({ min: 0, max: 999 }).map(String);
  fc.assert(
    fc.property(fc.array(fc.oneof(word, small), { minLength: 1, maxLength: 30 }), (parts) => {
      const text = parts.join(' ');
      assert.equal(r.maskText(text).text, text);
    }),
    { numRuns: 500 },
  );
});

test('property: a Luhn-valid card number is masked wherever it sits in a text', () => {
  const r = createRedactor(generous);
  const card = fc.stringMatching(/^4[0-9]{14}$/).map((body) => {
    for (let d = 0; d <= 9; d++) {
      const n = body + d;
      let sum = 0;
      for (let i = 0; i < n.length; i++) {
        let v = Number(n[n.length - 1 - i]);
        if (i % 2 === 1) v = v * 2 > 9 ? v * 2 - 9 : v * 2;
        sum += v;
      }
      if (sum % 10 === 0) return n;
    }
    throw new Error('unreachable');
  });
  fc.assert(
    fc.property(fc.stringMatching(/^[a-z ]{0,40}$/), card, fc.stringMatching(/^[a-z ]{0,40}$/), fc.constantFrom('', ' ', '-'), (before, n, after, sep) => {
      const written = sep ? n.replace(/(\d{4})(?=\d)/g, `$1${sep}`) : n;
      const out = r.maskText(`${before} ${written} ${after}`);
      assert.ok(!out.text.includes(written), out.text);
      assert.ok(out.kinds.includes('card'));
    }),
    { numRuns: 300 },
  );
});

test('DROPPED_TEXT is what the serializer shows for a dropped value', () => {
  assert.equal(DROPPED_TEXT, '[DROPPED:masking]');
});
