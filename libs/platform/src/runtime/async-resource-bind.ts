import { AsyncResource } from 'node:async_hooks';

const INSTALLED = Symbol.for('chairbook.fastAsyncResourceBind');

type Bindable = (this: unknown, ...args: unknown[]) => unknown;

/**
 * `AsyncResource.prototype.bind` as Node.js 25 has it: the bound function runs `fn` in the
 * resource's async context and keeps its `length`, without the `asyncResource` property that
 * Node 20-24 attach through two `util.deprecate()` wrappers on every call (DEP0172, removed
 * upstream: nodejs/node#58618; the CPU it costs: nodejs/node#58218). That property made each
 * bind cost ~6.5 µs on our machine against ~0.3 µs, and every request binds four times:
 * fastify's body parser once and Nest's interceptor chain once per interceptor plus one
 * (AsyncResource.bind). Nothing of ours or of our dependencies reads the property.
 *
 * Installed once per process by configureHttpApp; a second call does nothing.
 */
export function installFastAsyncResourceBind(): void {
  const proto = AsyncResource.prototype as AsyncResource & { [INSTALLED]?: true };
  if (proto[INSTALLED]) return;
  const original = proto.bind as (this: AsyncResource, fn: unknown, thisArg?: unknown) => unknown;
  Object.defineProperty(proto, 'bind', {
    configurable: true,
    writable: true,
    enumerable: false,
    value: function bind<F extends Bindable>(this: AsyncResource, fn: F, thisArg?: unknown): F {
      // Node's own checks and errors for anything but a function.
      if (typeof fn !== 'function') return original.call(this, fn, thisArg) as F;
      const bound = thisArg === undefined ? keepingCallersThis(this, fn) : this.runInAsyncScope.bind(this, fn, thisArg);
      Object.defineProperty(bound, 'length', { configurable: true, enumerable: false, writable: false, value: fn.length });
      return bound as F;
    },
  });
  Object.defineProperty(proto, INSTALLED, { value: true });
}

/** Without thisArg, the bound function passes on the `this` it is called with, as Node's does. */
function keepingCallersThis(resource: AsyncResource, fn: Bindable) {
  return function (this: unknown, ...args: unknown[]) {
    return resource.runInAsyncScope(fn, this, ...args);
  };
}
