// The fields of each inject kind, for forms (the dashboard) and for people reading
// `GET /_sim/injectors`. An API may describe its own injectors (`ApiModule.injectorInfo`); the
// kinds of the control API contract have a description here, so a new API that registers one
// of them gets a form without any change elsewhere. A kind known to neither gets no fields: the
// dashboard then offers a JSON body.
import type { InjectorField } from '../core/api.js';
import type { Runtime } from '../core/runtime.js';

const COMMON: Record<string, InjectorField[]> = {
  'mo-message': [
    { name: 'from', description: 'the end user who sends the message', example: '+15551234567', required: true },
    { name: 'to', description: 'the address (or sender id) of the workspace it is sent to', example: '+15550100001' },
    { name: 'body', description: 'the text', example: 'STOP', required: true },
  ],
  'inbound-call': [
    { name: 'from', description: 'the caller (E.164)', example: '+15551234567', required: true },
    { name: 'to', description: 'the sender id (or its number) that is called', example: '+15550100001', required: true },
    { name: 'answer_timeout', description: 'seconds it rings before it is missed' },
    { name: 'hangupAfterMs', description: 'the caller hangs up after this many ms once answered' },
  ],
  'call-answer': [{ name: 'call_id', description: 'the call the far end answers', required: true }],
  'call-hangup': [{ name: 'call_id', description: 'the call the far end hangs up', required: true }],
  dtmf: [
    { name: 'call_id', description: 'the active call (or give "to")' },
    { name: 'to', description: 'the far end of the active call, instead of call_id' },
    { name: 'digits', description: 'the keys pressed', example: '1#', required: true },
  ],
  'email-open': [
    { name: 'recipient', description: 'the address the delivered mail went to', required: true },
    { name: 'reference', description: 'the campaign, when the address got several' },
  ],
  'email-click': [
    { name: 'recipient', description: 'the address the delivered mail went to', required: true },
    { name: 'reference', description: 'the campaign, when the address got several' },
    { name: 'url', description: 'the link clicked', example: 'https://example.com/' },
  ],
  'account-expire': [{ name: 'at', description: 'when the account expires (default: now)' }],
};

/** The fields of `kind`: the API's own description first, else the common one, else none. */
export function injectorFields(runtime: Runtime, kind: string, apis: string[]): InjectorField[] {
  for (const api of apis) {
    const own = runtime.api(api)?.injectorInfo?.[kind]?.fields;
    if (own) return own;
  }
  return COMMON[kind] ?? [];
}
