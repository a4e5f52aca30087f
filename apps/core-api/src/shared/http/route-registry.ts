import type { NestFastifyApplication } from '@nestjs/platform-fastify';

export interface RegisteredRoute {
  method: string;
  url: string;
}

const registry = new WeakMap<object, RegisteredRoute[]>();

/**
 * Remembers every route Fastify registers, so tests can walk the whole router (the
 * tenant-isolation sweep) and a new route cannot escape them.
 */
export function recordRoutes(app: NestFastifyApplication): void {
  const routes: RegisteredRoute[] = [];
  registry.set(app, routes);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route: { method: string | string[]; url: string }) => {
      for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url });
    });
}

export function registeredRoutes(app: object): RegisteredRoute[] {
  return [...(registry.get(app) ?? [])];
}
