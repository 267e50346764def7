// The declared-CRUD views of the sendings and plannings tables: one collection per channel over
// the one `sendings` table (so each has its GET's not-found code: email [708], SMS [729]), and
// one per planning kind over `plannings` (one-time [735], recurrent [747]). Records are written by
// the domain (sending-create.ts, planning-catalogue.ts); these only read, list and page.
import { Collection } from '../../core/engine/collection.js';
import { shapeOf } from '../../core/engine/shape.js';
import type { LoadedSpec } from '../../core/spec.js';
import type { Channel } from './messages.js';
import type { PlanningRec } from './plannings.js';
import type { SendingRec } from './sendings.js';
import { style } from './style.js';

export interface SendingCollections {
  sendings: Record<Channel, Collection<SendingRec>>;
  onetime: Collection<PlanningRec>;
  recurrent: Collection<PlanningRec>;
}

function sendingCollection(spec: LoadedSpec, channel: Channel, notFound: string): Collection<SendingRec> {
  return new Collection<SendingRec>({
    api: style,
    name: 'sendings',
    label: `${channel === 'sms' ? 'SMS' : 'email'} sending`,
    shape: shapeOf(spec.schemas.Sending),
    partition: 'account',
    codes: { notFound },
    errorField: 'SendingID',
    search: ['Name'],
    visible: (r) => r.Channel === channel,
  });
}

function planningCollection(spec: LoadedSpec, kind: PlanningRec['Kind'], notFound: string): Collection<PlanningRec> {
  return new Collection<PlanningRec>({
    api: style,
    name: 'plannings',
    label: kind === 'OneTime' ? 'one-time planning' : 'recurrent planning',
    shape: shapeOf(spec.schemas[kind === 'OneTime' ? 'PlanningOnetime' : 'PlanningRecurrent']),
    partition: 'account',
    resource: { updated: null },
    codes: { notFound },
    errorField: 'PlanningID',
    visible: (r) => r.Kind === kind,
  });
}

export function sendingCollections(spec: LoadedSpec): SendingCollections {
  return {
    sendings: { email: sendingCollection(spec, 'email', '708'), sms: sendingCollection(spec, 'sms', '729') },
    onetime: planningCollection(spec, 'OneTime', '735'),
    recurrent: planningCollection(spec, 'Recurrent', '747'),
  };
}
