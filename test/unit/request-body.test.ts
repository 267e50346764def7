import { Readable } from 'node:stream';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { isSimError } from '../../src/core/errors.js';
import { MAX_BODY_BYTES, parseBody, type ParsedBody } from '../../src/core/request-body.js';
import type { OperationInfo } from '../../src/core/spec.js';

function op(over: Partial<OperationInfo> = {}): OperationInfo {
  return {
    operationId: 'op',
    method: 'POST',
    path: '/x',
    fullPath: '/x',
    pathParams: [],
    queryParams: new Set(),
    querySchemas: {},
    headerParams: [],
    bodyTypes: ['application/json', 'application/x-www-form-urlencoded'],
    bodySchema: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        count: { type: 'integer' },
        flag: { type: 'boolean' },
        tags: { type: 'array', items: { type: 'string' } },
      },
    },
    bodyRequired: false,
    public: false,
    statuses: ['200'],
    raw: {},
    ...over,
  };
}

interface Out {
  sync?: boolean;
  body?: unknown;
  raw?: number[] | null;
  contentType?: string;
  error?: { kind: string; message: string; code?: string };
}

/** Runs parseBody inside a real hono request and reports what it returned or threw. */
async function parse(o: OperationInfo, init: RequestInit & { method: string }, env?: unknown, header?: (n: string) => string | undefined): Promise<Out> {
  const app = new Hono();
  app.all('/x', async (c) => {
    try {
      const r = parseBody(c, o, header);
      const sync = !(r instanceof Promise);
      const p: ParsedBody = await r;
      return c.json({ sync, body: p.body ?? null, raw: p.rawBody ? [...p.rawBody] : null, contentType: p.contentType });
    } catch (e) {
      if (!isSimError(e)) throw e;
      return c.json({ error: { kind: e.kind, message: e.message, code: e.details.code } });
    }
  });
  const res = await app.request('/x', init, env as never);
  return res.json();
}

const json = { 'content-type': 'application/json' };
const form = { 'content-type': 'application/x-www-form-urlencoded' };

describe('parseBody', () => {
  it('answers synchronously when the operation takes no body', async () => {
    expect(await parse(op(), { method: 'GET', headers: json })).toEqual({ sync: true, body: null, raw: null, contentType: '' }); // its headers are not read
    expect(await parse(op({ bodyTypes: [] }), { method: 'POST', body: '{"a":1}', headers: json })).toMatchObject({ sync: true, body: null });
    expect(await parse(op({ bodySchema: undefined }), { method: 'DELETE', body: '{"a":1}', headers: json })).toMatchObject({ sync: true, body: null });
  });

  it('reads a DELETE body when the operation declares one', async () => {
    expect(await parse(op(), { method: 'DELETE', body: '{"name":"x"}', headers: json })).toMatchObject({ sync: false, body: { name: 'x' } });
  });

  it('parses JSON, with charset parameters and any case', async () => {
    const r = await parse(op(), { method: 'POST', body: '{"name":"a","count":2}', headers: { 'content-type': 'Application/JSON; charset=utf-8' } });
    expect(r).toEqual({ sync: false, body: { name: 'a', count: 2 }, raw: null, contentType: 'application/json' });
    // No content type: JSON too.
    expect(await parse(op(), { method: 'POST', body: '[1,2]' })).toMatchObject({ body: [1, 2], contentType: 'application/json' });
  });

  it('turns malformed JSON into an invalid SimError, never a crash', async () => {
    const r = await parse(op(), { method: 'POST', body: '{"name":', headers: json });
    expect(r.error).toMatchObject({ kind: 'invalid', code: 'malformed' });
    expect(r.error!.message).toMatch(/^malformed JSON body: /);
    expect((await parse(op(), { method: 'POST', body: 'hello', headers: { 'content-type': 'text/plain' } })).error?.code).toBe('malformed');
  });

  it('an empty or blank body is no body', async () => {
    expect(await parse(op(), { method: 'POST', body: '', headers: json })).toMatchObject({ body: null, raw: null, contentType: 'application/json' });
    expect(await parse(op(), { method: 'POST', body: '  \n ', headers: form })).toMatchObject({ body: null, contentType: 'application/x-www-form-urlencoded' });
  });

  it('decodes forms, coercing values to the schema and collecting repeated keys', async () => {
    const r = await parse(op(), { method: 'POST', body: 'name=a%20b&count=12&flag=TRUE&tags[]=x&tags[]=y&extra=1&extra=2&solo[]=z', headers: form });
    expect(r).toEqual({
      sync: false,
      body: { name: 'a b', count: 12, flag: true, tags: ['x', 'y'], extra: ['1', '2'], solo: ['z'] },
      raw: null,
      contentType: 'application/x-www-form-urlencoded',
    });
  });

  it('takes a JSON-looking body sent as a form (curl -d) as JSON', async () => {
    expect(await parse(op(), { method: 'POST', body: ' {"count":"7"}', headers: form })).toMatchObject({ body: { count: '7' }, contentType: 'application/json' });
    expect(await parse(op(), { method: 'POST', body: '[1]', headers: form })).toMatchObject({ body: [1] });
  });

  it('keeps binary uploads as raw bytes', async () => {
    const r = await parse(op({ bodyTypes: ['application/octet-stream'] }), { method: 'POST', body: new Uint8Array([0, 1, 255]), headers: { 'content-type': 'application/octet-stream' } });
    expect(r).toEqual({ sync: false, body: null, raw: [0, 1, 255], contentType: 'application/octet-stream' });
  });

  it('a text/* upload to an operation taking raw content stays raw (not parsed as JSON)', async () => {
    const raw = await parse(op({ bodyTypes: ['application/json', 'application/octet-stream'] }), { method: 'POST', body: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(raw).toEqual({ sync: false, body: null, raw: [...Buffer.from('hello')], contentType: 'text/plain' });
    // Without a raw content type declared, a JSON-looking text body is still JSON.
    const json = await parse(op(), { method: 'POST', body: '{"name":"x"}', headers: { 'content-type': 'text/plain' } });
    expect(json).toMatchObject({ body: { name: 'x' }, contentType: 'application/json' });
  });

  it('reads multipart: text fields, and the first file part as raw bytes', async () => {
    const fd = new FormData();
    fd.append('label', 'hello');
    fd.append('file', new File([new Uint8Array([7, 8, 9])], 'a.png', { type: 'image/png' }));
    fd.append('other', new File([new Uint8Array([1])], 'b.txt', { type: 'text/plain' }));
    const r = await parse(op({ bodyTypes: ['multipart/form-data'] }), { method: 'POST', body: fd });
    expect(r).toEqual({
      sync: false,
      body: { label: 'hello', file: '(binary)', other: '(binary)', __filename: 'a.png' },
      raw: [7, 8, 9],
      contentType: 'image/png',
    });
  });

  it('multipart without files keeps the multipart content type', async () => {
    const fd = new FormData();
    fd.append('label', 'x');
    expect(await parse(op({ bodyTypes: ['multipart/form-data'] }), { method: 'POST', body: fd })).toMatchObject({ body: { label: 'x' }, raw: null, contentType: 'multipart/form-data' });
  });

  it('rejects a malformed multipart body as invalid', async () => {
    const r = await parse(op({ bodyTypes: ['multipart/form-data'] }), { method: 'POST', body: 'garbage', headers: { 'content-type': 'multipart/form-data; boundary=zzz' } });
    expect(r.error).toMatchObject({ kind: 'invalid', code: 'malformed' });
    expect(r.error!.message).toMatch(/^malformed multipart\/form-data body: /);
  });

  it('rejects multipart without a boundary, saying so', async () => {
    const r = await parse(op({ bodyTypes: ['multipart/form-data'] }), { method: 'POST', body: 'x', headers: { 'content-type': 'multipart/form-data' } });
    expect(r.error).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/^malformed multipart\/form-data body: .*[Bb]oundary/) });
  });

  const handMade = (partHeaders: string, content: string, b = 'XyZ') => ({
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${b}` },
    body: `--${b}\r\nContent-Disposition: form-data; name="label"\r\n\r\nhi\r\n--${b}\r\n${partHeaders}\r\n\r\n${content}\r\n--${b}--\r\n`,
  });

  it('accepts part headers with extra parameters (size="21", as the vendor SDKs send)', async () => {
    // The fetch API's FormData parser refuses this body ("Failed to parse body as FormData").
    const r = await parse(op({ bodyTypes: ['multipart/form-data'] }), handMade('Content-Disposition: form-data; name="file"; filename="a.txt"; size="21"\r\nContent-Type: text/plain', 'hello world 123456789'));
    expect(r).toEqual({ sync: false, body: { label: 'hi', file: '(binary)', __filename: 'a.txt' }, raw: [...Buffer.from('hello world 123456789')], contentType: 'text/plain' });
  });

  it('a file part without a Content-Type leaves the type unsaid (not text/plain)', async () => {
    const r = await parse(op({ bodyTypes: ['multipart/form-data'] }), handMade('Content-Disposition: form-data; name="file"; filename="a.png"', 'PNG'));
    expect(r).toMatchObject({ body: { label: 'hi', file: '(binary)', __filename: 'a.png' }, contentType: 'multipart/form-data' });
  });

  it('repeated text fields become a list', async () => {
    const fd = new FormData();
    fd.append('tag', 'a');
    fd.append('tag', 'b');
    expect(await parse(op({ bodyTypes: ['multipart/form-data'] }), { method: 'POST', body: fd })).toMatchObject({ body: { tag: ['a', 'b'] } });
  });

  it('rejects a declared content-length above the limit before reading', async () => {
    const r = await parse(op(), { method: 'POST', body: '{}', headers: json }, undefined, (n) => (n === 'content-length' ? String(MAX_BODY_BYTES + 1) : n === 'content-type' ? 'application/json' : undefined));
    expect(r.error).toMatchObject({ kind: 'invalid', code: 'too_large' });
  });

  describe('from a Node request stream (@hono/node-server)', () => {
    it('joins the chunks', async () => {
      const incoming = Readable.from([Buffer.from('{"name":'), Buffer.from('"streamed"}')]);
      expect(await parse(op(), { method: 'POST', headers: json }, { incoming })).toMatchObject({ body: { name: 'streamed' } });
    });

    it('reads a single chunk', async () => {
      const incoming = Readable.from([Buffer.from('count=3')]);
      expect(await parse(op(), { method: 'POST', headers: form }, { incoming })).toMatchObject({ body: { count: 3 } });
    });

    it('stops at the size limit while streaming', async () => {
      const incoming = Readable.from([Buffer.alloc(1024, 32), Buffer.alloc(MAX_BODY_BYTES, 32)]);
      expect((await parse(op(), { method: 'POST', headers: json }, { incoming })).error).toMatchObject({ kind: 'invalid', code: 'too_large' });
    });

    it('turns a stream error into an invalid SimError', async () => {
      const incoming = new Readable({ read() {} });
      setImmediate(() => incoming.destroy(new Error('socket hang up')));
      expect((await parse(op(), { method: 'POST', headers: json }, { incoming })).error).toEqual({ kind: 'invalid', message: 'the request body could not be read: socket hang up' });
    });

    it('falls back to the fetch body when the stream was already read', async () => {
      const incoming = Readable.from([]);
      incoming.resume();
      await new Promise((r) => incoming.once('end', r));
      expect(incoming.readableEnded).toBe(true);
      expect(await parse(op(), { method: 'POST', body: '{"name":"fetch"}', headers: json }, { incoming })).toMatchObject({ body: { name: 'fetch' } });
    });
  });
});
