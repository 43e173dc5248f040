import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** RFC 7009 / RFC 7662 request body, with client_secret_post credentials. */
export class TokenOperationDto {
  @ApiProperty() @IsString() @MaxLength(4096) token!: string;
  @ApiPropertyOptional({ enum: ['access_token', 'refresh_token'] }) @IsOptional() @IsString() @MaxLength(32) token_type_hint?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) client_id?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(256) client_secret?: string;
}
