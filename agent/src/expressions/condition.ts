import { compileNode, namesToCheck, type CompileContext } from './compileNode';
import { DEFAULT_EXPRESSION_LIMITS, type ExpressionLimits } from './limits';
import { parseConditionSource } from './parse';
import { Refusal, type CompileResult, type ExpressionError } from './result';

export const DEFAULT_RUNTIME_NAME = '__keyhole';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Checks the name the compiled code will call the runtime by (a programmer's input, still never thrown). */
export function checkRuntimeName(runtimeName: string): ExpressionError | undefined {
  return IDENTIFIER.test(runtimeName)
    ? undefined
    : { ok: false, code: 'KH_EXPR_SYNTAX', message: `runtime name ${JSON.stringify(runtimeName)} is not a plain identifier` };
}

/**
 * Compiles a developer's breakpoint condition into guarded JS for the V8
 * breakpoint condition. The result is
 * `(R.begin("name", …) && R.end(<expression>))`: a boolean that is false
 * whenever the expression met a getter, a Proxy or anything that would need
 * coercion.
 */
export function compileCondition(
  source: string,
  runtimeName: string = DEFAULT_RUNTIME_NAME,
  limits: ExpressionLimits = DEFAULT_EXPRESSION_LIMITS,
): CompileResult {
  const badName = checkRuntimeName(runtimeName);
  if (badName !== undefined) return badName;
  if (source.length > limits.maxSourceLength) {
    return { ok: false, code: 'KH_EXPR_TOO_LONG', message: `condition is ${source.length} characters long; at most ${limits.maxSourceLength} are allowed` };
  }
  const ctx: CompileContext = { source, runtime: runtimeName, maxNodes: limits.maxNodes, nodes: 0, identifiers: [], undeclaredAsUndefined: false };
  try {
    const expression = compileNode(ctx, parseConditionSource(source));
    const js = `(${runtimeName}.begin(${namesToCheck(ctx.identifiers)}) && ${runtimeName}.end(${expression}))`;
    return { ok: true, js, identifiers: ctx.identifiers };
  } catch (error) {
    if (error instanceof Refusal) return error.toResult();
    return { ok: false, code: 'KH_EXPR_SYNTAX', message: `condition could not be compiled: ${String(error)}` };
  }
}
