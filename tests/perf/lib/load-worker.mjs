// The load generator: a long-lived child process (pinned to its own core by the runner) that
// takes jobs over IPC and drives autocannon. Every request takes the next path of a
// pre-generated list, so requests hit different rows. Latencies are kept exactly (a
// Float64Array of milliseconds) so p50/p95/p99 have sub-millisecond resolution.
//
// Writes (POST) come from a "lane" instead of a list: a generator module (e.g.
// scenarios/booking-requests.mjs) imported here once per lane key, whose `next()` gives the
// next request { method, path, body } and never repeats one, so every booking is a new free
// slot (or, for contention, a new slot fought over by a group of requests). A lane keeps its
// cursor across jobs (warm-up, rounds), so no slot is ever requested twice.
import autocannon from 'autocannon';
import { pathToFileURL } from 'node:url';

const lanes = new Map();

async function laneFor({ module, factory = 'makeLane', spec, key, skip = 0 }) {
  let lane = lanes.get(key);
  if (!lane) {
    const mod = await import(pathToFileURL(module).href);
    lane = mod[factory](spec);
    for (let i = 0; i < skip; i++) lane.next();
    lanes.set(key, lane);
  }
  return lane;
}

function percentile(sorted, p) {
  if (!sorted.length) return null;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[index] * 100) / 100;
}

function fire({ url, headers, paths, lane, connections, duration, collect }) {
  let next = paths ? Math.floor(Math.random() * paths.length) : 0;
  const jsonHeaders = { ...headers, 'content-type': 'application/json' };
  const setupRequest = lane
    ? (request) => {
        const r = lane.next();
        if (!r) return null;
        return { ...request, method: r.method, path: r.path, body: r.body === undefined ? undefined : JSON.stringify(r.body), headers: r.body === undefined ? headers : jsonHeaders };
      }
    : (request) => {
        next = (next + 1) % paths.length;
        const p = paths[next];
        // A path (GET), or a read with a body: { method, path, body } (e.g. availability).
        if (typeof p === 'string') return { ...request, path: p };
        return { ...request, method: p.method, path: p.path, body: JSON.stringify(p.body), headers: jsonHeaders };
      };
  let latencies = new Float64Array(collect ? 1 << 16 : 0);
  let count = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration,
        headers,
        timeout: 10,
        requests: [{ method: 'GET', setupRequest }],
      },
      (err, result) => (err ? reject(err) : resolve({ result, latencies: latencies.subarray(0, count) })),
    );
    if (collect) {
      instance.on('response', (_client, _status, _bytes, ms) => {
        if (count === latencies.length) {
          const grown = new Float64Array(latencies.length * 2);
          grown.set(latencies);
          latencies = grown;
        }
        latencies[count++] = ms;
      });
    }
  });
}

/** job: { url, headers, paths (GET paths or { method, path, body }) | lane (see laneFor), connections, duration (s), collect (keep latencies; false for warm-up) } */
async function runJob(job) {
  const lane = job.lane ? await laneFor(job.lane) : undefined;
  const cursorBefore = lane?.cursor;
  const started = process.hrtime.bigint();
  const { result, latencies } = await fire({ ...job, lane });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const sorted = Float64Array.from(latencies).sort();
  const responses = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  return {
    seconds: Math.round(seconds * 100) / 100,
    responses,
    rps: Math.round(responses / result.duration),
    ok2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    ...(lane ? { laneRequests: lane.cursor - cursorBefore, laneCursor: lane.cursor } : {}),
    // autocannon's own p99 (kept even for warm-ups, which collect no latencies): how long the
    // requests it abandoned at the end of the window may still keep the server busy.
    tailMs: result.latency?.p99 ?? null,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, v]) => [code, v.count])),
    latencyMs: {
      mean: latencies.length ? Math.round((latencies.reduce((a, b) => a + b, 0) / latencies.length) * 100) / 100 : null,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: percentile(sorted, 100),
    },
  };
}

process.on('message', async (job) => {
  try {
    process.send({ id: job.id, ok: true, result: await runJob(job) });
  } catch (err) {
    process.send({ id: job.id, ok: false, error: err.stack ?? String(err) });
  }
});
process.on('disconnect', () => process.exit(0));
