import type { EntityManager } from 'typeorm';
import type { Channel } from '../channels/provider.types';
import { defaultTemplate, TemplateKind, TemplateText } from './default-templates';

export type TemplateLookup = (kind: TemplateKind, channel: Channel) => TemplateText & { custom: boolean };
type TemplateRow = { branch_id: string; kind: TemplateKind; channel: Channel; subject: string | null; body: string };

/** The branch's own template for a kind and channel, or the default. */
export async function effectiveTemplates(m: EntityManager, branchId: string): Promise<TemplateLookup> {
  return (await effectiveTemplatesFor(m, [branchId])).get(branchId)!;
}

/** `effectiveTemplates` of several branches in one query. */
export async function effectiveTemplatesFor(m: EntityManager, branchIds: string[]): Promise<Map<string, TemplateLookup>> {
  const ids = [...new Set(branchIds)];
  const rows: TemplateRow[] = ids.length ? await m.query('SELECT branch_id, kind, channel, subject, body FROM message_template WHERE branch_id IN (?)', [ids]) : [];
  return new Map(ids.map((id) => [id, lookup(rows.filter((r) => r.branch_id === id))]));
}

function lookup(rows: TemplateRow[]): TemplateLookup {
  return (kind, channel) => {
    const own = rows.find((r) => r.kind === kind && r.channel === channel);
    if (own) return { subject: channel === 'EMAIL' ? (own.subject ?? defaultTemplate(kind, channel).subject) : null, body: own.body, custom: true };
    return { ...defaultTemplate(kind, channel), custom: false };
  };
}
