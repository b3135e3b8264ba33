import { compileNode, namesToCheck, type CompileContext } from './compileNode';
import { checkRuntimeName, DEFAULT_RUNTIME_NAME } from './condition';
import { DEFAULT_EXPRESSION_LIMITS, type ExpressionLimits } from './limits';
import { parsePlaceholder } from './parse';
import { Refusal, type TemplateResult } from './result';

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

/**
 * Compiles a logpoint message such as `"user {user.id} has {items.length} items"`.
 * Each `{…}` holds one expression of the condition subset; `{{` and `}}` are
 * literal braces. A placeholder ends at the `}` after a complete expression
 * (parsed by acorn), so a `}` inside a string literal (`{map["}"]}`) is fine.
 *
 * `valuesJs` is `[(R.begin("name", …) ? R.value(<v1>) : R.unavailable), …]`: each value is evaluated
 * on its own, so one value meeting a getter shows as unavailable without
 * hiding the others.
 */
export function compileTemplate(
  template: string,
  runtimeName: string = DEFAULT_RUNTIME_NAME,
  limits: ExpressionLimits = DEFAULT_EXPRESSION_LIMITS,
): TemplateResult {
  const badName = checkRuntimeName(runtimeName);
  if (badName !== undefined) return badName;
  if (template.length > limits.maxSourceLength) {
    return { ok: false, code: 'KH_EXPR_TOO_LONG', message: `logpoint message is ${template.length} characters long; at most ${limits.maxSourceLength} are allowed` };
  }
  const ctx: CompileContext = { source: template, runtime: runtimeName, maxNodes: limits.maxNodes, nodes: 0, identifiers: [], undeclaredAsUndefined: true };
  const segments: string[] = [];
  const values: string[] = [];
  let literal = '';
  try {
    let i = 0;
    while (i < template.length) {
      const c = template[i];
      const next = template[i + 1];
      if ((c === '{' && next === '{') || (c === '}' && next === '}')) {
        literal += c;
        i += 2;
      } else if (c === '}') {
        throw new Refusal('KH_EXPR_SYNTAX', `unbalanced "}" at column ${i + 1} (write "}}" for a literal brace)`, i + 1);
      } else if (c === '{') {
        const open = i;
        let start = i + 1;
        while (isSpace(template[start])) start++;
        if (start >= template.length) throw new Refusal('KH_EXPR_SYNTAX', `unclosed "{" at column ${open + 1} (write "{{" for a literal brace)`, open + 1);
        if (template[start] === '}') throw new Refusal('KH_EXPR_SYNTAX', `empty placeholder at column ${open + 1}`, open + 1);
        const expression = parsePlaceholder(template, start);
        let end = expression.end;
        while (isSpace(template[end])) end++;
        if (template[end] !== '}') {
          throw new Refusal('KH_EXPR_SYNTAX', `unclosed "{" at column ${open + 1}: expected "}" at column ${end + 1}`, open + 1);
        }
        // Each placeholder is checked by its own begin() for the names it
        // reads; the node count is shared by the whole template.
        const placeholder: CompileContext = { ...ctx, identifiers: [] };
        const js = compileNode(placeholder, expression);
        ctx.nodes = placeholder.nodes;
        for (const name of placeholder.identifiers) if (!ctx.identifiers.includes(name)) ctx.identifiers.push(name);
        const names = namesToCheck(placeholder.identifiers);
        segments.push(literal);
        values.push(`(${runtimeName}.begin(${names}) ? ${runtimeName}.value(${js}) : ${runtimeName}.unavailable)`);
        literal = '';
        i = end + 1;
      } else {
        literal += c;
        i++;
      }
    }
  } catch (error) {
    if (error instanceof Refusal) return error.toResult();
    return { ok: false, code: 'KH_EXPR_SYNTAX', message: `logpoint message could not be compiled: ${String(error)}` };
  }
  segments.push(literal);
  return { ok: true, segments, valuesJs: `[${values.join(', ')}]`, identifiers: ctx.identifiers };
}
