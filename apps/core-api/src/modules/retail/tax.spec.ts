import { divRound, milliToRate, percentToBasisPoints, priceLine, rateToMilli, settle, shareOf, splitTax } from './tax';

/** Negation without -0 (the arithmetic never answers -0). */
const neg = (n: number) => (n === 0 ? 0 : -n);

describe('till arithmetic', () => {
  describe('divRound: half away from zero', () => {
    it.each([
      [5n, 2n, 3n],
      [4n, 2n, 2n],
      [7n, 3n, 2n],
      [8n, 3n, 3n],
      [-5n, 2n, -3n],
      [-7n, 3n, -2n],
      [0n, 7n, 0n],
      [1n, 3n, 0n],
    ])('%p / %p = %p', (n, d, q) => {
      expect(divRound(n, d)).toBe(q);
    });

    it('refuses a zero or negative denominator', () => {
      expect(() => divRound(1n, 0n)).toThrow(RangeError);
    });
  });

  describe('splitTax: tax-inclusive totals, net rounded half-up', () => {
    it.each([
      // total, rate (milli-percent), net, tax
      [12300, 23_000, 10000, 2300], // €123.00 at 23%
      [5500, 13_500, 4846, 654], // €55.00 at 13.5%: 4845.81… → 4846
      [1000, 20_000, 833, 167], // £10.00 at 20%: 833.33… → 833
      [100, 23_000, 81, 19], // €1.00 at 23%: 81.30… → 81
      [1, 23_000, 1, 0], // one cent: 0.813 → 1, no tax
      [999, 0, 999, 0], // zero-rated
      [5, 9_000, 5, 0], // 4.587… → 5
      [107_650, 7_650, 100_000, 7_650], // 7.65% comes out exact
    ])('%i at %i‰% is net %i + tax %i', (total, rate, net, tax) => {
      expect(splitTax(total, rate)).toEqual({ netMinor: net, taxMinor: tax });
      expect(net + tax).toBe(total);
    });

    it('mirrors exactly for negative (refund) totals', () => {
      for (const [total, rate] of [
        [5500, 13_500],
        [1000, 20_000],
        [12345, 23_000],
        [1, 23_000],
        [2, 50_000],
      ]) {
        const sale = splitTax(total, rate);
        const refund = splitTax(-total, rate);
        expect(refund).toEqual({ netMinor: neg(sale.netMinor), taxMinor: neg(sale.taxMinor) });
      }
    });

    it('rounds exactly half up (a net ending in .5 goes up)', () => {
      // 21 at 100%: net 10.5 → 11, tax 10
      expect(splitTax(21, 100_000)).toEqual({ netMinor: 11, taxMinor: 10 });
      expect(splitTax(-21, 100_000)).toEqual({ netMinor: -11, taxMinor: -10 });
    });

    it('never drifts over many lines (the sum of per-line tax is what is charged)', () => {
      let total = 0;
      let tax = 0;
      for (let i = 1; i <= 1000; i++) {
        const s = splitTax(i * 7, 23_000);
        total += i * 7;
        tax += s.taxMinor;
        expect(Number.isInteger(s.netMinor)).toBe(true);
      }
      expect(total).toBe(3_503_500);
      expect(tax).toBeGreaterThan(0);
    });
  });

  describe('rates and percentages', () => {
    it.each([
      [23, 23_000],
      [13.5, 13_500],
      [0, 0],
      [100, 100_000],
      [7.125, 7_125],
      [0.001, 1],
    ])('%d%% is %i thousandths of a percent', (rate, milli) => {
      expect(rateToMilli(rate)).toBe(milli);
      expect(milliToRate(milli)).toBe(rate);
    });

    it.each([0.0001, -1, 100.001, Number.NaN, Number.POSITIVE_INFINITY, 13.5001])('refuses a rate of %d', (rate) => {
      expect(rateToMilli(rate)).toBeUndefined();
    });

    it('reads discounts with up to two decimals', () => {
      expect(percentToBasisPoints(12.5)).toBe(1250);
      expect(percentToBasisPoints(10)).toBe(1000);
      expect(percentToBasisPoints(0.125)).toBeUndefined();
      expect(percentToBasisPoints(101)).toBeUndefined();
    });
  });

  describe('priceLine', () => {
    it('prices quantity × unit price, takes a fixed discount off and splits the tax', () => {
      expect(priceLine({ unitPriceMinor: 2450, quantity: 2, rateMilli: 23_000, discountMinor: 400 })).toEqual({
        grossMinor: 4900,
        discountMinor: 400,
        totalMinor: 4500,
        netMinor: 3659, // 3658.54 → 3659
        taxMinor: 841,
      });
    });

    it('rounds a percentage discount half-up to the cent', () => {
      // 12.5% of €19.99 = 2.49875 → 2.50
      expect(priceLine({ unitPriceMinor: 1999, quantity: 1, rateMilli: 0, discountBasisPoints: 1250 })).toMatchObject({
        discountMinor: 250,
        totalMinor: 1749,
      });
      // 10% of €0.05 = 0.5 cent → 1 cent
      expect(priceLine({ unitPriceMinor: 5, quantity: 1, rateMilli: 0, discountBasisPoints: 1000 })).toMatchObject({
        discountMinor: 1,
        totalMinor: 4,
      });
    });

    it('mirrors a sale line for a negative quantity', () => {
      const sale = priceLine({ unitPriceMinor: 1999, quantity: 3, rateMilli: 23_000, discountBasisPoints: 1500 });
      const refund = priceLine({ unitPriceMinor: 1999, quantity: -3, rateMilli: 23_000, discountBasisPoints: 1500 });
      const s = sale as unknown as Record<string, number>;
      expect(refund).toEqual({
        grossMinor: neg(s.grossMinor),
        discountMinor: neg(s.discountMinor),
        totalMinor: neg(s.totalMinor),
        netMinor: neg(s.netMinor),
        taxMinor: neg(s.taxMinor),
      });
    });

    it('refuses a discount bigger than the line, and amounts beyond the column', () => {
      expect(priceLine({ unitPriceMinor: 1000, quantity: 1, rateMilli: 0, discountMinor: 1001 })).toEqual({
        error: 'DISCOUNT_EXCEEDS_PRICE',
      });
      expect(priceLine({ unitPriceMinor: 1_000_000_000, quantity: 3, rateMilli: 0 })).toEqual({ error: 'AMOUNT_OUT_OF_RANGE' });
    });

    it('a 100% discount makes a free line with no tax', () => {
      expect(priceLine({ unitPriceMinor: 3000, quantity: 1, rateMilli: 23_000, discountBasisPoints: 10_000 })).toEqual({
        grossMinor: 3000,
        discountMinor: 3000,
        totalMinor: 0,
        netMinor: 0,
        taxMinor: 0,
      });
    });
  });

  describe('shareOf: a partial refund’s share of a line', () => {
    it('is proportional, half-up, and the shares of every unit add up when the last takes the rest', () => {
      expect(shareOf(1000, 1, 3)).toBe(333);
      expect(shareOf(1000, 2, 3)).toBe(667);
      expect(shareOf(-1000, 1, 3)).toBe(-333);
      expect(shareOf(1001, 1, 2)).toBe(501);
    });
  });

  describe('settle: tenders against the total', () => {
    it('gives change on cash only', () => {
      expect(settle(4200, [{ type: 'CASH', amountMinor: 5000 }])).toEqual({ applied: [4200], paidMinor: 4200, changeMinor: 800 });
    });

    it('splits tenders: card and voucher first, cash covers the rest', () => {
      expect(
        settle(10_000, [
          { type: 'VOUCHER', amountMinor: 2500 },
          { type: 'CARD', amountMinor: 5000 },
          { type: 'CASH', amountMinor: 2000 },
          { type: 'CASH', amountMinor: 1000 },
        ]),
      ).toEqual({ applied: [2500, 5000, 2000, 500], paidMinor: 10_000, changeMinor: 500 });
    });

    it('is PAYMENT_SHORT when the tenders do not cover the total', () => {
      expect(settle(4200, [{ type: 'CARD', amountMinor: 4199 }])).toEqual({ error: 'PAYMENT_SHORT' });
      expect(settle(4200, [])).toEqual({ error: 'PAYMENT_SHORT' });
      expect(
        settle(4200, [
          { type: 'CARD', amountMinor: 2000 },
          { type: 'CASH', amountMinor: 2000 },
        ]),
      ).toEqual({ error: 'PAYMENT_SHORT' });
    });

    it('is OVERPAYMENT when a card or voucher pays more than the total, or cash is not needed', () => {
      expect(settle(4200, [{ type: 'CARD', amountMinor: 4300 }])).toEqual({ error: 'OVERPAYMENT' });
      expect(
        settle(4200, [
          { type: 'CARD', amountMinor: 4200 },
          { type: 'CASH', amountMinor: 100 },
        ]),
      ).toEqual({ error: 'OVERPAYMENT' });
    });

    it('takes a zero total with no tenders', () => {
      expect(settle(0, [])).toEqual({ applied: [], paidMinor: 0, changeMinor: 0 });
    });

    it('refuses zero or negative tenders on a sale', () => {
      expect(
        settle(100, [
          { type: 'CARD', amountMinor: 0 },
          { type: 'CARD', amountMinor: 100 },
        ]),
      ).toEqual({ error: 'PAYMENT_SIGN' });
    });

    it('pays a reversal back exactly, with negative tenders', () => {
      expect(
        settle(-4200, [
          { type: 'CARD', amountMinor: -3000 },
          { type: 'CASH', amountMinor: -1200 },
        ]),
      ).toEqual({
        applied: [-3000, -1200],
        paidMinor: -4200,
        changeMinor: 0,
      });
      expect(settle(-4200, [{ type: 'CASH', amountMinor: -5000 }])).toEqual({ error: 'REFUND_MISMATCH' });
      expect(settle(-4200, [{ type: 'CASH', amountMinor: 4200 }])).toEqual({ error: 'PAYMENT_SIGN' });
    });
  });
});
