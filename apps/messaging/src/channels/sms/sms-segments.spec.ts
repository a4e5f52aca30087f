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

  it('counts accented (UCS-2) text exactly as the full calculator does, at every length', () => {
    const alphabet = 'abcXYZ019 .,\n\r€[]{}áéíóúÁÉÍÓÚàâçëïôûÿœŒŠžƒ‘’“”–—…•¿¡ßØ£₹ʼ';
    let seed = 11;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let n = 0; n < 400; n++) {
      const length = 1 + Math.floor(random() * 300);
      let body = 'Siobhán ';
      for (let i = 0; i < length; i++) body += alphabet[Math.floor(random() * alphabet.length)];
      const reference = new SegmentedMessage(body);
      expect([body, smsLength(body)]).toEqual([
        body,
        { encoding: reference.encodingName, characters: reference.numberOfCharacters, segments: reference.segmentsCount, nonGsmCharacters: [...new Set(reference.getNonGsmCharacters())] },
      ]);
    }
  });

  it('agrees with the calculator on every character the quick count accepts', () => {
    const codes: number[] = [];
    for (const [from, to] of [
      [0x01, 0x02ff],
      [0x2010, 0x2027],
      [0x2030, 0x205e],
      [0x20a0, 0x20bf],
    ]) {
      for (let c = from; c <= to; c++) codes.push(c);
    }
    for (let i = 0; i < codes.length; i += 90) {
      const body = `é${String.fromCharCode(...codes.slice(i, i + 90))}`;
      const reference = new SegmentedMessage(body);
      expect([i, smsLength(body)]).toEqual([i, { encoding: reference.encodingName, characters: reference.numberOfCharacters, segments: reference.segmentsCount, nonGsmCharacters: [...new Set(reference.getNonGsmCharacters())] }]);
    }
  });
});

