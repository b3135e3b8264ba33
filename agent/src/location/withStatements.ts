/**
 * Where a script's `with` statements are, so that no probe is placed inside one.
 *
 * V8 evaluates a breakpoint condition in the scopes of the paused code. Inside
 * a `with (object)` body, every name the condition uses (the agent's own gate,
 * the developer's condition, the variables a pause-free capture reads) is
 * first looked up on that object: a getter of it runs, and a Proxy's
 * `getOwnPropertyDescriptor`/`get` traps run, on every pass, sampled or not.
 * The agent promises that nothing of the host's runs, so those lines are
 * refused. Functions defined inside the body see the object too, so the
 * whole body's lines count.
 *
 * Sloppy-mode scripts only: `with` is a syntax error in modules and strict
 * code. Most scripts never spell `with (`, so a text search comes first and
 * the script is only parsed (acorn) when it might hold one.
 */
import { parse, type Options } from 'acorn';
import { simple } from 'acorn-walk';

/** 1-based, inclusive line range of one `with` statement's body. */
export interface WithBody {
  readonly startLine: number;
  readonly endLine: number;
}

export type WithCheck =
  | { readonly kind: 'checked'; readonly bodies: readonly WithBody[] }
  | { readonly kind: 'unchecked'; readonly reason: string };

/**
 * `with`, then spaces or comments, then `(`, not after `.`, `#` or a name's
 * characters (`array.with(0, x)`, `withParams(`). A class method named `with`
 * or the words in a comment also match; the parse then tells.
 */
const MAY_HOLD_WITH = /(?<![.#\w$])with(?:\s|\/\*[\s\S]*?\*\/|\/\/[^\n]*\n)*\(/;

const PARSE_OPTIONS: Options = {
  ecmaVersion: 'latest',
  allowHashBang: true,
  allowReturnOutsideFunction: true,
  allowAwaitOutsideFunction: true,
  locations: true,
};

/** The `with` bodies in a script's text; `maxChars` bounds what is parsed (a parse takes about 20 bytes of heap per character). */
export function findWithBodies(text: string, maxChars: number): WithCheck {
  if (!MAY_HOLD_WITH.test(text)) return { kind: 'checked', bodies: [] };
  if (text.length > maxChars) {
    return { kind: 'unchecked', reason: `the script is ${text.length} characters, more than the ${maxChars} searched for with statements` };
  }
  let program;
  try {
    program = parse(text, { ...PARSE_OPTIONS, sourceType: 'script' });
  } catch (scriptError) {
    try {
      // A module cannot hold a with statement.
      parse(text, { ...PARSE_OPTIONS, sourceType: 'module' });
      return { kind: 'checked', bodies: [] };
    } catch {
      return { kind: 'unchecked', reason: `the script did not parse (${(scriptError as Error).message}), so it was not searched for with statements` };
    }
  }
  const bodies: WithBody[] = [];
  simple(program, {
    WithStatement(node) {
      const loc = node.body.loc;
      if (loc) bodies.push({ startLine: loc.start.line, endLine: loc.end.line });
    },
  });
  return { kind: 'checked', bodies };
}

/** The body holding a line, if any. */
export function withBodyAt(bodies: readonly WithBody[], line: number): WithBody | undefined {
  return bodies.find((b) => b.startLine <= line && line <= b.endLine);
}
