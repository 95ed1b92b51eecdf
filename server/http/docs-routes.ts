import path from 'node:path';
import { Router, type RequestHandler } from 'express';
import helmet from 'helmet';
import { openApiDocument } from './openapi';

/** Where the OpenAPI document is served. */
export const OPENAPI_PATH = '/api/v1/openapi.json';
/** Where the browsable docs page is served; its assets live under `${DOCS_PATH}/`. */
export const DOCS_PATH = '/api/docs';

// Swagger UI ships as static files in an npm package, so the docs page works offline.
const swaggerUiDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
/** Only what the page loads: the package also holds its README, logs and a demo page. */
const SWAGGER_UI_FILES = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png', 'favicon-16x16.png']);

const page = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>shopflow API</title>
  <link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
  <link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-32x32.png" sizes="32x32">
  <link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-16x16.png" sizes="16x16">
</head>
<body>
  <div id="swagger-ui" data-spec-url="${OPENAPI_PATH}"></div>
  <noscript>This page needs JavaScript. The OpenAPI document is at <a href="${OPENAPI_PATH}">${OPENAPI_PATH}</a>.</noscript>
  <script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
  <script src="${DOCS_PATH}/swagger-initializer.js"></script>
</body>
</html>
`;

// A file rather than an inline script, so the page runs under the app's `script-src 'self'`.
// validatorUrl null: the default badge would call validator.swagger.io.
const initializer = `window.addEventListener('load', function () {
  var root = document.getElementById('swagger-ui');
  window.ui = SwaggerUIBundle({
    url: root.getAttribute('data-spec-url'),
    domNode: root,
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
`;

/**
 * helmet's defaults, less `upgrade-insecure-requests`: over plain HTTP on a LAN address the
 * browser would otherwise fetch the page's scripts over HTTPS and show nothing.
 */
const docsCsp = helmet.contentSecurityPolicy({ directives: { upgradeInsecureRequests: null } });

const docsAssets: RequestHandler = (req, res, next) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') return next();
  const file = req.path.slice(1);
  if (file === 'swagger-initializer.js') return void res.type('text/javascript').send(initializer);
  if (!SWAGGER_UI_FILES.has(file)) return next();
  res.sendFile(file, { root: swaggerUiDir }, (err) => err && next(err));
};

/** Public: the OpenAPI document, and the Swagger UI page that shows it. */
export function docsRouter(): Router {
  const router = Router();
  router.get(OPENAPI_PATH, (_req, res) => {
    res.json(openApiDocument);
  });
  router.get(DOCS_PATH, docsCsp, (_req, res) => {
    res.type('html').send(page);
  });
  router.use(DOCS_PATH, docsCsp, docsAssets);
  return router;
}
