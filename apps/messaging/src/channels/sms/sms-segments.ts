import { SegmentedMessage } from 'sms-segments-calculator';

export interface SmsLength {
  /** GSM-7 when every character fits the GSM 03.38 alphabet, otherwise UCS-2 (70 per part). */
  encoding: 'GSM-7' | 'UCS-2';
  characters: number;
  segments: number;
  /** Characters that force UCS-2, so a salon can see why its message costs more. */
  nonGsmCharacters: string[];
}

/** Length and billed parts of an SMS body, counted as carriers (and Twilio) count them. */
export function smsLength(body: string): SmsLength {
  const message = new SegmentedMessage(body);
  return {
    encoding: message.encodingName,
    characters: message.numberOfCharacters,
    segments: message.segmentsCount,
    nonGsmCharacters: message.encodingName === 'UCS-2' ? [...new Set(message.getNonGsmCharacters())] : [],
  };
}
