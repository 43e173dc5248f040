import { HostCookie } from './host-cookie';

/** The browser session shared by /oauth/authorize and /account (12 h). */
export class SessionCookie extends HostCookie {
  constructor(issuer: string) {
    super(issuer, 'dpt_session', 12 * 3600);
  }
}
