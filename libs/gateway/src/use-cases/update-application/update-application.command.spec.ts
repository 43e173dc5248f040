import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { applicationChanges } from './update-application.command';
import { PatchAppDto, UpdateOAuthApplicationDto } from './update-application.dto';

const problems = <T extends object>(type: new () => T, plain: object) => validateSync(plainToInstance(type, plain)).map((error) => error.property);

describe('update-application', () => {
  it('keeps only the fields given, without duplicates', () => {
    expect(applicationChanges({ name: 'x', scopes: ['read', 'read'], redirectUris: undefined })).toEqual({ name: 'x', scopes: ['read'] });
  });

  it('refuses an update that changes nothing with 400 validation_error', () => {
    expect(() => applicationChanges({ name: undefined })).toThrow(expect.objectContaining({ status: 400 }));
  });

  it('validates the Privicore fields as at registration', () => {
    expect(problems(UpdateOAuthApplicationDto, { applicationId: 'a', redirectUri: 'https://a.example/1,https://a.example/2', scopes: 'read,profile:write', accessTokenTtl: '60' })).toEqual([]);
    expect(problems(UpdateOAuthApplicationDto, { applicationId: 'a', redirectUri: 'http://evil.example/cb' })).toEqual(['redirectUri']);
    expect(problems(UpdateOAuthApplicationDto, { applicationId: 'a', scopes: 'everything' })).toEqual(['scopes']);
    expect(problems(UpdateOAuthApplicationDto, { applicationId: 'a', accessTokenTtl: '901', refreshTokenTtl: '59' })).toEqual(['accessTokenTtl', 'refreshTokenTtl']);
  });

  it('validates the seed API fields: redirect_uris an array (may be empty), scope space-separated', () => {
    expect(problems(PatchAppDto, { redirect_uris: [], scope: 'read oauth-app:write' })).toEqual([]);
    expect(problems(PatchAppDto, { redirect_uris: 'https://a.example/cb' })).toEqual(['redirect_uris']);
    expect(problems(PatchAppDto, { scope: '' })).toEqual(['scope']);
    expect(problems(PatchAppDto, { name: '' })).toEqual(['name']);
  });
});
