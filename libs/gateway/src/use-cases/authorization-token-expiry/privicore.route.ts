import { Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CallerGuard } from '../../http/caller';
import { Principal, type ProfilePrincipal } from '../../http/profile-auth';
import { isoWithOffset } from '../../http/time';

/** No handler: the guard has already read the token, and its expiry is all there is to answer. */
@ApiTags('profile')
@ApiHeader({ name: 'X-DPT-AUTHORIZATION', required: true })
@Controller('profile')
@UseGuards(CallerGuard)
export class AuthorizationTokenExpiryRoute {
  @Post('authorization-token/expiry')
  @HttpCode(200)
  @ApiOkResponse({ description: '`{"expiresAt"}`' })
  expiry(@Principal() principal: ProfilePrincipal) {
    return { expiresAt: isoWithOffset(principal.expiresAt) };
  }
}
