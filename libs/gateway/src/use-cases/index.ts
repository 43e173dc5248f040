import { OAppsRetirePreviousSecretRoute } from './retire-previous-secret/o-apps.route';
import { RetirePreviousSecretRoute } from './retire-previous-secret/privicore.route';
import { RetirePreviousSecretHandler } from './retire-previous-secret/retire-previous-secret.handler';
import { OAppsRotateSecretRoute } from './rotate-secret/o-apps.route';
import { RotateSecretHandler } from './rotate-secret/rotate-secret.handler';
import { OAppsUpdateRoute } from './update-application/o-apps.route';
import { UpdateOAuthApplicationRoute } from './update-application/privicore.route';
import { UpdateApplicationHandler } from './update-application/update-application.handler';

/** One folder per use case: its routes (one per dialect) and its handler. */
export const USE_CASE_ROUTES = [OAppsRotateSecretRoute, RetirePreviousSecretRoute, OAppsRetirePreviousSecretRoute, UpdateOAuthApplicationRoute, OAppsUpdateRoute];

export const USE_CASE_HANDLERS = [RotateSecretHandler, RetirePreviousSecretHandler, UpdateApplicationHandler];
