import { CallHandler, ExecutionContext } from '@nestjs/common';
import { lastValueFrom, of } from 'rxjs';
import { EtagInterceptor, withEtagState } from './etag.interceptor';

function run(body: unknown, ifNoneMatch?: string) {
  const headers: Record<string, string> = {};
  let status = 200;
  const context = {
    switchToHttp: () => ({
      getRequest: () => ({ headers: ifNoneMatch ? { 'if-none-match': ifNoneMatch } : {} }),
      getResponse: () => ({
        header: (name: string, value: string) => (headers[name.toLowerCase()] = value),
        status: (code: number) => (status = code),
      }),
    }),
  } as unknown as ExecutionContext;
  const next: CallHandler = { handle: () => of(body) };
  return lastValueFrom(new EtagInterceptor().intercept(context, next)).then((answer) => ({ answer, etag: headers.etag, status }));
}

describe('EtagInterceptor', () => {
  it('tags a versioned body by id and version, and answers 304 to a match', async () => {
    const first = await run({ appointmentId: 'a1', version: 3 });
    expect(first.etag).toBe('"a1.3"');
    const again = await run({ appointmentId: 'a1', version: 3 }, 'W/"a1.3"');
    expect(again).toMatchObject({ status: 304, answer: undefined });
  });

  it('tags a body without a version by id and its state alone (a booking)', async () => {
    const one = await run(withEtagState({ bookingId: 'b1', bookingStatus: 'ACTIVE' }, 'one'));
    expect(one.etag).toMatch(/^"b1\.[\w-]{12}"$/);
    expect((await run(withEtagState({ bookingId: 'b1' }, 'two'))).etag).not.toBe(one.etag);
    expect(await run(withEtagState({ bookingId: 'b1' }, 'one'), `"x", ${one.etag}`)).toMatchObject({ status: 304 });
    expect(JSON.stringify(one.answer)).toBe('{"bookingId":"b1","bookingStatus":"ACTIVE"}');
  });

  it('leaves a body with neither version nor state (or a list) alone', async () => {
    expect(await run({ bookingId: 'b1' })).toMatchObject({ etag: undefined, status: 200 });
    expect(await run([{ version: 1 }])).toMatchObject({ etag: undefined, status: 200 });
  });
});
