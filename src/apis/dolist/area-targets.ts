// The targets area of the Dolist API (see area.ts): targets (segments) with their laws and
// criteria, the targeting catalogues, the evaluation of a target over the contact base
// (target-eval.ts), async operations and bulk changes over a target's contacts.
import type { Workspace } from '../../core/workspace.js';
import type { Area } from './area.js';
import { targetContactHandlers } from './handlers/targets-contacts.js';
import { targetCatalogueHandlers } from './handlers/targets-catalogue.js';
import { targetHandlers } from './handlers/targets.js';
import { accountKey, API_ID, dolistFixtures } from './style.js';
import { targetJobKinds } from './target-actions.js';
import { targetCollections } from './target-collections.js';
import { registerTargetUsage } from './target-usage.js';

/** Loads each account's permanent filter switch (fixtures `targetPermanentFilters`, account id -> on; off when absent). */
function loadPermanentFilters(ws: Workspace): void {
  const fx = dolistFixtures(ws);
  const on = (fx.targetPermanentFilters ?? {}) as Record<string, boolean>;
  const t = ws.table<{ id: string; IsEnabled: boolean }>(API_ID, 'permanent_filters');
  for (const acc of fx.accounts) t.put({ id: accountKey(acc.ID), IsEnabled: Boolean(on[String(acc.ID)]) });
}

export const targetsArea: Area = (spec) => {
  const collections = targetCollections(spec);
  registerTargetUsage();
  return {
    handlers: { ...targetHandlers(collections), ...targetCatalogueHandlers(), ...targetContactHandlers() },
    jobKinds: targetJobKinds,
    setup: loadPermanentFilters,
  };
};
