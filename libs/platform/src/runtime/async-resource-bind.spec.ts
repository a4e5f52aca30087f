import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import { installFastAsyncResourceBind } from './async-resource-bind';

describe('installFastAsyncResourceBind', () => {
  const storage = new AsyncLocalStorage<string>();
  beforeAll(() => installFastAsyncResourceBind());

  it('runs the bound function in the context it was bound in, not the caller’s', () => {
    const bound = storage.run('bound here', () => AsyncResource.bind(() => storage.getStore()));
    expect(storage.run('called here', bound)).toBe('bound here');
    const viaInstance = storage.run('instance', () => new AsyncResource('test').bind(() => storage.getStore()));
    expect(storage.run('elsewhere', viaInstance)).toBe('instance');
  });

  it('passes arguments and the return value through, keeps `length`, and honours thisArg', () => {
    function add(this: unknown, a: number, b: number) {
      return ((this as { base?: number } | undefined)?.base ?? 0) + a + b;
    }
    const bound = AsyncResource.bind(add);
    expect(bound.length).toBe(2);
    expect(bound(1, 2)).toBe(3);
    // without thisArg, the caller's `this` reaches the function, as with Node's own bind
    expect(bound.call({ base: 10 }, 1, 2)).toBe(13);
    // (@types/node leaves thisArg out of the instance method's signature; Node has it)
    const withThis = (new AsyncResource('test').bind as (fn: typeof add, thisArg: unknown) => typeof add)(add, { base: 100 });
    expect(withThis.length).toBe(2);
    expect(withThis.call({ base: 10 }, 1, 2)).toBe(103);
  });

  it('no longer attaches the deprecated asyncResource property (and so warns about nothing)', () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    const bound = AsyncResource.bind(() => 1) as unknown as Record<string, unknown>;
    expect('asyncResource' in bound).toBe(false);
    process.off('warning', onWarning);
    expect(warnings).toEqual([]);
  });

  it('keeps Node’s own error for something that is not a function, and installs once', () => {
    expect(() => new AsyncResource('test').bind(42 as unknown as () => void)).toThrow(/must be of type function/);
    const bind = AsyncResource.prototype.bind;
    installFastAsyncResourceBind();
    expect(AsyncResource.prototype.bind).toBe(bind);
  });
});
