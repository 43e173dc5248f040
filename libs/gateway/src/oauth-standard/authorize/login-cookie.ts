import { HostCookie } from '../../http/browser-session/host-cookie';

/** The sign-in form's session between the login and consent pages (10 min). */
export class LoginCookie extends HostCookie {
  constructor(issuer: string) {
    super(issuer, 'oauth_authz', 600);
  }
}
