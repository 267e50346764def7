// Lists over records computed in memory (a contact's interests, rows built from several tables):
// the same paging, sorting, filters and text search as a collection's list, read from the
// request by the same planner, answered by one pass over the array. For stored records prefer a
// Collection (its indexes answer filters without a scan).
import type { Rec } from '../record.js';
import { compareValues, pageOf, planList, type FilterSpec, type PageInfo, type Queryable, type SortKey } from './query.js';
import type { ResourceShape } from './shape.js';
import type { ListStyle } from './styles.js';

export interface ArrayListConfig {
  shape: ResourceShape;
  list: ListStyle;
  filters?: Record<string, FilterSpec>;
  /** Attributes searched by the style's text-search parameter. */
  search?: string[];
  sortable?: string[];
  defaultSort?: SortKey[];
}

/** The page of `items` a list request asks for (400 for a bad parameter), and the page facts. */
export function listArray<T extends object>(cfg: ArrayListConfig, items: readonly T[], input: Record<string, unknown>): { items: T[]; page: PageInfo } {
  const q: Queryable = {
    shape: cfg.shape,
    list: cfg.list,
    filters: cfg.filters ?? {},
    search: cfg.search ?? [],
    sortable: cfg.sortable ?? null,
    defaultSort: cfg.defaultSort ?? [],
    partitionField: null,
    indexed: new Set(),
    parseTime: () => undefined,
    valueOf: (r, f) => (r as Record<string, unknown>)[f],
  };
  const plan = planList(q, input);
  const kept = items.filter((r) => plan.filters.every((f) => f.pred(r as unknown as Rec)));
  if (plan.sort.length) {
    // A stable sort: equal keys keep the array's order.
    kept.sort((a, b) => {
      for (const k of plan.sort) {
        const c = compareValues((a as Record<string, unknown>)[k.field], (b as Record<string, unknown>)[k.field]);
        if (c !== 0) return k.desc ? -c : c;
      }
      return 0;
    });
  }
  return pageOf(kept, plan.paging);
}
