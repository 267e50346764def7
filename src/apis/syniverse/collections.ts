// The SCG collections of a workspace, configured from the spec's resource schemas: table names
// are the resource's plural path segment (as in `/_sim/.../state/syniverse/{collection}`).
import { Collection, type CollectionConfig } from '../../core/engine/collection.js';
import { shapeOf } from '../../core/engine/shape.js';
import type { LoadedSpec } from '../../core/spec.js';
import type { Rec } from '../../core/store.js';
import type { Workspace } from '../../core/workspace.js';
import { fixturesOf } from '../../core/fixtures.js';
import { FAST_ACCESS_TARGETS } from './fast-access.js';
import type { FilterSpec } from '../../core/engine/query.js';
import { parseFrom } from './message-flow.js';
import { normalizeMdn } from './numbers.js';
import { API_ID, style } from './style.js';

export interface SynFixtures {
  credit: { balance: number; currency: string };
  applicationId: number;
  limits: {
    indexedFieldLength: number;
    smsBodyLength: number;
    otherBodyLength: number;
    attachmentBytes: number;
    accessTokenTtlSeconds: number;
    pauseExpiryMaxHours: number;
  };
  timings: {
    requestStepMs: number;
    sentAfterMs: number;
    deliveredAfterMs: number;
    readAfterMs: number;
    carrierTimeoutMs: number;
    validityMs: number;
    senderProvisioningMs: number;
    callAnswerMs?: number;
    callHangupMs?: number;
    /** How long a DYNAMIC group stays Processing after its criteria is written (default 0: Ready at once). */
    groupProcessingMs?: number;
  };
  throttling: { enabled: boolean };
  countries: Record<string, { prefix: string; timezone: string; areaCodes?: string[] }>;
  prices: Record<string, Record<string, number> | number>;
  sender_id_classes: Rec[];
  sender_id_types: Rec[];
  sender_ids: Rec[];
  keywords: Rec[];
  message_templates: Rec[];
  [key: string]: unknown;
}

/**
 * The message list filters of the public description that name no Message attribute: `from`
 * (the sender id or channel a message left from), `to` (address or contact id) and the flags of
 * the message's request (kept on the message as hidden fields).
 */
const messageFilters: Record<string, FilterSpec> = {
  from: {
    test: (v, r) => {
      const ref = parseFrom(String(v));
      if (ref.kind === 'sender_id') return r.customer_sender_id === ref.id;
      if (ref.kind === 'channel') return r._channel === ref.id;
      return r.customer_sender_id === ref.id || r._channel === ref.id || r.from_address === ref.id || (normalizeMdn(ref.id) ?? ref.id) === r.from_address;
    },
  },
  to: {
    test: (v, r) => {
      const want = String(v).trim();
      return r['contact-id'] === want || r.to_address === want || (normalizeMdn(want) ?? want) === r.to_address;
    },
  },
  pause_before_transmit: { field: '_pause_before_transmit', type: 'boolean' },
  pause_expiry_time: { field: '_pause_expiry_time', type: 'date' },
};

/** `sender_id:x`, `sender_id-x` and `x` name the same sender; a bare id matches either kind. */
function sameSenderRef(a: string, b: string): boolean {
  const x = parseFrom(a);
  const y = parseFrom(b);
  return x.id === y.id && (x.kind === y.kind || x.kind === 'any' || y.kind === 'any');
}

export const synFixtures = (ws: Workspace) => fixturesOf<SynFixtures>(ws, API_ID);

/** application_id of the workspace's SCG application (a string on some resources). */
export const applicationId = (ws: Workspace) => synFixtures(ws).applicationId;

type Extra<T extends Rec> = Omit<CollectionConfig<T>, 'api' | 'name' | 'shape'>;

export function buildCollections(spec: LoadedSpec) {
  const make = <T extends Rec = Rec>(name: string, schema: string, extra: Extra<T> = {}) => {
    const s = spec.schemas[schema];
    if (!s) throw new Error(`syniverse spec: no schema ${schema}`);
    return new Collection<T>({ api: style, name, shape: shapeOf(s), ...extra });
  };
  const withApp = (ws: Workspace) => ({ application_id: applicationId(ws) });
  const withAppString = (ws: Workspace) => ({ application_id: String(applicationId(ws)) });
  const colls = {
    senderIdClasses: make('sender_id_classes', 'SenderIdClass'),
    senderIdTypes: make('sender_id_types', 'SenderIdType'),
    messageTemplates: make('message_templates', 'MessageTemplate', { uniqueKeys: [['name']], defaults: withApp }),
    senderIds: make('sender_ids', 'SenderId', {
      uniqueKeys: [['address', 'type_id', 'ownership', 'parent_id']],
      readOnly: ['application_id'],
      // The SDKs spell it check_whitelist: accepted in bodies and as a filter.
      fields: { check_white_list: { aliases: ['check_whitelist'] } },
      filters: { check_whitelist: { field: 'check_white_list' } },
      defaults: (ws) => ({
        ...withApp(ws),
        ownership: 'PRIVATE',
        state: 'PENDING_IMPLEMENTATION',
        consent_managed_by: 'USER',
        check_white_list: false,
      }),
    }),
    channels: make('channels', 'Channel', { uniqueKeys: [['name']], defaults: (ws) => ({ ...withApp(ws), priority: 'normal', ownership: 'PRIVATE' }) }),
    messages: make('messages', 'Message', {
      readOnly: ['state', 'price'],
      // contact_id: the public description's spelling of the seed's contact-id.
      fields: { contact_id: { mirror: 'contact-id' } },
      indexes: ['message_request_id', 'to_address', 'state'],
      filters: messageFilters,
      defaults: withApp,
    }),
    messageRequests: make('message_requests', 'MessageRequest', {
      uniqueKeys: [['external_id']],
      filters: {
        from: { test: (v, r) => sameSenderRef(String(v), String(r.from ?? '')) },
        // One of the recipients, phone numbers compared in E.164 form.
        to: {
          test: (v, r) => {
            const want = String(v).trim();
            const norm = normalizeMdn(want) ?? want;
            return Array.isArray(r.to) && r.to.some((x) => x === want || (normalizeMdn(String(x)) ?? x) === norm);
          },
        },
      },
      // A deleted request is gone for the client (the real service answers 404 after DELETE).
      hidden: { field: 'state', values: ['DELETED'] },
      defaults: withAppString,
    }),
    attachments: make('attachments', 'Attachment', { defaults: (ws) => ({ ...withApp(ws), size: 0, state: 'CREATED' }) }),
    keywords: make('keywords', 'Keyword', {
      uniqueKeys: [['value', 'sender_id']],
      defaults: (ws) => ({ ...withApp(ws), case: 'INSENSITIVE', type: 'COMPANY' }),
    }),
    calls: make('calls', 'Call', { readOnly: ['destination_country', 'recording_enabled', 'recordings'], defaults: () => ({ recording_enabled: false, recordings: [] }) }),
    digitsCollectors: make('digits_collectors', 'DigitsCollector', { partition: 'call_id', defaults: withApp }),
    bridges: make('bridges', 'Bridge'),
    conferences: make('conferences', 'Conference', { defaults: withApp }),
    // call_id: the public description's attribute, the linked call kept as _call_id.
    members: make('members', 'ConferenceMember', { partition: 'conference_id', defaults: withApp, fields: { call_id: { mirror: '_call_id' } } }),
    accessTokens: make('access_tokens', 'AccessToken', { defaults: withApp }),
    addressStatuses: make('contact_address_statuses', 'ContactAddressStatus', {
      uniqueKeys: [['address_type', 'address', 'sender_id']],
      readOnly: ['from_address'],
      defaults: (ws) => ({ ...withApp(ws), address_type: 'MDN', consent_status: 'NONE' }),
    }),
    addressHistory: make('contact_address_history', 'ContactAddressHistory', { defaults: withApp }),
    // account_list / device_list: the public description's (and SDKs') names of the seed's customer_* lists.
    contacts: make('contacts', 'Contact', {
      uniqueKeys: [['external_id']],
      defaults: withApp,
      readOnly: ['fast_access', ...FAST_ACCESS_TARGETS, 'is_rcs_capable'],
      fields: {
        customer_account_list: { aliases: ['account_list'] },
        customer_device_list: { aliases: ['device_list'] },
        account_list: { mirror: 'customer_account_list' },
        device_list: { mirror: 'customer_device_list' },
      },
    }),
    // This resource spells its update stamp `last_update_date` (seed).
    applicationTokens: make('application_tokens', 'ContactApplicationToken', { resource: { updated: 'last_update_date' }, partition: '_contact_id', defaults: (ws) => ({ ...withApp(ws), state: 'ACTIVE' }) }),
    fastAccessRules: make('fast_access', 'FastAccessRule', { uniqueKeys: [['target_attribute'], ['target_attribute_name']], defaults: withApp }),
    // state: the public description's name of the seed's status.
    contactGroups: make('contact_groups', 'ContactGroup', { uniqueKeys: [['external_id']], defaults: withApp, fields: { state: { mirror: 'status' } } }),
    importJobs: make('contactimport', 'ContactImportJob', { defaults: withApp }),
    exportJobs: make('contactexport', 'ContactExportJob', { defaults: withApp }),
  };
  return colls;
}

export type SynCollections = ReturnType<typeof buildCollections>;
