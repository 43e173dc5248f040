/** ISO 8601 with an explicit offset, as Privicore clients expect: `2026-02-21T15:33:44+00:00`. */
export const isoWithOffset = (date: Date | string): string =>
  new Date(date).toISOString().replace(/\.\d{3}Z$/, '+00:00');
