import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import type { ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The pages may only load their own scripts and styles and talk to their own API. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function securityHeaders(res: Pick<ServerResponse, 'setHeader'>): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // Manage links carry their token in the address: never send it on to another site.
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
}

/**
 * Serves the Ember build under /book: hashed files in /book/assets for a year (their names
 * change with their content), everything else revalidated, and index.html for every other
 * /book/… address so a deep link (a salon, a step, a manage link) works on reload. The JSON
 * API under /book/api is left to Nest; every answer from it is private and never cached
 * unless a route says otherwise.
 */
export function installWebPages(app: NestExpressApplication, webDir: string | null): void {
  app.use('/book/api', (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });

  if (!webDir) {
    app.use(/^\/book(\/(?!api\/).*)?$/, (_req: Request, res: Response) => {
      res.status(503).type('text/plain').send('The booking pages are not built: run `npx nx build booking-web`.');
    });
    return;
  }

  const index = readFileSync(join(webDir, 'index.html'));
  app.useStaticAssets(join(webDir, 'assets'), { prefix: '/book/assets', index: false, immutable: true, maxAge: '365d' });
  app.useStaticAssets(webDir, {
    prefix: '/book',
    index: false,
    setHeaders: (res: ServerResponse) => {
      securityHeaders(res);
      res.setHeader('Cache-Control', 'no-cache');
    },
  });
  app.use('/book', (req: Request, res: Response, next: NextFunction) => {
    const path = req.path;
    if ((req.method !== 'GET' && req.method !== 'HEAD') || path === '/api' || path.startsWith('/api/') || path.startsWith('/assets/') || path.startsWith('/@embroider/')) return next();
    securityHeaders(res);
    res.setHeader('Cache-Control', 'no-cache');
    res.status(200).type('html').send(index);
  });
}
