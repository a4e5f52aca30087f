import { z } from 'zod';
import { commonEnv, ConfigError, databaseEnv, flag, loadEnv, port, redactSecrets } from './env';

describe('loadEnv', () => {
  const shape = { ...databaseEnv, APP_PORT: port(3000), FEATURE: flag(false), NAME: z.string().min(1) };

  it('applies defaults and coerces types', () => {
    const cfg = loadEnv('svc', shape, { NAME: 'x', FEATURE: 'yes', DB_PORT: '3307' });
    expect(cfg).toMatchObject({ DB_HOST: '127.0.0.1', DB_PORT: 3307, APP_PORT: 3000, FEATURE: true, NAME: 'x' });
  });

  it('names every bad variable in one error and hides secrets', () => {
    let error: unknown;
    try {
      loadEnv('svc', { ...shape, DB_PASSWORD: z.string().min(8) }, { DB_PORT: 'abc', APP_PORT: '70000', DB_PASSWORD: 'short' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('svc: invalid configuration');
    expect(message).toMatch(/DB_PORT: .*got "abc"/);
    expect(message).toMatch(/APP_PORT: .*got "70000"/);
    expect(message).toMatch(/NAME: .*got unset/);
    expect(message).toMatch(/DB_PASSWORD: .*\(got \(hidden\)\)/);
    expect(message).not.toContain('short');
  });

  it('bounds requests at 15 s unless REQUEST_TIMEOUT_MS says otherwise', () => {
    expect(loadEnv('svc', commonEnv, {}).REQUEST_TIMEOUT_MS).toBe(15_000);
    expect(loadEnv('svc', commonEnv, { REQUEST_TIMEOUT_MS: '4000' }).REQUEST_TIMEOUT_MS).toBe(4_000);
    expect(() => loadEnv('svc', commonEnv, { REQUEST_TIMEOUT_MS: '0' })).toThrow(/REQUEST_TIMEOUT_MS/);
  });

  it('treats empty strings as unset', () => {
    expect(loadEnv('svc', shape, { NAME: 'x', DB_HOST: '' }).DB_HOST).toBe('127.0.0.1');
  });

  it('redacts secrets for logging', () => {
    expect(redactSecrets({ db: { password: 'p', host: 'h' }, authToken: 't' })).toEqual({
      db: { password: '***', host: 'h' },
      authToken: '***',
    });
  });
});
