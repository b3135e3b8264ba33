import type * as acorn from 'acorn';
import { isCapturedGlobal } from './globals';
import { Refusal } from './result';

/**
 * Compiles one node of the allowed subset to JS that calls the runtime
 * helpers (see runtime.ts), and refuses everything else with a message that
 * names the offending part and its column.
 *
 * What stays native, and why it is safe:
 * - `===` / `!==`: strict equality never coerces and never traps.
 * - `!`, `&&`, `||`, `? :`: ToBoolean never runs code (a Proxy is just truthy).
 * - `??`: only compares with null and undefined.
 * - `typeof`: inspects the value's type tag; it never traps, even on a Proxy.
 *   Its operand is compiled like any other (an identifier goes through the
 *   global-accessor guard, since `typeof crypto` would run Node's getter).
 * - `this`: a plain reference to the frame's receiver.
 *
 * Optional chains: `a?.b.c` short-circuits through getOptional()/chain()
 * without evaluating later property names; a computed key inside a chain
 * (`a?.[k]`) is evaluated even when `a` is nullish, which can only make the
 * condition decline where the language would not, never run anything.
 *
 * Refused on purpose: calls, `new`, tagged templates, template literals
 * (they call toString), assignments, `++`/`--`, `delete`, comma sequences,
 * spread, functions and classes (nothing to call them with, and they hide
 * code), array and object literals, `in` (runs a Proxy's `has` trap),
 * `instanceof` (runs `Symbol.hasInstance`), regular expression literals
 * (useless without a call), `void` (only discards a value: no use in a
 * condition, so one thing less to trust), `await`, `yield`, `import()`,
 * `import.meta`, `new.target`, `super`, private fields.
 */
export interface CompileContext {
  readonly source: string;
  /** Name of the runtime global in the compiled code. */
  readonly runtime: string;
  readonly maxNodes: number;
  /** Nodes compiled so far (shared by all placeholders of a template). */
  nodes: number;
  /** Distinct identifiers read, in order of first use. */
  readonly identifiers: string[];
  /**
   * Whether an undeclared name reads as `undefined` (templates: one typo
   * must not silence the whole log line) or throws ReferenceError as in the
   * language (conditions: V8 then treats the condition as false, and the
   * shorter code matters because V8 compiles the condition on every hit).
   */
  readonly undeclaredAsUndefined: boolean;
}

const NATIVE_BINARY = new Set(['===', '!==']);
const HELPER_BINARY: Readonly<Record<string, string>> = {
  '==': 'eq',
  '!=': 'ne',
  '<': 'lt',
  '>': 'gt',
  '<=': 'le',
  '>=': 'ge',
  '+': 'add',
  '-': 'sub',
  '*': 'mul',
  '/': 'div',
  '%': 'mod',
  '**': 'pow',
  '&': 'band',
  '|': 'bor',
  '^': 'bxor',
  '<<': 'shl',
  '>>': 'shr',
  '>>>': 'ushr',
};
const HELPER_UNARY: Readonly<Record<string, string>> = { '-': 'neg', '+': 'pos', '~': 'bnot' };

/** Phrases for refused constructs, by acorn node type. */
const REFUSED: Readonly<Record<string, string>> = {
  CallExpression: 'calls are not allowed',
  NewExpression: '`new` is not allowed',
  TaggedTemplateExpression: 'tagged templates are not allowed',
  TemplateLiteral: 'template literals are not allowed (they call toString)',
  AssignmentExpression: 'assignments are not allowed',
  UpdateExpression: 'increments and decrements are not allowed',
  SequenceExpression: 'comma sequences are not allowed',
  SpreadElement: 'spread is not allowed',
  ArrowFunctionExpression: 'functions are not allowed',
  FunctionExpression: 'functions are not allowed',
  ClassExpression: 'classes are not allowed',
  ArrayExpression: 'array literals are not allowed',
  ObjectExpression: 'object literals are not allowed',
  AwaitExpression: '`await` is not allowed',
  YieldExpression: '`yield` is not allowed',
  ImportExpression: '`import()` is not allowed',
  MetaProperty: '`new.target` and `import.meta` are not allowed',
  Super: '`super` is not allowed',
  PrivateIdentifier: 'private fields are not allowed',
};

const SNIPPET_MAX = 60;

function snippet(ctx: CompileContext, node: acorn.Node): string {
  const text = ctx.source.slice(node.start, node.end);
  return text.length > SNIPPET_MAX ? `${text.slice(0, SNIPPET_MAX)}…` : text;
}

export function refuse(ctx: CompileContext, node: acorn.Node, what: string): Refusal {
  return new Refusal('KH_EXPR_FORBIDDEN', `${what}: "${snippet(ctx, node)}" at column ${node.start + 1}`, node.start + 1);
}

function literal(ctx: CompileContext, node: acorn.Literal): string {
  if (node.regex !== undefined) throw refuse(ctx, node, 'regular expression literals are not allowed');
  if (node.bigint !== undefined) return `${node.bigint}n`;
  const value = node.value;
  if (typeof value === 'string') return JSON.stringify(value);
  // Literals are never negative or NaN; 1e999 is the only non-finite one.
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '(1/0)';
  if (typeof value === 'boolean' || value === null) return String(value);
  throw refuse(ctx, node, 'this literal is not allowed');
}

/**
 * A name from the paused frame. The runtime's begin() has already checked,
 * once per evaluation, that no name resolves on the global object to an
 * accessor (referencing it would run the getter), so a plain reference is
 * safe; `process` and `Buffer` are read from the runtime. An undeclared name
 * throws ReferenceError in a condition and reads as `undefined` in a
 * template (see CompileContext). A `let`/`const` in its temporal dead zone
 * reads as undefined when it lives on the stack and throws ReferenceError
 * when a closure holds it. V8 treats a condition that throws as false and
 * does not pause (verified in breakpoint.test.ts).
 */
function identifier(ctx: CompileContext, node: acorn.Identifier): string {
  if (node.name === ctx.runtime) throw refuse(ctx, node, `the name ${ctx.runtime} is reserved`);
  if (!ctx.identifiers.includes(node.name)) ctx.identifiers.push(node.name);
  if (isCapturedGlobal(node.name)) return `${ctx.runtime}.global(${JSON.stringify(node.name)})`;
  return ctx.undeclaredAsUndefined ? `(typeof ${node.name} === "undefined" ? void 0 : ${node.name})` : node.name;
}

/** The arguments of begin(): the names begin() must check, as JS string literals. */
export function namesToCheck(identifiers: readonly string[]): string {
  return identifiers
    .filter((name) => !isCapturedGlobal(name))
    .map((name) => JSON.stringify(name))
    .join(', ');
}

function member(ctx: CompileContext, node: acorn.MemberExpression): string {
  if (node.object.type === 'Super') throw refuse(ctx, node.object, REFUSED.Super as string);
  if (node.property.type === 'PrivateIdentifier') throw refuse(ctx, node.property, REFUSED.PrivateIdentifier as string);
  const holder = compileNode(ctx, node.object);
  const key =
    node.computed || node.property.type !== 'Identifier'
      ? compileNode(ctx, node.property)
      : JSON.stringify(node.property.name);
  return `${ctx.runtime}.${node.optional ? 'getOptional' : 'get'}(${holder}, ${key})`;
}

export function compileNode(ctx: CompileContext, node: acorn.Node): string {
  ctx.nodes++;
  if (ctx.nodes > ctx.maxNodes) {
    throw new Refusal('KH_EXPR_TOO_LONG', `expression has more than ${ctx.maxNodes} parts (at column ${node.start + 1})`, node.start + 1);
  }
  const n = node as acorn.AnyNode;
  const r = ctx.runtime;
  switch (n.type) {
    case 'Literal':
      return literal(ctx, n);
    case 'Identifier':
      return identifier(ctx, n);
    case 'ThisExpression':
      return 'this';
    case 'MemberExpression':
      return member(ctx, n);
    case 'ChainExpression':
      return `${r}.chain(${compileNode(ctx, n.expression)})`;
    case 'UnaryExpression': {
      if (n.operator === 'delete') throw refuse(ctx, n, '`delete` is not allowed');
      if (n.operator === 'void') throw refuse(ctx, n, '`void` is not allowed');
      const operand = compileNode(ctx, n.argument);
      const helper = HELPER_UNARY[n.operator];
      return helper === undefined ? `(${n.operator === 'typeof' ? 'typeof ' : n.operator}${operand})` : `${r}.${helper}(${operand})`;
    }
    case 'BinaryExpression': {
      if (n.operator === 'in') throw refuse(ctx, n, '`in` is not allowed (it runs Proxy traps)');
      if (n.operator === 'instanceof') throw refuse(ctx, n, '`instanceof` is not allowed (it runs Symbol.hasInstance)');
      if (n.left.type === 'PrivateIdentifier') throw refuse(ctx, n.left, REFUSED.PrivateIdentifier as string);
      const left = compileNode(ctx, n.left);
      const right = compileNode(ctx, n.right);
      if (NATIVE_BINARY.has(n.operator)) return `(${left} ${n.operator} ${right})`;
      const helper = HELPER_BINARY[n.operator];
      if (helper === undefined) throw refuse(ctx, n, `the operator ${n.operator} is not allowed`);
      return `${r}.${helper}(${left}, ${right})`;
    }
    case 'LogicalExpression':
      return `(${compileNode(ctx, n.left)} ${n.operator} ${compileNode(ctx, n.right)})`;
    case 'ConditionalExpression':
      return `(${compileNode(ctx, n.test)} ? ${compileNode(ctx, n.consequent)} : ${compileNode(ctx, n.alternate)})`;
    default: {
      const phrase = REFUSED[n.type];
      throw refuse(ctx, n, phrase ?? (n.type.endsWith('Statement') || n.type.endsWith('Declaration') ? 'statements are not allowed' : `${n.type} is not allowed`));
    }
  }
}
