import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRedactor } from './piiRedactor';
import { VALUE_DETECTORS } from './detectors';

// What is detected, not how fast: a loaded test machine must not turn a slow call into a drop.
const redactor = createRedactor({ timeBudgetMs: 10_000 });

/** Each kind: texts whose secret part must be masked under that kind, and near-misses that must stay as they are. */
const CASES: Record<string, { positive: Array<[text: string, secret: string]>; negative: string[] }> = {
  email: {
    positive: [
      ['contact john.doe@example.com now', 'john.doe@example.com'],
      ['a+tag@sub.example.co.uk.', 'a+tag@sub.example.co.uk'],
      ['?to=jane%40example.org&x=1', 'jane%40example.org'],
      ['jane%40example.org', 'jane%40example.org'],
      ['{"mail":"x_y-z@mail.example.io"}', 'x_y-z@mail.example.io'],
    ],
    negative: ['user@localhost', 'a @ b', 'foo@bar', 'name@-bad.com', '@handle on social', 'x@y.c1'],
  },
  card: {
    positive: [
      ['card 4111 1111 1111 1111 exp 12/29', '4111 1111 1111 1111'],
      ['4111-1111-1111-1111', '4111-1111-1111-1111'],
      ['amex 378282246310005;', '378282246310005'],
      ['mc 5555555555554444', '5555555555554444'],
      ['card 4111 1111 1111 1111 2024', '4111 1111 1111 1111'],
    ],
    negative: ['4111111111111112', 'ts 1732291200000', 'order 12345678901234567890123', 'id4111111111111111', 'pi 0.4111111111111111', '8111111111111119', '420144 6604399', '41 1111 1111 1111 11'],
  },
  iban: {
    positive: [
      ['IBAN DE89 3704 0044 0532 0130 00 ok', 'DE89 3704 0044 0532 0130 00'],
      ['GB82WEST12345698765432', 'GB82WEST12345698765432'],
      ['to fr1420041010050500013m02606.', 'fr1420041010050500013m02606'],
      ['NO9386011117947', 'NO9386011117947'],
      ['DE89370400440532013000EUR', 'DE89370400440532013000'],
    ],
    negative: ['de89370400440532013000ab12', 'GB82WEST12345698765433', 'DE89 3704 0044 0532 0130 01', 'ZZ89370400440532013000', 'DE8937040044053201300'],
  },
  ssn: {
    positive: [
      ['ssn 123-45-6789', '123-45-6789'],
      ['ssn: 078 05 1120', '078 05 1120'],
    ],
    negative: ['000-12-3456', '666-12-3456', '912-34-5678', '123-00-4567', '123-45-0000', '123-45 6789', '1234-56-7890'],
  },
  phone: {
    positive: [
      ['call +1 (415) 555-2671.', '+1 (415) 555-2671'],
      ['+14155552671', '+14155552671'],
      ['tel (555) 123-4567', '(555) 123-4567'],
      ['555-123-4567', '555-123-4567'],
      ['uk 020 7946 0958', '020 7946 0958'],
      ['fr 06 12 34 56 78', '06 12 34 56 78'],
      ['+44 20 7946 0958', '+44 20 7946 0958'],
    ],
    negative: ['order 1234567890', '2024-01-15 10:30:00', '15-01-2024 10:30', 'v +3.14159265358', '1 2 3 4 5 6 7 8 9 10', '+0123456789', 'id 555-1234'],
  },
  ipv4: {
    positive: [
      ['from 192.168.1.20 port', '192.168.1.20'],
      ['0.0.0.0', '0.0.0.0'],
      ['host=10.0.0.255:8080', '10.0.0.255'],
    ],
    negative: ['999.1.1.1', '256.1.1.1', '1.2.3', 'version 1.2.3.4.5'],
  },
  ipv6: {
    positive: [
      ['v6 2001:db8::8a2e:370:7334 ok', '2001:db8::8a2e:370:7334'],
      ['[fe80::1ff:fe23:4567:890a]:443', 'fe80::1ff:fe23:4567:890a'],
      ['ip:2001:db8::1', '2001:db8::1'],
      ['full 2001:0db8:85a3:0000:0000:8a2e:0370:7334', '2001:0db8:85a3:0000:0000:8a2e:0370:7334'],
    ],
    negative: ['time 12:30:45', 'mac 00:1a:2b:3c:4d:5e', 'std::vector', '1:2:3', 'a::b'],
  },
  jwt: {
    positive: [
      ['auth eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-_123 done', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-_123'],
      ['cut eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkw', 'eyJzdWIiOiIxMjM0NTY3ODkw'],
    ],
    negative: ['eyJub3RhbGciOjF9.eyJzdWIiOiIxIn0.sig', 'eyJfoo.bar.baz', 'heyJabcd.efgh.ijkl'],
  },
  bearer: {
    positive: [
      ['Authorization: Bearer abcdEFGH12345678', 'abcdEFGH12345678'],
      ['bearer 0123456789abcdef=', '0123456789abcdef='],
      ['BeArEr AbCdEfGhIjKlMnOp', 'AbCdEfGhIjKlMnOp'],
    ],
    negative: ['Bearer authentication', 'the bearer of news', 'Bearer short1'],
  },
  basic: {
    positive: [['Authorization: Basic dXNlcjpwYXNz', 'dXNlcjpwYXNz']],
    negative: ['Basic usage', 'basic dXNlcm5hbWU=', 'Basic !!!!'],
  },
  aws_key: {
    positive: [['key AKIAIOSFODNN7EXAMPLE,', 'AKIAIOSFODNN7EXAMPLE'], ['ASIAY34FZKBOKMUTVV7A', 'ASIAY34FZKBOKMUTVV7A']],
    negative: ['AKIAshort', 'XAKIAIOSFODNN7EXAMPLE'],
  },
  github_token: {
    positive: [['t=ghp_16C7e42F292c6912E7710c838347Ae178B4a ', 'ghp_16C7e42F292c6912E7710c838347Ae178B4a'], ['github_pat_11ABCDEFG0123456789_abcdefghij', 'github_pat_11ABCDEFG0123456789_abcdefghij']],
    negative: ['ghp_short', 'aghp_16C7e42F292c6912E7710c838347Ae178B4a'],
  },
  stripe_key: {
    positive: [['sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'], ['rk_live_abcdefghijklmn', 'rk_live_abcdefghijklmn']],
    negative: ['sk_live_', 'pk_live_abcdefghijklmn'],
  },
  slack_token: {
    positive: [['xoxb-123456789012-abcdefABCDEF', 'xoxb-123456789012-abcdefABCDEF'], ['xoxp-1234-5678-abcd', 'xoxp-1234-5678-abcd']],
    negative: ['xoxz-123456789012', 'xoxb-short'],
  },
  google_api_key: {
    positive: [['key=AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe', 'AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe']],
    negative: ['AIzaShort'],
  },
  private_key: {
    positive: [
      ['x -----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY----- y', 'MIIEpAIBAAKCAQEA'],
      ['-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA', 'b3BlbnNzaC1rZXktdjEAAAAA'],
      ['-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBF', 'lQOYBF'],
    ],
    negative: ['-----BEGIN PUBLIC KEY-----\nMFkw', '-----BEGIN CERTIFICATE-----\nMIIB'],
  },
  password: {
    positive: [['postgres://app:s3cr3t!@db.internal:5432/x', 's3cr3t!']],
    negative: ['https://example.com/a:b@c'],
  },
};

test('every built-in detector has unit cases', () => {
  for (const d of VALUE_DETECTORS) assert.ok(CASES[d.kind], `no cases for ${d.kind}`);
});

for (const [kind, { positive, negative }] of Object.entries(CASES)) {
  test(`${kind}: masks what it must`, () => {
    for (const [text, secret] of positive) {
      const r = redactor.maskText(text);
      assert.equal(r.dropped, false, text);
      assert.ok(!r.text.includes(secret), `${JSON.stringify(text)} -> ${JSON.stringify(r.text)} still holds ${secret}`);
      assert.ok(r.kinds.includes(kind), `${JSON.stringify(text)} -> kinds ${r.kinds.join(',')}, want ${kind}`);
      assert.ok(r.text.includes(`[MASKED:${kind}]`), r.text);
    }
  });
  test(`${kind}: leaves near-misses alone`, () => {
    for (const text of negative) {
      const r = redactor.maskText(text);
      assert.ok(!r.kinds.includes(kind), `${JSON.stringify(text)} was masked as ${kind}: ${r.text}`);
    }
  });
}

test('only the matching span is masked inside a longer text', () => {
  const r = redactor.maskText('GET /u?id=7 from 203.0.113.9 by ann@example.com at 12:00');
  assert.equal(r.text, 'GET /u?id=7 from [MASKED:ipv4] by [MASKED:email] at 12:00');
  assert.deepEqual(r.kinds, ['ipv4', 'email']);
});

test('overlapping findings merge into one span under the more specific kind', () => {
  // The header value is sensitive by name and by shape; it is reported as bearer.
  const r = redactor.maskText('Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc');
  assert.equal(r.text, 'Authorization: [MASKED:jwt]');
});

test('a private key whose END is outside the window is masked to the end of the text', () => {
  const r = redactor.maskText('key: -----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIIrYSSNQFaA2Hwf1duRSxKtLYX5CB04fSeQ6tF1aY');
  assert.equal(r.text, 'key: [MASKED:private_key]');
});

test('an IPv4-mapped IPv6 address is masked whole', () => {
  const r = redactor.maskText('peer ::ffff:192.0.2.128 closed');
  assert.match(r.text, /^peer \[MASKED:ipv[46]\] closed$/);
});

test('text without anything to mask comes back as the same string', () => {
  const text = 'hello world, order 12345 shipped at 2024-01-15T10:30:00Z (v1.2.3)';
  const r = redactor.maskText(text);
  assert.equal(r.text, text);
  assert.deepEqual(r.kinds, []);
});
