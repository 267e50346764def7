// The simulated APIs. Each descriptor names its spec; its module is built once the spec is loaded.
import type { ApiModule } from '../core/api.js';
import type { Runtime } from '../core/runtime.js';
import type { LoadedSpec } from '../core/spec.js';
import { createAdditiv } from './additiv/index.js';
import { createClever } from './clever/index.js';
import { createDolist } from './dolist/index.js';
import { createSyniverse } from './syniverse/index.js';

export interface ApiDescriptor {
  /** The API id: its spec is specs/<id>.yaml. */
  id: string;
  create(ctx: { spec: LoadedSpec; runtime: Runtime }): ApiModule;
}

export function apiDescriptors(): ApiDescriptor[] {
  return [
    { id: 'syniverse', create: createSyniverse },
    { id: 'dolist', create: createDolist },
    { id: 'clever', create: createClever },
    { id: 'additiv', create: createAdditiv },
  ];
}
