import { Body, Controller, HttpCode, Param, Post, Query, UseFilters, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { CLIENT_SECRET_GRACE_SECONDS } from '@platform/contracts';
import { Access, actorOf, type Caller, CallerGuard, CurrentCaller } from '../../http/caller';
import { EnvelopeErrorFilter } from '../../http/envelope-error.filter';
import { RotateSecretCommand } from './rotate-secret.command';
import { GraceSecondsDto } from './rotate-secret.dto';

@ApiTags('o/apps')
@ApiBearerAuth()
@Controller('o/apps')
@UseGuards(CallerGuard)
@UseFilters(EnvelopeErrorFilter)
export class OAppsRotateSecretRoute {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/secret')
  @HttpCode(201)
  @Access({ scope: 'oauth-app:write' })
  @ApiCreatedResponse({ description: '`{"client_secret","previous_secret_expires_at"}`: the previous secret authenticates until then (null: not at all)' })
  async rotate(@CurrentCaller() caller: Caller, @Param('id') id: string, @Query() query: GraceSecondsDto, @Body() body: GraceSecondsDto) {
    const graceSeconds = body.grace_seconds ?? query.grace_seconds ?? CLIENT_SECRET_GRACE_SECONDS.default;
    const rotated = await this.commandBus.execute(new RotateSecretCommand(id, caller.profileId, actorOf(caller), graceSeconds));
    return { client_secret: rotated.clientSecret, previous_secret_expires_at: rotated.previousSecretExpiresAt };
  }
}
