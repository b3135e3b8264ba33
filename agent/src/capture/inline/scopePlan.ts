/**
 * Which variables are in scope at a code position, found by parsing the
 * script once when a probe is armed (acorn) and analysing its scopes
 * (eslint-scope, the scope analyser ESLint itself runs on). The pause-free
 * capture reads exactly these names inside the breakpoint condition, so the
 * plan is made once per probe, never per hit.
 */
import { parse, type Options } from 'acorn';
import { analyze, type Scope, type Variable } from 'eslint-scope';
import type * as ESTree from 'estree';
import { pb } from '@keyhole/protocol';

/**
 * Largest script (in UTF-16 units) parsed for a pause-free plan. Parsing a
 * bundle of several MB costs tens of ms once, at arming, outside any hit;
 * beyond this size the probe captures by pausing instead. Default 4 Mi.
 */
export const MAX_SCOPE_ANALYSIS_CHARS = 4 * 1024 * 1024;

export interface PlannedBinding {
  readonly name: string;
  /**
   * A let, const or class declared later in the probe's own function: at the
   * probe it is certainly in its temporal dead zone. Debug-evaluate would read
   * such a binding as `undefined`, so it is marked, not read.
   */
  readonly uninitialized: boolean;
}

export interface PlannedScope {
  readonly kind: pb.ScopeKind;
  /** The function's name for local and closure scopes, '' otherwise. */
  readonly name: string;
  /** At most `maxBindings` of them, in declaration order. */
  readonly bindings: readonly PlannedBinding[];
  /** How many bindings the scope has in all (more than `bindings.length` when cut). */
  readonly total: number;
  /**
   * The scope belongs to an enclosing function or the module, whose
   * variables V8 may have optimised away (then a read falls through to the
   * global object). The probe's own function's variables are always there.
   */
  readonly outer: boolean;
}

export type ScopePlanResult = { ok: true; scopes: PlannedScope[] } | { ok: false; reason: string };

const PARSE_OPTIONS: Options = {
  ecmaVersion: 'latest',
  allowHashBang: true,
  allowReturnOutsideFunction: true,
  allowAwaitOutsideFunction: true,
  allowImportExportEverywhere: false,
  ranges: true,
};

/** Names V8 does not list as variables of a frame, or that debug-evaluate reads differently. */
const NOT_READ = new Set(['arguments', 'eval']);

const FUNCTION_LIKE = new Set(['function', 'class-field-initializer', 'class-static-block']);
const BLOCK_LIKE = new Set(['block', 'for', 'switch']);

/**
 * The scopes (innermost first, the global scope left out) visible at a
 * 1-based line and column of `source`. `module` says how V8 compiled it: an
 * ES module, or a CommonJS/script body (Node wraps CommonJS in a function,
 * so its top-level names form a function scope).
 */
export function planScopes(source: string, line1: number, column1: number, module: boolean, maxBindings: number): ScopePlanResult {
  if (source.length > MAX_SCOPE_ANALYSIS_CHARS) return { ok: false, reason: `the script is ${source.length} characters, more than the ${MAX_SCOPE_ANALYSIS_CHARS} analysed for a pause-free capture` };
  const offset = offsetOf(source, line1, column1);
  if (offset === undefined) return { ok: false, reason: `line ${line1} is not in the script` };
  let program: ESTree.Program;
  try {
    program = parse(source, { ...PARSE_OPTIONS, sourceType: module ? 'module' : 'script' }) as unknown as ESTree.Program;
  } catch (err) {
    return { ok: false, reason: `the script could not be parsed: ${err instanceof Error ? err.message : String(err)}` };
  }
  const manager = analyze(program, { ecmaVersion: 2022, sourceType: module ? 'module' : 'commonjs' });
  const innermost = innermostScopeAt(manager.scopes, offset);
  if (!innermost) return { ok: true, scopes: [] };
  const scopes: PlannedScope[] = [];
  let inProbeFunction = true;
  let seenFunction = false;
  for (let s: Scope | null = innermost; s && s.type !== 'global'; s = s.upper) {
    const kind = kindOf(s, seenFunction);
    if (kind !== undefined) {
      const variables = s.variables.filter((v) => !NOT_READ.has(v.name) && v.defs.length > 0);
      if (variables.length) {
        scopes.push({
          kind,
          name: kind === pb.ScopeKind.LOCAL || kind === pb.ScopeKind.CLOSURE ? functionName(s) : '',
          bindings: variables.slice(0, maxBindings).map((v) => ({ name: v.name, uninitialized: inProbeFunction && declaredLaterLexically(v, offset) })),
          total: variables.length,
          outer: !inProbeFunction,
        });
      }
    }
    if (FUNCTION_LIKE.has(s.type) || s.type === 'module') {
      seenFunction = true;
      inProbeFunction = false;
    }
  }
  return { ok: true, scopes };
}

function kindOf(s: Scope, seenFunction: boolean): pb.ScopeKind | undefined {
  if (FUNCTION_LIKE.has(s.type)) return seenFunction ? pb.ScopeKind.CLOSURE : pb.ScopeKind.LOCAL;
  if (BLOCK_LIKE.has(s.type)) return pb.ScopeKind.BLOCK;
  if (s.type === 'catch') return pb.ScopeKind.CATCH;
  if (s.type === 'module') return pb.ScopeKind.MODULE;
  // 'class' and 'function-expression-name' hold only a name the code already
  // shows; 'with' resolves through an object the plan cannot list.
  return undefined;
}

function functionName(s: Scope): string {
  const block = s.block as ESTree.Node;
  if ((block.type === 'FunctionDeclaration' || block.type === 'FunctionExpression') && block.id) return block.id.name;
  return '';
}

/** A let/const/class whose declaration starts after the probe: in its temporal dead zone when the probe runs. */
function declaredLaterLexically(v: Variable, offset: number): boolean {
  const def = v.defs[0];
  if (!def) return false;
  const lexical = def.type === 'ClassName' || (def.type === 'Variable' && def.parent?.kind !== 'var');
  return lexical && startOf(def.name) > offset;
}

/** The deepest scope whose code contains the offset (ties go to the inner one, which comes later in eslint-scope's list). */
function innermostScopeAt(scopes: readonly Scope[], offset: number): Scope | undefined {
  let best: Scope | undefined;
  for (const s of scopes) {
    if (s.type === 'global') continue;
    const start = startOf(s.block as ESTree.Node);
    const end = endOf(s.block as ESTree.Node);
    if (start <= offset && offset < end && (!best || end - start <= endOf(best.block as ESTree.Node) - startOf(best.block as ESTree.Node))) best = s;
  }
  return best;
}

function startOf(node: ESTree.Node): number {
  return node.range?.[0] ?? 0;
}

function endOf(node: ESTree.Node): number {
  return node.range?.[1] ?? 0;
}

/** UTF-16 offset of a 1-based line and column (columns as V8 counts them), or undefined past the end. */
export function offsetOf(source: string, line1: number, column1: number): number | undefined {
  let offset = 0;
  for (let l = 1; l < line1; l++) {
    const nl = source.indexOf('\n', offset);
    if (nl < 0) return undefined;
    offset = nl + 1;
  }
  return Math.min(source.length, offset + Math.max(0, column1 - 1));
}
