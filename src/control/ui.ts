// Pages for people under /_sim: the specs (`/_sim/specs/{api}`, JSON or YAML), interactive docs
// per API (`/_sim/docs/{api}`, swagger-ui served from the installed swagger-ui-dist package) and
// the dashboard (`/_sim/dashboard`, bundled at build time into dist/dashboard). Nothing here
// loads anything from outside the machine: every script and style is served by commsim itself.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono, type Context } from 'hono';
import { stringify as toYaml } from 'yaml';
import type { ApiModule } from '../core/api.js';
import { PROJECT_ROOT } from '../core/paths.js';
import type { LoadedSpec } from '../core/spec.js';

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  map: 'application/json; charset=utf-8',
  png: 'image/png',
};

/** Files read once, on first use (the UI is not on any request path of the simulated APIs). */
const cache = new Map<string, Buffer | null>();
function file(path: string): Buffer | null {
  if (!cache.has(path)) {
    try {
      cache.set(path, readFileSync(path));
    } catch {
      cache.set(path, null);
    }
  }
  return cache.get(path)!;
}

function swaggerDir(): string {
  return dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
}

const SWAGGER_FILES = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png']);
export const DASHBOARD_DIR = join(PROJECT_ROOT, 'dist', 'dashboard');

function serveFile(c: Context, path: string): Response {
  const data = file(path);
  if (!data) return c.json({ error: { code: 'not_found', message: `${c.req.path} is not built (run npm run build)` } }, 404);
  const ext = path.slice(path.lastIndexOf('.') + 1);
  return new Response(new Uint8Array(data), { headers: { 'content-type': TYPES[ext] ?? 'application/octet-stream', 'cache-control': 'no-cache' } });
}

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function docsPage(mod: ApiModule): string {
  // The page's own script: swagger-ui from the spec the router uses, with "try it" pointed at
  // this server (the spec's servers are base paths) and the chosen workspace's credentials
  // filled in for every security scheme of the spec.
  const config = JSON.stringify({ api: mod.id, title: mod.title });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(mod.title)} · commsim docs</title>
<link rel="icon" href="/_sim/assets/favicon-32x32.png">
<link rel="stylesheet" href="/_sim/assets/swagger-ui.css">
<style>
body{margin:0;font-family:system-ui,sans-serif}
#commsim-bar{display:flex;gap:1rem;align-items:center;padding:.5rem 1rem;background:#1b2636;color:#fff;font-size:14px}
#commsim-bar a{color:#9cf}#commsim-bar select{font-size:14px}
</style></head>
<body>
<div id="commsim-bar"><strong>commsim</strong><span>${esc(mod.title)}</span>
<label>workspace <select id="commsim-ws"></select></label><span id="commsim-auth"></span>
<a href="/_sim/specs/${esc(mod.id)}">spec (JSON)</a><a href="/_sim/dashboard">dashboard</a></div>
<div id="swagger-ui"></div>
<script src="/_sim/assets/swagger-ui-bundle.js"></script>
<script>
const CONFIG = ${config};
const params = new URLSearchParams(location.search);
const wsId = params.get('workspace') || 'default';
const pick = (o, names) => { for (const n of names) if (typeof o[n] === 'string') return o[n]; return Object.values(o).find((v) => typeof v === 'string'); };
async function authorize(ui) {
  const [ws, spec] = await Promise.all([fetch('/_sim/workspaces/' + encodeURIComponent(wsId)).then((r) => r.json()), fetch('/_sim/specs/' + CONFIG.api).then((r) => r.json())]);
  const creds = (ws.credentials || {})[CONFIG.api] || {};
  const schemes = (spec.components || {}).securitySchemes || {};
  for (const [name, s] of Object.entries(schemes)) {
    if (s.type === 'http' && String(s.scheme).toLowerCase() === 'basic') ui.preauthorizeBasic(name, pick(creds, ['login', 'username', 'user']), pick(creds, ['password']));
    else if (s.type === 'http') ui.preauthorizeApiKey(name, pick(creds, ['token', 'accessToken', 'apiKey']));
    else if (s.type === 'apiKey') ui.preauthorizeApiKey(name, pick(creds, [s.name, name, 'apiKey', 'token']));
  }
  document.getElementById('commsim-auth').textContent = Object.keys(schemes).length ? 'credentials of workspace ' + wsId + ' filled in' : '';
}
fetch('/_sim/workspaces').then((r) => r.json()).then(({ workspaces }) => {
  const sel = document.getElementById('commsim-ws');
  for (const w of workspaces) sel.add(new Option(w.id, w.id, false, w.id === wsId));
  sel.onchange = () => { params.set('workspace', sel.value); location.search = params.toString(); };
});
const ui = SwaggerUIBundle({
  url: '/_sim/specs/' + CONFIG.api,
  dom_id: '#swagger-ui',
  deepLinking: true,
  tryItOutEnabled: true,
  displayRequestDuration: true,
  displayOperationId: true,
  validatorUrl: null,
  onComplete: () => authorize(ui).catch((e) => { document.getElementById('commsim-auth').textContent = 'no credentials: ' + e.message; }),
});
</script></body></html>`;
}

const DASHBOARD_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>commsim dashboard</title><link rel="stylesheet" href="/_sim/dashboard/app.css"></head>
<body><div id="app"></div><script type="module" src="/_sim/dashboard/app.js"></script></body></html>`;

export function uiApp(modules: ApiModule[], specs: Map<string, LoadedSpec>): Hono {
  const app = new Hono();
  const byId = new Map(modules.map((m) => [m.id, m]));
  const unknown = (c: Context, api: string) =>
    c.json({ error: { code: 'not_found', message: `unknown api ${JSON.stringify(api)} (known: ${modules.map((m) => m.id).join(', ')})` } }, 404);
  const docs = new Map<string, { json: string; yaml?: string }>();
  const specText = async (api: string) => {
    let d = docs.get(api);
    // rawDocument() reads the document as the router loaded it (a promise, whatever its type says).
    if (!d) docs.set(api, (d = { json: JSON.stringify(await Promise.resolve(specs.get(api)!.rawDocument())) }));
    return d;
  };

  app.get('/specs', (c) => c.json({ specs: modules.map((m) => ({ api: m.id, title: m.title, json: `/_sim/specs/${m.id}`, docs: `/_sim/docs/${m.id}` })) }));
  app.get('/specs/:api', async (c) => {
    const api = c.req.param('api').replace(/\.(json|ya?ml)$/, '');
    if (!specs.has(api)) return unknown(c, api);
    const d = await specText(api);
    const wantsYaml = /\.ya?ml$/.test(c.req.param('api')) || /\b(application|text)\/(x-)?yaml\b/.test(c.req.header('accept') ?? '');
    if (wantsYaml) {
      d.yaml ??= toYaml(JSON.parse(d.json), { lineWidth: 0, aliasDuplicateObjects: false });
      return c.body(d.yaml, 200, { 'content-type': 'application/yaml; charset=utf-8' });
    }
    return c.body(d.json, 200, { 'content-type': 'application/json; charset=utf-8' });
  });

  app.get('/docs', (c) => c.redirect(`/_sim/docs/${modules[0]?.id ?? ''}`));
  app.get('/assets/:file', (c) => {
    const name = c.req.param('file');
    if (!SWAGGER_FILES.has(name)) return c.json({ error: { code: 'not_found', message: `no docs asset ${name}` } }, 404);
    return serveFile(c, join(swaggerDir(), name));
  });
  app.get('/docs/:api', (c) => {
    const mod = byId.get(c.req.param('api'));
    if (!mod) return unknown(c, c.req.param('api'));
    return c.html(docsPage(mod));
  });

  app.get('/dashboard', (c) => c.html(DASHBOARD_HTML));
  app.get('/dashboard/', (c) => c.redirect('/_sim/dashboard'));
  app.get('/dashboard/:file{app\\.(?:js|css)(?:\\.map)?}', (c) => serveFile(c, join(DASHBOARD_DIR, c.req.param('file'))));
  return app;
}
