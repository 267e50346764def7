// The engine's collections over the targets area's tables (targets.ts): declared CRUD reads,
// updates and deletes go through them (ids, partitions, not-found codes [502]/[511]/[508],
// list paging, sort and search); creates and the behaviour stay in the domain modules, which
// write the same tables and sequences.
import { Collection } from '../../core/engine/collection.js';
import { shapeOf } from '../../core/engine/shape.js';
import type { LoadedSpec } from '../../core/spec.js';
import { style } from './style.js';
import { TARGET_ID_START, TARGET_TABLES, type CriteriaRec, type LawRec, type TargetRec } from './targets.js';

export interface TargetCollections {
  targets: Collection<TargetRec>;
  laws: Collection<LawRec>;
  criteria: Collection<CriteriaRec>;
}

const idFrom = (start: number) => ({ id: { ...style.resource.id, start } });

export function targetCollections(spec: LoadedSpec): TargetCollections {
  return {
    targets: new Collection<TargetRec>({
      api: style,
      name: TARGET_TABLES.targets,
      label: 'target',
      shape: shapeOf(spec.schemas.Target),
      resource: idFrom(TARGET_ID_START.targets),
      partition: 'account',
      uniqueKeys: [{ fields: ['Name'], normalize: (v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), code: '501', field: 'Name' }],
      readOnly: ['LawCount', 'ContactCount', 'LastCountDate', 'CountStatus', 'CountOperationID'],
      search: ['Name', 'Description'],
      codes: { notFound: '502', duplicate: '501' },
      errorField: 'TargetID',
      defaultSort: [{ field: 'ID', desc: false }],
    }),
    laws: new Collection<LawRec>({
      api: style,
      name: TARGET_TABLES.laws,
      label: 'law',
      shape: shapeOf(spec.schemas.TargetLaw),
      resource: idFrom(TARGET_ID_START.laws),
      partition: 'target',
      readOnly: ['TargetID', 'CriteriaCount', 'Position'],
      search: ['Name'],
      codes: { notFound: '511' },
      errorField: 'LawID',
      defaultSort: [{ field: 'Position', desc: false }],
    }),
    criteria: new Collection<CriteriaRec>({
      api: style,
      name: TARGET_TABLES.criteria,
      label: 'criteria',
      shape: shapeOf(spec.schemas.TargetCriteria),
      resource: idFrom(TARGET_ID_START.criteria),
      partition: 'law',
      readOnly: ['TargetID', 'LawID', 'Position'],
      search: ['CriteriaReferenceID'],
      codes: { notFound: '508' },
      errorField: 'CriteriaID',
      defaultSort: [{ field: 'Position', desc: false }],
    }),
  };
}
