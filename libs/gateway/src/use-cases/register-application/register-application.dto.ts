import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { type ClientType, SCOPE_CATALOGUE } from '@platform/contracts';
import { IsRedirectUri, listOf, scopeList } from '../../oauth-app/redirect-uri';
import { ACCESS_TOKEN_TTL, REFRESH_TOKEN_TTL } from './register-application.command';
import { wholeNumber } from '../../http/whole-number';
import { IsDisplayName } from '../../oauth-app/display-name';

export class RegisterOAuthApplicationDto {
  @ApiProperty({ maxLength: 100, example: 'Photo printer' })
  @IsString()
  @Length(1, 100)
  @IsDisplayName()
  name!: string;

  @ApiProperty({ type: [String], description: 'One or more, repeated or comma-separated', example: ['https://printer.example/callback'] })
  @Transform(listOf)
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsRedirectUri({ each: true })
  redirectUri!: string[];

  @ApiProperty({ type: String, description: 'Comma-separated, from the catalogue', example: 'profile:read,oauth-app:read' })
  @Transform(scopeList)
  @ArrayMinSize(1)
  @IsIn(SCOPE_CATALOGUE, { each: true, message: `each scope must be one of ${SCOPE_CATALOGUE.join(', ')}` })
  scopes!: string[];

  @ApiPropertyOptional({ enum: ['confidential', 'public'], default: 'confidential' })
  @IsOptional()
  @IsIn(['confidential', 'public'])
  clientType?: ClientType;

  @ApiPropertyOptional({ minimum: ACCESS_TOKEN_TTL.min, maximum: ACCESS_TOKEN_TTL.max, default: ACCESS_TOKEN_TTL.default })
  @IsOptional()
  @Transform(wholeNumber)
  @IsInt()
  @Min(ACCESS_TOKEN_TTL.min)
  @Max(ACCESS_TOKEN_TTL.max)
  accessTokenTtl?: number;

  @ApiPropertyOptional({ minimum: REFRESH_TOKEN_TTL.min, maximum: REFRESH_TOKEN_TTL.max, default: REFRESH_TOKEN_TTL.default })
  @IsOptional()
  @Transform(wholeNumber)
  @IsInt()
  @Min(REFRESH_TOKEN_TTL.min)
  @Max(REFRESH_TOKEN_TTL.max)
  refreshTokenTtl?: number;
}

/** `/o/apps/`: only a name; the rest are the seed API's fixed choices. */
export class CreateAppDto {
  @ApiProperty({ maxLength: 100, example: 'My integration' })
  @IsString()
  @Length(1, 100)
  @IsDisplayName()
  name!: string;
}
