import { INTERCEPTORS_METADATA } from '@nestjs/common/constants';
import { OAppsListRoute } from '../../use-cases/list-applications/o-apps.route';
import { OAppsCreateRoute } from '../../use-cases/register-application/o-apps.route';
import { RegisterProfileRoute } from '../../use-cases/register-profile/privicore.route';
import { IntrospectTokenRoute } from '../../use-cases/introspect-token/oauth.route';
import { TokenRoute } from '../../use-cases/token/token.route';
import { USE_CASE_ROUTES } from '../../use-cases';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { hasIdempotentWrites, withIdempotentWrites } from './idempotent-routes';

describe('idempotent routes', () => {
  it('finds 202 command routes and /o/apps/ writes, and nothing else', () => {
    expect(hasIdempotentWrites(RegisterProfileRoute)).toBe(true);
    expect(hasIdempotentWrites(OAppsCreateRoute)).toBe(true);
    expect(hasIdempotentWrites(OAppsListRoute)).toBe(false);
    expect(hasIdempotentWrites(TokenRoute)).toBe(false);
    expect(hasIdempotentWrites(IntrospectTokenRoute)).toBe(false);
  });

  it('puts the interceptor on exactly those controllers', () => {
    withIdempotentWrites([...USE_CASE_ROUTES]);
    const intercepted = USE_CASE_ROUTES.filter((route) => ((Reflect.getMetadata(INTERCEPTORS_METADATA, route) ?? []) as unknown[]).includes(IdempotencyInterceptor));
    expect(intercepted).toContain(RegisterProfileRoute);
    expect(intercepted).not.toContain(TokenRoute);
    expect(intercepted.length).toBeGreaterThanOrEqual(10);
  });
});
