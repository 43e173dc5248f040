import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { authorizationTokensStreamId, type CommandEnvelope, ErrorCodes, type RecordedEvent, type TokenCommand, type TokenEvent } from '@platform/contracts';
import { type PendingEvent, runParts, type StatementParts } from '@platform/event-store';
import { Projector } from '@platform/projector';
import { type BatchOutcome, CommandProcessor, PG_POOL, StreamStates } from '@platform/service-runtime';
import { authorizationTokensAggregate, type ProfileTokens } from '@platform/token-domain';
import { GATEWAY_SCHEMA } from '../gateway.options';
import { ApiError } from '../http/errors';
import { sha256 } from '../http/profile-auth';
import { ProfileTokenCache } from '../http/profile-token-cache';
import { GroupCommit } from '../commands/group-commit';
import { GrantCommands } from '../oauth/grant-commands';
import { authorizationTokensProjection, issuedTokensInsert } from '../read-models/authorization-tokens.projection';
import { eventKeyOf, InlineApplied } from '../read-models/inline-applied';
import { qrTokensProjection } from '../read-models/qr-tokens.projection';

export interface NewSecret {
  id: string;
  value: string;
  hash: string;
}

/** A secret the client now holds, and when it stops working. */
export interface IssuedSecret {
  value: string;
  expiresAt: string;
}

const MAX_PROJECTED_STREAMS = 10_000;
/** What a batch's transaction projected: the keys of the events applied, and each stream's version reached. */
interface Projected {
  applied: string[];
  projectedTo: Map<string, number>;
}

/** The read models of the authorization-tokens streams, applied in the deciding transaction. */
const INLINE_PROJECTIONS = [authorizationTokensProjection, qrTokensProjection];

/** Each stream's first and last version among `events`. */
const streamRanges = (events: readonly Pick<RecordedEvent, 'streamId' | 'version'>[]) => {
  const first = new Map<string, number>();
  const last = new Map<string, number>();
  for (const event of events) {
    if (!first.has(event.streamId)) first.set(event.streamId, event.version);
    last.set(event.streamId, Math.max(last.get(event.streamId) ?? 0, event.version));
  }
  return { first, last };
};

/**
 * The token context's authorization-token commands (issue, reauthorize, revoke, QR tokens), decided in
 * the gateway's process like the grant commands: the token service's decider on the `token` schema's
 * store (expected versions, the outbox in the same transaction, so Kafka and the token service see the
 * same facts), group-committed, and answered here with fresh ids (no processed-command row nor result
 * message: nothing redelivers or polls them). The gateway's token and QR read models are applied in
 * the same transaction, so a token returned is usable on every replica, and a token revoked is refused
 * everywhere (this replica forgets it before answering, the others on the projection's NOTIFY).
 *
 * The token service still appends to these streams itself (its password-change policy). Its events may
 * not be projected yet when this transaction appends after them, and the per-stream checkpoints must
 * not jump over them: they are read from the store and projected first, in the same transaction, and
 * every inline read model's checkpoint of the stream is then raised to its head.
 */
@Injectable()
export class TokenCommands {
  private readonly processor: CommandProcessor<TokenCommand, TokenEvent, ProfileTokens>;
  private readonly inlineProjections: Projector;
  private readonly batches = new GroupCommit((envelopes: CommandEnvelope<TokenCommand>[]) => this.commit(envelopes));
  /** Streams whose inline read models this replica brought up to a version (all events up to it projected). */
  private readonly projectedTo = new Map<string, number>();

  constructor(
    @Inject(PG_POOL) pool: Pool,
    @Inject(GATEWAY_SCHEMA) private readonly gatewaySchema: string,
    /** Its store is the token schema's, which it migrates. */
    private readonly grants: GrantCommands,
    private readonly inline: InlineApplied,
    private readonly profileTokens: ProfileTokenCache,
  ) {
    // A profile's stream grows by one event per sign-in: it is read from where this replica last decided it.
    this.processor = new CommandProcessor(grants.store, authorizationTokensAggregate, 5, new StreamStates());
    this.inlineProjections = new Projector(pool, gatewaySchema, INLINE_PROJECTIONS);
  }

  /** 256 random bits, URL-safe; only the SHA-256 hash ever leaves the gateway. */
  newSecret(): NewSecret {
    const value = randomBytes(32).toString('base64url');
    return { id: uuidv7(), value, hash: sha256(value) };
  }

  /** Decides and commits the command; resolves once its events (or its rejection) are committed and projected. */
  run(command: TokenCommand): Promise<BatchOutcome<TokenEvent>> {
    const commandId = uuidv7();
    const envelope: CommandEnvelope<TokenCommand> = {
      kind: 'command',
      context: 'token',
      streamId: authorizationTokensStreamId(command.profileId),
      command,
      metadata: { commandId, correlationId: commandId, causationId: commandId, actor: { profileId: command.profileId }, issuedAt: new Date().toISOString() },
    };
    return this.batches.submit(envelope);
  }

  /** Runs the command and insists it succeeded; a rejection becomes `status` with its reason. */
  async require(command: TokenCommand, status: HttpStatus, message: string): Promise<void> {
    const outcome = await this.run(command);
    if (outcome.status !== 'succeeded') throw new ApiError(status, outcome.reason ?? ErrorCodes.internal, message);
  }

  /** A new secret (authorization or QR token) living `ttlSeconds`: the command carries only its id and hash. */
  async issue(ttlSeconds: number, command: (secret: NewSecret, expiresAt: string) => TokenCommand, refused: { status: HttpStatus; message: string }): Promise<IssuedSecret> {
    const secret = this.newSecret();
    const expiresAt = new Date(Date.now() + ttlSeconds * 1000).toISOString();
    await this.require(command(secret, expiresAt), refused.status, refused.message);
    return { value: secret.value, expiresAt };
  }

  private async commit(envelopes: CommandEnvelope<TokenCommand>[]): Promise<BatchOutcome<TokenEvent>[]> {
    // What the committing attempt projected (there may be several: the last one counts).
    let projection: Projected = { applied: [], projectedTo: new Map() };
    let carried = false;
    const outcomes = await this.processor.processBatch(envelopes, {
      recordCommands: false,
      versionsFromStore: true,
      // The usual batch rides on the statement that writes its events (the whole batch in one statement).
      alongside: async (_client, events, params) => {
        const along = this.signInsAlong(events, params);
        carried = along !== undefined;
        if (along) projection = along.projected;
        return along?.parts;
      },
      inTransaction: async (client, events) => {
        if (!carried) projection = await this.project(client, events);
      },
    });
    // Only once committed: the bus's later delivery of these is skipped without a round trip.
    for (const key of projection.applied) this.inline.remember(key);
    this.projected(projection.projectedTo);
    // This replica forgets a revoked token before answering; the others on the projection's NOTIFY.
    for (const outcome of outcomes) for (const event of outcome.events) if (event.type === 'AuthorizationTokenRevoked') this.profileTokens.forget(event.tokenHash);
    return outcomes;
  }

  /**
   * The usual batch, sign-ins on streams this replica projected right up to them, as writes of the
   * statement that appends them: the token rows and the raised checkpoints. Anything else (another
   * event, a stream that may have a gap to catch up on) is left to `project`, in the transaction.
   */
  private signInsAlong(appended: readonly PendingEvent[], params: unknown[]): { parts: StatementParts; projected: Projected } | undefined {
    if (appended.length === 0 || !appended.every((event) => event.type === 'AuthorizationTokenIssued')) return undefined;
    const { first, last } = streamRanges(appended);
    if ([...first].some(([streamId, version]) => this.projectedTo.get(streamId) !== version - 1)) return undefined;
    return {
      parts: this.closingWrites(appended, last, params, true),
      projected: { applied: appended.map((event) => eventKeyOf(event.streamId, event.version)), projectedTo: last },
    };
  }

  /** The token rows of sign-ins (when `signInsOnly`) and every inline checkpoint of the appended streams raised to `last`. */
  private closingWrites(appended: readonly PendingEvent[], last: ReadonlyMap<string, number>, params: unknown[], signInsOnly: boolean): StatementParts {
    const checkpoints = [...last].flatMap(([streamId, version]) => INLINE_PROJECTIONS.map((projection) => [projection.name, streamId, version] as const));
    const checkpointsRaised = this.inlineProjections.raisedCheckpoints(checkpoints, params);
    return { writes: signInsOnly ? [issuedTokensInsert(this.gatewaySchema, appended, params), checkpointsRaised] : [checkpointsRaised], selects: [] };
  }

  /**
   * The inline read models, in the appending transaction: first what precedes the appended events in
   * their streams and is not projected yet (the lowest checkpoint of the inline read models bounds it),
   * then the appended events, then every inline checkpoint of those streams raised to what was appended.
   * Answers the keys of every event applied here and how far each stream is now projected.
   */
  private async project(client: PoolClient, appended: readonly RecordedEvent[]): Promise<Projected> {
    if (appended.length === 0) return { applied: [], projectedTo: new Map() };
    const { first, last } = streamRanges(appended);
    const names = INLINE_PROJECTIONS.map((projection) => projection.name);
    // A stream this replica last projected right up to the first appended event has no gap to look for.
    const unsure = [...first].filter(([streamId, version]) => this.projectedTo.get(streamId) !== version - 1);
    const { rows } = unsure.length === 0 ? { rows: [] } : await client.query(
      `SELECT e.* FROM unnest($1::text[], $2::int[]) AS f(stream_id, first_version)
         JOIN "${this.grants.store.schema}".events e ON e.stream_id = f.stream_id AND e.version < f.first_version
          AND e.version > (SELECT CASE WHEN count(*) = $4 THEN min(c.version) ELSE 0 END FROM "${this.gatewaySchema}".projection_checkpoints c
                            WHERE c.stream_id = f.stream_id AND c.projection = ANY($3::text[]))
        ORDER BY e.stream_id, e.version`,
      [unsure.map(([streamId]) => streamId), unsure.map(([, version]) => version), names, names.length],
    );
    const missed = rows.map((row) => this.grants.store.recordedOf(row));
    // Missed events may be half-applied (one read model's delivery came first): checkpoints decide.
    if (missed.length > 0) await this.inlineProjections.applyWithin(client, missed);
    // The appended events: nothing can have applied them yet; their checkpoints are raised below with the others.
    // Sign-ins only (the usual batch): their token rows are written by the checkpoints' statement.
    const onlyIssued = missed.length === 0 && appended.every((event) => event.type === 'AuthorizationTokenIssued');
    if (!onlyIssued) await this.inlineProjections.applyWithoutCheckpoints(client, appended);
    const params: unknown[] = [];
    await runParts(client, this.closingWrites(appended, last, params, onlyIssued), params);
    return { applied: [...missed, ...appended].map((event) => eventKeyOf(event.streamId, event.version)), projectedTo: last };
  }

  /** Once the batch committed: how far its streams are projected. */
  private projected(projectedTo: ReadonlyMap<string, number>): void {
    for (const [streamId, version] of projectedTo) {
      this.projectedTo.delete(streamId);
      if (this.projectedTo.size >= MAX_PROJECTED_STREAMS) this.projectedTo.delete(this.projectedTo.keys().next().value as string);
      this.projectedTo.set(streamId, version);
    }
  }
}
