import { csvChunks, formatCents, formatTimestamp } from '../../src/generate/csv-stream';
import { beta, gamma, poisson } from '../../src/generate/distributions';
import { Rng } from '../../src/generate/prng';

describe('Rng', () => {
  it('gives the same stream for the same keys and different streams for different keys', () => {
    const draw = (rng: Rng) => Array.from({ length: 5 }, () => rng.nextU32());
    expect(draw(new Rng(42, 1, 7))).toEqual(draw(new Rng(42, 1, 7)));
    expect(draw(new Rng(42, 1, 7))).not.toEqual(draw(new Rng(42, 1, 8)));
    expect(draw(new Rng(42, 1, 7))).not.toEqual(draw(new Rng(43, 1, 7)));
    // Seeds beyond 32 bits are distinguished too.
    expect(draw(new Rng(2 ** 40))).not.toEqual(draw(new Rng(2 ** 41)));
    // Pinned values: the data of every seed depends on them.
    expect(draw(new Rng(42))).toMatchSnapshot();
  });

  it('is uniform in (0, 1)', () => {
    const rng = new Rng(1);
    let sum = 0;
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = rng.next();
      if (!(u > 0 && u < 1)) outside++;
      sum += u;
    }
    expect(outside).toBe(0);
    expect(sum / 100_000).toBeCloseTo(0.5, 2);
  });
});

describe('distributions', () => {
  const moments = (n: number, sample: () => number) => {
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const x = sample();
      s += x;
      s2 += x * x;
    }
    return { mean: s / n, variance: s2 / n - (s / n) ** 2 };
  };

  it.each([
    [0.3, 2],
    [0.75, 1 / 60],
    [6, 10],
  ])('gamma(shape %p, scale %p) has mean shape*scale and variance shape*scale^2', (shape, scale) => {
    const rng = new Rng(3);
    const m = moments(100_000, () => gamma(rng, shape, scale));
    expect(m.mean / (shape * scale)).toBeCloseTo(1, 1);
    expect(m.variance / (shape * scale * scale)).toBeCloseTo(1, 1);
  });

  it('beta and poisson have their means', () => {
    const rng = new Rng(4);
    expect(moments(100_000, () => beta(rng, 0.8, 2.5)).mean).toBeCloseTo(0.8 / 3.3, 2);
    expect(moments(100_000, () => poisson(rng, 2.5)).mean).toBeCloseTo(2.5, 1);
  });
});

describe('csv-stream', () => {
  it('formats timestamps and cents as both databases read them', () => {
    expect(formatTimestamp(Date.UTC(2025, 1, 28, 23, 59, 7) / 1000)).toBe('2025-02-28 23:59:07+00');
    expect(formatTimestamp(0)).toBe('1970-01-01 00:00:00+00');
    expect(formatCents(0)).toBe('0.00');
    expect(formatCents(5)).toBe('0.05');
    expect(formatCents(123456)).toBe('1234.56');
  });

  it('streams every line once, in order, in bounded chunks, and surfaces a failure', async () => {
    function* lines(n: number, failAt = -1) {
      for (let i = 0; i < n; i++) {
        if (i === failAt) throw new Error('boom');
        yield `${i},${'x'.repeat(50)}\n`;
      }
    }
    let text = '';
    let chunks = 0;
    for await (const chunk of csvChunks(lines(20_000))) {
      expect(chunk.length).toBeLessThan(140 * 1024);
      text += chunk.toString('utf8');
      chunks++;
    }
    expect(chunks).toBeGreaterThan(5);
    expect(text).toBe([...lines(20_000)].join(''));
    const failing = (async () => {
      for await (const _ of csvChunks(lines(20_000, 15_000))) void _;
    })();
    await expect(failing).rejects.toThrow('boom');
  });
});
