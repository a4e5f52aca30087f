import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from './platform';

/** Where screenshots and measurements land (git-ignored). */
export const outputDir = join(repoRoot, 'test-output', 'browser');

/**
 * Debian's Chromium (scripts/ensure-chromium.sh installs it), never a downloaded browser,
 * headless, with the flags this machine needs (no background calls to the outside world).
 */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(outputDir, { recursive: true });
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(outputDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Presses Tab (keyboard only) until the focused element matches, at most `limit` times. */
export async function tabTo(page: Page, matches: (el: { tag: string; text: string; label: string; type: string; disabled: boolean }) => boolean, limit = 60): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const el = await page.evaluate(() => {
      const a = document.activeElement as HTMLElement | null;
      if (!a) return null;
      const labelled = a.id ? document.querySelector(`label[for="${a.id}"]`)?.textContent ?? '' : '';
      return { tag: a.tagName.toLowerCase(), text: (a.textContent ?? '').replace(/\s+/g, ' ').trim(), label: labelled.replace(/\s+/g, ' ').trim(), type: (a as HTMLInputElement).type ?? '', disabled: (a as HTMLButtonElement).disabled ?? false };
    });
    if (el && matches(el)) return;
  }
  throw new Error('tabbed through the page without reaching the element');
}

/** The element that has focus, as tag + text, for focus-management checks. */
export function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const a = document.activeElement as HTMLElement | null;
    return a ? `${a.tagName.toLowerCase()}:${(a.textContent ?? '').replace(/\s+/g, ' ').trim()}` : '';
  });
}
