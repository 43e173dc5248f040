import { schemaName } from '@platform/config';
import { profileAggregate } from '@platform/profile-domain';
import { bootstrapService, type ServiceOptions } from '@platform/service-runtime';

/** The profile context: registers profiles and changes their passwords. */
export const startProfileService = (infrastructure: ServiceOptions) =>
  bootstrapService(infrastructure, { context: 'profile', schema: schemaName('profile'), aggregates: [profileAggregate] });
