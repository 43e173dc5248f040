import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { SCOPE_CATALOGUE } from '@platform/contracts';
import { ApplicationIdDto } from '../../oauth-app/application-id.dto';
import { IsRedirectUri, listOf, scopeList } from '../../oauth-app/redirect-uri';
import { ACCESS_TOKEN_TTL, REFRESH_TOKEN_TTL } from '../register-application/register-application.command';
import { wholeNumber } from '../../http/whole-number';
import { IsDisplayName } from '../../oauth-app/display-name';

const SCOPE_MESSAGE = `each scope must be one of ${SCOPE_CATALOGUE.join(', ')}`;

/** Privicore: `applicationId` plus any of the registration's fields, validated as at registration. */
export class UpdateOAuthApplicationDto extends ApplicationIdDto {
  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @IsDisplayName()
  name?: string;

  @ApiPropertyOptional({ type: [String], description: 'One or more, repeated or comma-separated; replaces the list' })
  @IsOptional()
  @Transform(listOf)
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsRedirectUri({ each: true })
  redirectUri?: string[];

  @ApiPropertyOptional({ type: String, description: 'Comma-separated, from the catalogue; replaces the list, and narrows live tokens at once' })
  @IsOptional()
  @Transform(scopeList)
  @ArrayMinSize(1)
  @IsIn(SCOPE_CATALOGUE, { each: true, message: SCOPE_MESSAGE })
  scopes?: string[];

  @ApiPropertyOptional({ minimum: ACCESS_TOKEN_TTL.min, maximum: ACCESS_TOKEN_TTL.max, description: 'Seconds; applies to tokens issued from now on' })
  @IsOptional()
  @Transform(wholeNumber)
  @IsInt()
  @Min(ACCESS_TOKEN_TTL.min)
  @Max(ACCESS_TOKEN_TTL.max)
  accessTokenTtl?: number;

  @ApiPropertyOptional({ minimum: REFRESH_TOKEN_TTL.min, maximum: REFRESH_TOKEN_TTL.max, description: 'Seconds; applies to tokens issued from now on' })
  @IsOptional()
  @Transform(wholeNumber)
  @IsInt()
  @Min(REFRESH_TOKEN_TTL.min)
  @Max(REFRESH_TOKEN_TTL.max)
  refreshTokenTtl?: number;
}

/** `PATCH /o/apps/{id}/`: any of `name`, `redirect_uris` (an array, may be empty), `scope` (space-separated). */
export class PatchAppDto {
  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @IsDisplayName()
  name?: string;

  @ApiPropertyOptional({ type: [String], description: 'Replaces the list' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsRedirectUri({ each: true })
  redirect_uris?: string[];

  @ApiPropertyOptional({ type: String, example: 'read write', description: 'Space-separated, from the catalogue; narrows live tokens at once' })
  @IsOptional()
  @Transform(scopeList)
  @ArrayMinSize(1)
  @IsIn(SCOPE_CATALOGUE, { each: true, message: SCOPE_MESSAGE })
  scope?: string[];
}
