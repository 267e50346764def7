// The simulated APIs. Each descriptor names its spec; its module is built once the spec is loaded.
import { fileURLToPath } from 'node:url';
import type { ApiModule } from '../core/api.js';
import type { Runtime } from '../core/runtime.js';
import type { LoadedSpec } from '../core/spec.js';
import { createClever } from './clever/index.js';
import { createSyniverse } from './syniverse/index.js';

export interface ApiDescriptor {
  id: string;
  specFile: string;
  create(ctx: { spec: LoadedSpec; runtime: Runtime }): ApiModule;
}

export const specPath = (name: string): string => fileURLToPath(new URL(`../../specs/${name}.yaml`, import.meta.url));

export function apiDescriptors(): ApiDescriptor[] {
  return [
    { id: 'syniverse', specFile: specPath('syniverse'), create: createSyniverse },
    { id: 'clever', specFile: specPath('clever'), create: createClever },
  ];
}
