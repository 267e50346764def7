import { describe, expect, it } from 'vitest';
import { bucketBounds, fillBuckets, nextBoundary } from '../../src/core/time-buckets.js';
import { textPdf } from '../../src/core/pdf.js';

const t = (s: string) => Date.parse(s);

describe('time buckets', () => {
  it('cut a window at calendar boundaries, first and last partial', () => {
    const b = bucketBounds(t('2026-03-02T09:30:00Z'), t('2026-03-04T06:00:00Z'), 'day')!;
    expect(b.map((x) => [new Date(x.start).toISOString(), new Date(x.end).toISOString()])).toEqual([
      ['2026-03-02T09:30:00.000Z', '2026-03-03T00:00:00.000Z'],
      ['2026-03-03T00:00:00.000Z', '2026-03-04T00:00:00.000Z'],
      ['2026-03-04T00:00:00.000Z', '2026-03-04T06:00:00.000Z'],
    ]);
    expect(new Date(nextBoundary(t('2026-03-04T10:00:00Z'), 'week')).toISOString()).toBe('2026-03-09T00:00:00.000Z'); // a Wednesday -> Monday
    expect(new Date(nextBoundary(t('2026-03-09T00:00:00Z'), 'week')).toISOString()).toBe('2026-03-16T00:00:00.000Z');
    expect(new Date(nextBoundary(t('2026-12-31T23:00:00Z'), 'month')).toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(new Date(nextBoundary(t('2026-03-02T09:00:00Z'), 'hour')).toISOString()).toBe('2026-03-02T10:00:00.000Z');
    expect(bucketBounds(0, 10 * 3_600_000, 'hour', 5)).toBeNull();
    expect(bucketBounds(5, 5, 'hour')).toEqual([]);
  });

  it('sum (start, end] per bucket: the total is count(end) - count(start)', () => {
    const b = bucketBounds(t('2026-03-02T00:00:00Z'), t('2026-03-02T03:00:00Z'), 'hour')!;
    const items = ['2026-03-02T00:00:00Z', '2026-03-02T00:00:01Z', '2026-03-02T01:00:00Z', '2026-03-02T02:59:59Z', '2026-03-02T03:00:00Z', '2026-03-02T03:00:01Z'].map((s) => ({ at: t(s), k: 'n', v: 2 }));
    const sums = fillBuckets(b, items, (i) => i.at, (i) => i.k, (i) => i.v);
    expect(sums).toEqual([{ n: 4 }, {}, { n: 4 }]); // 01:00 closes the first bucket
  });
});

describe('text pdf', () => {
  it('is a PDF whose xref offsets point at its objects', () => {
    const bytes = textPdf('Facture (FA-1)', ['Ligne 1 – é', ...Array.from({ length: 60 }, (_, i) => `l${i}`)]);
    const s = Buffer.from(bytes).toString('latin1');
    expect(s.startsWith('%PDF-1.4')).toBe(true);
    expect(s.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(s).toContain('/Count 2');
    expect(s).toContain('(Facture \\(FA-1\\)) Tj');
    const startxref = Number(/startxref\n(\d+)/.exec(s)![1]);
    expect(s.slice(startxref, startxref + 4)).toBe('xref');
    const entries = s.slice(startxref).split('\n').filter((l) => / 00000 n $/.test(l)).map((l) => Number(l.slice(0, 10)));
    entries.forEach((off, i) => expect(s.slice(off, off + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`));
  });
});
