// Seeded pseudo-random numbers. Every random choice in a workspace (ids, outcomes, faker data)
// comes from its Rng, whose state is persisted, so the same seed + requests replay identically,
// across restarts too.

/** sfc32 state: four 32-bit words. */
export type RngState = [number, number, number, number];

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const HEX = '0123456789abcdef';

/** Hashes any seed (number or string) into an sfc32 state (cyrb128). */
export function seedState(seed: number | string): RngState {
  const str = String(seed);
  let h1 = 1779033703, h2 = 3144134277, h3 = 1013904242, h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  return [(h1 ^ h2 ^ h3 ^ h4) >>> 0, (h2 ^ h1) >>> 0, (h3 ^ h1) >>> 0, (h4 ^ h1) >>> 0];
}

export class Rng {
  private s: RngState;

  /**
   * The state array is used by reference, so it can live in the workspace document as is;
   * `beforeChange` lets a transaction keep a copy before a draw changes it.
   */
  constructor(state: RngState, private readonly onChange?: () => void, private readonly beforeChange?: () => void) {
    this.s = state;
  }

  static fromSeed(seed: number | string, onChange?: () => void): Rng {
    return new Rng(seedState(seed), onChange);
  }

  /** Takes the state array another instance committed (a fleet on a shared store). */
  adopt(state: RngState): void {
    this.s = state;
  }

  /** The live state array. */
  get stateRef(): RngState {
    return this.s;
  }

  /** Next 32-bit unsigned integer (sfc32). */
  uint32(): number {
    this.beforeChange?.();
    const t = this.step();
    this.onChange?.();
    return t;
  }

  /** One sfc32 step, without notifying (callers notify once per batch). */
  private step(): number {
    const st = this.s;
    let a = st[0] >>> 0;
    let b = st[1] >>> 0;
    let c = st[2] >>> 0;
    let d = st[3] >>> 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    const s = this.s;
    s[0] = a >>> 0;
    s[1] = b >>> 0;
    s[2] = c >>> 0;
    s[3] = d >>> 0;
    return t >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** `len` characters drawn from `alphabet` (one state change notified for the batch). */
  chars(alphabet: string, len: number): string {
    this.beforeChange?.();
    const n = alphabet.length;
    // Char codes into one flat string: `+=` per character builds a rope, which every Map
    // lookup of the id would flatten and hash again.
    const codes = new Array<number>(len);
    for (let i = 0; i < len; i++) codes[i] = alphabet.charCodeAt(this.step() % n);
    this.onChange?.();
    if (len <= 4096) return String.fromCharCode.apply(null, codes);
    // An argument list has a size limit: long strings go in chunks.
    let out = '';
    for (let i = 0; i < len; i += 4096) out += String.fromCharCode.apply(null, codes.slice(i, i + 4096));
    return out;
  }

  /** URL-safe base64 id, the shape of real SCG ids (22 chars = 132 bits). */
  base64url(len = 22): string {
    return this.chars(B64URL, len);
  }

  hex(len: number): string {
    return this.chars(HEX, len);
  }

  digits(len: number): string {
    return this.chars('0123456789', len);
  }
}
