// Request bodies as the vendors' clients send them: JSON (also when a form content type carries
// a JSON-looking body, as `curl -d` does), form-urlencoded (values coerced to the schema's
// types), multipart (the first file part as raw bytes) and raw binary uploads.
import busboy from 'busboy';
import type { Context } from 'hono';
import { SimError } from './errors.js';
import type { OperationInfo } from './spec.js';
import { coerceForm } from './validation.js';

export const MAX_BODY_BYTES = 20 * 1024 * 1024;

export interface ParsedBody {
  body: unknown;
  rawBody: Uint8Array | undefined;
  contentType: string;
  /** The body as sent, for a text body (the journal keeps a cut of it). */
  text?: string;
}


/** The request body; synchronous (no await) for operations that take none. */
export function parseBody(c: Context, op: OperationInfo, header: (name: string) => string | undefined = (n) => c.req.header(n)): ParsedBody | Promise<ParsedBody> {
  const early = preloaded.get(c);
  if (early) {
    preloaded.delete(c);
    if ('error' in early) throw early.error;
    return early.parsed;
  }
  return parseNow(c, op, header);
}

/** Bodies read ahead of their request's turn (see preloadBody). */
const preloaded = new WeakMap<Context, { parsed: ParsedBody } | { error: unknown }>();

/**
 * Reads and parses the body now, for parseBody to hand out later (its errors too, at the same
 * stage of the request as without). A fleet reads the body before taking its workspace's turn:
 * waiting on a slow or vanished client must not hold the workspace.
 */
export async function preloadBody(c: Context, op: OperationInfo, header: (name: string) => string | undefined = (n) => c.req.header(n)): Promise<void> {
  try {
    preloaded.set(c, { parsed: await parseNow(c, op, header) });
  } catch (error) {
    preloaded.set(c, { error });
  }
}

function parseNow(c: Context, op: OperationInfo, header: (name: string) => string | undefined): ParsedBody | Promise<ParsedBody> {
  // An operation that takes no body reads none: its headers are not even looked at.
  if (!op.bodyTypes.length || c.req.method === 'GET' || (c.req.method === 'DELETE' && !op.bodySchema)) return NO_BODY_READ;
  const contentType = (header('content-type') ?? '').split(';')[0].trim().toLowerCase();
  const length = Number(header('content-length') ?? '0');
  if (length > MAX_BODY_BYTES) throw new SimError('invalid', `request body too large (limit ${MAX_BODY_BYTES} bytes)`, { code: 'too_large' });
  return readBody(c, op, contentType);
}

/** What an operation without a body sees (shared: nothing writes to it). */
const NO_BODY_READ: ParsedBody = Object.freeze({ body: undefined, rawBody: undefined, contentType: '' });

type Incoming = import('node:http').IncomingMessage;

/** Node's request stream under @hono/node-server, when the body is still unread. */
function incomingOf(c: Context): Incoming | undefined {
  const incoming = (c.env as { incoming?: Incoming } | undefined)?.incoming;
  return incoming && !incoming.readableEnded && typeof incoming.on === 'function' ? incoming : undefined;
}

/**
 * The body as text, handed to `then` (the parse) in the end handler of the read. Under
 * @hono/node-server it is read from Node's request stream directly:
 * going through the fetch Request (c.req.text()) builds a web stream per request, which costs
 * more than the rest of a small POST.
 */
function bodyText<T>(c: Context, then: (text: string) => T): Promise<T> {
  const incoming = incomingOf(c);
  if (!incoming) return c.req.text().then(then);
  return readIncoming(incoming, (chunks) => then(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8')));
}

/** The body as bytes. */
function bodyBytes(c: Context): Promise<Buffer> {
  const incoming = incomingOf(c);
  if (!incoming) return c.req.arrayBuffer().then((b) => Buffer.from(b));
  return readIncoming(incoming, (chunks) => (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
}

/** Reads a request stream to its end, within the size limit. */
function readIncoming<T>(incoming: Incoming, done: (chunks: Buffer[]) => T): Promise<T> {
  // Plain stream events: an async iterator over the stream costs several times more per request.
  return new Promise((resolve, reject) => {
    if (incoming.destroyed) {
      reject(new SimError('invalid', 'the client closed the connection before the end of the request body'));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        cleanup();
        incoming.resume();
        reject(new SimError('invalid', `request body too large (limit ${MAX_BODY_BYTES} bytes)`, { code: 'too_large' }));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      // `done` parses too (one promise per body, not one per stage); its refusal rejects the read.
      try {
        resolve(done(chunks));
      } catch (e) {
        reject(e);
      }
    };
    const onError = (e: Error) => {
      cleanup();
      reject(new SimError('invalid', `the request body could not be read: ${e.message}`));
    };
    // A client that goes away before the end of its body: without this, the read would wait
    // for ever (and, in a fleet, hold its workspace's queue on this instance).
    const onClose = () => {
      cleanup();
      reject(new SimError('invalid', 'the client closed the connection before the end of the request body'));
    };
    const cleanup = () => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
      incoming.off('close', onClose);
    };
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
    incoming.on('close', onClose);
  });
}

/** The body by content type; JSON and forms take one promise (the stream's end), no more. */
function readBody(c: Context, op: OperationInfo, contentType: string): Promise<ParsedBody> {
  if (contentType === 'multipart/form-data') return bodyBytes(c).then((bytes) => readMultipart(bytes, c.req.header('content-type') ?? ''));
  // A text media type the operation declares (`text/plain` GraphQL queries, say) is the body as it is.
  if (contentType.startsWith('text/') && op.bodyTypes.includes(contentType)) {
    return bodyText(c, (text) => ({ body: text.trim() ? text : undefined, rawBody: undefined, contentType }));
  }
  // A text/* upload to an operation that takes raw content (octet-stream, */*) is content, not a
  // JSON document that happens to be sent as text.
  const rawText = contentType.startsWith('text/') && op.bodyTypes.some((t) => t === 'application/octet-stream' || t === '*/*' || t === 'text/*');
  const isText = !rawText && (contentType === '' || contentType.includes('json') || contentType === 'application/x-www-form-urlencoded' || contentType.startsWith('text/'));
  if (!isText) return bodyBytes(c).then((b) => ({ body: undefined, rawBody: new Uint8Array(b), contentType }));
  return bodyText(c, (text) => parseText(text, op, contentType));
}

function parseText(text: string, op: OperationInfo, contentType: string): ParsedBody {
  if (!text.trim()) return { body: undefined, rawBody: undefined, contentType };
  const trimmed = text.trimStart();
  // curl -d sends form-urlencoded by default; a JSON-looking body is taken as JSON.
  if (contentType !== 'application/x-www-form-urlencoded' || trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return { body: JSON.parse(text), rawBody: undefined, contentType: 'application/json', text };
    } catch (e) {
      throw new SimError('invalid', `malformed JSON body: ${(e as Error).message}`, { code: 'malformed' });
    }
  }
  const params = new URLSearchParams(text);
  const fields: Record<string, unknown> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    fields[key.endsWith('[]') ? key.slice(0, -2) : key] = all.length > 1 || key.endsWith('[]') ? all : all[0];
  }
  return { body: coerceForm(fields, op.bodySchema), rawBody: undefined, contentType, text };
}

/**
 * multipart/form-data: the fields (a repeated field as a list), and the first file part as raw
 * bytes. Parsed with busboy rather than the fetch API's FormData: the vendors' SDKs send part
 * headers with extra parameters (`filename="a.png"; size="21"`), which undici's parser refuses.
 */
function readMultipart(bytes: Buffer, header: string): Promise<ParsedBody> {
  const malformed = (why: string) => new SimError('invalid', `malformed multipart/form-data body: ${why}`, { code: 'malformed' });
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: { 'content-type': header }, defParamCharset: 'utf8', limits: { fileSize: MAX_BODY_BYTES } });
    } catch (e) {
      reject(malformed((e as Error).message));
      return;
    }
    const fields: Record<string, unknown> = {};
    const add = (name: string, value: unknown) => {
      const had = fields[name];
      fields[name] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
    };
    let rawBody: Uint8Array | undefined;
    let partType = '';
    let failed = false;
    const fail = (e: Error) => {
      if (failed) return;
      failed = true;
      reject(malformed(e.message));
    };
    parser.on('field', (name, value) => add(name, value));
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (d: Buffer) => chunks.push(d));
      stream.on('end', () => {
        if (!rawBody) {
          rawBody = new Uint8Array(Buffer.concat(chunks));
          // busboy reports a part without a Content-Type as text/plain (RFC 7578's default);
          // the upload handlers need to know the client said nothing about the type.
          partType = info.mimeType === 'text/plain' && !declaresPartType(bytes, name) ? '' : info.mimeType;
          fields.__filename = info.filename;
        }
      });
      add(name, '(binary)');
    });
    parser.on('error', fail);
    parser.on('close', () => {
      if (!failed) resolve({ body: fields, rawBody, contentType: partType || 'multipart/form-data' });
    });
    parser.end(bytes);
  });
}

/** Whether the part named `name` carries its own Content-Type header. */
function declaresPartType(bytes: Buffer, name: string): boolean {
  const at = bytes.indexOf(`name="${name}"`, 0, 'latin1');
  if (at < 0) return true;
  const headEnd = bytes.indexOf('\r\n\r\n', at, 'latin1');
  return /\r\ncontent-type:/i.test(bytes.toString('latin1', at, headEnd < 0 ? bytes.length : headEnd));
}
