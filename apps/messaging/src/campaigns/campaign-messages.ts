import type { Channel } from '../channels/provider.types';
import { smsLength } from '../channels/sms/sms-segments';
import { NewMessage } from '../dispatch/message-store';
import { unsubscribeUrl } from '../dispatch/unsubscribe-link';
import { bookingPageUrl } from '../bookings/booking-messages';
import type { BranchContext } from '../settings/branch-settings';
import { emailHtml, renderTemplate } from '../templates/render';

export const SMS_OPT_OUT_TEXT = 'Reply STOP to opt out';
export const EMAIL_OPT_OUT_TEXT = "You are receiving this because you agreed to hear from us. Don't want these emails?";

export interface CampaignText {
  id: string;
  channel: Channel;
  subject: string | null;
  body: string;
}

export interface Recipient {
  client_id: string;
  first_name: string;
  last_name: string;
  mobile: string | null;
  email: string | null;
}

/** Every marketing SMS ends with the STOP instruction unless the salon's text already has it. */
export function withSmsOptOut(body: string): string {
  return /\bSTOP\b/.test(body) ? body : `${body}\n${SMS_OPT_OUT_TEXT}`;
}

export function campaignMessage(
  campaign: CampaignText,
  branch: BranchContext,
  client: Recipient,
  links: { bookingPublicUrl: string; publicUrl: string; linkSigningSecret: string },
  notBefore: Date,
): NewMessage {
  const variables = {
    firstName: client.first_name,
    lastName: client.last_name,
    salonName: branch.salonName,
    branchName: branch.branchName,
    bookingLink: bookingPageUrl(links.bookingPublicUrl, branch.slug),
  };
  const base = {
    businessId: branch.businessId,
    branchId: branch.branchId,
    clientId: client.client_id,
    campaignId: campaign.id,
    kind: 'MARKETING' as const,
    channel: campaign.channel,
    idempotencyKey: `MARKETING:${campaign.id}:${client.client_id}:${campaign.channel}`,
    notBefore,
  };
  if (campaign.channel === 'SMS') {
    const body = withSmsOptOut(renderTemplate(campaign.body, variables));
    const length = smsLength(body);
    return { ...base, recipient: client.mobile!, body, segments: length.segments, encoding: length.encoding };
  }
  const unsubscribe = unsubscribeUrl(links.publicUrl, links.linkSigningSecret, { businessId: branch.businessId, clientId: client.client_id, email: client.email! });
  const text = renderTemplate(campaign.body, variables);
  return {
    ...base,
    recipient: client.email!,
    subject: renderTemplate(campaign.subject ?? branch.salonName, variables).slice(0, 300),
    body: `${text}\n\n${EMAIL_OPT_OUT_TEXT} Unsubscribe: ${unsubscribe}`,
    html: emailHtml(text, branch.salonName, { text: EMAIL_OPT_OUT_TEXT, url: unsubscribe }),
  };
}
