import { SegmentedMessage } from 'sms-segments-calculator';
import UnicodeToGsm from 'sms-segments-calculator/dist/libs/UnicodeToGSM';

export interface SmsLength {
  /** GSM-7 when every character fits the GSM 03.38 alphabet, otherwise UCS-2 (70 per part). */
  encoding: 'GSM-7' | 'UCS-2';
  characters: number;
  segments: number;
  /** Characters that force UCS-2, so a salon can see why its message costs more. */
  nonGsmCharacters: string[];
}

/** Septets per part: one part holds 160; a multi-part message loses 7 to the concatenation header. */
const SINGLE_PART = 160;
const MULTI_PART = 153;

/**
 * Septets per UTF-16 code unit (1 for the basic GSM 03.38 alphabet, 2 for the extension
 * table: € [ ] { } etc.), 0 for anything GSM-7 cannot carry. Built once from the
 * calculator's own table, so both paths agree on the alphabet.
 */
const SEPTETS = (() => {
  const table = new Uint8Array(0x10000);
  for (const [code, units] of Object.entries(UnicodeToGsm)) table[Number(code)] = units.length;
  return table;
})();

/**
 * Length and billed parts of an SMS body, counted as carriers (and Twilio) count them.
 *
 * Most messages are plain GSM-7 and are counted here in one pass: a campaign renders one per
 * recipient, and the general calculator (grapheme splitting, a segment rebuilt per character)
 * costs ~100 µs a message (a millisecond for a long UCS-2 one), which was a third of a
 * 100,000-recipient campaign's CPU. Text with accents beyond GSM-7 (Siobhán, Seán) is counted
 * here too when every character is its own grapheme; anything else (emoji, combining marks,
 * other scripts) goes to the calculator.
 */
export function smsLength(body: string): SmsLength {
  const quick = gsmLength(body) ?? simpleUcs2Length(body);
  if (quick) return quick;
  const message = new SegmentedMessage(body);
  return {
    encoding: message.encodingName,
    characters: message.numberOfCharacters,
    segments: message.segmentsCount,
    nonGsmCharacters: message.encodingName === 'UCS-2' ? [...new Set(message.getNonGsmCharacters())] : [],
  };
}

/** The GSM-7 count, or null when a character needs UCS-2. Extension characters are never split across parts. */
function gsmLength(body: string): SmsLength | null {
  let septets = 0;
  for (let i = 0; i < body.length; i++) {
    const size = SEPTETS[body.charCodeAt(i)];
    if (!size) return null;
    septets += size;
  }
  if (septets <= SINGLE_PART) return { encoding: 'GSM-7', characters: septets, segments: 1, nonGsmCharacters: [] };
  let segments = 1;
  let used = 0;
  for (let i = 0; i < body.length; i++) {
    const size = SEPTETS[body.charCodeAt(i)];
    if (used + size > MULTI_PART) {
      segments++;
      used = 0;
    }
    used += size;
  }
  return { encoding: 'GSM-7', characters: septets, segments, nonGsmCharacters: [] };
}

/** UCS-2 parts: 70 code units in one, 67 each when split. */
const UCS2_SINGLE_PART = 70;
const UCS2_MULTI_PART = 67;

/**
 * Characters that always stand alone as a grapheme (Unicode grapheme break property Other,
 * Control, CR or LF; CR LF the calculator splits back into two): Latin with its accents and
 * modifiers (U+0000-U+02FF), dashes, quotes, bullets and ellipsis (U+2010-U+2027,
 * U+2030-U+205E), currency signs (U+20A0-U+20BF). Not combining marks, joiners or surrogates.
 */
function standsAlone(code: number): boolean {
  return code <= 0x02ff || (code >= 0x2010 && code <= 0x2027) || (code >= 0x2030 && code <= 0x205e) || (code >= 0x20a0 && code <= 0x20bf);
}

/** The UCS-2 count when every character stands alone (one code unit, one grapheme, one 16-bit unit); else null. */
function simpleUcs2Length(body: string): SmsLength | null {
  const nonGsm: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < body.length; i++) {
    const code = body.charCodeAt(i);
    if (!standsAlone(code)) return null;
    if (!SEPTETS[code]) {
      const ch = body[i];
      if (!seen.has(ch)) {
        seen.add(ch);
        nonGsm.push(ch);
      }
    }
  }
  const units = body.length;
  return { encoding: 'UCS-2', characters: units, segments: units <= UCS2_SINGLE_PART ? 1 : Math.ceil(units / UCS2_MULTI_PART), nonGsmCharacters: nonGsm };
}
