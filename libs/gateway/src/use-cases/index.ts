import { ApplicationAuditHandler } from './application-audit/application-audit.handler';
import { ApplicationAuditRoute } from './application-audit/privicore.route';
import { ApplicationUsageHandler } from './application-usage/application-usage.handler';
import { ApplicationUsageRoute } from './application-usage/privicore.route';
import { AuthenticateHandler } from './authenticate/authenticate.handler';
import { AuthenticateRoute } from './authenticate/privicore.route';
import { AuthorizationTokenExpiryRoute } from './authorization-token-expiry/privicore.route';
import { ChangePasswordHandler } from './change-password/change-password.handler';
import { ChangePasswordRoute } from './change-password/privicore.route';
import { DeleteApplicationHandler } from './delete-application/delete-application.handler';
import { OAppsDeleteRoute } from './delete-application/o-apps.route';
import { GenerateTokenQrHandler } from './generate-token-qr/generate-token-qr.handler';
import { GenerateTokenQrRoute } from './generate-token-qr/privicore.route';
import { IntrospectTokenHandler } from './introspect-token/introspect-token.handler';
import { IntrospectTokenRoute } from './introspect-token/oauth.route';
import { TokenScopeRoute } from './introspect-token/privicore.route';
import { ListApplicationsHandler } from './list-applications/list-applications.handler';
import { OAppsListRoute } from './list-applications/o-apps.route';
import { ListOAuthApplicationsRoute } from './list-applications/privicore.route';
import { ReauthorizeAuthorizationTokenRoute } from './reauthorize-authorization-token/privicore.route';
import { ReauthorizeAuthorizationTokenHandler } from './reauthorize-authorization-token/reauthorize-authorization-token.handler';
import { RedeemTokenQrRoute } from './redeem-token-qr/privicore.route';
import { RedeemTokenQrHandler } from './redeem-token-qr/redeem-token-qr.handler';
import { OAppsCreateRoute } from './register-application/o-apps.route';
import { RegisterOAuthApplicationRoute } from './register-application/privicore.route';
import { RegisterApplicationHandler } from './register-application/register-application.handler';
import { RegisterProfileRoute } from './register-profile/privicore.route';
import { RegisterProfileHandler } from './register-profile/register-profile.handler';
import { RequestAuthorizationCodeRoute } from './request-authorization-code/privicore.route';
import { RequestAuthorizationCodeHandler } from './request-authorization-code/request-authorization-code.handler';
import { RequestStatusRoute } from './request-status/privicore.route';
import { RequestStatusHandler } from './request-status/request-status.handler';
import { OAppsRetirePreviousSecretRoute } from './retire-previous-secret/o-apps.route';
import { RetirePreviousSecretRoute } from './retire-previous-secret/privicore.route';
import { RetirePreviousSecretHandler } from './retire-previous-secret/retire-previous-secret.handler';
import { RetrieveAuthorizationCodeRoute } from './retrieve-authorization-code/privicore.route';
import { RetrieveAuthorizationCodeHandler } from './retrieve-authorization-code/retrieve-authorization-code.handler';
import { RetrieveProfileIdRoute } from './retrieve-profile-id/privicore.route';
import { ApplicationConfigurationRoute } from './reveal-credentials/privicore.route';
import { RevealCredentialsHandler } from './reveal-credentials/reveal-credentials.handler';
import { RevokeApplicationRoute } from './revoke-application/privicore.route';
import { RevokeApplicationHandler } from './revoke-application/revoke-application.handler';
import { RevokeAuthorizationTokenRoute } from './revoke-authorization-token/privicore.route';
import { RevokeAuthorizationTokenHandler } from './revoke-authorization-token/revoke-authorization-token.handler';
import { RevokeTokenRoute } from './revoke-token/oauth.route';
import { RevokeTokenHandler } from './revoke-token/revoke-token.handler';
import { OAppsRotateSecretRoute } from './rotate-secret/o-apps.route';
import { RotateSecretHandler } from './rotate-secret/rotate-secret.handler';
import { AuthorizationCodeGrantHandler } from './token/grants/authorization-code';
import { ClientCredentialsGrantHandler } from './token/grants/client-credentials';
import { RefreshTokenGrantHandler } from './token/grants/refresh-token';
import { PrivicoreTokenRoutes } from './token/privicore-token.routes';
import { TokenRoute } from './token/token.route';
import { OAppsUpdateRoute } from './update-application/o-apps.route';
import { UpdateOAuthApplicationRoute } from './update-application/privicore.route';
import { UpdateApplicationHandler } from './update-application/update-application.handler';

/** One folder per use case: its routes (one per dialect) and its handler. */
export const USE_CASE_ROUTES = [
  RegisterProfileRoute,
  AuthenticateRoute,
  RetrieveProfileIdRoute,
  ChangePasswordRoute,
  ReauthorizeAuthorizationTokenRoute,
  RevokeAuthorizationTokenRoute,
  AuthorizationTokenExpiryRoute,
  GenerateTokenQrRoute,
  RedeemTokenQrRoute,
  RegisterOAuthApplicationRoute,
  OAppsCreateRoute,
  ApplicationConfigurationRoute,
  ListOAuthApplicationsRoute,
  OAppsListRoute,
  OAppsDeleteRoute,
  RevokeApplicationRoute,
  ApplicationUsageRoute,
  ApplicationAuditRoute,
  RequestStatusRoute,
  RequestAuthorizationCodeRoute,
  RetrieveAuthorizationCodeRoute,
  PrivicoreTokenRoutes,
  TokenRoute,
  IntrospectTokenRoute,
  TokenScopeRoute,
  RevokeTokenRoute,
  OAppsRotateSecretRoute,
  RetirePreviousSecretRoute,
  OAppsRetirePreviousSecretRoute,
  UpdateOAuthApplicationRoute,
  OAppsUpdateRoute,
];

export const USE_CASE_HANDLERS = [
  RegisterProfileHandler,
  AuthenticateHandler,
  ChangePasswordHandler,
  ReauthorizeAuthorizationTokenHandler,
  RevokeAuthorizationTokenHandler,
  GenerateTokenQrHandler,
  RedeemTokenQrHandler,
  RegisterApplicationHandler,
  RevealCredentialsHandler,
  ListApplicationsHandler,
  DeleteApplicationHandler,
  RevokeApplicationHandler,
  ApplicationUsageHandler,
  ApplicationAuditHandler,
  RequestStatusHandler,
  AuthorizationCodeGrantHandler,
  ClientCredentialsGrantHandler,
  RefreshTokenGrantHandler,
  RequestAuthorizationCodeHandler,
  RetrieveAuthorizationCodeHandler,
  IntrospectTokenHandler,
  RevokeTokenHandler,
  RotateSecretHandler,
  RetirePreviousSecretHandler,
  UpdateApplicationHandler,
];
