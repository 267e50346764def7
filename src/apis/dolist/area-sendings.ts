// The sendings area of the Dolist API (part 2, see area.ts): email and SMS sendings over time
// (sending-engine.ts; created by sending-create.ts, shown by sending-views.ts), plannings
// (planning-catalogue.ts), the transactional email calls (transactional.ts) and the injectors
// of what recipients do (sending-injectors.ts).
import type { Area } from './area.js';
import { planningHandlers } from './handlers/plannings.js';
import { sendingHandlers } from './handlers/sendings.js';
import { sendingCollections } from './sending-collections.js';
import { sendingEventHandlers } from './sending-engine.js';
import { importsDb } from './imports-db.js';
import { loadScenarioFixtures } from './scenario-fixtures.js';
import { sendingInjectorInfo, sendingInjectors } from './sending-injectors.js';

export const sendingsArea: Area = (spec) => {
  const collections = sendingCollections(spec);
  // A scenario's imports go through the imports area's domain (its collections over the same tables).
  const imports = importsDb(spec);
  return {
    handlers: { ...sendingHandlers(collections), ...planningHandlers(collections) },
    eventHandlers: sendingEventHandlers,
    injectors: sendingInjectors,
    injectorInfo: sendingInjectorInfo,
    setup: (ws) => loadScenarioFixtures(ws, imports),
  };
};
