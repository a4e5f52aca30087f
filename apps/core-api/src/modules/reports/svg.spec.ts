import { barChart, columnChart, niceMax } from './svg';

describe('SVG charts', () => {
  it.each([
    [0, 1],
    [0.3, 0.5],
    [7, 10],
    [12, 20],
    [480, 500],
    [1001, 2000],
  ])('niceMax(%d) = %d', (max, nice) => {
    expect(niceMax(max)).toBe(nice);
  });

  it('draws a column per datum with an accessible title, and escapes every text', () => {
    const svg = columnChart('Revenue <by day> & more', [
      { label: '2026-12-01', value: 120.5 },
      { label: '2026-12-02', value: 0 },
      { label: '"Refunds"', value: -20, display: '−20.00' },
    ]);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('<title>Revenue &lt;by day&gt; &amp; more</title>');
    expect(svg).toContain('&quot;Refunds&quot;: −20.00');
    expect(svg.match(/<rect x=/g)).toHaveLength(3);
    expect(svg).toContain('fill="#dc2626"');
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('says so when there is nothing to draw', () => {
    expect(columnChart('Empty', [])).toContain('No data');
    expect(barChart('Empty', [])).toContain('No data');
  });

  it('draws bars clamped to the maximum with their values printed', () => {
    const svg = barChart(
      'Utilisation',
      [
        { label: 'Aoife', value: 0.5, display: '50%' },
        { label: 'Conor <3', value: 1.4, display: '140%' },
      ],
      { max: 1 },
    );
    expect(svg).toContain('>50%</text>');
    expect(svg).toContain('Conor &lt;3');
    expect(svg).not.toMatch(/NaN|undefined/);
  });
});
