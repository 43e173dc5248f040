import { DeleteApplicationHandler } from './delete-application/delete-application.handler';
import { OAppsDeleteRoute } from './delete-application/o-apps.route';
import { ListApplicationsHandler } from './list-applications/list-applications.handler';
import { OAppsListRoute } from './list-applications/o-apps.route';
import { ListOAuthApplicationsRoute } from './list-applications/privicore.route';
import { OAppsCreateRoute } from './register-application/o-apps.route';
import { RegisterOAuthApplicationRoute } from './register-application/privicore.route';
import { RegisterApplicationHandler } from './register-application/register-application.handler';
import { OAppsRetirePreviousSecretRoute } from './retire-previous-secret/o-apps.route';
import { RetirePreviousSecretRoute } from './retire-previous-secret/privicore.route';
import { RetirePreviousSecretHandler } from './retire-previous-secret/retire-previous-secret.handler';
import { ApplicationConfigurationRoute } from './reveal-credentials/privicore.route';
import { RevealCredentialsHandler } from './reveal-credentials/reveal-credentials.handler';
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
  RegisterOAuthApplicationRoute,
  OAppsCreateRoute,
  ApplicationConfigurationRoute,
  ListOAuthApplicationsRoute,
  OAppsListRoute,
  OAppsDeleteRoute,
  PrivicoreTokenRoutes,
  TokenRoute,
  OAppsRotateSecretRoute,
  RetirePreviousSecretRoute,
  OAppsRetirePreviousSecretRoute,
  UpdateOAuthApplicationRoute,
  OAppsUpdateRoute,
];

export const USE_CASE_HANDLERS = [
  RegisterApplicationHandler,
  RevealCredentialsHandler,
  ListApplicationsHandler,
  DeleteApplicationHandler,
  AuthorizationCodeGrantHandler,
  ClientCredentialsGrantHandler,
  RefreshTokenGrantHandler,
  RotateSecretHandler,
  RetirePreviousSecretHandler,
  UpdateApplicationHandler,
];
