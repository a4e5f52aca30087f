import type { Channel } from '../channels/provider.types';

/** Messages sent about a booking; marketing campaigns bring their own text. */
export const TEMPLATE_KINDS = ['CONFIRMATION', 'REMINDER', 'RESCHEDULED', 'CANCELLATION'] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];
export type MessageKind = TemplateKind | 'MARKETING';

export interface TemplateText {
  subject: string | null;
  body: string;
}

/** What a salon may put in a template, and what each stands for. */
export const PLACEHOLDERS: Record<string, string> = {
  firstName: "the client's first name",
  lastName: "the client's last name",
  salonName: 'the business name',
  branchName: 'the branch name',
  date: 'local date of the (first) appointment, e.g. Tuesday, 3 March',
  time: 'local start time, e.g. 10:00',
  staff: 'staff member(s)',
  services: 'service(s)',
  manageLink: 'link to cancel or reschedule online',
  bookingLink: "the branch's online booking page",
};

/** Marketing messages may only use what is known about every client. */
export const MARKETING_PLACEHOLDERS = ['firstName', 'lastName', 'salonName', 'branchName', 'bookingLink'];

const SMS: Record<TemplateKind, string> = {
  CONFIRMATION: 'Hi {{firstName}}, your booking at {{salonName}} is confirmed: {{services}} with {{staff}} on {{date}} at {{time}}. To change or cancel: {{manageLink}}',
  REMINDER: 'Hi {{firstName}}, a reminder of your appointment at {{salonName}}: {{services}} with {{staff}} on {{date}} at {{time}}. To change or cancel: {{manageLink}}',
  RESCHEDULED: 'Hi {{firstName}}, your appointment at {{salonName}} has moved: {{services}} with {{staff}} is now on {{date}} at {{time}}. To change or cancel: {{manageLink}}',
  CANCELLATION: 'Hi {{firstName}}, your appointment at {{salonName}} on {{date}} at {{time}} ({{services}}) has been cancelled. Book again: {{bookingLink}}',
};

const EMAIL: Record<TemplateKind, TemplateText> = {
  CONFIRMATION: {
    subject: 'Your booking at {{salonName}} is confirmed',
    body:
      'Hi {{firstName}},\n\nYour booking at {{salonName}} ({{branchName}}) is confirmed.\n\n{{services}} with {{staff}}\n{{date}} at {{time}}\n\n' +
      'Need to change or cancel? {{manageLink}}\n\nSee you soon,\n{{salonName}}',
  },
  REMINDER: {
    subject: 'Reminder: {{services}} on {{date}} at {{time}}',
    body:
      'Hi {{firstName}},\n\nA reminder of your appointment at {{salonName}} ({{branchName}}).\n\n{{services}} with {{staff}}\n{{date}} at {{time}}\n\n' +
      'Need to change or cancel? {{manageLink}}\n\nSee you soon,\n{{salonName}}',
  },
  RESCHEDULED: {
    subject: 'Your appointment at {{salonName}} has moved',
    body:
      'Hi {{firstName}},\n\nYour appointment at {{salonName}} ({{branchName}}) has moved.\n\n{{services}} with {{staff}}\nnow on {{date}} at {{time}}\n\n' +
      'Need to change or cancel? {{manageLink}}\n\n{{salonName}}',
  },
  CANCELLATION: {
    subject: 'Your appointment at {{salonName}} has been cancelled',
    body:
      'Hi {{firstName}},\n\nYour appointment at {{salonName}} ({{branchName}}) on {{date}} at {{time}} ({{services}}) has been cancelled.\n\n' +
      'Book again any time: {{bookingLink}}\n\n{{salonName}}',
  },
};

export function defaultTemplate(kind: TemplateKind, channel: Channel): TemplateText {
  return channel === 'SMS' ? { subject: null, body: SMS[kind] } : EMAIL[kind];
}
