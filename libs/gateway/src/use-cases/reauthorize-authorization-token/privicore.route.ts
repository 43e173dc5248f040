import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { CallerGuard } from '../../http/caller';
import { Principal, type ProfilePrincipal } from '../../http/profile-auth';
import { isoWithOffset } from '../../http/time';
import { MAX_TTL_SECONDS, MIN_TTL_SECONDS, ReauthorizeAuthorizationTokenCommand } from './reauthorize-authorization-token.command';
import { wholeNumber } from '../../http/whole-number';

export class ReauthorizeDto {
  @ApiProperty({ minimum: MIN_TTL_SECONDS, maximum: MAX_TTL_SECONDS, description: 'Lifetime of the new token, in seconds.' })
  @Transform(wholeNumber)
  @IsInt()
  @Min(MIN_TTL_SECONDS)
  @Max(MAX_TTL_SECONDS)
  ttl!: number;
}

@ApiTags('profile')
@ApiHeader({ name: 'X-DPT-AUTHORIZATION', required: true })
@Controller('profile')
@UseGuards(CallerGuard)
export class ReauthorizeAuthorizationTokenRoute {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('reauthorize-authorization-token')
  @HttpCode(200)
  @ApiOkResponse({ description: '`{"authorizationToken","expiresAt"}`; the presented token stops working' })
  async reauthorize(@Principal() principal: ProfilePrincipal, @Body() body: ReauthorizeDto) {
    const token = await this.commandBus.execute(new ReauthorizeAuthorizationTokenCommand(principal, body.ttl));
    return { authorizationToken: token.value, expiresAt: isoWithOffset(token.expiresAt) };
  }
}
