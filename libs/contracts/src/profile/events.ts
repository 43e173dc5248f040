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
};

export type ProfileEvent = ProfileRegistered | PasswordChanged;
export const PROFILE_EVENT_SCHEMA_VERSION: Record<ProfileEvent['type'], number> = {
  ProfileRegistered: 1,
  PasswordChanged: 1,
};
