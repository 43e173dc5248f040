import { IsIn, IsISO8601, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';

const given = (_: unknown, value: unknown) => value !== undefined && value !== '';

/** The console's audit filters (query string); every field optional, an empty field is no filter. */
export class AuditFilterDto {
  @IsOptional() @IsString() @MaxLength(64) application?: string;
  @IsOptional() @IsIn(['', 'call', 'change']) kind?: string;
  @ValidateIf(given) @IsISO8601({ strict: true }) @MaxLength(32) from?: string;
  @ValidateIf(given) @IsISO8601({ strict: true }) @MaxLength(32) to?: string;
}
