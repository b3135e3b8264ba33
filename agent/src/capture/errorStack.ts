/**
 * When reading an own `stack` property is free of user code.
 *
 * V8 formats an error's stack lazily, the first time anything reads it, and
 * that includes Object.getOwnPropertyDescriptor (verified on Node 20: the
 * descriptor read runs Error.prepareStackTrace and the error's `name` and
 * `message` getters). The same lazy property sits on any object passed to
 * Error.captureStackTrace. Formatting runs, in order:
 *   1. a user `Error.prepareStackTrace`, found by Node through
 *      `globalThis.Error.prepareStackTrace` and the main context's Error
 *      (Node's own default hook, present at agent load, is trusted);
 *   2. otherwise the default header `${name}: ${message}`, which Gets `name`
 *      and `message` through the object's prototype chain and converts them
 *      to strings.
 * So `stack` is read only when both lookups above resolve to data properties
 * with no Proxy on the way, no prepareStackTrace function is installed, and
 * `name` and `message` are strings (or missing): then formatting runs engine
 * and Node-internal code only. When the stack was formatted before, reading it
 * would have been harmless anyway, but that cannot be told from outside, so
 * the rule does not try. Otherwise the stack is reported unread, as a GETTER,
 * which is what it is under the hood. Source-map-support style hooks therefore
 * cost the snapshot its error stacks, the price of never running user code in
 * a pause. Errors of other vm contexts use their own realm's Error, which this
 * check does not see; the agent only captures the main context.
 */
import { isProxy, lookupData, ownSlot, realm } from './intrinsics';

/**
 * Recent Node releases install their own default as Error.prepareStackTrace
 * (a function named ErrorPrepareStackTrace). The one present when the agent
 * loads, which is before user code when it is preloaded with --require, is
 * trusted; any other function is user code.
 */
const NODE_DEFAULT_HOOK_NAME = 'ErrorPrepareStackTrace';
const trustedHook: unknown = (() => {
  const hook = lookupData(realm.IntrinsicError, 'prepareStackTrace');
  if (hook.kind !== 'data' || typeof hook.value !== 'function' || isProxy(hook.value)) return undefined;
  const name = ownSlot(hook.value, 'name');
  return name.kind === 'data' && name.value === NODE_DEFAULT_HOOK_NAME ? hook.value : undefined;
})();

function noStackHookOn(errorConstructor: unknown): boolean {
  if (errorConstructor === undefined || errorConstructor === null) return true;
  if (typeof errorConstructor !== 'function' && typeof errorConstructor !== 'object') return true;
  if (isProxy(errorConstructor)) return false;
  const hook = lookupData(errorConstructor, 'prepareStackTrace');
  if (hook.kind === 'absent') return true;
  return hook.kind === 'data' && (typeof hook.value !== 'function' || (trustedHook !== undefined && hook.value === trustedHook));
}

function isPlainText(obj: object, key: string): boolean {
  const r = lookupData(obj, key);
  if (r.kind === 'absent') return true;
  return r.kind === 'data' && (r.value === undefined || typeof r.value === 'string');
}

/** True when reading `obj.stack`'s descriptor cannot run user code. `obj` must not be a Proxy. */
export function stackReadIsSafe(obj: object): boolean {
  if (!noStackHookOn(realm.IntrinsicError)) return false;
  const globalError = lookupData(realm.globalObject, 'Error');
  if (globalError.kind === 'unsafe') return false;
  if (globalError.kind === 'data' && !noStackHookOn(globalError.value)) return false;
  return isPlainText(obj, 'name') && isPlainText(obj, 'message');
}
