import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

export const USERNAME_PATTERN = /^[A-Za-z0-9._@-]+$/;

export class UsernameAndPasswordDto {
  @ApiProperty({ minLength: 3, maxLength: 64, pattern: USERNAME_PATTERN.source, example: 'alice' })
  @IsString()
  @Length(3, 64)
  @Matches(USERNAME_PATTERN, { message: 'username may contain only A-Z a-z 0-9 . _ @ -' })
  username!: string;

  @ApiProperty({ minLength: 12, maxLength: 128, example: 'correct horse battery staple' })
  @IsString()
  @Length(12, 128)
  password!: string;
}
