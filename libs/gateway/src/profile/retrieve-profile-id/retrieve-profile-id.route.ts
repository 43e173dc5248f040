import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Principal, type ProfilePrincipal, ProfileTokenGuard } from '../../http/profile-auth';

@ApiTags('profile')
@ApiHeader({ name: 'X-DPT-AUTHORIZATION', required: true })
@Controller('profile')
export class RetrieveProfileIdRoute {
  @Get('retrieve-profile-id')
  @UseGuards(ProfileTokenGuard)
  @ApiOkResponse({ description: '`{"profileId"}`' })
  retrieve(@Principal() principal: ProfilePrincipal) {
    return { profileId: principal.profileId };
  }
}
