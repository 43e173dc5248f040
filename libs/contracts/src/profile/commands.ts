/** Commands of the profile context. Secrets arrive already hashed by the gateway. */
export type RegisterProfile = {
  type: 'RegisterProfile';
  profileId: string;
  username: string;
  passwordHash: string;
};

export type ChangePassword = {
  type: 'ChangePassword';
  profileId: string;
  /** The gateway checked the current password against `verifiedAgainstHash`; the decider checks that hash is still current. */
  currentPasswordVerified: boolean;
  verifiedAgainstHash: string;
  newPasswordHash: string;
  keepAuthorizationTokenId: string | null;
};

export type ProfileCommand = RegisterProfile | ChangePassword;
