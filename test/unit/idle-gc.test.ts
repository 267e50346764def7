import { afterEach, describe, expect, it, vi } from 'vitest';

const gc = vi.fn();
const setFlags = vi.fn();
vi.mock('node:v8', () => ({ default: { setFlagsFromString: (f: string) => setFlags(f) } }));
vi.mock('node:vm', () => ({ default: { runInNewContext: (code: string) => (code === 'gc' ? gc : undefined) } }));

const { startIdleGc } = await import('../../src/core/idle-gc.js');

afterEach(() => {
  vi.useRealTimers();
  gc.mockReset();
  setFlags.mockReset();
});

describe('startIdleGc', () => {
  it('collects twice once requests stop for idleMs after a burst, once per burst', () => {
    vi.useFakeTimers({ now: 0, toFake: ['setInterval', 'clearInterval', 'Date'] });
    let served = 0;
    const idle = startIdleGc(() => served, 1000)!;
    expect(setFlags).toHaveBeenCalledWith('--expose-gc');
    vi.advanceTimersByTime(5000);
    expect(gc).not.toHaveBeenCalled(); // no burst yet
    served = 10;
    vi.advanceTimersByTime(250); // activity seen
    served = 20;
    vi.advanceTimersByTime(250); // still busy
    vi.advanceTimersByTime(750);
    expect(gc).not.toHaveBeenCalled(); // quiet for 750 ms only
    vi.advanceTimersByTime(250);
    expect(gc).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(10_000);
    expect(gc).toHaveBeenCalledTimes(2); // once per burst
    served = 21;
    vi.advanceTimersByTime(1500);
    expect(gc).toHaveBeenCalledTimes(4);
    idle.stop();
    served = 30;
    vi.advanceTimersByTime(10_000);
    expect(gc).toHaveBeenCalledTimes(4);
  });

  it('checks at least every 100 ms', () => {
    vi.useFakeTimers({ now: 0, toFake: ['setInterval', 'clearInterval', 'Date'] });
    let served = 0;
    const idle = startIdleGc(() => served, 200)!;
    served = 1;
    vi.advanceTimersByTime(100); // first check: activity
    vi.advanceTimersByTime(199);
    expect(gc).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1); // quiet for 200 ms, seen at the 100 ms tick
    expect(gc).toHaveBeenCalledTimes(2);
    idle.stop();
  });

  it('does nothing when the runtime refuses to expose gc', () => {
    setFlags.mockImplementation(() => {
      throw new Error('not allowed');
    });
    expect(startIdleGc(() => 0)).toBeUndefined();
  });
});
