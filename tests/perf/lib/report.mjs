// Turning results into a table, an SVG bar chart and a comparison with an earlier run.

export const TARGET_RATIO = 0.3;
/** A scenario's own target (booking-create 0.5x; none for contention), else the reads' 0.3x. */
export const targetOf = (s) => (s.target === undefined ? TARGET_RATIO : s.target ?? 0);

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
    // Answers outside the scenario's right ones (non-2xx for reads; booking-contention's 409s are right).
    unexpected: rounds.reduce((a, r) => a + (r.unexpected ?? r.non2xx + r.errors + r.timeouts), 0),
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
      `${a.errors} / ${a.unexpected ?? a.non2xx}`,
      b ? fmt(b.rps) : '-',
      b ? ms(b.p99) : '-',
      s.ratio === null ? '-' : `${s.ratio.toFixed(2)}x${s.ratio < targetOf(s) ? ' <' : ''}`,
      s.cpuRatio === null || s.cpuRatio === undefined ? '-' : `${s.cpuRatio.toFixed(2)}x`,
      mib(s.service.peakRssKb),
      `±${fmt(a.spreadPct / 2, 1)}% / ±${b ? fmt(b.spreadPct / 2, 1) : '-'}%`,
    ];
  });
  return table(['scenario', 'req/s', 'p50 / p95 / p99 ms', 'err / unexpected', 'base req/s', 'base p99', 'ratio', 'CPU ratio', 'peak RSS', 'noise svc / base'], rows);
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
        `${b.errors} / ${b.unexpected ?? b.non2xx}`,
        mib(s.baseline.peakRssKb),
        `${fmt(a.cpuUsPerRequest)} / ${fmt(b.cpuUsPerRequest)}`,
        (s.roundRatios ?? []).map((r) => (r === null ? '-' : r.toFixed(2))).join(' '),
      ];
    });
  return table(['scenario', 'baseline', 'req/s', 'p50 / p95 / p99 ms', 'err / unexpected', 'peak RSS', 'CPU µs/req svc / base', 'ratio per round'], rows);
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
      out.push(`<text x="12" y="${y + 40}" fill="${ratio < targetOf(s) ? '#c0392b' : '#1e7b34'}">ratio ${ratio.toFixed(2)}x${cpu}</text>`);
    }
  });
  out.push(`<text x="12" y="${height - 12}" fill="#555">ratio = service req/s / baseline req/s, measured in the same run; target ≥ ${TARGET_RATIO}x on reads, ≥ 0.5x on booking creation</text>`);
  out.push('</svg>');
  return out.join('\n');
}

/** The scale curves: p50 latency of day-view and availability against table size and staff, service and raw baseline. */
export function scaleSvg(results) {
  const scale = results.scale;
  const width = 760;
  const panelH = 190;
  const left = 60;
  const plotW = 300;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${2 * panelH + 70}" viewBox="0 0 ${width} ${2 * panelH + 70}" font-family="system-ui, sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="12" y="20" font-size="14" font-weight="600">Chairbook bench ${esc(results.startedAt.slice(0, 16).replace('T', ' '))}: scale curves (p50 ms, ${scale.connections} connections)</text>`,
    `<text x="12" y="36" fill="#555">solid: core-api, dashed: raw baseline; left: appointment table size (log scale), right: staff per branch at ${scale.sizes.at(-1)?.rows ?? '?'} rows</text>`,
  ];
  const kinds = ['day-view', 'availability'];
  kinds.forEach((kind, row) => {
    const top = 50 + row * panelH;
    const panels = [
      { x0: left, xs: scale.sizes.map((s) => Math.log10(Math.max(1, s.rows))), labels: scale.sizes.map((s) => (s.rows >= 1e6 ? `${(s.rows / 1e6).toFixed(1)}M` : `${Math.round(s.rows / 1e3)}k`)), points: scale.sizes.map((s) => s[kind]) },
      { x0: left + plotW + 80, xs: scale.staff.map((s) => s.staff), labels: scale.staff.map((s) => `${s.staff}`), points: scale.staff.map((s) => s[kind]) },
    ];
    const maxY = Math.max(1, ...panels.flatMap((p) => p.points.flatMap((q) => [q.service.p50 ?? 0, q.baseline.p50 ?? 0]))) * 1.15;
    for (const p of panels) {
      const minX = Math.min(...p.xs);
      const spanX = Math.max(1e-9, Math.max(...p.xs) - minX);
      const X = (x) => p.x0 + ((x - minX) / spanX) * plotW;
      const Y = (y) => top + panelH - 40 - (y / maxY) * (panelH - 70);
      out.push(`<text x="${p.x0}" y="${top + 12}" font-weight="600">${esc(kind)}</text>`);
      out.push(`<line x1="${p.x0}" y1="${Y(0)}" x2="${p.x0 + plotW}" y2="${Y(0)}" stroke="#999"/><line x1="${p.x0}" y1="${Y(0)}" x2="${p.x0}" y2="${Y(maxY)}" stroke="#999"/>`);
      out.push(`<text x="${p.x0 - 6}" y="${Y(maxY) + 4}" text-anchor="end" fill="#555">${ms(maxY)}</text><text x="${p.x0 - 6}" y="${Y(0) + 4}" text-anchor="end" fill="#555">0</text>`);
      p.xs.forEach((x, i) => out.push(`<text x="${X(x)}" y="${Y(0) + 14}" text-anchor="middle" fill="#555">${esc(p.labels[i])}</text>`));
      for (const [who, dash, colour] of [['service', '', '#2f6fb0'], ['baseline', ' stroke-dasharray="4 3"', '#7f8c8d']]) {
        const pts = p.points.map((q, i) => `${X(p.xs[i]).toFixed(1)},${Y(q[who].p50 ?? 0).toFixed(1)}`).join(' ');
        out.push(`<polyline points="${pts}" fill="none" stroke="${colour}" stroke-width="2"${dash}/>`);
        p.points.forEach((q, i) => out.push(`<text x="${X(p.xs[i]) + 3}" y="${Y(q[who].p50 ?? 0) - 4}" fill="${colour}">${ms(q[who].p50)}</text>`));
      }
    }
  });
  out.push('</svg>');
  return out.join('\n');
}
