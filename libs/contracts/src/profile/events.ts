export const PROFILE_STREAM_TYPE = 'profile';
export const profileStreamId = (profileId: string): string => `profile-${profileId}`;

export type ProfileRegistered = {
  type: 'ProfileRegistered';
  profileId: string;
  username: string;
  passwordHash: string;
  registeredAt: string;
};

export type PasswordChanged = {
  type: 'PasswordChanged';
  profileId: string;
  passwordHash: string;
  changedAt: string;
  /** The authorization token that made the change stays valid; the profile's others are revoked. */
  keepAuthorizationTokenId: string | null;
};

export type ProfileEvent = ProfileRegistered | PasswordChanged;
export const PROFILE_EVENT_SCHEMA_VERSION: Record<ProfileEvent['type'], number> = {
  ProfileRegistered: 1,
  PasswordChanged: 2,
};
