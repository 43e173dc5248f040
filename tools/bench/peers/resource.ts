/** The resource indicator for which the peer issues ES256 JWT access tokens. */
export const JWT_RESOURCE = 'urn:bench:jwt';
