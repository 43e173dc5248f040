import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Access, type Caller, CallerGuard, CurrentCaller } from '../../http/caller';

@ApiTags('profile')
@ApiHeader({ name: 'X-DPT-AUTHORIZATION', required: false })
@ApiBearerAuth()
@Controller('profile')
export class RetrieveProfileIdRoute {
  @Get('retrieve-profile-id')
  @UseGuards(CallerGuard)
  @Access({ scope: 'profile:read' })
  @ApiOkResponse({ description: '`{"profileId"}`' })
  retrieve(@CurrentCaller() caller: Caller) {
    return { profileId: caller.profileId };
  }
}
