// Seeded randomness: the corpus must come out byte-for-byte the same for the same seed, so nothing
// here may touch Math.random.

/** A source of uniform numbers in [0, 1). */
export type Rand = () => number;

/** mulberry32: tiny, fast and good enough for test data (not for cryptography). */
export function mulberry32(seed: number): Rand {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An independent stream per (seed, parts): a document's randomness must not depend on how many numbers earlier documents drew. */
export function derive(seed: number, ...parts: Array<number | string>): Rand {
  let h = 2166136261 ^ seed;
  for (const ch of parts.join("/")) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return mulberry32(h);
}

/** Integer in [min, max], both included. */
export const int = (rand: Rand, min: number, max: number): number => min + Math.floor(rand() * (max - min + 1));

export const float = (rand: Rand, min: number, max: number): number => min + rand() * (max - min);

export const chance = (rand: Rand, probability: number): boolean => rand() < probability;

export const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)];

/** `count` digits as text; the first is never 0 unless `leadingZero`. */
export function digits(rand: Rand, count: number, leadingZero = false): string {
  let out = leadingZero ? "" : String(int(rand, 1, 9));
  while (out.length < count) out += String(int(rand, 0, 9));
  return out;
}

/** Roughly normal (sum of three uniforms), mean 0, standard deviation 1. */
export const gaussian = (rand: Rand): number => (rand() + rand() + rand() - 1.5) * 2;
