import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class ApplicationIdDto {
  @ApiProperty()
  @IsString()
  @Length(1, 64)
  applicationId!: string;
}
