const quoted = (schema: string): string => {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  return `"${schema}"`;
};

export const qualified = (schema: string, table: string): string => `${quoted(schema)}.${table}`;

/** The outbox alone: what a writer that is not an event store (the gateway's dispatcher) publishes through. */
export const outboxDdl = (schema: string): string => `
CREATE SCHEMA IF NOT EXISTS ${quoted(schema)};
CREATE TABLE IF NOT EXISTS ${qualified(schema, 'outbox')} (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  topic text NOT NULL,
  message_key text NOT NULL,
  payload jsonb NOT NULL,
  headers jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);
`;

/** Idempotent DDL of one context's store. `transaction_id` orders events in commit-safe order. */
export const eventStoreDdl = (schema: string): string => `
CREATE SCHEMA IF NOT EXISTS ${quoted(schema)};
CREATE TABLE IF NOT EXISTS ${qualified(schema, 'events')} (
  stream_id text NOT NULL,
  version integer NOT NULL CHECK (version > 0),
  stream_type text NOT NULL,
  global_position bigint GENERATED ALWAYS AS IDENTITY,
  transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  event_type text NOT NULL,
  schema_version integer NOT NULL,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (stream_id, version)
);
CREATE UNIQUE INDEX IF NOT EXISTS events_commit_order ON ${qualified(schema, 'events')} (transaction_id, global_position);
CREATE TABLE IF NOT EXISTS ${qualified(schema, 'unique_claims')} (
  claim_scope text NOT NULL,
  claim_value text NOT NULL,
  stream_id text NOT NULL,
  claimed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (claim_scope, claim_value)
);
CREATE TABLE IF NOT EXISTS ${qualified(schema, 'processed_commands')} (
  command_id text PRIMARY KEY,
  command_type text NOT NULL,
  stream_id text NOT NULL,
  status text NOT NULL,
  reason text,
  result jsonb,
  processed_at timestamptz NOT NULL DEFAULT now()
);
${outboxDdl(schema)}
`;

export const outboxChannel = (schema: string): string => `outbox_${schema}`;
