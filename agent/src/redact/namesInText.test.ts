import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRedactor } from './piiRedactor';

const redactor = createRedactor({ timeBudgetMs: 10_000 });
const mask = (text: string): string => redactor.maskText(text).text;

test('query strings: the sensitive parameter value only', () => {
  assert.equal(mask('/login?user=ann&password=hunter2&next=/home'), '/login?user=ann&password=[MASKED:password]&next=/home');
  assert.equal(mask('?token=abc&x=1'), '?token=[MASKED:token]&x=1');
  assert.equal(mask('?api-key=k123#frag'), '?api-key=[MASKED:api_key]#frag');
  assert.equal(mask('?page=2&sort=asc'), '?page=2&sort=asc');
});

test('cookies and log fields', () => {
  assert.equal(mask('sid=abc123; theme=dark'), 'sid=[MASKED:sid]; theme=dark');
  assert.equal(mask('login ok user=ann session_id=77af, ms=12'), 'login ok user=ann session_id=[MASKED:session_id], ms=12');
});

test('JSON, and JSON escaped inside a JSON string', () => {
  assert.equal(mask('{"password": "hunter 2", "user":"bob"}'), '{"password": "[MASKED:password]", "user":"bob"}');
  assert.equal(mask('{"pin":1234,"ok":true}'), '{"pin":[MASKED:pin],"ok":true}');
  assert.equal(mask('{"body":"{\\"secret\\":\\"s p a c e\\"}"}'), '{"body":"{\\"secret\\":\\"[MASKED:secret]\\"}"}');
  assert.equal(mask("{'token': 'it\\'s'}"), "{'token': '[MASKED:token]'}");
});

test('a quoted value that never closes (a cut window) is masked to the end', () => {
  assert.equal(mask('{"password":"hunter2 and more tex'), '{"password":"[MASKED:password]');
});

test('header values run to the end of the line; other keys stop at a space', () => {
  assert.equal(mask('Cookie: sid=abc; theme=dark\nAccept: */*'), 'Cookie: [MASKED:cookie]\nAccept: */*');
  assert.equal(mask('Authorization: Digest username="ann", nonce="x"\r\nHost: h'), 'Authorization: [MASKED:authorization]\r\nHost: h');
  assert.equal(mask('token: abc123 status: 200'), 'token: [MASKED:token] status: 200');
});

test('words that are not keys are left alone', () => {
  for (const text of ['https://example.com/path', 'at f (file.js:10:5)', 'spinner=3', 'time 10:30', 'ratio a:b']) assert.equal(mask(text), text);
});
