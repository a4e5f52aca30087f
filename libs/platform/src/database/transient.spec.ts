import { isTransientDbError } from './mysql';

describe('isTransientDbError', () => {
  it.each([
    [{ code: 'ECONNREFUSED' }, true],
    [{ code: 'PROTOCOL_CONNECTION_LOST' }, true],
    [{ errno: 1213, code: 'ER_LOCK_DEADLOCK' }, true],
    [{ message: 'QueryFailedError', driverError: { code: 'ER_LOCK_WAIT_TIMEOUT' } }, true],
    [{ message: 'Pool is closed.' }, true],
    [{ code: 'ER_DUP_ENTRY', errno: 1062 }, false],
    [{ code: 'ER_PARSE_ERROR' }, false],
    [new Error('boom'), false],
    [undefined, false],
  ])('%j -> %s', (error, expected) => {
    expect(isTransientDbError(error)).toBe(expected);
  });
});
