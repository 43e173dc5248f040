export class WrongExpectedVersionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number | undefined,
  ) {
    super(`stream ${streamId}: expected version ${expectedVersion}, found ${actualVersion ?? 'a concurrent append'}`);
    this.name = 'WrongExpectedVersionError';
  }
}

export class UniqueClaimConflictError extends Error {
  constructor(
    readonly scope: string,
    readonly rejectionReason: string,
  ) {
    super(`unique claim already taken in ${scope}`);
    this.name = 'UniqueClaimConflictError';
  }
}

export class CommandAlreadyProcessedError extends Error {
  constructor(readonly commandId: string) {
    super(`command ${commandId} was already processed`);
    this.name = 'CommandAlreadyProcessedError';
  }
}
