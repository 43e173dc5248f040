import { TokenOperationDto } from '../oauth-standard/token-operation.dto';
import { PatchAppDto, UpdateOAuthApplicationDto } from '../use-cases/update-application/update-application.dto';
import { ApiError } from './errors';
import { validationPipe } from './validation';

const pipe = validationPipe();
const body = (metatype: new () => object, value: unknown) => pipe.transform(value, { type: 'body', metatype });
const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(() => undefined, (thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(ApiError);
  return { status: (error as ApiError).getStatus(), body: (error as ApiError).getResponse() as { error: string; details: { field: string }[] } };
};

describe('validationPipe', () => {
  it('refuses a declared field sent as null, as the handlers would take it for a value', async () => {
    for (const [metatype, value, fields] of [
      [PatchAppDto, { name: null }, ['name']],
      [PatchAppDto, { scope: null, redirect_uris: null }, ['scope', 'redirect_uris']],
      [UpdateOAuthApplicationDto, { applicationId: 'a', name: 'n', accessTokenTtl: null }, ['accessTokenTtl']],
      [TokenOperationDto, { token: 't', token_type_hint: null }, ['token_type_hint']],
    ] as const) {
      const { status, body: answer } = await refusal(body(metatype, value));
      expect([status, answer.error, answer.details.map((detail) => detail.field)]).toEqual([400, 'validation_error', fields]);
    }
  });

  it('still takes a field left out, and strips an undeclared one even when null', async () => {
    expect(await body(PatchAppDto, { name: 'Printer', colour: null })).toEqual(Object.assign(new PatchAppDto(), { name: 'Printer' }));
    expect(await body(TokenOperationDto, { token: 't' })).toEqual(Object.assign(new TokenOperationDto(), { token: 't' }));
  });
});
