// The dashboard at /_sim/dashboard, for a person running a demo. Everything on it comes from the
// control API (workspaces, APIs, collections, injectors, credit, the event stream), so a new API
// shows up here without any change to this file. Bundled by esbuild at build time (preact).
import './app.css';
import { Fragment, render } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';

type Json = Record<string, any>;

async function sim<T = Json>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`/_sim${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const parsed = text ? JSON.parse(text) : {};
  if (!res.ok) throw new Error(parsed?.error?.message ?? `${res.status}`);
  return parsed as T;
}

interface Api {
  id: string;
  basePath: string;
  operations: number;
}

interface Clock {
  now: string;
  mode: 'manual' | 'realtime';
  speed: number;
}

interface Item {
  key: string;
  kind: 'request' | 'event';
  at: string;
  title: string;
  detail: Json;
}

const MAX_ITEMS = 500;

function useStream(ws: string, onChange: () => void) {
  const [items, setItems] = useState<Item[]>([]);
  const [clock, setClock] = useState<{ view: Clock; at: number } | null>(null);
  const [connected, setConnected] = useState(false);
  const changed = useRef(onChange);
  changed.current = onChange;
  useEffect(() => {
    setItems([]);
    const seen = new Set<string>();
    const add = (item: Item) => {
      if (seen.has(item.key)) return;
      seen.add(item.key);
      setItems((list) => [item, ...list].slice(0, MAX_ITEMS));
    };
    const es = new EventSource(`/_sim/workspaces/${encodeURIComponent(ws)}/events/stream?since=0&requests=1`);
    es.addEventListener('open', () => setConnected(true));
    es.addEventListener('error', () => setConnected(false));
    es.addEventListener('clock', (m) => setClock({ view: JSON.parse((m as MessageEvent).data), at: Date.now() }));
    es.addEventListener('reset', () => {
      seen.clear();
      setItems([]);
    });
    es.addEventListener('request', (m) => {
      const r = JSON.parse((m as MessageEvent).data);
      add({ key: `r:${r.requestId}:${r.at}`, kind: 'request', at: r.at, title: `${r.method} ${r.path} → ${r.status}`, detail: r });
      changed.current();
    });
    es.addEventListener('message', (m) => {
      const e = JSON.parse((m as MessageEvent).data);
      const state = e.data?.state ? ` ${e.data.state}` : '';
      add({ key: `e:${e.seq}:${e.at}`, kind: 'event', at: e.at, title: `${e.api} ${e.type}${state}`, detail: e });
      changed.current();
    });
    return () => es.close();
  }, [ws]);
  return { items, clock, connected };
}

/** The virtual now, ticking between stream updates when the clock runs. */
function useNow(clock: { view: Clock; at: number } | null): string {
  const [, tick] = useState(0);
  useEffect(() => {
    if (!clock || clock.view.mode !== 'realtime') return;
    const t = setInterval(() => tick((n) => n + 1), 250);
    return () => clearInterval(t);
  }, [clock]);
  if (!clock) return '';
  if (clock.view.mode === 'manual') return clock.view.now;
  return new Date(Date.parse(clock.view.now) + (Date.now() - clock.at) * clock.view.speed).toISOString();
}

function ClockPanel({ ws, clock }: { ws: string; clock: { view: Clock; at: number } | null }) {
  const now = useNow(clock);
  const [speed, setSpeed] = useState('');
  const [error, setError] = useState('');
  const act = (p: Promise<unknown>) => p.then(() => setError(''), (e: Error) => setError(e.message));
  const advance = (ms: number) => act(sim('POST', `/workspaces/${ws}/clock/advance`, { ms }));
  const set = (body: Json) => act(sim('POST', `/workspaces/${ws}/clock`, body));
  return (
    <section class="panel" data-testid="clock">
      <h2>Clock</h2>
      <div class="now" data-testid="clock-now">{now || '…'}</div>
      <div class="muted">
        {clock ? `${clock.view.mode}${clock.view.mode === 'realtime' ? `, speed ${clock.view.speed}x` : ' (paused)'}` : ''}
      </div>
      <div class="row">
        {clock?.view.mode === 'realtime' ? (
          <button onClick={() => set({ mode: 'manual' })}>Pause</button>
        ) : (
          <button onClick={() => set({ mode: 'realtime' })}>Resume</button>
        )}
        <button onClick={() => advance(10_000)}>+10 s</button>
        <button onClick={() => advance(60_000)}>+1 min</button>
        <button onClick={() => advance(3_600_000)}>+1 h</button>
      </div>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (speed) set({ speed: Number(speed) });
        }}
      >
        <input type="number" step="any" min="0" placeholder="speed" value={speed} onInput={(e) => setSpeed((e.target as HTMLInputElement).value)} />
        <button type="submit">Set speed</button>
      </form>
      {error && <div class="error">{error}</div>}
    </section>
  );
}

function CreditPanel({ ws, apis, version }: { ws: string; apis: Api[]; version: number }) {
  const [ledgers, setLedgers] = useState<Record<string, Json>>({});
  const [edit, setEdit] = useState<Record<string, string>>({});
  const [error, setError] = useState('');
  useEffect(() => {
    let live = true;
    Promise.all(apis.map((a) => sim(`GET`, `/workspaces/${ws}/credit/${a.id}?limit=5`).then((l) => [a.id, l] as const, () => null))).then((all) => {
      if (live) setLedgers(Object.fromEntries(all.filter((x): x is readonly [string, Json] => x !== null)));
    });
    return () => {
      live = false;
    };
  }, [ws, apis, version]);
  return (
    <section class="panel" data-testid="credit">
      <h2>Credit</h2>
      {Object.entries(ledgers).map(([api, l]) => (
        <form
          key={api}
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            sim('PUT', `/workspaces/${ws}/credit/${api}`, { balance: Number(edit[api]) }).then(
              () => setError(''),
              (err: Error) => setError(err.message),
            );
          }}
        >
          <span class="api">{api}</span>
          <strong data-testid={`credit-${api}`}>
            {l.balance} {l.currency}
          </strong>
          <input type="number" step="any" placeholder="new balance" value={edit[api] ?? ''} onInput={(e) => setEdit({ ...edit, [api]: (e.target as HTMLInputElement).value })} />
          <button type="submit">Set</button>
        </form>
      ))}
      {error && <div class="error">{error}</div>}
    </section>
  );
}

interface Injector {
  kind: string;
  apis: string[];
  fields: Array<{ name: string; description?: string; example?: string; required?: boolean }>;
}

function InjectPanel({ ws }: { ws: string }) {
  const [injectors, setInjectors] = useState<Injector[]>([]);
  const [values, setValues] = useState<Record<string, string>>({});
  const [result, setResult] = useState<{ kind: string; text: string; ok: boolean } | null>(null);
  useEffect(() => {
    sim<{ injectors: Injector[] }>('GET', '/injectors').then((r) => setInjectors(r.injectors));
  }, []);
  const v = (kind: string, name: string) => values[`${kind}.${name}`];
  const submit = (inj: Injector) => {
    const body: Json = {};
    const api = v(inj.kind, 'api');
    if (api) body.api = api;
    for (const f of inj.fields) {
      const x = v(inj.kind, f.name) ?? f.example;
      if (x !== undefined && x !== '') body[f.name] = x;
    }
    const extra = v(inj.kind, '__json');
    try {
      if (extra) Object.assign(body, JSON.parse(extra));
    } catch (e) {
      setResult({ kind: inj.kind, text: `the JSON body is not valid: ${(e as Error).message}`, ok: false });
      return;
    }
    sim('POST', `/workspaces/${ws}/inject/${inj.kind}`, body).then(
      (r) => setResult({ kind: inj.kind, text: JSON.stringify(r.result), ok: true }),
      (e: Error) => setResult({ kind: inj.kind, text: e.message, ok: false }),
    );
  };
  // One form at a time (the list grows with the APIs); an MO first, as demos start with one.
  const [kind, setKind] = useState('');
  const current = kind || (injectors.some((i) => i.kind === 'mo-message') ? 'mo-message' : injectors[0]?.kind ?? '');
  return (
    <section class="panel" data-testid="inject">
      <h2>
        Outside world{' '}
        <select data-testid="inject-kind" value={current} onChange={(e) => setKind((e.target as HTMLSelectElement).value)}>
          {injectors.map((i) => (
            <option key={i.kind} value={i.kind}>
              {i.kind}
            </option>
          ))}
        </select>
      </h2>
      {injectors.length === 0 && <div class="muted">no injectors registered</div>}
      {injectors.filter((inj) => inj.kind === current).map((inj) => (
        <form
          key={inj.kind}
          class="inject"
          data-testid={`inject-${inj.kind}`}
          onSubmit={(e) => {
            e.preventDefault();
            submit(inj);
          }}
        >
          <h3>{inj.kind}</h3>
          <label>
            api
            <select name="api" onChange={(e) => setValues({ ...values, [`${inj.kind}.api`]: (e.target as HTMLSelectElement).value })}>
              {inj.apis.length > 1 && <option value="">(whichever owns the address)</option>}
              {inj.apis.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </label>
          {inj.fields.map((f) => (
            <label key={f.name} title={f.description}>
              {f.name}
              {f.required ? ' *' : ''}
              <input
                name={f.name}
                placeholder={f.example ?? f.description ?? ''}
                value={v(inj.kind, f.name) ?? ''}
                onInput={(e) => setValues({ ...values, [`${inj.kind}.${f.name}`]: (e.target as HTMLInputElement).value })}
              />
            </label>
          ))}
          {inj.fields.length === 0 && (
            <label>
              body (JSON)
              <textarea name="__json" onInput={(e) => setValues({ ...values, [`${inj.kind}.__json`]: (e.target as HTMLTextAreaElement).value })} />
            </label>
          )}
          <button type="submit">Inject {inj.kind}</button>
          {result?.kind === inj.kind && (
            <pre class={result.ok ? 'result' : 'error'} data-testid={`inject-result-${inj.kind}`}>
              {result.text}
            </pre>
          )}
        </form>
      ))}
    </section>
  );
}

const FIRST_COLUMNS = ['id', 'state', 'status', 'direction', 'type', 'name', 'from_address', 'to_address', 'from', 'to', 'body', 'created_date', 'createdAt', 'created_at'];

function CollectionsPanel({ ws, apis, version }: { ws: string; apis: Api[]; version: number }) {
  const [api, setApi] = useState('');
  const [collections, setCollections] = useState<Record<string, number>>({});
  const [open, setOpen] = useState('');
  const [records, setRecords] = useState<{ total: number; records: Json[] } | null>(null);
  const [shown, setShown] = useState('');
  const current = api || apis[0]?.id || '';
  useEffect(() => {
    if (!current) return;
    sim<{ collections: Record<string, number> }>('GET', `/workspaces/${ws}/state/${current}`).then((r) => setCollections(r.collections), () => setCollections({}));
  }, [ws, current, version]);
  useEffect(() => {
    if (!open) return setRecords(null);
    sim<{ total: number; records: Json[] }>('GET', `/workspaces/${ws}/state/${current}/${open}?limit=50`).then(setRecords, () => setRecords(null));
  }, [ws, current, open, version]);
  // The columns a person looks for first (id, state ...), then the record's other plain fields.
  const columns = useMemo(() => {
    const scalar = new Set<string>();
    for (const r of records?.records ?? []) for (const k of Object.keys(r)) if (typeof r[k] !== 'object' || r[k] === null) scalar.add(k);
    const first = FIRST_COLUMNS.filter((c) => scalar.has(c));
    return [...first, ...[...scalar].filter((c) => !first.includes(c) && !c.startsWith('_'))].slice(0, 9);
  }, [records]);
  return (
    <section class="panel wide" data-testid="collections">
      <h2>
        Records{' '}
        <select value={current} onChange={(e) => (setApi((e.target as HTMLSelectElement).value), setOpen(''))}>
          {apis.map((a) => (
            <option key={a.id} value={a.id}>
              {a.id}
            </option>
          ))}
        </select>
      </h2>
      <div class="chips">
        {Object.entries(collections).map(([name, n]) => (
          <button key={name} class={name === open ? 'chip on' : 'chip'} data-testid={`collection-${name}`} onClick={() => setOpen(name === open ? '' : name)}>
            {name} <span class="count">{n}</span>
          </button>
        ))}
      </div>
      {records && (
        <div class="table-wrap">
          <div class="muted">
            {open}: {records.total} records{records.total > records.records.length ? ` (first ${records.records.length})` : ''}
          </div>
          <table data-testid="records">
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c}>{c}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {records.records.map((r, i) => {
                const key = String(r.id ?? i);
                return (
                  <Fragment key={key}>
                    <tr class="record" onClick={() => setShown(shown === key ? '' : key)}>
                      {columns.map((c) => (
                        <td key={c}>{r[c] === undefined || r[c] === null ? '' : String(r[c])}</td>
                      ))}
                    </tr>
                    {shown === key && (
                      <tr class="record-json">
                        <td colSpan={columns.length}>
                          <pre>{JSON.stringify(r, null, 2)}</pre>
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function pretty(text: unknown): string {
  if (typeof text !== 'string') return JSON.stringify(text, null, 2);
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function Timeline({ items, connected }: { items: Item[]; connected: boolean }) {
  const [filter, setFilter] = useState<'all' | 'request' | 'event'>('all');
  const shown = items.filter((i) => filter === 'all' || i.kind === filter);
  return (
    <section class="panel tall" data-testid="timeline">
      <h2>
        Timeline <span class={connected ? 'dot on' : 'dot'} title={connected ? 'live' : 'disconnected'} />
        <select value={filter} onChange={(e) => setFilter((e.target as HTMLSelectElement).value as typeof filter)}>
          <option value="all">requests and events</option>
          <option value="request">requests</option>
          <option value="event">events</option>
        </select>
      </h2>
      <ol class="timeline">
        {shown.map((i) => (
          <li key={i.key} class={`${i.kind} ${i.kind === 'request' && i.detail.status >= 400 ? 'bad' : ''}`} data-testid={`item-${i.kind}`}>
            <details>
              <summary>
                <span class="at">{i.at.slice(11, 23)}</span> <span class="tag">{i.kind === 'request' ? 'REQ' : 'EVT'}</span> {i.title}
              </summary>
              {i.kind === 'request' ? (
                <div class="bodies">
                  <div class="muted">
                    {i.detail.operationId} · {i.detail.requestId}
                    {i.detail.ms ? ` · +${i.detail.ms} ms scenario latency` : ''}
                    {i.detail.fault ? ` · fault: ${i.detail.fault}` : ''}
                  </div>
                  {i.detail.requestBody !== undefined && (
                    <>
                      <h4>request</h4>
                      <pre>{pretty(i.detail.requestBody)}</pre>
                    </>
                  )}
                  {i.detail.responseBody !== undefined && (
                    <>
                      <h4>response</h4>
                      <pre>{pretty(i.detail.responseBody)}</pre>
                    </>
                  )}
                </div>
              ) : (
                <pre>{pretty(i.detail.data)}</pre>
              )}
            </details>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** A new workspace for the demo: a scenario from scenarios/, a manual or running clock. */
function NewWorkspace({ onCreated }: { onCreated: (id: string) => void }) {
  const [scenarios, setScenarios] = useState<Array<{ name: string; description?: string }>>([]);
  const [id, setId] = useState('');
  const [scenario, setScenario] = useState('');
  const [mode, setMode] = useState<'manual' | 'realtime'>('manual');
  const [error, setError] = useState('');
  useEffect(() => {
    // Names, or {name, description} (both shapes the control API has had).
    sim<{ scenarios: Array<string | { name: string; description?: string }> }>('GET', '/scenarios').then(
      (r) => setScenarios(r.scenarios.map((x) => (typeof x === 'string' ? { name: x } : x))),
      () => setScenarios([]),
    );
  }, []);
  return (
    <form
      class="new-ws"
      data-testid="new-workspace"
      onSubmit={(e) => {
        e.preventDefault();
        const body: Json = { clock: { mode } };
        if (id) body.id = id;
        if (scenario) body.scenario = scenario;
        sim<{ id: string }>('POST', '/workspaces', body).then(
          (w) => (setError(''), setId(''), onCreated(w.id)),
          (err: Error) => setError(err.message),
        );
      }}
    >
      <input name="id" placeholder="new workspace id" value={id} onInput={(e) => setId((e.target as HTMLInputElement).value)} />
      <select name="scenario" value={scenario} onChange={(e) => setScenario((e.target as HTMLSelectElement).value)}>
        <option value="">no scenario</option>
        {scenarios.map((s) => (
          <option key={s.name} value={s.name} title={s.description}>
            {s.name}
          </option>
        ))}
      </select>
      <select name="mode" value={mode} onChange={(e) => setMode((e.target as HTMLSelectElement).value as 'manual' | 'realtime')}>
        <option value="manual">manual clock</option>
        <option value="realtime">running clock</option>
      </select>
      <button type="submit">Create</button>
      {error && <span class="error">{error}</span>}
    </form>
  );
}

function App() {
  const params = new URLSearchParams(location.search);
  const [ws, setWs] = useState(params.get('workspace') ?? 'default');
  const [workspaces, setWorkspaces] = useState<Json[]>([]);
  const [apis, setApis] = useState<Api[]>([]);
  const [version, setVersion] = useState(0);
  const pending = useRef<number | undefined>(undefined);
  // Panels read the control API again shortly after a burst of activity, not once per event.
  const onChange = useCallback(() => {
    if (pending.current !== undefined) return;
    pending.current = window.setTimeout(() => {
      pending.current = undefined;
      setVersion((n) => n + 1);
    }, 200);
  }, []);
  const { items, clock, connected } = useStream(ws, onChange);
  useEffect(() => {
    sim<{ apis: Api[] }>('GET', '/health').then((h) => setApis(h.apis));
  }, []);
  useEffect(() => {
    sim<{ workspaces: Json[] }>('GET', '/workspaces').then((r) => setWorkspaces(r.workspaces));
  }, [version, ws]);
  const info = workspaces.find((w) => w.id === ws);
  const choose = (id: string) => {
    const p = new URLSearchParams(location.search);
    p.set('workspace', id);
    history.replaceState(null, '', `?${p}`);
    setWs(id);
  };
  return (
    <>
      <header>
        <strong>commsim</strong>
        <label>
          workspace{' '}
          <select data-testid="workspace" value={ws} onChange={(e) => choose((e.target as HTMLSelectElement).value)}>
            {!workspaces.some((w) => w.id === ws) && <option value={ws}>{ws}</option>}
            {workspaces.map((w) => (
              <option key={w.id} value={w.id}>
                {w.id}
              </option>
            ))}
          </select>
        </label>
        <span data-testid="scenario">scenario: {info?.scenario ?? 'none'}</span>
        <span>seed: {info ? String(info.seed) : ''}</span>
        <span>pending events: {info?.pendingEvents ?? ''}</span>
        <NewWorkspace
          onCreated={(id) => {
            choose(id);
            setVersion((n) => n + 1);
          }}
        />
        <nav>
          {apis.map((a) => (
            <a key={a.id} href={`/_sim/docs/${a.id}?workspace=${encodeURIComponent(ws)}`}>
              {a.id} docs
            </a>
          ))}
        </nav>
      </header>
      <main>
        <div class="col">
          <ClockPanel ws={ws} clock={clock} />
          <CreditPanel ws={ws} apis={apis} version={version} />
          <InjectPanel ws={ws} />
        </div>
        <div class="col grow">
          <Timeline items={items} connected={connected} />
          <CollectionsPanel ws={ws} apis={apis} version={version} />
        </div>
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
