import { Controller, Get, Inject, Injectable, Optional } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { Pool } from 'pg';
import { MESSAGE_BUS, type MessageBus, withTimeout } from '@platform/messaging';
import type { PostgresFailedMessageStore } from '../failed-messages';
import { ShutdownState } from './shutdown';
import { FAILED_MESSAGES, PG_POOL } from './tokens';

@Injectable()
export class InfrastructureHealth {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Optional() private readonly shutdown?: ShutdownState,
  ) {}

  async postgres() {
    const indicator = this.indicators.check('postgres');
    try {
      await withTimeout(this.pool.query('SELECT 1'), 2000);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }

  async messaging() {
    const indicator = this.indicators.check('messaging');
    const health = await withTimeout(this.bus.health(), 3000).catch((error: Error) => ({ up: false, detail: error.message }));
    return health.up ? indicator.up({ detail: health.detail }) : indicator.down({ message: health.detail });
  }

  /** Every subscription of this process has joined its group and is consuming (none joining, restarting or crashed). */
  consumers() {
    const indicator = this.indicators.check('consumers');
    const consumers = this.bus.consumerStates?.() ?? [];
    const notRunning = consumers.filter((consumer) => consumer.state !== 'running');
    const groups = consumers.map(({ groupId, state }) => ({ groupId, state }));
    return notRunning.length === 0 ? indicator.up({ groups }) : indicator.down({ message: `${notRunning.map((c) => `${c.groupId} ${c.state}`).join(', ')}`, groups });
  }

  lifecycle() {
    const indicator = this.indicators.check('lifecycle');
    return this.shutdown?.draining ? indicator.down({ message: 'shutting down' }) : indicator.up();
  }
}

/** Parked messages do not make the service unhealthy (it keeps consuming); the count tells an operator to look. */
@Injectable()
export class FailedMessagesHealth {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(FAILED_MESSAGES) private readonly failures: PostgresFailedMessageStore,
  ) {}

  async check() {
    const indicator = this.indicators.check('failedMessages');
    const pending = await withTimeout(this.failures.pendingCount(), 2000).catch(() => undefined);
    return indicator.up(pending === undefined ? { pending: 'unknown' } : { pending });
  }
}

/**
 * `/health` (PostgreSQL and messaging; the original contract), `/health/live` (the process answers: restart it
 * when it does not) and `/health/ready` (send it traffic: not shutting down, dependencies reachable, consumers running).
 */
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly checks: InfrastructureHealth,
    @Optional() private readonly failedMessages?: FailedMessagesHealth,
  ) {}

  @Get('health')
  @HealthCheck()
  check() {
    const failed = this.failedMessages;
    return this.health.check([() => this.checks.postgres(), () => this.checks.messaging(), ...(failed ? [() => failed.check()] : [])]);
  }

  @Get('health/live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get('health/ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.checks.lifecycle(),
      () => this.checks.postgres(),
      () => this.checks.messaging(),
      () => this.checks.consumers(),
    ]);
  }
}
