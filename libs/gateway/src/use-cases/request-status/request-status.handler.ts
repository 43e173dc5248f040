import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { CommandStatusRepository } from '../../commands/command-status.repository';
import { notFound } from '../../http/errors';
import { type RequestStatus, requestStatus, RequestStatusQuery } from './request-status.query';

@QueryHandler(RequestStatusQuery)
export class RequestStatusHandler implements IQueryHandler<RequestStatusQuery> {
  constructor(private readonly statuses: CommandStatusRepository) {}

  async execute({ commandId, viewerProfileId }: RequestStatusQuery): Promise<RequestStatus> {
    const row = commandId.length <= 64 ? await this.statuses.find(commandId) : undefined;
    if (!row) throw notFound(`Unknown command id ${commandId.slice(0, 64)}.`);
    return requestStatus(row, viewerProfileId);
  }
}
