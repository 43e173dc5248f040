import { Query } from '@nestjs/cqrs';
import { COMMAND_STATUS_CODE, COMMAND_SUCCEEDED_BODY } from '@platform/contracts';
import type { CommandStatusRow } from '../../commands/command-status.repository';

export interface RequestStatus {
  commandId: string;
  status: CommandStatusRow['status'];
  command_status: number;
  body: string;
  result?: unknown;
}

/** Anyone may poll a command id; `viewerProfileId` is the profile of the token presented, if any. */
export class RequestStatusQuery extends Query<RequestStatus> {
  constructor(
    readonly commandId: string,
    readonly viewerProfileId?: string,
  ) {
    super();
  }
}

const bodyOf = (row: CommandStatusRow): string =>
  row.status === 'succeeded' ? COMMAND_SUCCEEDED_BODY : row.status === 'rejected' ? (row.reason ?? 'rejected') : 'Command started';

/** The outcome (`result`) is shown only to the profile the command acted for. */
export const requestStatus = (row: CommandStatusRow, viewerProfileId: string | undefined): RequestStatus => ({
  commandId: row.commandId,
  status: row.status,
  command_status: COMMAND_STATUS_CODE[row.status],
  body: bodyOf(row),
  ...(viewerProfileId !== undefined && viewerProfileId === row.profileId && row.result !== null ? { result: row.result } : {}),
});
