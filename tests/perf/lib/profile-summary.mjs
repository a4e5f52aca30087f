// Summarises a V8 .cpuprofile: where the CPU time went, by area (our code, each npm package,
// Node internals, GC), by function (self time) and by function including callees. Positions in
// a bundled dist/*.js are mapped back to the TypeScript source through its source map.
//
//   node tests/perf/lib/profile-summary.mjs <file.cpuprofile> [--top 25]
//   node tests/perf/lib/profile-summary.mjs <file.cpuprofile> --callers '<regexp of a frame>'   (who calls it)
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const maps = new Map();
function sourceMapFor(url) {
  if (!maps.has(url)) {
    let map = null;
    try {
      const file = url.startsWith('file://') ? fileURLToPath(url) : url;
      if (existsSync(`${file}.map`)) map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
    } catch {
      map = null;
    }
    maps.set(url, map);
  }
  return maps.get(url);
}

function areaOf(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native/V8 builtins)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1];
  if (url.startsWith('node:')) return 'node internals';
  if (/\/dist\/[^/]+\.js$/.test(url)) return 'app bundle (dist, our code)';
  if (/tests\/perf\//.test(url)) return 'bench harness';
  return url.replace(/^file:\/\//, '');
}

function place(frame) {
  const { url, lineNumber, columnNumber, functionName } = frame;
  const name = functionName || '(anonymous)';
  if (url && /\/dist\/[^/]+\.js$/.test(url)) {
    const map = sourceMapFor(url);
    const entry = map?.findEntry(lineNumber, columnNumber);
    if (entry?.originalSource) {
      const source = entry.originalSource.replace(/^.*?(apps|libs)\//, '$1/').replace(/^webpack:\/\/[^/]*\//, '');
      return `${name} ${source}:${entry.originalLine + 1}`;
    }
  }
  const short = (url || '').replace(/^file:\/\//, '').replace(/^.*node_modules\//, '');
  return url ? `${name} ${short}:${lineNumber + 1}` : name;
}

export function summarizeProfile(profile, top = 25) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  const inclusive = new Map();
  const areas = new Map();
  // Owner: native and node:internal time charged to the nearest caller that is a package or
  // our code (a socket write made by mysql2 counts for mysql2, not for "node internals").
  const owners = new Map();
  const ownerOf = (node) => {
    for (let n = node; n; n = byId.get(parent.get(n.id))) {
      const url = n.callFrame.url;
      if (url && !url.startsWith('node:')) return areaOf(url, n.callFrame.functionName);
    }
    return areaOf(node.callFrame.url, node.callFrame.functionName);
  };
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000; // ms
    if (dt <= 0) continue;
    let node = byId.get(profile.samples[i]);
    const fn = node.callFrame.functionName;
    if (fn === '(idle)') continue;
    total += dt;
    const key = place(node.callFrame);
    self.set(key, (self.get(key) ?? 0) + dt);
    const area = areaOf(node.callFrame.url, fn);
    areas.set(area, (areas.get(area) ?? 0) + dt);
    const owner = ownerOf(node);
    owners.set(owner, (owners.get(owner) ?? 0) + dt);
    const seen = new Set();
    while (node) {
      const k = place(node.callFrame);
      if (!seen.has(k) && !k.startsWith('(root)')) {
        seen.add(k);
        inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
      }
      node = byId.get(parent.get(node.id));
    }
  }
  const sorted = (m) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => ({ what: k, ms: Math.round(v), pct: Math.round((1000 * v) / total) / 10 }));
  return { busyMs: Math.round(total), owners: sorted(owners), areas: sorted(areas), self: sorted(self), inclusive: sorted(inclusive) };
}

/** The heaviest call paths (leaf first, `depth` frames up) through frames whose name matches `pattern`. */
export function callersOf(profile, pattern, depth = 8, top = 5) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stacks = new Map();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    let node = byId.get(profile.samples[i]);
    while (node && !pattern.test(place(node.callFrame))) node = byId.get(parent.get(node.id));
    if (!node) continue;
    total += dt;
    const frames = [];
    for (let n = node; n && frames.length < depth; n = byId.get(parent.get(n.id))) frames.push(place(n.callFrame));
    const key = frames.join('\n      <- ');
    stacks.set(key, (stacks.get(key) ?? 0) + dt);
  }
  const list = [...stacks.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [`${Math.round(total)} ms in frames matching ${pattern}:`, ...list.map(([k, v]) => `  ${Math.round(v)} ms\n      ${k}`)].join('\n');
}

export function formatProfile(summary) {
  const rows = (list) => list.map((x) => `  ${String(x.pct.toFixed(1)).padStart(5)}%  ${String(x.ms).padStart(6)} ms  ${x.what}`).join('\n');
  return [
    `CPU busy (not idle) in the profile: ${summary.busyMs} ms`,
    'time by owner (native and node: internals charged to the nearest package or app frame that called them):',
    rows(summary.owners ?? []),
    'self time by area:',
    rows(summary.areas),
    'self time by function (top):',
    rows(summary.self),
    'inclusive time by function (top; callers include callees):',
    rows(summary.inclusive),
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = process.argv[2];
  const topIndex = process.argv.indexOf('--top');
  const top = topIndex > 0 ? Number(process.argv[topIndex + 1]) : 25;
  if (!file) {
    process.stderr.write('usage: node tests/perf/lib/profile-summary.mjs <file.cpuprofile> [--top 25] [--callers <regexp>]\n');
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const callers = process.argv.indexOf('--callers');
  if (callers > 0) console.log(callersOf(profile, new RegExp(process.argv[callers + 1]), Number(process.env.DEPTH || 10)));
  else console.log(formatProfile(summarizeProfile(profile, top)));
}
