import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** The OpenAPI document at /docs-json and its UI at /docs. */
export function setUpApiDocs(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Chairbook core API')
    .setDescription(
      'A Phorest-compatible third-party API for running a salon: point a Phorest integration at this base URL and its credentials. ' +
        'HTTP Basic auth with username `global/<email>`. Lists page with `page` (from 0) and `size` (default 20, max 100). ' +
        'Updates carry the entity `version` (409 when stale); single GETs send an ETag. Errors are JSON with a stable `code`.',
    )
    .setVersion('1.0')
    .addBasicAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', customSiteTitle: 'Chairbook core API' });
}
