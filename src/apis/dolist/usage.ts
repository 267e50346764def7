// What uses a field, an interest, a group or a target (`.../usage`, `.../usage/{TypeID}`, and the
// delete protections such as [419]): each area registers, for the objects it owns, a finder of
// the references they hold. Type ids (the reference has no enumeration; research §5 item 40):
// 1 Target, 2 EmailMessage, 3 SmsMessage, 4 Form, 5 ExportMapping, 6 ImportMapping, 7 Export, 8 Import.
import type { Workspace } from '../../core/workspace.js';

export const USAGE_TYPES = { 1: 'Target', 2: 'EmailMessage', 3: 'SmsMessage', 4: 'Form', 5: 'ExportMapping', 6: 'ImportMapping', 7: 'Export', 8: 'Import' } as const;
export type UsageTypeId = keyof typeof USAGE_TYPES;

/** What can be used. */
export type UsedKind = 'field' | 'interest' | 'group' | 'target';

export interface UsageItem {
  ID: number;
  Name: string;
}

export type UsageFinder = (ws: Workspace, account: string, id: number) => UsageItem[];

const finders = new Map<string, { kind: UsedKind; typeId: UsageTypeId; find: UsageFinder }>();

/** Registers (idempotently, by name) the finder of the objects of `typeId` that use a `kind`. */
export function registerUsage(name: string, kind: UsedKind, typeId: UsageTypeId, find: UsageFinder): void {
  finders.set(`${kind}/${typeId}/${name}`, { kind, typeId, find });
}

/** The objects of one type using it (ID order, each once). */
export function usageItems(ws: Workspace, kind: UsedKind, account: string, id: number, typeId: number): UsageItem[] {
  const byId = new Map<number, UsageItem>();
  for (const f of finders.values()) if (f.kind === kind && f.typeId === typeId) for (const item of f.find(ws, account, id)) byId.set(item.ID, item);
  return [...byId.values()].sort((a, b) => a.ID - b.ID);
}

/** Per type of object, how many use it (types with none left out). */
export function usageCounts(ws: Workspace, kind: UsedKind, account: string, id: number): Array<{ TypeID: number; TypeName: string; Count: number }> {
  const out: Array<{ TypeID: number; TypeName: string; Count: number }> = [];
  for (const [t, name] of Object.entries(USAGE_TYPES)) {
    const n = usageItems(ws, kind, account, id, Number(t)).length;
    if (n) out.push({ TypeID: Number(t), TypeName: name, Count: n });
  }
  return out;
}

export const isUsed = (ws: Workspace, kind: UsedKind, account: string, id: number) => usageCounts(ws, kind, account, id).length > 0;
