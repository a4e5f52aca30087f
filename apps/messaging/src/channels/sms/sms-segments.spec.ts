import { SegmentedMessage } from 'sms-segments-calculator';
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

  it('counts plain GSM-7 exactly as the full calculator does (the fast path), at every length and mix', () => {
    const alphabet = 'abcXYZ019 @£$_!?.,\n\r€[]{}^~|\\ÄÖÑÜäöñüàèéùìòÇØøÅåΔΦΓΛΩΠΨΣΘΞÆæßÉ¡¿§';
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let n = 0; n < 800; n++) {
      const length = Math.floor(random() * 480);
      const extensionHeavy = random() < 0.2;
      let body = '';
      for (let i = 0; i < length; i++) body += extensionHeavy && random() < 0.5 ? '€' : alphabet[Math.floor(random() * alphabet.length)];
      const reference = new SegmentedMessage(body);
      expect([body.length, smsLength(body)]).toEqual([
        body.length,
        { encoding: reference.encodingName, characters: reference.numberOfCharacters, segments: reference.segmentsCount, nonGsmCharacters: [] },
      ]);
    }
  });
});

