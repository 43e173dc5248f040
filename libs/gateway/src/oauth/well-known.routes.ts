import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { SigningKeys } from './signing-keys';

@ApiTags('oauth')
@Controller('.well-known')
export class WellKnownRoutes {
  constructor(private readonly keys: SigningKeys) {}

  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOkResponse({ description: 'The public keys that verify access tokens, the previous ones during their overlap' })
  jwks() {
    return this.keys.jwks();
  }
}
