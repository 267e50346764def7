// The baseline of the benchmark: bare hono routes on @hono/node-server, no validation, no state.
import { Hono } from 'hono';
import { serve } from '@hono/node-server';

const app = new Hono();
app.get('/bare/:id', (c) => c.json({ id: c.req.param('id'), name: 'bare' }));
app.post('/bare', async (c) => c.json({ id: String((await c.req.json()).name) }));
serve({ fetch: app.fetch, port: Number(process.argv[2]), hostname: '127.0.0.1' }, () => console.log('ready'));
