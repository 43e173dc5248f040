import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { CommandStatusRepository } from '../../commands/command-status.repository';
import { CommandWaiter } from '../../commands/command-waiter';
import { notFound } from '../../http/errors';
import { type RequestStatus, requestStatus, RequestStatusQuery } from './request-status.query';

@QueryHandler(RequestStatusQuery)
export class RequestStatusHandler implements IQueryHandler<RequestStatusQuery> {
  constructor(
    private readonly statuses: CommandStatusRepository,
    private readonly waiter: CommandWaiter,
  ) {}

  async execute({ commandId, viewerProfileId }: RequestStatusQuery): Promise<RequestStatus> {
    const row = commandId.length <= 64 ? await this.statuses.find(commandId) : undefined;
    if (!row) throw notFound(`Unknown command id ${commandId.slice(0, 64)}.`);
    // A follow-up request to this replica must see what the command changed (caches evicted by then).
    if (row.status !== 'started') await this.waiter.untilHeard(commandId);
    return requestStatus(row, viewerProfileId);
  }
}
