// Money and units: amounts are kept to 6 decimals so repeated small charges do not drift, and
// shown to 4 in messages.

export function roundAmount(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/** An amount as written in an error message. */
export function displayAmount(n: number): number {
  return Math.round(n * 1e4) / 1e4;
}
