import { DeleteApplicationHandler } from './delete-application/delete-application.handler';
import { OAppsDeleteRoute } from './delete-application/o-apps.route';
import { ListApplicationsHandler } from './list-applications/list-applications.handler';
import { OAppsListRoute } from './list-applications/o-apps.route';
import { ListOAuthApplicationsRoute } from './list-applications/privicore.route';
import { OAppsCreateRoute } from './register-application/o-apps.route';
import { RegisterOAuthApplicationRoute } from './register-application/privicore.route';
import { RegisterApplicationHandler } from './register-application/register-application.handler';
import { ApplicationConfigurationRoute } from './reveal-credentials/privicore.route';
import { RevealCredentialsHandler } from './reveal-credentials/reveal-credentials.handler';
import { AuthorizationCodeGrantHandler } from './token/grants/authorization-code';
import { ClientCredentialsGrantHandler } from './token/grants/client-credentials';
import { RefreshTokenGrantHandler } from './token/grants/refresh-token';
import { PrivicoreTokenRoutes } from './token/privicore-token.routes';
import { TokenRoute } from './token/token.route';

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
];

export const USE_CASE_HANDLERS = [
  RegisterApplicationHandler,
  RevealCredentialsHandler,
  ListApplicationsHandler,
  DeleteApplicationHandler,
  AuthorizationCodeGrantHandler,
  ClientCredentialsGrantHandler,
  RefreshTokenGrantHandler,
];
