import { smsLength } from './sms-segments';

describe('smsLength', () => {
  it('counts GSM-7 messages in parts of 160, then 153', () => {
    expect(smsLength('a'.repeat(160))).toMatchObject({ encoding: 'GSM-7', segments: 1, characters: 160 });
    expect(smsLength('a'.repeat(161))).toMatchObject({ encoding: 'GSM-7', segments: 2 });
    expect(smsLength('a'.repeat(306))).toMatchObject({ segments: 2 });
    expect(smsLength('a'.repeat(307))).toMatchObject({ segments: 3 });
  });

  it('counts GSM extension characters (€, [, ]) as two septets', () => {
    expect(smsLength('€'.repeat(80))).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(smsLength('€'.repeat(81))).toMatchObject({ encoding: 'GSM-7', segments: 2 });
  });

  it('switches to UCS-2 (70, then 67 per part) for characters outside GSM-7 and names them', () => {
    const irish = `Hi Siobhán, ${'a'.repeat(58)}`;
    expect(smsLength(irish)).toMatchObject({ encoding: 'UCS-2', segments: 1, nonGsmCharacters: ['á'] });
    expect(smsLength(`${irish}b`)).toMatchObject({ encoding: 'UCS-2', segments: 2 });
    expect(smsLength('See you soon 😀')).toMatchObject({ encoding: 'UCS-2', segments: 1 });
  });
});
