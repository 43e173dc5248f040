import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { CLIENT_SECRET_GRACE_SECONDS } from '@platform/contracts';
import { ApplicationIdDto } from '../../oauth-app/application-id.dto';
import { wholeNumber } from '../../http/whole-number';

const GRACE = { minimum: CLIENT_SECRET_GRACE_SECONDS.min, maximum: CLIENT_SECRET_GRACE_SECONDS.max, default: CLIENT_SECRET_GRACE_SECONDS.default };
const GRACE_DESCRIPTION = 'How long the previous secret keeps authenticating, in seconds; 0 refuses it at once';

/** Privicore: `applicationId` and an optional `graceSeconds`. */
export class RotateSecretDto extends ApplicationIdDto {
  @ApiPropertyOptional({ ...GRACE, description: GRACE_DESCRIPTION })
  @IsOptional()
  @Transform(wholeNumber)
  @IsInt()
  @Min(CLIENT_SECRET_GRACE_SECONDS.min)
  @Max(CLIENT_SECRET_GRACE_SECONDS.max)
  graceSeconds?: number;
}

/** `/o/apps/{id}/secret/`: `grace_seconds` in the query or the JSON body. */
export class GraceSecondsDto {
  @ApiPropertyOptional({ ...GRACE, description: GRACE_DESCRIPTION })
  @IsOptional()
  @Transform(wholeNumber)
  @IsInt()
  @Min(CLIENT_SECRET_GRACE_SECONDS.min)
  @Max(CLIENT_SECRET_GRACE_SECONDS.max)
  grace_seconds?: number;
}
