'use strict';
/**
 * Builds a heartbeat credential from the demo salon ("Foundation Hair") that a fresh stack
 * seeds, so the deploy workflow's acceptance step can book through the images it just built:
 *
 *   DEMO_PASSWORD=... BASE_URL=http://127.0.0.1:3000 node demo-salon-credential.js > credential.json
 *
 * It asks the Phorest-compatible API for the first business, branch and service the owner can
 * see, and creates a client with every consent off (so nothing is ever sent to it).
 */

const DEMO_USERNAME = 'global/owner@foundation-hair.example';

function listOf(body, plural) {
  if (body && body._embedded && Array.isArray(body._embedded[plural])) return body._embedded[plural];
  return Array.isArray(body) ? body : [];
}

/**
 * @param {{ baseUrl: string, username?: string, password: string, fetch?: typeof fetch }} options
 * @returns {Promise<Record<string, string>>} the heartbeat credential
 */
async function demoSalonCredential(options) {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const username = options.username || DEMO_USERNAME;
  const http = options.fetch || fetch;
  const headers = {
    authorization: `Basic ${Buffer.from(`${username}:${options.password}`).toString('base64')}`,
    'content-type': 'application/json',
    accept: 'application/json',
  };
  const api = `${baseUrl}/third-party-api-server/api/business`;
  const call = async (method, url, body) => {
    const response = await http(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${url.slice(baseUrl.length)}: HTTP ${response.status} ${text.slice(0, 200)}`);
    return text ? JSON.parse(text) : {};
  };
  const first = (items, key, what) => {
    const id = items.length > 0 ? items[0][key] : undefined;
    if (!id) throw new Error(`the demo salon has no ${what}`);
    return String(id);
  };

  const businessId = first(listOf(await call('GET', api), 'businesses'), 'businessId', 'business');
  const branchId = first(listOf(await call('GET', `${api}/${businessId}/branch`), 'branches'), 'branchId', 'branch');
  const serviceId = first(
    listOf(await call('GET', `${api}/${businessId}/branch/${branchId}/service`), 'services'),
    'serviceId',
    'service',
  );
  const client = await call('POST', `${api}/${businessId}/client`, {
    firstName: 'Heartbeat',
    lastName: 'Canary',
    email: 'heartbeat@chairbook.invalid',
    smsReminderConsent: false,
    emailReminderConsent: false,
    smsMarketingConsent: false,
    emailMarketingConsent: false,
  });
  if (!client.clientId) throw new Error('creating the canary client answered no clientId');
  return { username, password: options.password, businessId, branchId, serviceId, clientId: String(client.clientId) };
}

module.exports = { demoSalonCredential, DEMO_USERNAME };

if (require.main === module) {
  const baseUrl = process.env.BASE_URL;
  const password = process.env.DEMO_PASSWORD;
  if (!baseUrl || !password) {
    console.error('usage: BASE_URL=http://127.0.0.1:3000 DEMO_PASSWORD=... node demo-salon-credential.js');
    process.exit(2);
  }
  demoSalonCredential({ baseUrl, password })
    .then((credential) => process.stdout.write(`${JSON.stringify(credential)}\n`))
    .catch((error) => {
      console.error(`could not build a credential from the demo salon: ${error.message}`);
      process.exit(1);
    });
}
