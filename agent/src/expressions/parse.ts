import * as acorn from 'acorn';
import { Refusal } from './result';

/**
 * acorn (the parser ESLint and webpack build on) is used instead of a
 * hand-written grammar: the allow-list then rests on the real language's
 * syntax tree, so nothing can hide in a construct our own parser would read
 * differently from V8.
 */
const OPTIONS: acorn.Options = { ecmaVersion: 'latest', sourceType: 'script', locations: false };

/** acorn's message without its "(line:column)" suffix; the column is reported separately. */
function syntaxRefusal(error: unknown, what: string): Refusal {
  const position = (error as { pos?: unknown }).pos;
  const column = typeof position === 'number' ? position + 1 : undefined;
  const raw = error instanceof Error ? error.message.replace(/\s*\(\d+:\d+\)$/, '') : String(error);
  return new Refusal('KH_EXPR_SYNTAX', `${what} is not valid JavaScript: ${raw}${column === undefined ? '' : ` at column ${column}`}`, column);
}

function statementRefusal(source: string, node: acorn.Node, what: string): Refusal {
  const text = source.slice(node.start, node.end);
  const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  return new Refusal('KH_EXPR_FORBIDDEN', `${what}: "${shown}" at column ${node.start + 1}`, node.start + 1);
}

/** Parses a whole condition; it must be exactly one expression. */
export function parseConditionSource(source: string): acorn.Expression {
  if (source.trim() === '') throw new Refusal('KH_EXPR_SYNTAX', 'condition is empty');
  let program: acorn.Program;
  try {
    program = acorn.parse(source, OPTIONS);
  } catch (error) {
    throw syntaxRefusal(error, 'condition');
  }
  const [first, second] = program.body;
  if (first === undefined) throw new Refusal('KH_EXPR_SYNTAX', 'condition is empty');
  if (first.type !== 'ExpressionStatement') throw statementRefusal(source, first, 'statements are not allowed');
  if (second !== undefined) throw statementRefusal(source, second, 'only one expression is allowed');
  return first.expression;
}

/** Parses the expression of a template placeholder that starts at `start`. */
export function parsePlaceholder(template: string, start: number): acorn.Expression {
  try {
    return acorn.parseExpressionAt(template, start, OPTIONS);
  } catch (error) {
    throw syntaxRefusal(error, 'placeholder');
  }
}
