/**
 * Which variables are in scope at a code position, found by parsing the
 * script once when a probe is armed (acorn) and analysing its scopes
 * (eslint-scope, the scope analyser ESLint itself runs on). The pause-free
 * capture reads exactly these names inside the breakpoint condition, so the
 * plan is made once per probe, never per hit.
 */
import { parse, type Options } from 'acorn';
import { analyze, type Scope, type ScopeManager, type Variable } from 'eslint-scope';
import type * as ESTree from 'estree';
import { pb } from '@keyhole/protocol';

/**
 * Largest script (in UTF-16 units) parsed for a pause-free plan. Parsing a
 * bundle of several MB costs tens of ms once, at arming, outside any hit;
 * beyond this size the probe captures by pausing instead. Default 4 Mi.
 */
export const MAX_SCOPE_ANALYSIS_CHARS = 4 * 1024 * 1024;

/** Why a script of this many characters is not analysed, or undefined when it is. */
export function tooLargeToAnalyse(chars: number): string | undefined {
  return chars > MAX_SCOPE_ANALYSIS_CHARS ? `the script is ${chars} characters, more than the ${MAX_SCOPE_ANALYSIS_CHARS} analysed for a pause-free capture` : undefined;
}

export interface PlannedBinding {
  readonly name: string;
  /**
   * A let, const or class declared later in the probe's own function: at the
   * probe it is certainly in its temporal dead zone. Debug-evaluate would read
   * such a binding as `undefined`, so it is marked, not read.
   */
  readonly uninitialized: boolean;
  /**
   * A let, const or class that V8 keeps in a context (an enclosing
   * function's, or the probe function's when a closure uses it): it may
   * still be in its temporal dead zone when the probe runs (a closure called
   * before the declaration, a switch case), and reading a context slot in
   * that state throws. Such reads are guarded.
   */
  readonly mayBeUninitialized: boolean;
}

export interface PlannedScope {
  readonly kind: pb.ScopeKind;
  /** The function's name for local and closure scopes, '' otherwise. */
  readonly name: string;
  /** At most `maxBindings` of them, in declaration order. */
  readonly bindings: readonly PlannedBinding[];
  /** How many bindings the scope has in all (more than `bindings.length` when cut). */
  readonly total: number;
}

export type ScopePlanResult = { ok: true; scopes: PlannedScope[] } | { ok: false; reason: string };

const PARSE_OPTIONS: Options = {
  ecmaVersion: 'latest',
  allowHashBang: true,
  allowReturnOutsideFunction: true,
  allowAwaitOutsideFunction: true,
  ranges: true,
};

/** Names V8 does not list as variables of a frame, or that cannot be read as plain identifiers. */
const NOT_READ = new Set(['arguments', 'eval']);

const FUNCTION_LIKE = new Set(['function', 'class-field-initializer', 'class-static-block']);
const BLOCK_LIKE = new Set(['block', 'for', 'switch']);

/** One script's scopes, analysed once; plans for positions in it are cheap. */
export class ScriptScopes {
  private constructor(
    private readonly source: string,
    private readonly manager: ScopeManager,
  ) {}

  /**
   * Parses and analyses a script. `module` says how V8 compiled it: an ES
   * module, or a CommonJS/script body (Node wraps CommonJS in a function, so
   * its top-level names form a function scope).
   */
  static analyse(source: string, module: boolean): { ok: true; scopes: ScriptScopes } | { ok: false; reason: string } {
    const tooLarge = tooLargeToAnalyse(source.length);
    if (tooLarge) return { ok: false, reason: tooLarge };
    try {
      const program = parse(source, { ...PARSE_OPTIONS, sourceType: module ? 'module' : 'script' }) as unknown as ESTree.Program;
      return { ok: true, scopes: new ScriptScopes(source, analyze(program, { ecmaVersion: 2022, sourceType: module ? 'module' : 'commonjs' })) };
    } catch (err) {
      return { ok: false, reason: `the script could not be parsed: ${err instanceof Error ? err.message : String(err)}` };
    }
  }

  /**
   * The scopes visible at a 1-based line and column, innermost first, the
   * global scope left out, as V8 keeps them: every variable of the probe's
   * own function, and of the enclosing functions only those some inner
   * function refers to. V8 allocates the others on its stack and drops them
   * when their function returns to its closures: a read would fall through
   * to a global, and a pause would not show them either.
   */
  planAt(line1: number, column1: number, maxBindings: number): ScopePlanResult {
    const offset = offsetOf(this.source, line1, column1);
    if (offset === undefined) return { ok: false, reason: `line ${line1} is not in the script` };
    const innermost = innermostScopeAt(this.manager.scopes, offset);
    const scopes: PlannedScope[] = [];
    let inProbeFunction = true;
    let seenFunction = false;
    for (let s: Scope | null = innermost ?? null; s && s.type !== 'global'; s = s.upper) {
      const kind = kindOf(s, seenFunction);
      if (kind !== undefined) {
        const variables = s.variables.filter((v) => !NOT_READ.has(v.name) && v.defs.length > 0 && (inProbeFunction || keptForClosures(v)));
        if (variables.length) {
          scopes.push({
            kind,
            name: kind === pb.ScopeKind.LOCAL || kind === pb.ScopeKind.CLOSURE ? functionName(s) : '',
            bindings: variables.slice(0, maxBindings).map((v) => ({
              name: v.name,
              uninitialized: inProbeFunction && declaredLaterLexically(v, offset),
              mayBeUninitialized: isLexical(v) && (!inProbeFunction || keptForClosures(v)),
            })),
            total: variables.length,
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
}

/** The plan at one position of a script: analyse and plan in one step. */
export function planScopes(source: string, line1: number, column1: number, module: boolean, maxBindings: number): ScopePlanResult {
  const analysed = ScriptScopes.analyse(source, module);
  return analysed.ok ? analysed.scopes.planAt(line1, column1, maxBindings) : analysed;
}

/** Whether V8 keeps the variable in a context: some function other than its own refers to it. */
function keptForClosures(v: Variable): boolean {
  const own = v.scope.variableScope;
  return v.references.some((ref) => ref.from.variableScope !== own);
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
  return def !== undefined && isLexical(v) && startOf(def.name) > offset;
}

/** let, const, using or class: bindings with a temporal dead zone. */
function isLexical(v: Variable): boolean {
  const def = v.defs[0];
  return def !== undefined && (def.type === 'ClassName' || (def.type === 'Variable' && def.parent?.kind !== 'var'));
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
