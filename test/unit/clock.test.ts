import { describe, expect, it, vi } from 'vitest';
import { hostNow, iso, parseTimestamp, VirtualClock } from '../../src/core/clock.js';

const T = Date.parse('2026-01-05T12:00:00Z');

/** A host clock the test moves by hand. */
function host(start = 1_000_000) {
  let t = start;
  const fn = () => t;
  return { fn, tick: (ms: number) => (t += ms) };
}

describe('VirtualClock', () => {
  it('initial() anchors at the host time unless given now, realtime at speed 1 by default', () => {
    const h = host(5000);
    expect(VirtualClock.initial({}, h.fn)).toEqual({ mode: 'realtime', speed: 1, anchorVirtual: 5000, anchorReal: 5000 });
    expect(VirtualClock.initial({ mode: 'manual', speed: 3, now: T }, h.fn)).toEqual({ mode: 'manual', speed: 3, anchorVirtual: T, anchorReal: 0 }); // no host time in a manual clock
  });

  it('manual mode stands still while the host clock moves', () => {
    const h = host();
    const c = new VirtualClock(VirtualClock.initial({ mode: 'manual', now: T }, h.fn), h.fn);
    h.tick(60_000);
    expect(c.now()).toBe(T);
    expect(c.mode).toBe('manual');
    expect(c.realDelayUntil(T + 1)).toBe(Infinity);
  });

  it('realtime mode follows the host clock, scaled by speed', () => {
    const h = host();
    const c = new VirtualClock(VirtualClock.initial({ mode: 'realtime', speed: 10, now: T }, h.fn), h.fn);
    h.tick(1500);
    expect(c.now()).toBe(T + 15_000);
    expect(c.speed).toBe(10);
    // 1 s of virtual time ahead = 100 ms of host time at speed 10 (rounded up).
    expect(c.realDelayUntil(T + 16_000)).toBe(100);
    expect(c.realDelayUntil(T + 15_001)).toBe(1);
    expect(c.realDelayUntil(T)).toBe(0);
  });

  it('floors fractional virtual ms at slow speeds', () => {
    const h = host();
    const c = new VirtualClock(VirtualClock.initial({ mode: 'realtime', speed: 0.5, now: T }, h.fn), h.fn);
    h.tick(3);
    expect(c.now()).toBe(T + 1);
  });

  it('set() keeps virtual time continuous across mode and speed changes', () => {
    const h = host();
    const onChange = vi.fn();
    const c = new VirtualClock(VirtualClock.initial({ mode: 'realtime', speed: 2, now: T }, h.fn), h.fn, onChange);
    h.tick(1000);
    c.set({ mode: 'manual' });
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(c.now()).toBe(T + 2000);
    h.tick(1000);
    expect(c.now()).toBe(T + 2000);
    c.set({ mode: 'realtime', speed: 1 });
    h.tick(250);
    expect(c.now()).toBe(T + 2250);
    c.set({ now: T + 10 });
    expect(c.now()).toBe(T + 10);
    expect(c.state()).toEqual({ mode: 'realtime', speed: 1, anchorVirtual: T + 10, anchorReal: h.fn() });
    expect(onChange).toHaveBeenCalledTimes(3);
  });

  it('moveTo() only moves forward', () => {
    const h = host();
    const onChange = vi.fn();
    const c = new VirtualClock(VirtualClock.initial({ mode: 'manual', now: T }, h.fn), h.fn, onChange);
    c.moveTo(T - 1);
    expect(c.now()).toBe(T);
    expect(onChange).not.toHaveBeenCalled();
    c.moveTo(T + 500);
    expect(c.now()).toBe(T + 500);
    expect(onChange).toHaveBeenCalledTimes(1);
  });

  it('moveTo() re-anchors a realtime clock at the target', () => {
    const h = host();
    const c = new VirtualClock(VirtualClock.initial({ mode: 'realtime', now: T }, h.fn), h.fn);
    c.moveTo(T + 60_000);
    expect(c.now()).toBe(T + 60_000);
    h.tick(10);
    expect(c.now()).toBe(T + 60_010);
  });

  it('pinnedAt() answers the pinned time, nests, and unpins after a throw', () => {
    const h = host();
    const c = new VirtualClock(VirtualClock.initial({ mode: 'realtime', now: T }, h.fn), h.fn);
    const seen = c.pinnedAt(T - 5, () => {
      h.tick(1000);
      const inner = c.pinnedAt(T + 7, () => c.now());
      return [c.now(), inner];
    });
    expect(seen).toEqual([T - 5, T + 7]);
    expect(() => c.pinnedAt(1, () => {
      throw new Error('x');
    })).toThrow('x');
    expect(c.now()).toBe(T + 1000);
    // set() and moveTo() work on the real time, not the pinned one.
    c.pinnedAt(0, () => c.moveTo(T + 2000));
    expect(c.now()).toBe(T + 2000);
  });

  it('view() shows ISO time, mode and speed; state() is a copy', () => {
    const h = host();
    const c = new VirtualClock({ mode: 'manual', speed: 4, anchorVirtual: T, anchorReal: 0 }, h.fn);
    expect(c.view()).toEqual({ now: '2026-01-05T12:00:00.000Z', mode: 'manual', speed: 4 });
    const st = c.state();
    st.anchorVirtual = 0;
    expect(c.now()).toBe(T);
  });

  it('the default host clock is Date.now', () => {
    vi.useFakeTimers({ now: T, toFake: ['Date'] });
    try {
      expect(hostNow()).toBe(T);
      const c = new VirtualClock(VirtualClock.initial({}));
      expect(c.now()).toBe(T);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('parseTimestamp', () => {
  it('accepts epoch ms as a number or digits', () => {
    expect(parseTimestamp(T)).toBe(T);
    expect(parseTimestamp(T + 0.9)).toBe(T);
    expect(parseTimestamp(String(T))).toBe(T);
    expect(parseTimestamp(` ${T} `)).toBe(T);
  });

  it('accepts ISO date-times with Z, an offset, or no zone (UTC)', () => {
    expect(parseTimestamp('2026-01-05T12:00:00Z')).toBe(T);
    expect(parseTimestamp('2026-01-05T12:00:00z')).toBe(T);
    expect(parseTimestamp('2026-01-05T14:00:00+02:00')).toBe(T);
    expect(parseTimestamp('2026-01-05T14:00:00+0200')).toBe(T);
    expect(parseTimestamp('2026-01-05T07:00:00-05:00')).toBe(T);
    expect(parseTimestamp('2026-01-05T12:00:00')).toBe(T);
    expect(parseTimestamp('2026-01-05 12:00')).toBe(T);
    expect(parseTimestamp('2026-01-05T12:00:00.250Z')).toBe(T + 250);
  });

  it('accepts an ISO date as midnight UTC', () => {
    expect(parseTimestamp('2026-01-05')).toBe(Date.parse('2026-01-05T00:00:00Z'));
  });

  it('rejects anything else', () => {
    for (const bad of [undefined, null, NaN, Infinity, {}, [], true, '', 'soon', '12345', '2026-1-5', '2026-01-05T12', '2026-13-40T00:00:00Z', '2026-01-05T25:00:00Z']) {
      expect(parseTimestamp(bad), String(bad)).toBeUndefined();
    }
  });

  it('rejects days that do not exist instead of rolling them into the next month', () => {
    expect(parseTimestamp('2026-02-30')).toBeUndefined();
    expect(parseTimestamp('2026-02-29T10:00:00Z')).toBeUndefined();
    expect(parseTimestamp('2026-04-31 08:00')).toBeUndefined();
    expect(parseTimestamp('2026-00-10')).toBeUndefined();
    expect(parseTimestamp('2028-02-29T10:00:00Z')).toBe(Date.parse('2028-02-29T10:00:00Z'));
    expect(parseTimestamp('2026-12-31')).toBe(Date.parse('2026-12-31T00:00:00Z'));
  });

  it('iso() writes ISO 8601 UTC', () => {
    expect(iso(T)).toBe('2026-01-05T12:00:00.000Z');
  });
});
