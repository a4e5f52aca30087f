import { ApiError } from '@chairbook/platform';

/**
 * One value sent under either of two names (ours and the reference's): whichever was sent
 * (undefined when neither was). Both sent with different values is a 400 naming the second.
 */
export function aliased<T>(values: Record<string, T | undefined>): T | undefined {
  const sent = Object.entries(values).filter(([, v]) => v !== undefined);
  if (sent.length > 1 && sent.some(([, v]) => v !== sent[0][1])) {
    const names = sent.map(([k]) => k);
    throw ApiError.badRequest('VALIDATION_FAILED', `${names.join(' and ')} are the same field: send one, or the same value in both`, [
      { field: names[1], message: `differs from ${names[0]}` },
    ]);
  }
  return sent[0]?.[1];
}
