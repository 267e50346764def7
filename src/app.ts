// Builds the hono app: the control API under /_sim and each simulated API under its prefix,
// routed from its spec.
import { Hono } from 'hono';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { controlApp } from './control/index.js';
import { uiApp } from './control/ui.js';
import type { ApiModule } from './core/api.js';
import { warmPhone } from './core/phone.js';
import { mountApi, type ApiFallback } from './core/router.js';
import { Runtime, type RuntimeOptions } from './core/runtime.js';
import { loadSpec, type LoadedSpec } from './core/spec.js';
import { apiDescriptors } from './apis/index.js';
import { VERSION } from './version.js';

export interface AppOptions extends RuntimeOptions {
  /** Validate every response against the spec (a mismatch becomes a 500 naming it). */
  strict?: boolean;
  /** Only these APIs (default: all). */
  apis?: string[];
}

export interface App {
  app: Hono;
  /** Milliseconds since process start at each start-up phase. */
  phases: Record<string, number>;
  /** Loads what start-up left for later (request validators). */
  warm(): Promise<void>;
  runtime: Runtime;
  specs: Map<string, LoadedSpec>;
  modules: ApiModule[];
}

const since = () => Math.round(performance.now());

export async function buildApp(opts: AppOptions): Promise<App> {
  const phases: Record<string, number> = { buildApp: since() };
  const runtime = new Runtime({ version: VERSION, ...opts });
  const descriptors = apiDescriptors().filter((d) => !opts.apis || opts.apis.includes(d.id));
  const specs = new Map<string, LoadedSpec>();
  await Promise.all(descriptors.map(async (d) => specs.set(d.id, await loadSpec(d.id))));
  phases.specsLoaded = since();
  // --strict checks every response against the spec (openapi-backend, loaded only then).
  if (opts.strict) await Promise.all([...specs.values()].map((s) => s.loadResponseValidator()));
  const modules = descriptors.map((d) => d.create({ spec: specs.get(d.id)!, runtime }));
  for (const m of modules) runtime.registerApi(m);
  await runtime.start();
  opts.logger?.watch(runtime.live, runtime.list());
  phases.workspacesReady = since();

  // One regular expression for all routes: hono's default would fall back to its trie router,
  // which allocates and sorts on every request. A route it cannot take fails here, at start-up.
  const app = new Hono({ router: new RegExpRouter() });
  const apiInfo = () => modules.map((m) => ({ id: m.id, basePath: m.basePath, operations: specs.get(m.id)!.operations.length }));
  app.route('/_sim', uiApp(modules, specs)); // specs, docs, dashboard: before the control API's catch-all
  app.route('/_sim', controlApp(runtime, apiInfo));
  const fallbacks: ApiFallback[] = [];
  for (const m of modules) {
    const fallback = mountApi(app, runtime, m, specs.get(m.id)!, { strict: Boolean(opts.strict) });
    if (fallback) fallbacks.push(fallback);
  }
  app.get('/', (c) =>
    c.json({
      name: 'commsim',
      version: VERSION,
      control: '/_sim',
      apis: apiInfo(),
    }),
  );
  app.notFound((c) => {
    // A prefix in another case, for an API whose paths are case-insensitive.
    for (const f of fallbacks) {
      const r = f(c);
      if (r) return r;
    }
    return c.json({ error: { code: 'no_route', message: `no route ${c.req.method} ${c.req.path}` } }, 404);
  });
  app.onError((err, c) => {
    console.error('[commsim] unhandled error:', err);
    return c.json({ error: { code: 'internal', message: err.message } }, 500);
  });
  phases.routesMounted = since();
  const warm = async () => {
    warmPhone();
    for (const s of specs.values()) await s.warm();
  };
  return { app, phases, warm, runtime, specs, modules };
}
