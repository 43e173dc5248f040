/**
 * PostgreSQL `text` cannot hold NUL and `jsonb` refuses lone UTF-16 surrogates: a string with either
 * would fail in a query (500), so every value decoded from a request is checked here first.
 */
export const isStorableText = (value: string): boolean => !value.includes('\u0000') && (value as WellFormedCheckable).isWellFormed();

/** ES2024 `String.prototype.isWellFormed` (Node ≥ 20), beyond the ES2023 lib this workspace compiles against. */
type WellFormedCheckable = string & { isWellFormed(): boolean };

/**
 * The path (`body.items.0`) of the first string or key in `value` that is not storable, walked
 * iteratively so that no shape of input can exhaust the stack; undefined when everything is storable.
 */
export function unstorableTextAt(value: unknown, root: string): string | undefined {
  if (allStorable(value)) return undefined;
  const pending: [unknown, string][] = [[value, root]];
  while (pending.length > 0) {
    const [item, path] = pending.pop()!;
    if (typeof item === 'string') {
      if (!isStorableText(item)) return path;
    } else if (typeof item === 'object' && item !== null && !Buffer.isBuffer(item)) {
      for (const [key, child] of Object.entries(item)) {
        if (!isStorableText(key)) return path;
        pending.push([child, `${path}.${key}`]);
      }
    }
  }
  return undefined;
}

/** The common case, checked without building a path per value: everything storable. */
function allStorable(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === 'string') {
      if (!isStorableText(item)) return false;
    } else if (typeof item === 'object' && item !== null && !Buffer.isBuffer(item)) {
      for (const key in item) {
        if (!Object.hasOwn(item, key)) continue;
        if (!isStorableText(key)) return false;
        pending.push((item as Record<string, unknown>)[key]);
      }
    }
  }
  return true;
}
