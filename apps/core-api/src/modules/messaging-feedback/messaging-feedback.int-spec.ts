import { createEvent } from '@chairbook/contracts';
import { captureEvents, publishRaw, waitFor } from '@chairbook/testing';
import { ApiClient, createBusiness } from '../../test-support/api-client';
import { CoreApiHarness, startCoreApi } from '../../test-support/core-api-harness';

describe('messaging feedback: opt-outs from messaging change client consent (real MariaDB and RabbitMQ)', () => {
  let api: CoreApiHarness;
  let owner: ApiClient;
  let capture: Awaited<ReturnType<typeof captureEvents>>;

  beforeAll(async () => {
    api = await startCoreApi();
    owner = await createBusiness(api);
    capture = await captureEvents(api.rabbitUrl, 'client.consent_changed');
  });
  afterAll(async () => {
    await capture?.close();
    await api?.close();
  });

  it('withdraws SMS marketing consent on STOP (by id and by mobile), once, and gives it back on START', async () => {
    const created = await owner.post(`${owner.business}/client`, { firstName: 'Orla', lastName: 'Kelly', mobile: '+353876666666', smsMarketingConsent: true, smsReminderConsent: true });
    expect(created.status).toBe(201);
    const clientId = created.body.clientId as string;
    const stop = createEvent(
      'messaging.opt_out_changed',
      { channel: 'SMS', address: '+353876666666', optedOut: true, clientIds: [], source: 'SMS_REPLY', keyword: 'STOP' },
      { businessId: owner.businessId },
    );
    await publishRaw(api.rabbitUrl, stop.type, JSON.stringify(stop));
    await publishRaw(api.rabbitUrl, stop.type, JSON.stringify(stop)); // redelivered
    await waitFor(async () => (await owner.get(`${owner.business}/client/${clientId}`)).body.smsMarketingConsent === false, { what: 'consent withdrawn' });
    const changed = await waitFor(() => capture.received.find((e) => (e.body['data'] as { clientId: string }).clientId === clientId), { what: 'client.consent_changed' });
    expect(changed.body['data']).toMatchObject({ clientId, smsMarketingConsent: false, smsReminderConsent: true });

    const start = createEvent(
      'messaging.opt_out_changed',
      { channel: 'SMS', address: '+353876666666', optedOut: false, clientIds: [clientId], source: 'SMS_REPLY', keyword: 'START' },
      { businessId: owner.businessId },
    );
    await publishRaw(api.rabbitUrl, start.type, JSON.stringify(start));
    await waitFor(async () => (await owner.get(`${owner.business}/client/${clientId}`)).body.smsMarketingConsent === true, { what: 'consent restored' });
    await new Promise((r) => setTimeout(r, 300));
    expect(capture.received.filter((e) => (e.body['data'] as { clientId: string }).clientId === clientId)).toHaveLength(2);
  });

  it('never touches another business', async () => {
    const other = await createBusiness(api);
    const created = await other.post(`${other.business}/client`, { firstName: 'Ann', lastName: 'Other', email: 'ann@example.com', emailMarketingConsent: true });
    const event = createEvent(
      'messaging.opt_out_changed',
      { channel: 'EMAIL', address: 'ann@example.com', optedOut: true, clientIds: [created.body.clientId], source: 'EMAIL_UNSUBSCRIBE', keyword: null },
      { businessId: owner.businessId },
    );
    await publishRaw(api.rabbitUrl, event.type, JSON.stringify(event));
    await new Promise((r) => setTimeout(r, 800));
    expect((await other.get(`${other.business}/client/${created.body.clientId}`)).body.emailMarketingConsent).toBe(true);
  });
});
