// The virtual clock of a workspace. It is the only place that reads the host clock: every
// timestamp and every time-based transition in commsim goes through VirtualClock.now().

export type ClockMode = 'realtime' | 'manual';

export interface ClockState {
  mode: ClockMode;
  /** Virtual ms per real ms in realtime mode (1 = wall speed). */
  speed: number;
  /** Virtual time at the anchor. */
  anchorVirtual: number;
  /** Host time at the anchor (realtime mode only). */
  anchorReal: number;
}

export interface ClockView {
  now: string;
  mode: ClockMode;
  speed: number;
}

export type HostNow = () => number;

export const hostNow: HostNow = () => Date.now();

export class VirtualClock {
  private st: ClockState;
  /** While an event fires, now() answers the event's own timestamp. */
  private pinned: number | undefined;

  constructor(state: ClockState, private readonly host: HostNow = hostNow, private readonly onChange?: () => void) {
    this.st = { ...state };
  }

  /** Takes the state another instance committed (a fleet on a shared store). */
  adopt(state: ClockState): void {
    this.st = { ...state };
  }

  static initial(opts: { mode?: ClockMode; speed?: number; now?: number }, host: HostNow = hostNow): ClockState {
    const real = host();
    const mode = opts.mode ?? 'realtime';
    return {
      mode,
      speed: opts.speed ?? 1,
      anchorVirtual: opts.now ?? real,
      // A manual clock never reads host time: no host instant in its state (determinism of
      // snapshots); switching to realtime anchors it then.
      anchorReal: mode === 'manual' && opts.now !== undefined ? 0 : real,
    };
  }

  now(): number {
    if (this.pinned !== undefined) return this.pinned;
    return this.unpinnedNow();
  }

  private unpinnedNow(): number {
    if (this.st.mode === 'manual') return this.st.anchorVirtual;
    return Math.floor(this.st.anchorVirtual + (this.host() - this.st.anchorReal) * this.st.speed);
  }

  get mode(): ClockMode {
    return this.st.mode;
  }

  get speed(): number {
    return this.st.speed;
  }

  state(): ClockState {
    return { ...this.st };
  }

  view(): ClockView {
    return { now: new Date(this.now()).toISOString(), mode: this.st.mode, speed: this.st.speed };
  }

  /** Changes mode/speed/now; the virtual time is continuous unless `now` is given. */
  set(opts: { mode?: ClockMode; speed?: number; now?: number }): void {
    const current = this.unpinnedNow();
    const mode = opts.mode ?? this.st.mode;
    this.st = {
      mode,
      speed: opts.speed ?? this.st.speed,
      anchorVirtual: opts.now ?? current,
      anchorReal: mode === 'manual' ? 0 : this.host(),
    };
    this.onChange?.();
  }

  /** Moves a manual clock to `t` (never backwards); a realtime clock is re-anchored at `t`. */
  moveTo(t: number): void {
    const current = this.unpinnedNow();
    if (t < current) return;
    this.st = { ...this.st, anchorVirtual: t, anchorReal: this.st.mode === 'manual' ? 0 : this.host() };
    this.onChange?.();
  }

  /** Runs fn with now() pinned at t (an event firing at its own timestamp). */
  pinnedAt<T>(t: number, fn: () => T): T {
    const prev = this.pinned;
    this.pinned = t;
    try {
      return fn();
    } finally {
      this.pinned = prev;
    }
  }

  /** Host milliseconds until virtual time t is reached (realtime mode); Infinity when manual. */
  realDelayUntil(t: number): number {
    if (this.st.mode === 'manual') return Infinity;
    const delta = t - this.unpinnedNow();
    return delta <= 0 ? 0 : Math.ceil(delta / this.st.speed);
  }
}

/** Parses a timestamp input: ISO date-time (Z or offset), ISO date, or epoch ms (number or digits). */
export function parseTimestamp(input: unknown): number | undefined {
  if (typeof input === 'number' && Number.isFinite(input)) return Math.trunc(input);
  if (typeof input !== 'string') return undefined;
  const s = input.trim();
  if (/^-?\d{10,15}$/.test(s)) return Number(s);
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) {
    if (!isCalendarDate(s)) return undefined;
    const t = Date.parse(`${s}T00:00:00.000Z`);
    return Number.isNaN(t) ? undefined : t;
  }
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i.test(s) || !isCalendarDate(s)) return undefined;
  // A date-time without a zone is taken as UTC (the vendor documents UTC timestamps).
  const withZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(s) ? s : `${s}Z`;
  const t = Date.parse(withZone.replace(' ', 'T'));
  return Number.isNaN(t) ? undefined : t;
}

/** False for a day that does not exist (2026-02-30), which Date.parse would roll over into the next month. */
function isCalendarDate(s: string): boolean {
  const m = Number(s.slice(5, 7));
  const d = Number(s.slice(8, 10));
  const probe = new Date(Date.UTC(Number(s.slice(0, 4)), m - 1, d));
  return probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d;
}

export function iso(t: number): string {
  return new Date(t).toISOString();
}
