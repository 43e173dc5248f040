const quoted = (schema: string): string => {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  return `"${schema}"`;
};

export const qualified = (schema: string, table: string): string => `${quoted(schema)}.${table}`;

export const outboxChannel = (schema: string): string => `outbox_${schema}`;
