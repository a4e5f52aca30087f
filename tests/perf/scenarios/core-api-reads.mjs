// Issue 3's read scenarios against core-api, each with its raw baseline (the same SQL through
// raw mysql2 from a bare Node http server: baselines/raw-read-server.mjs). A scenario makes a
// list of request paths (each a different row, picked at random from the seeded data) and a
// check of one response body, so a run of 401s or 404s can never pass as fast.
import { phoneForms, rng } from '../seed/data.mjs';

const API = '/third-party-api-server/api/business';
const PATHS = 20_000;

const fail = (message) => message;

function activeClientIndexes(clients, needEmail = false) {
  const out = [];
  for (let i = 0; i < clients.ids.length; i++) if (!clients.archived[i] && (!needEmail || clients.emails[i])) out.push(i);
  return out;
}

/** Checks a one-hit client search answer. */
function checkOneClient(body, expect) {
  const list = body?._embedded?.clients;
  if (!Array.isArray(list)) return fail('no _embedded.clients array');
  if (body.page?.totalElements !== 1 || list.length !== 1) return fail(`expected exactly 1 client, got ${list.length} (totalElements ${body.page?.totalElements})`);
  if (list[0].clientId !== expect.clientId) return fail(`expected client ${expect.clientId}, got ${list[0].clientId}`);
  for (const field of ['mobile', 'email']) if (expect[field] && list[0][field] !== expect[field]) return fail(`${field} ${list[0][field]} != ${expect[field]}`);
  if (typeof list[0].version !== 'number' || typeof list[0].smsReminderConsent !== 'boolean') return fail('client lacks version/consent fields');
  return null;
}

export const coreApiReadScenarios = [
  {
    name: 'client-search-phone',
    service: 'core-api',
    baseline: 'raw-read',
    description:
      'GET …/business/{b}/client?phone=<a random existing mobile, as +353…, 353… or 08x… local form>: phone normalisation, branch country lookup, indexed search (business_id, mobile), count, categories.',
    requests(fixture, seed) {
      const r = rng(seed);
      const business = fixture.businesses[0];
      const c = business.clients;
      const pool = activeClientIndexes(c);
      return Array.from({ length: Math.min(PATHS, pool.length) }, () => {
        const i = r.pick(pool);
        const form = r.pick(phoneForms(c.mobiles[i]));
        return { path: `${API}/${business.id}/client?phone=${encodeURIComponent(form)}`, expect: { clientId: c.ids[i], mobile: c.mobiles[i] } };
      });
    },
    check: checkOneClient,
  },
  {
    name: 'client-search-email',
    service: 'core-api',
    baseline: 'raw-read',
    description: 'GET …/business/{b}/client?email=<a random existing email, some in mixed case>: indexed search (business_id, email), count, categories.',
    requests(fixture, seed) {
      const r = rng(seed + 1);
      const business = fixture.businesses[0];
      const c = business.clients;
      const pool = activeClientIndexes(c, true);
      return Array.from({ length: Math.min(PATHS, pool.length) }, () => {
        const i = r.pick(pool);
        const email = r.chance(0.3) ? c.emails[i].replace(/^./, (ch) => ch.toUpperCase()) : c.emails[i];
        return { path: `${API}/${business.id}/client?email=${encodeURIComponent(email)}`, expect: { clientId: c.ids[i], email: c.emails[i] } };
      });
    },
    check: checkOneClient,
  },
  {
    name: 'staff-list',
    service: 'core-api',
    baseline: 'raw-read',
    description: 'GET …/business/{b}/branch/{br}/staff: tenant check of the branch, branch row, first page of staff with categories, count, qualifications and the branch’s services.',
    requests(fixture, seed) {
      const r = rng(seed + 2);
      const business = fixture.businesses[0];
      return Array.from({ length: 1_000 }, () => {
        const branch = r.pick(business.branches);
        return { path: `${API}/${business.id}/branch/${branch.id}/staff`, expect: { activeStaff: branch.activeStaff, staffIds: branch.staffIds } };
      });
    },
    check(body, expect) {
      const list = body?._embedded?.staffs;
      if (!Array.isArray(list)) return fail('no _embedded.staffs array');
      if (body.page?.totalElements !== expect.activeStaff) return fail(`totalElements ${body.page?.totalElements} != ${expect.activeStaff} active staff`);
      if (list.length !== Math.min(20, expect.activeStaff)) return fail(`page has ${list.length} staff`);
      if (!list.every((s) => expect.staffIds.includes(s.staffId) && Array.isArray(s.services) && Array.isArray(s.disqualifiedServices))) return fail('unexpected staff entries');
      if (!list.some((s) => s.services.length > 0)) return fail('no staff member has qualifications');
      return null;
    },
  },
  {
    name: 'client-get',
    service: 'core-api',
    baseline: 'raw-read',
    description: 'GET …/business/{b}/client/{id} of a random client: tenant check and primary-key read, categories, ETag.',
    requests(fixture, seed) {
      const r = rng(seed + 3);
      const business = fixture.businesses[0];
      const c = business.clients;
      return Array.from({ length: Math.min(PATHS, c.ids.length) }, () => {
        const i = r.int(0, c.ids.length - 1);
        return { path: `${API}/${business.id}/client/${c.ids[i]}`, expect: { clientId: c.ids[i], mobile: c.mobiles[i] } };
      });
    },
    check(body, expect) {
      if (body?.clientId !== expect.clientId) return fail(`expected client ${expect.clientId}, got ${JSON.stringify(body).slice(0, 120)}`);
      if (body.mobile !== expect.mobile || typeof body.version !== 'number') return fail('wrong mobile or no version');
      return null;
    },
  },
];
