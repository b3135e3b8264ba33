import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { type Command } from 'commander';
import { auditRowToJsonLine, exportAudit, verifyAudit, verifyAuditExport, type AuditVerification } from '../../audit/auditLog';
import { canonicalJson } from '../../audit/canonical';
import { SqliteStore } from '../../store/sqlite/sqliteStore';
import { type CliContext, printJson, table } from '../context';
import { CliError, ExitCode } from '../exitCodes';

interface AuditJson {
  seq: number;
  atMs: number;
  actor: string;
  action: string;
  subject: string;
  details: unknown;
  prevHash: string;
  hash: string;
}

/** Pages the broker hands out per request (its maximum). */
const PAGE = 1000;

async function withReadonlyStore<T>(path: string, work: (store: SqliteStore) => Promise<T>): Promise<T> {
  const store = SqliteStore.open(path, { readonly: true });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

function readExport(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new CliError(ExitCode.Usage, 'KH_USAGE', `cannot read ${path}`, 'pass a file written by `keyhole audit export`');
  }
}

export function registerAuditCommands(program: Command, ctx: CliContext): void {
  const audit = program.command('audit').description('the hash-chained audit log (ops, admin)');
  audit
    .command('list')
    .description('list audit rows')
    .option('--after <seq>', 'start after this seq', '0')
    .option('--limit <n>', `at most this many rows (1..${PAGE})`, '100')
    .option('--json', 'print JSON')
    .action(async (o: { after: string; limit: string; json?: boolean }, cmd: Command) => {
      const rows = await ctx.client(cmd).call<AuditJson[]>('GET', `/v1/audit?after=${encodeURIComponent(o.after)}&limit=${encodeURIComponent(o.limit)}`);
      if (o.json) return printJson(ctx, rows);
      ctx.out(table([['SEQ', 'TIME', 'ACTOR', 'ACTION', 'SUBJECT'], ...rows.map((r) => [String(r.seq), new Date(r.atMs).toISOString(), r.actor, r.action, r.subject])]));
    });
  audit
    .command('verify')
    .description('check the whole chain; names the first bad row')
    .option('--db <path>', 'verify this database file directly (read-only) instead of asking the broker')
    .option('--file <path>', 'verify an export written by `audit export` on its own')
    .option('--json', 'print JSON')
    .action(async (o: { db?: string; file?: string; json?: boolean }, cmd: Command) => {
      const v: AuditVerification = o.file
        ? verifyAuditExport(readExport(o.file))
        : o.db
          ? await withReadonlyStore(o.db, verifyAudit)
          : await ctx.client(cmd).call<AuditVerification>('GET', '/v1/audit/verify');
      if (o.json) printJson(ctx, v);
      else if (v.ok) ctx.out(`ok: ${v.rows} rows, head ${v.headHash}\n`);
      if (!v.ok) {
        throw new CliError(ExitCode.AuditInvalid, v.fault.problem, `audit chain broken at row ${v.fault.seq}: ${v.fault.message}`, 'compare with an earlier export (`keyhole audit export`) and investigate who had write access to the database');
      }
    });
  audit
    .command('export')
    .description('write the whole log as JSON lines')
    .requiredOption('--out <path>', 'the file to write')
    .option('--db <path>', 'export from this database file directly (read-only)')
    .action(async (o: { out: string; db?: string }, cmd: Command) => {
      let n = 0;
      if (o.db) {
        n = await withReadonlyStore(o.db, (store) => exportAudit(store, o.out));
      } else {
        const client = ctx.client(cmd);
        const fd = openSync(o.out, 'w', 0o600);
        try {
          for (let after = 0; ; ) {
            const rows = await client.call<AuditJson[]>('GET', `/v1/audit?after=${after}&limit=${PAGE}`);
            // The same line format as a direct export, so either can be checked with `audit verify --file`.
            for (const r of rows) writeSync(fd, auditRowToJsonLine({ ...r, details: canonicalJson(r.details) }) + '\n');
            n += rows.length;
            const last = rows[rows.length - 1];
            if (!last || rows.length < PAGE) break;
            after = last.seq;
          }
        } finally {
          closeSync(fd);
        }
      }
      ctx.err(`${n} rows written to ${o.out}\n`);
    });
}
