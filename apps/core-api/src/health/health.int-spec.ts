import { waitFor } from '@chairbook/testing';
import { CoreApiHarness, startCoreApi } from '../test-support/core-api-harness';

describe('core-api health, metrics and error shape (real MariaDB and RabbitMQ)', () => {
  let api: CoreApiHarness;
  const health = async () => {
    const response = await fetch(`${api.baseUrl}/health`);
    return { status: response.status, body: (await response.json()) as { status: string; details: Record<string, { status: string }> } };
  };

  beforeAll(async () => {
    api = await startCoreApi({ proxyDatabase: true, proxyBroker: true });
    await waitFor(async () => (await health()).status === 200, { what: 'core-api healthy' });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('answers /health naming the database and the broker', async () => {
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body.details).toEqual({ database: { status: 'up' }, broker: { status: 'up' } });
  });

  it('serves Prometheus metrics', async () => {
    const response = await fetch(`${api.baseUrl}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('answers unknown routes with a JSON 404 and a request id', async () => {
    const response = await fetch(`${api.baseUrl}/no/such/route`, { headers: { 'x-request-id': 'test-req-1' } });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-request-id')).toBe('test-req-1');
    expect(await response.json()).toMatchObject({ code: 'NOT_FOUND', requestId: 'test-req-1', statusCode: 404 });
  });

  it('answers malformed JSON with 400 MALFORMED_JSON and no stack trace', async () => {
    const response = await fetch(`${api.baseUrl}/health`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"broken":' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { code: string };
    expect(body.code).toBe('MALFORMED_JSON');
    expect(JSON.stringify(body)).not.toMatch(/at .*\.js/);
  });

  it('turns 503 when the database goes away and 200 again when it returns, without a restart', async () => {
    await api.dbProxy!.cut();
    const down = await waitFor(async () => {
      const h = await health();
      return h.status === 503 ? h : undefined;
    }, { what: '503 with database down' });
    expect(down.body.details['database'].status).toBe('down');
    expect(down.body.details['broker'].status).toBe('up');
    await api.dbProxy!.restore();
    await waitFor(async () => (await health()).status === 200, { what: 'healthy again after database returned' });
  });

  it('turns 503 when the broker goes away and 200 again when it returns, without a restart', async () => {
    await api.brokerProxy!.cut();
    const down = await waitFor(async () => {
      const h = await health();
      return h.status === 503 ? h : undefined;
    }, { what: '503 with broker down' });
    expect(down.body.details['broker'].status).toBe('down');
    await api.brokerProxy!.restore();
    await waitFor(async () => (await health()).status === 200, { timeoutMs: 20_000, what: 'healthy again after broker returned' });
  });
});
