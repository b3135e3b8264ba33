import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { openTempStore, type TempStore } from '../testing/tempStore';
import { appendAudit, AuditProblem, type AuditVerification, exportAudit, verifyAudit, verifyAuditExport } from './auditLog';
import { hashAuditRow } from './canonical';

async function withLog(rows: number, body: (t: TempStore, tamper: Database.Database) => Promise<void>): Promise<void> {
  const t = openTempStore();
  const tamper = new Database(t.path);
  try {
    for (let i = 1; i <= rows; i++) {
      await t.store.transaction((r) => appendAudit(r, { actor: 'ann', action: 'grant.approve', subject: `g${i}`, details: { n: i, why: 'ticket OPS-1' } }, 1_700_000_000_000 + i));
    }
    await body(t, tamper);
  } finally {
    tamper.close();
    await t.dispose();
  }
}

/** Verifies the tampered chain: fails the test if it still verifies, else returns what verification found. */
async function verifyFails(t: TempStore): Promise<Extract<AuditVerification, { ok: false }>> {
  const v = await verifyAudit(t.store);
  if (v.ok) assert.fail(`the tampered chain verified (${v.rows} rows)`);
  return v;
}

/** Inserts at `seq` a row by mallory whose hash is correct for its own content and which links to `prevHash`. */
function insertForgedRow(db: Database.Database, seq: number, prevHash: string): void {
  const forged = { seq, atMs: 1, actor: 'mallory', action: 'grant.approve', subject: 'g-evil', details: '{}', prevHash };
  db.prepare('INSERT INTO audit (seq, at_ms, actor, action, subject, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    seq, forged.atMs, forged.actor, forged.action, forged.subject, forged.details, prevHash, hashAuditRow(forged),
  );
}

test('an untouched chain verifies, and an empty one too', async () => {
  await withLog(0, async (t) => {
    assert.deepEqual(await verifyAudit(t.store), { ok: true, rows: 0, headHash: '0'.repeat(64) });
  });
  await withLog(5, async (t) => {
    const v = await verifyAudit(t.store);
    assert.equal(v.ok, true);
    assert.equal(v.rows, 5);
  });
});

test('each row links to the previous one and hashes its own content', async () => {
  await withLog(3, async (_t, db) => {
    const rows = db.prepare('SELECT * FROM audit ORDER BY seq').all() as { seq: number; prev_hash: string; hash: string }[];
    assert.equal(rows[0]?.prev_hash, '0'.repeat(64));
    assert.equal(rows[1]?.prev_hash, rows[0]?.hash);
    assert.equal(rows[2]?.prev_hash, rows[1]?.hash);
  });
});

test('editing one byte of a row\'s details is named at that row', async () => {
  await withLog(5, async (t, db) => {
    const { details } = db.prepare('SELECT details FROM audit WHERE seq = 3').get() as { details: string };
    const edited = details.replace('"n":3', '"n":4');
    assert.notEqual(edited, details);
    assert.equal(edited.length, details.length, 'exactly one byte changed');
    db.prepare('UPDATE audit SET details = ? WHERE seq = 3').run(edited);
    const v = await verifyFails(t);
    assert.equal(v.fault.seq, 3);
    assert.equal(v.fault.problem, AuditProblem.HashMismatch);
    assert.equal(v.rows, 2, 'rows before the bad one were good');
  });
});

test('a row edited and re-hashed still breaks the link from the next row', async () => {
  await withLog(5, async (t, db) => {
    const row = db.prepare('SELECT * FROM audit WHERE seq = 2').get() as { at_ms: number; action: string; subject: string; details: string; prev_hash: string };
    const forged = { seq: 2, atMs: row.at_ms, actor: 'mallory', action: row.action, subject: row.subject, details: row.details, prevHash: row.prev_hash };
    db.prepare('UPDATE audit SET actor = ?, hash = ? WHERE seq = 2').run('mallory', hashAuditRow(forged));
    const v = await verifyFails(t);
    assert.deepEqual([v.fault.seq, v.fault.problem], [3, AuditProblem.ChainBroken]);
  });
});

test('a deleted row is named by the gap it leaves', async () => {
  await withLog(5, async (t, db) => {
    db.prepare('DELETE FROM audit WHERE seq = 2').run();
    const v = await verifyFails(t);
    assert.deepEqual([v.fault.seq, v.fault.problem], [3, AuditProblem.SeqGap]);
    assert.match(v.fault.message, /rows 2\.\.2 are missing/);
  });
});

test('rows cut off the end are caught by the stored head', async () => {
  await withLog(5, async (t, db) => {
    db.prepare('DELETE FROM audit WHERE seq >= 4').run();
    const v = await verifyFails(t);
    assert.deepEqual([v.fault.seq, v.fault.problem], [4, AuditProblem.HeadMismatch]);
  });
});

test('two swapped rows are named at the first of them', async () => {
  await withLog(5, async (t, db) => {
    db.transaction(() => {
      db.prepare('UPDATE audit SET seq = -1 WHERE seq = 2').run();
      db.prepare('UPDATE audit SET seq = 2 WHERE seq = 3').run();
      db.prepare('UPDATE audit SET seq = 3 WHERE seq = -1').run();
    })();
    const v = await verifyFails(t);
    assert.deepEqual([v.fault.seq, v.fault.problem], [2, AuditProblem.HashMismatch]);
  });
});

test('a forged row inserted in the middle is named', async () => {
  await withLog(5, async (t, db) => {
    // Make room at seq 3 by moving rows 3..5 up one, then insert a forged row
    // whose hash is correct for its own content and links to row 2.
    db.transaction(() => {
      for (const seq of [5, 4, 3]) db.prepare('UPDATE audit SET seq = ? WHERE seq = ?').run(seq + 1, seq);
      const prev = db.prepare('SELECT hash FROM audit WHERE seq = 2').get() as { hash: string };
      insertForgedRow(db, 3, prev.hash);
    })();
    const v = await verifyFails(t);
    assert.deepEqual([v.fault.seq, v.fault.problem], [4, AuditProblem.HashMismatch]);
  });
});

test('a correctly chained row appended behind the broker\'s back is named', async () => {
  await withLog(3, async (t, db) => {
    const prev = db.prepare('SELECT hash FROM audit WHERE seq = 3').get() as { hash: string };
    insertForgedRow(db, 4, prev.hash);
    const v = await verifyFails(t);
    assert.deepEqual([v.fault.seq, v.fault.problem], [4, AuditProblem.HeadMismatch]);
  });
});

test('export writes one JSON line per row, in order, with the chain fields', async () => {
  await withLog(3, async (t) => {
    const out = join(t.dir, 'audit.jsonl');
    assert.equal(await exportAudit(t.store, out), 3);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(lines.map((l) => l.seq), [1, 2, 3]);
    assert.deepEqual(lines[1]?.details, { n: 2, why: 'ticket OPS-1' });
    assert.equal(lines[1]?.prevHash, lines[0]?.hash);
    for (const l of lines) {
      const recomputed = hashAuditRow({
        seq: l.seq as number,
        atMs: l.atMs as number,
        actor: l.actor as string,
        action: l.action as string,
        subject: l.subject as string,
        details: l.detailsCanonical as string,
        prevHash: l.prevHash as string,
      });
      assert.equal(recomputed, l.hash, 'an export can be verified without the database');
    }
  });
});

test('an export verifies on its own, and an edited or shortened-in-the-middle export does not', async () => {
  await withLog(4, async (t) => {
    const out = join(t.dir, 'audit.jsonl');
    await exportAudit(t.store, out);
    const text = readFileSync(out, 'utf8');
    const good = verifyAuditExport(text);
    const db = await verifyAudit(t.store);
    assert.equal(good.ok, true);
    assert.equal(db.ok && good.ok && good.headHash === db.headHash, true, 'the export ends where the database does');

    const lines = text.trimEnd().split('\n');
    const edited = lines.map((l, i) => (i === 1 ? l.replace('"actor":"ann"', '"actor":"eve"') : l)).join('\n');
    const e = verifyAuditExport(edited);
    assert.equal(e.ok ? 0 : e.fault.seq, 2);
    const missing = verifyAuditExport([lines[0], lines[2], lines[3]].join('\n'));
    assert.equal(missing.ok ? '' : missing.fault.problem, AuditProblem.SeqGap);
    assert.equal(verifyAuditExport('{not json').ok, false);
  });
});
