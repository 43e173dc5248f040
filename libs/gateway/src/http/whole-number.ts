/**
 * `@Transform(wholeNumber)`: a count of seconds sent as a form or query string of decimal digits becomes
 * that number; anything else stays as sent, for `@IsInt` to refuse. `@Type(() => Number)` read `''` as 0,
 * `true` as 1, `'0x10'` as 16 and `'1e5'` as 100,000, so an empty grace period cut the old secret off at once.
 */
export const wholeNumber = ({ value }: { value: unknown }): unknown => (typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value);
