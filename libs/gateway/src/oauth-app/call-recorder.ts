import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@platform/service-runtime';
import { GATEWAY_SCHEMA } from '../gateway.options';
import type { ApplicationCall } from '../http/caller';

interface CallRecord extends ApplicationCall {
  method: string;
  route: string;
  status: number;
  at: string;
}

const FLUSH_EVERY_MS = 200;

/**
 * Every gateway call made with an application's token (route, time, outcome), written in batches so
 * the hot path never waits on the audit log. Reads of usage and audit flush first.
 */
@Injectable()
export class CallRecorder implements OnApplicationShutdown {
  private readonly logger = new Logger('CallRecorder');
  private pending: CallRecord[] = [];
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(GATEWAY_SCHEMA) private readonly schema: string,
  ) {}

  record(call: CallRecord): void {
    this.pending.push(call);
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_EVERY_MS);
  }

  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    this.writing = this.writing.then(() => (batch.length > 0 ? this.write(batch) : undefined));
    await this.writing;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  private async write(batch: CallRecord[]): Promise<void> {
    try {
      await this.pool.query(
        `INSERT INTO "${this.schema}".application_calls (application_id, at, entry)
         SELECT c->>'applicationId', (c->>'at')::timestamptz, c - 'applicationId' FROM jsonb_array_elements($1::jsonb) AS c`,
        [JSON.stringify(batch.map((call) => ({ ...call, kind: 'call' })))],
      );
    } catch (error) {
      this.logger.error(`lost ${batch.length} audit records: ${(error as Error).message}`);
    }
  }
}
