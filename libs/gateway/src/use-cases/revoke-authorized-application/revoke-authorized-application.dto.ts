import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

export class RevokeAuthorizedApplicationDto {
  @ApiPropertyOptional({ description: 'The grant to revoke' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  grantId?: string;

  @ApiPropertyOptional({ description: 'Instead of grantId: every grant of this profile to that application' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  applicationId?: string;
}
