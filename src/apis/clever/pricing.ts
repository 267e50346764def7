// Campaign pricing in account units (FIDELITY, inferred from the seed's examples: 2 SMS -> 14,
// 1 TTS -> 9, 2 mails -> 4). The rates are fixture data (`pricing`), so a scenario may change them.
import { segment } from '../../core/sms.js';
import type { CleverFixtures } from './style.js';

export type PushType = 'sms' | 'tts' | 'voice';

/**
 * `nb_sms` of a text for the campaign's `encodage`: 3 (Latin, GSM 7-bit) is 160 characters in
 * one SMS and 153 per part beyond, characters of the GSM extension table (`€ [ ] { } ...`)
 * counting two; 4 (UCS-2) is 70 / 67 UTF-16 units. The client chose the encoding, so a non-GSM
 * character sent with encodage 3 still counts as one (the vendor transliterates it).
 */
export function smsSegments(text: string, encodage: 3 | 4): number {
  return segment(text, encodage === 4 ? 'UCS-2' : 'GSM-7').segments;
}

/** Units for one message of a message campaign: per segment for SMS, per message for voice/TTS. */
export function messageCost(type: PushType, nbSms: number, prices: CleverFixtures['pricing']): number {
  return type === 'sms' ? prices.smsPerSegment * nbSms : prices.voicePerMessage;
}

export function mailCost(prices: CleverFixtures['pricing']): number {
  return prices.mailPerMessage;
}
