import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';

/** Checks another service's /health over HTTP with a short timeout. */
export async function checkHttpDependency(
  health: HealthIndicatorService,
  key: string,
  url: string,
  timeoutMs = 1_500,
): Promise<HealthIndicatorResult> {
  const session = health.check(key);
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return response.ok ? session.up({ url }) : session.down({ url, message: `answered ${response.status}` });
  } catch (err) {
    return session.down({ url, message: err instanceof Error ? err.message : String(err) });
  }
}
