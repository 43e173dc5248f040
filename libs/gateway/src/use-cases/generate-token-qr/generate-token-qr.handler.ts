import { HttpStatus, Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { PlatformConfig } from '@platform/config';
import { PLATFORM_CONFIG } from '@platform/service-runtime';
import { type IssuedSecret, TokenCommands } from '../../profile/token-commands';
import { GenerateTokenQrCommand } from './generate-token-qr.command';

@CommandHandler(GenerateTokenQrCommand)
export class GenerateTokenQrHandler implements ICommandHandler<GenerateTokenQrCommand> {
  constructor(
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    private readonly tokens: TokenCommands,
  ) {}

  execute({ principal }: GenerateTokenQrCommand): Promise<IssuedSecret> {
    return this.tokens.issue(
      this.config.qrTokenTtlSeconds,
      (qr, expiresAt) => ({ type: 'IssueQrToken', profileId: principal.profileId, authorizationTokenId: principal.tokenId, qrTokenId: qr.id, qrTokenHash: qr.hash, expiresAt }),
      { status: HttpStatus.SERVICE_UNAVAILABLE, message: 'The QR token could not be issued; try again.' },
    );
  }
}
