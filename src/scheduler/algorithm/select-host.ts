// Picks the node with the highest total score; ties are broken uniformly at random (upstream
// selectHost), with an injectable random source so tests are deterministic.

/** Returns an integer in [0, n). */
export type RandomInt = (n: number) => number;

export const defaultRandomInt: RandomInt = (n) => Math.floor(Math.random() * n);

/**
 * Index of the chosen node in `totals`. Reservoir sampling over the maxima: the k-th node found
 * with the current maximum replaces the choice with probability 1/k. `totals` must be non-empty.
 */
export function selectHost(totals: readonly number[], random: RandomInt = defaultRandomInt): number {
  let selected = 0;
  let max = totals[0]!;
  let count = 1;
  for (let i = 1; i < totals.length; i++) {
    const s = totals[i]!;
    if (s > max) {
      max = s;
      selected = i;
      count = 1;
    } else if (s === max) {
      count++;
      if (random(count) === 0) selected = i;
    }
  }
  return selected;
}
