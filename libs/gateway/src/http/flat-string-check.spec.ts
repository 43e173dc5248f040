import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { AuthenticateDto } from '../use-cases/authenticate/privicore.route';
import { TokenRequestDto } from '../use-cases/token/token.route';
import { flatStringCheck } from './flat-string-check';
import { validationPipe } from './validation';

class WithNumber {
  @IsOptional() @IsString() name?: string;
  @IsInt() count!: number;
}

class WithType {
  @IsString() @Type(() => String) name!: string;
}

class Required {
  @IsString() @MaxLength(4) token!: string;
  @IsOptional() @IsString() hint?: string;
}

class Ranged {
  @IsString() @Length(3, 6) @Matches(/^[a-z]+$/) code!: string;
}

const reference = new ValidationPipe({ whitelist: true, transform: true });
const body = <T>(metatype: new () => T) => ({ type: 'body' as const, metatype });

describe('flatStringCheck', () => {
  it('vouches for a flat DTO with the stripped instance the pipe would answer', async () => {
    const value = { grant_type: 'client_credentials', scope: 'a b', extra: 'dropped' };
    const checked = flatStringCheck(TokenRequestDto)!(value);
    expect(checked).toBeInstanceOf(TokenRequestDto);
    expect(checked).toEqual(await reference.transform(value, body(TokenRequestDto)));
  });

  it('leaves to the pipe what it cannot vouch for', () => {
    const check = flatStringCheck(Required)!;
    expect(check({ token: 'abcde' })).toBeUndefined();
    expect(check({ hint: 'x' })).toBeUndefined();
    expect(check({ token: 'ab', hint: 3 })).toBeUndefined();
    expect(check(['ab'])).toBeUndefined();
    expect(check(null)).toBeUndefined();
    expect(check({ token: 'ab', hint: null })).toEqual({ token: 'ab', hint: null });
  });

  it('checks a length range and a pattern, and leaves uneven lengths (surrogates, variation selectors) to class-validator', () => {
    const check = flatStringCheck(Ranged)!;
    expect(check({ code: 'abc' })).toEqual({ code: 'abc' });
    for (const code of ['ab', 'abcdefg', 'ABC', 'ab1', '\u{1F600}\u{1F600}', 'ab\uFE0F']) expect(check({ code })).toBeUndefined();
    const signIn = flatStringCheck(AuthenticateDto)!;
    expect(signIn({ username: 'alice.b', password: 'correct horse battery', x: 1 })).toEqual({ username: 'alice.b', password: 'correct horse battery' });
    expect(signIn({ username: 'alice b', password: 'correct horse battery' })).toBeUndefined();
    expect(signIn({ username: 'alice', password: 'short' })).toBeUndefined();
  });

  it('is not used for DTOs with other rules or transformations', () => {
    expect(flatStringCheck(WithNumber)).toBeUndefined();
    expect(flatStringCheck(WithType)).toBeUndefined();
  });

  it('the gateway pipe answers the same as class-validator, and refuses the same way', async () => {
    const pipe = validationPipe();
    for (const value of [{ token: 'ab', other: 1 }, {}]) {
      expect(await pipe.transform(value, body(Required)).catch(() => 'refused')).toEqual(await reference.transform(value, body(Required)).catch(() => 'refused'));
    }
    // One intended difference: a declared field sent as null, which class-validator passes through, is refused (validation.spec.ts).
    expect(await reference.transform({ token: 'ab', hint: null }, body(Required))).toMatchObject({ hint: null });
    await expect(pipe.transform({ token: 'ab', hint: null }, body(Required))).rejects.toMatchObject({ response: { error: 'validation_error' } });
    await expect(pipe.transform({ token: 'abcdef' }, body(Required))).rejects.toMatchObject({ response: { error: 'validation_error' } });
    for (const value of [{ code: 'abc' }, { code: 'ab' }, { code: 'ABC' }, { code: '\u{1F600}\u{1F600}' }, { code: 'abc', more: 1 }]) {
      expect(await pipe.transform(value, body(Ranged)).catch(() => 'refused')).toEqual(await reference.transform(value, body(Ranged)).catch(() => 'refused'));
    }
  });
});
