// Lists used by the schemas (countries, states, legal forms, ...): items with an int id, a uid, a
// key (the value stored in details), a localized label and an optional parent item (states of
// a country). Lookup filters by a term, a limit, an item to include and the hierarchy. No HTTP.
import { Collection } from '../../core/engine/collection.js';
import { uuid } from '../../core/engine/ids.js';
import { shapeFromKinds } from '../../core/engine/shape.js';
import { notFound } from '../../core/errors.js';
import type { Rec } from '../../core/record.js';
import type { Workspace } from '../../core/workspace.js';
import { additivFixtures, localize, style, type Localized } from './style.js';

export interface ListItemRec extends Rec {
  uid: string;
  listKey: string;
  key: string;
  label: Localized;
  parentId: number | null;
  customAttributes: string | null;
}

export function listItemsCollection(): Collection<ListItemRec> {
  return new Collection<ListItemRec>({
    api: style,
    name: 'list_items',
    label: 'list item',
    shape: shapeFromKinds({ id: 'integer', uid: 'string', listKey: 'string', key: 'string', label: 'object', parentId: 'integer', customAttributes: 'string' }),
    indexes: ['listKey'],
  });
}

const table = (ws: Workspace) => ws.table<ListItemRec>('additiv', 'list_items');

/** The items of a list in creation order ('*': every list). */
export function listItemsOf(ws: Workspace, listKey: string): ListItemRec[] {
  return listKey === '*' ? [...table(ws).scan()] : [...table(ws).lookup('listKey', listKey)];
}

export function listKeys(ws: Workspace): string[] {
  return [...new Set([...table(ws).scan()].map((i) => i.listKey))];
}

export const renderItem = (ws: Workspace, i: ListItemRec, lang: string) => ({ id: Number(i.id), uid: i.uid, label: localize(ws, i.label, lang), key: i.key, customAttributes: i.customAttributes });

export interface LookupInput {
  filter?: string | null;
  limit?: number | null;
  includeId?: number | null;
  isFilteredByHierarchy?: boolean | null;
  hierarchyListItemId?: number | null;
}

/**
 * Up to `limit` items (default from the fixtures, 10) whose label or key contains the term
 * (case-insensitively, in the request's language); `includeId` is always among them (counted in
 * the limit); with the hierarchy filter only children of `hierarchyListItemId`. `totalCount` is
 * the number of matches before the limit.
 */
export function lookup(ws: Workspace, listKey: string, input: LookupInput, lang: string) {
  const all = listItemsOf(ws, listKey);
  if (!all.length) throw notFound(`list '${listKey}' not found`, { field: 'listKey' });
  const term = input.filter?.trim().toLowerCase() ?? '';
  const limit = input.limit ?? additivFixtures(ws).lookupDefaultLimit;
  const byHierarchy = input.isFilteredByHierarchy === true || (input.isFilteredByHierarchy !== false && input.hierarchyListItemId != null);
  const matches = all.filter((i) => {
    if (byHierarchy && i.parentId !== (input.hierarchyListItemId ?? null)) return false;
    if (!term) return true;
    return (localize(ws, i.label, lang) ?? '').toLowerCase().includes(term) || i.key.toLowerCase().includes(term);
  });
  let page = matches.slice(0, Math.max(0, limit));
  if (input.includeId != null && !page.some((i) => Number(i.id) === input.includeId)) {
    const extra = all.find((i) => Number(i.id) === input.includeId);
    if (extra) page = limit > 0 ? [...page.slice(0, limit - 1), extra] : [extra];
  }
  return { items: page.map((i) => renderItem(ws, i, lang)), totalCount: matches.length };
}

/** The items of the named lists, in the order asked (all lists when none is named); unknown keys are skipped. */
export function itemsOfLists(ws: Workspace, keys: string[] | null | undefined, lang: string) {
  const wanted = keys?.length ? [...new Set(keys)] : listKeys(ws);
  return wanted
    .map((k) => ({ listKey: k, items: listItemsOf(ws, k) }))
    .filter((l) => l.items.length)
    .map((l) => ({ listKey: l.listKey, listItems: l.items.map((i) => renderItem(ws, i, lang)) }));
}

export function loadLists(ws: Workspace, coll: Collection<ListItemRec>): void {
  for (const [listKey, items] of Object.entries(additivFixtures(ws).lists)) {
    for (const i of items) {
      coll.insert(ws, { uid: uuid(ws), listKey, key: i.key, label: i.label, parentId: i.parentId ?? null, customAttributes: i.customAttributes ?? null }, { id: i.id });
    }
  }
}
