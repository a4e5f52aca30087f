import type { EntityManager } from 'typeorm';
import type { Channel } from '../channels/provider.types';
import { defaultTemplate, TemplateKind, TemplateText } from './default-templates';

/** The branch's own template for a kind and channel, or the default. */
export async function effectiveTemplates(m: EntityManager, branchId: string): Promise<(kind: TemplateKind, channel: Channel) => TemplateText & { custom: boolean }> {
  const rows: { kind: TemplateKind; channel: Channel; subject: string | null; body: string }[] = await m.query(
    'SELECT kind, channel, subject, body FROM message_template WHERE branch_id = ?',
    [branchId],
  );
  return (kind, channel) => {
    const own = rows.find((r) => r.kind === kind && r.channel === channel);
    if (own) return { subject: channel === 'EMAIL' ? (own.subject ?? defaultTemplate(kind, channel).subject) : null, body: own.body, custom: true };
    return { ...defaultTemplate(kind, channel), custom: false };
  };
}
