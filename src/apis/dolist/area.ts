// One area of the Dolist API (platform, contacts, targets, exports, imports), built once the spec
// is loaded: its handlers, the job kinds of its async operations, and what it loads into a fresh
// workspace. index.ts puts the areas together; each area's domain lives in its own modules
// (no HTTP), its HTTP in handlers/.
import type { EventHandler, Handler, Injector, InjectorField } from '../../core/api.js';
import type { JobKind } from '../../core/jobs.js';
import type { LoadedSpec } from '../../core/spec.js';
import type { Workspace } from '../../core/workspace.js';

export interface AreaModule {
  handlers: Record<string, Handler>;
  jobKinds?: Record<string, JobKind>;
  /** Handlers of the area's scheduled events (ws.schedule kinds). */
  eventHandlers?: Record<string, EventHandler>;
  /** What the outside world can make happen (`POST /_sim/workspaces/{ws}/inject/{kind}`). */
  injectors?: Record<string, Injector>;
  injectorInfo?: Record<string, { description?: string; fields: InjectorField[] }>;
  /** Loads the area's fixtures, after accounts, fields, interests and the contact base. */
  setup?(ws: Workspace): void;
}

export type Area = (spec: LoadedSpec) => AreaModule;
