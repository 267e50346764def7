// The Syniverse SCG module: spec-driven collections, the messaging and calling simulators, and
// (when the spec has them) contacts; Bearer auth per workspace; fixtures per new workspace.
import type { ApiModule } from '../../core/api.js';
import { untypedHandlers } from '../../core/contract-types.js';
import type { Runtime } from '../../core/runtime.js';
import type { LoadedSpec } from '../../core/spec.js';
import type { Workspace } from '../../core/workspace.js';
import { accessTokenKey, authenticate } from './auth.js';
import { Calling } from './calling.js';
import { callInjectors } from './inbound-calls.js';
import { FORMAT as CALLBACK_FORMAT, syniverseCallbackFormat } from './callbacks.js';
import { buildCollections, synFixtures } from './collections.js';
import { renderError } from './errors.js';
import type { operations } from './generated/contract.js';
import { callingHandlers } from './handlers/calling.js';
import { consentHandlers } from './handlers/consent.js';
import { contactJobHandlers } from './handlers/contact-jobs.js';
import { contactsHandlers } from './handlers/contacts.js';
import { messagingHandlers } from './handlers/messaging.js';
import { messagesHandlers } from './handlers/messages.js';
import { sendersHandlers } from './handlers/senders.js';
import { tokenTable } from './attachments.js';
import { contactJobKinds } from './contact-jobs.js';
import { contactDirectory, groupEventHandlers } from './contacts.js';
import { catalogueId, senderEventHandlers } from './sender-ids.js';
import { Messaging } from './messaging.js';
import { API_ID } from './style.js';
import { parseTimestamp } from '../../core/clock.js';
import { baseFixtures } from '../../core/fixtures.js';

/** The default workspace's documented token (README, banner). */
export const DEFAULT_TOKEN = 'commsim-syniverse-token';

export function createSyniverse({ spec, runtime }: { spec: LoadedSpec; runtime: Runtime }): ApiModule {
  const c = buildCollections(spec);
  const messaging = new Messaging(c);
  const calling = new Calling(c);
  messaging.directory = contactDirectory(c);
  const handlers = untypedHandlers<operations>({
    ...messagingHandlers(c, messaging),
    ...messagesHandlers(c, messaging),
    ...sendersHandlers(c),
    ...callingHandlers(c, calling),
    ...contactsHandlers(c),
    ...consentHandlers(c),
    ...contactJobHandlers(c),
  });
  return {
    id: API_ID,
    title: 'Syniverse SCG',
    mountPrefix: '/syniverse',
    basePath: spec.basePath,
    // A client's `.../message_requests/` is the collection (issue: trailing slash).
    routing: { ignoreTrailingSlash: true },
    handlers,
    authenticate: (req) => authenticate(runtime, req.headers, req.params),
    renderError,
    credentials: {
      create: (ws: Workspace, isDefault: boolean) => ({
        token: isDefault ? DEFAULT_TOKEN : `syn_${ws.id}_${ws.rng.hex(16)}`,
        applicationId: synFixtures(ws).applicationId,
      }),
      keys: (creds) => (typeof creds.token === 'string' ? [creds.token] : []),
      // Attachment access tokens authenticate content URLs until they expire.
      stateTables: [`${API_ID}.access_tokens`],
      stateKeys: (ws: Workspace) => {
        const now = ws.now();
        return [...tokenTable(ws).scan()].filter((t) => (parseTimestamp(t.expiry_time) ?? 0) > now).map((t) => accessTokenKey(String(t.id)));
      },
      describe: (creds) => `Authorization: Bearer ${creds.token}`,
    },
    credit: baseFixtures(API_ID).credit as { balance: number; currency: string },
    setup(ws: Workspace) {
      const fx = synFixtures(ws);
      const seed = (coll: typeof c.senderIds, rows: Array<Record<string, unknown>>) => {
        for (const row of rows ?? []) {
          const { id, ...values } = row;
          coll.insert(ws, values as never, { id: String(id) });
        }
      };
      seed(c.senderIdClasses, fx.sender_id_classes);
      seed(c.senderIdTypes, fx.sender_id_types);
      seed(c.messageTemplates, fx.message_templates);
      // Class and type references in the vendor's ids, whichever spelling the fixtures use.
      seed(
        c.senderIds,
        (fx.sender_ids ?? []).map((row) => ({
          ...row,
          class_id: catalogueId(ws, c.senderIdClasses, row.class_id) ?? row.class_id ?? null,
          type_id: catalogueId(ws, c.senderIdTypes, row.type_id) ?? row.type_id ?? null,
        })),
      );
      seed(c.keywords, fx.keywords);
    },
    eventHandlers: {
      ...messaging.eventHandlers(),
      ...calling.eventHandlers(),
      ...senderEventHandlers(c),
      ...groupEventHandlers(c),
    },
    jobKinds: contactJobKinds(c),
    // Syniverse's own event payloads (ESS) for `/_sim/.../webhooks` with `format: 'syniverse'`.
    callbackFormats: { [CALLBACK_FORMAT]: syniverseCallbackFormat(c) },
    injectors: {
      ...callInjectors(c, calling), // inbound-call, call-hangup (inbound-calls.ts)
      'mo-message': (ws, body) => {
        const msg = messaging.receiveMo(ws, body);
        return { api: API_ID, message: c.messages.render(msg) };
      },
      // The far end of an ACTIVE call presses DTMF digits: {call_id or to, digits}.
      dtmf: (ws, body) => {
        const callId = calling.digits.callOf(ws, body);
        const collector = calling.digits.press(ws, callId, String(body.digits ?? ''));
        return { api: API_ID, call_id: callId, digits: body.digits, collector: collector ? c.digitsCollectors.render(collector) : null };
      },
    },
  };
}
