// Turning results into a table, an SVG bar chart and a comparison with an earlier run.

export const TARGET_RATIO = 0.3;

const fmt = (n, digits = 0) => (n === null || n === undefined || Number.isNaN(n) ? '-' : Number(n).toFixed(digits));
const ms = (n) => (n === null || n === undefined ? '-' : n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0));
const mib = (kb) => (kb ? `${(kb / 1024).toFixed(0)} MiB` : '-');
const pct = (n) => (n === null || n === undefined || !Number.isFinite(n) ? '-' : `${n >= 0 ? '+' : ''}${n.toFixed(1)}%`);

export function median(values) {
  const v = values.filter((x) => x !== null && x !== undefined && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** Median figures over rounds, plus the spread of requests/s ((max-min)/median, %). */
export function summarize(rounds) {
  const rps = rounds.map((r) => r.rps);
  const m = median(rps);
  return {
    rps: Math.round(m),
    p50: median(rounds.map((r) => r.latencyMs.p50)),
    p95: median(rounds.map((r) => r.latencyMs.p95)),
    p99: median(rounds.map((r) => r.latencyMs.p99)),
    errors: rounds.reduce((a, r) => a + r.errors + r.timeouts, 0),
    non2xx: rounds.reduce((a, r) => a + r.non2xx, 0),
    responses: rounds.reduce((a, r) => a + r.responses, 0),
    spreadPct: m ? Math.round((1000 * (Math.max(...rps) - Math.min(...rps))) / m) / 10 : null,
    rpsRounds: rps,
    cpuUsPerRequest: median(rounds.map((r) => r.cpuUsPerRequest)),
    processCpuPct: median(rounds.map((r) => r.processCpuPct)),
    serverCoreBusyPct: median(rounds.map((r) => r.coreBusyPct?.server)),
    loadCoreBusyPct: median(rounds.map((r) => r.coreBusyPct?.load)),
  };
}

function table(headers, rows, alignLeft = 1) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => (i < alignLeft ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function resultsTable(results) {
  const rows = results.scenarios.map((s) => {
    const a = s.service.summary;
    const b = s.baseline?.summary;
    return [
      s.name + (s.check.ok ? '' : ' (FAILED CHECK)'),
      fmt(a.rps),
      `${ms(a.p50)} / ${ms(a.p95)} / ${ms(a.p99)}`,
      `${a.errors} / ${a.non2xx}`,
      b ? fmt(b.rps) : '-',
      b ? ms(b.p99) : '-',
      s.ratio === null ? '-' : `${s.ratio.toFixed(2)}x${s.ratio < TARGET_RATIO ? ' <' : ''}`,
      s.cpuRatio === null || s.cpuRatio === undefined ? '-' : `${s.cpuRatio.toFixed(2)}x`,
      mib(s.service.peakRssKb),
      `±${fmt(a.spreadPct / 2, 1)}% / ±${b ? fmt(b.spreadPct / 2, 1) : '-'}%`,
    ];
  });
  return table(['scenario', 'req/s', 'p50 / p95 / p99 ms', 'err / non2xx', 'base req/s', 'base p99', 'ratio', 'CPU ratio', 'peak RSS', 'noise svc / base'], rows);
}

export function baselineTable(results) {
  const rows = results.scenarios
    .filter((s) => s.baseline)
    .map((s) => {
      const b = s.baseline.summary;
      const a = s.service.summary;
      return [
        s.name,
        s.baseline.name,
        fmt(b.rps),
        `${ms(b.p50)} / ${ms(b.p95)} / ${ms(b.p99)}`,
        `${b.errors} / ${b.non2xx}`,
        mib(s.baseline.peakRssKb),
        `${fmt(a.cpuUsPerRequest)} / ${fmt(b.cpuUsPerRequest)}`,
        (s.roundRatios ?? []).map((r) => (r === null ? '-' : r.toFixed(2))).join(' '),
      ];
    });
  return table(['scenario', 'baseline', 'req/s', 'p50 / p95 / p99 ms', 'err / non2xx', 'peak RSS', 'CPU µs/req svc / base', 'ratio per round'], rows);
}

export function compareTable(current, previous) {
  const before = new Map(previous.scenarios.map((s) => [s.name, s]));
  const rows = [];
  for (const s of current.scenarios) {
    const p = before.get(s.name);
    if (!p) {
      rows.push([s.name, '(new)', '', '', '', '', '']);
      continue;
    }
    const change = (a, b) => (a && b ? (100 * (a - b)) / b : null);
    rows.push([
      s.name,
      `${fmt(p.service.summary.rps)} -> ${fmt(s.service.summary.rps)} (${pct(change(s.service.summary.rps, p.service.summary.rps))})`,
      `${ms(p.service.summary.p99)} -> ${ms(s.service.summary.p99)} (${pct(change(s.service.summary.p99, p.service.summary.p99))})`,
      `${fmt(p.baseline?.summary.rps)} -> ${fmt(s.baseline?.summary.rps)} (${pct(change(s.baseline?.summary.rps, p.baseline?.summary.rps))})`,
      `${p.ratio?.toFixed(2) ?? '-'} -> ${s.ratio?.toFixed(2) ?? '-'}`,
      `${p.cpuRatio?.toFixed(2) ?? '-'} -> ${s.cpuRatio?.toFixed(2) ?? '-'}`,
      `${mib(p.service.peakRssKb)} -> ${mib(s.service.peakRssKb)}`,
    ]);
  }
  for (const name of before.keys()) if (!current.scenarios.some((s) => s.name === name)) rows.push([name, '(not run now)', '', '', '', '', '']);
  return table(['scenario', 'req/s', 'p99 ms', 'baseline req/s', 'ratio', 'CPU ratio', 'peak RSS'], rows);
}

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Horizontal bars: service and baseline requests/s per scenario, with the ratio. */
export function svgChart(results) {
  const scenarios = results.scenarios;
  const max = Math.max(1, ...scenarios.flatMap((s) => [s.service.summary.rps, s.baseline?.summary.rps ?? 0]));
  const left = 170;
  const width = 760;
  const barMax = width - left - 140;
  const group = 58;
  const top = 48;
  const height = top + scenarios.length * group + 40;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="12" y="20" font-size="14" font-weight="600">Chairbook bench ${esc(results.startedAt.slice(0, 16).replace('T', ' '))}: requests/s, service vs raw baseline</text>`,
    `<text x="12" y="36" fill="#555">${esc(`${results.machine.cpus} cores, node ${results.machine.node}, ${results.settings.connections} connections, median of ${results.settings.rounds} x ${results.settings.duration} s`)}</text>`,
  ];
  scenarios.forEach((s, i) => {
    const y = top + i * group;
    const a = s.service.summary.rps;
    const b = s.baseline?.summary.rps ?? 0;
    out.push(`<text x="12" y="${y + 22}" font-weight="600">${esc(s.name)}</text>`);
    out.push(`<rect x="${left}" y="${y + 6}" width="${Math.max(1, (a / max) * barMax)}" height="18" fill="${s.check.ok ? '#2f6fb0' : '#c0392b'}"/>`);
    out.push(`<text x="${left + (a / max) * barMax + 6}" y="${y + 19}">${esc(`${s.service.name} ${a} req/s, p99 ${ms(s.service.summary.p99)} ms`)}</text>`);
    if (s.baseline) {
      out.push(`<rect x="${left}" y="${y + 28}" width="${Math.max(1, (b / max) * barMax)}" height="18" fill="#b9c7d6"/>`);
      out.push(`<text x="${left + (b / max) * barMax + 6}" y="${y + 41}">${esc(`${s.baseline.name} ${b} req/s`)}</text>`);
      const ratio = s.ratio ?? 0;
      const cpu = s.cpuRatio ? ` · CPU ${s.cpuRatio.toFixed(2)}x` : '';
      out.push(`<text x="12" y="${y + 40}" fill="${ratio < TARGET_RATIO ? '#c0392b' : '#1e7b34'}">ratio ${ratio.toFixed(2)}x${cpu}</text>`);
    }
  });
  out.push(`<text x="12" y="${height - 12}" fill="#555">ratio = service req/s / baseline req/s, measured in the same run; target ≥ ${TARGET_RATIO}x on hot reads</text>`);
  out.push('</svg>');
  return out.join('\n');
}
