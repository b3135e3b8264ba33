import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { basicCredentialValid, cardNumberValid, decodeBase64, ibanValid, ipv4Valid, ipv6Valid, jwtHeaderValid, luhnValid, ssnValid } from './validators';

/** Appends the Luhn check digit to a digit string. */
function withLuhn(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('unreachable');
}

test('luhn: known numbers pass, a changed digit fails', () => {
  assert.ok(luhnValid('4111111111111111'));
  assert.ok(luhnValid('79927398713'));
  assert.ok(!luhnValid('4111111111111112'));
  assert.ok(!luhnValid(''));
  assert.ok(!luhnValid('41a1'));
});

test('luhn: property, any single-digit change breaks the check', () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[0-9]{12,18}$/), fc.nat(), fc.integer({ min: 1, max: 9 }), (body, pos, delta) => {
      const n = withLuhn(body);
      const i = pos % n.length;
      const changed = n.slice(0, i) + ((Number(n[i]) + delta) % 10) + n.slice(i + 1);
      assert.ok(luhnValid(n));
      assert.ok(!luhnValid(changed), changed);
    }),
    { numRuns: 300 },
  );
});

test('card numbers need 13-19 digits and an issuing first digit', () => {
  assert.ok(cardNumberValid('4111111111111111'));
  assert.ok(cardNumberValid('378282246310005'));
  assert.ok(!cardNumberValid(withLuhn('1732291200000'.slice(0, 12))), 'a 13-digit millisecond timestamp');
  assert.ok(!cardNumberValid(withLuhn('41111111111')), '12 digits');
  assert.ok(!cardNumberValid(withLuhn('4'.repeat(19))), '20 digits');
  assert.ok(!cardNumberValid(withLuhn('811111111111111')));
});

test('iban: checksum, country and length', () => {
  assert.ok(ibanValid('DE89370400440532013000'));
  assert.ok(ibanValid('gb82west12345698765432'));
  assert.ok(ibanValid('NO9386011117947'));
  assert.ok(!ibanValid('DE89370400440532013001'), 'checksum');
  assert.ok(!ibanValid('DE8937040044053201300'), 'length');
  assert.ok(!ibanValid('XX89370400440532013000'), 'country');
  assert.ok(!ibanValid('DEAB370400440532013000'), 'check digits');
});

test('ssn: never-issued areas, groups and serials are refused', () => {
  assert.ok(ssnValid('123', '45', '6789'));
  for (const [a, g, s] of [['000', '12', '3456'], ['666', '12', '3456'], ['900', '12', '3456'], ['999', '12', '3456'], ['123', '00', '4567'], ['123', '45', '0000']]) {
    assert.ok(!ssnValid(a!, g!, s!), `${a}-${g}-${s}`);
  }
});

test('ipv4 octets are 0-255', () => {
  assert.ok(ipv4Valid(['192', '168', '0', '1']));
  assert.ok(ipv4Valid(['255', '255', '255', '255']));
  assert.ok(!ipv4Valid(['256', '1', '1', '1']));
  assert.ok(!ipv4Valid(['999', '1', '1', '1']));
  assert.ok(!ipv4Valid(['1', '1', '1']));
});

test('ipv6 uses a real parser', () => {
  assert.ok(ipv6Valid('2001:db8::1'));
  assert.ok(ipv6Valid('::ffff:192.0.2.1'));
  assert.ok(!ipv6Valid('2001:db8:::1'));
  assert.ok(!ipv6Valid('12:30:45'));
});

test('base64 and base64url decode; junk does not', () => {
  assert.equal(decodeBase64('dXNlcjpwYXNz'), 'user:pass');
  assert.equal(decodeBase64('eyJhbGciOiJub25lIn0'), '{"alg":"none"}');
  assert.equal(decodeBase64('a'), undefined);
  assert.equal(decodeBase64('ab!d'), undefined);
});

test('jwt header must be JSON with a string alg', () => {
  assert.ok(jwtHeaderValid('eyJhbGciOiJIUzI1NiJ9'));
  assert.ok(!jwtHeaderValid('eyJub3RhbGciOjF9'), '{"notalg":1}');
  assert.ok(!jwtHeaderValid('eyJhbGciOjF9'), '{"alg":1}');
  assert.ok(!jwtHeaderValid('eyJfoo'));
});

test('basic credentials decode to user:password', () => {
  assert.ok(basicCredentialValid('dXNlcjpwYXNz'));
  assert.ok(!basicCredentialValid('dXNlcm5hbWU='), 'no colon');
  assert.ok(!basicCredentialValid('dXNlcjo='), 'empty password');
  assert.ok(!basicCredentialValid('usage'));
});
