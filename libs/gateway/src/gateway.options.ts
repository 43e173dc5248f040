export const GATEWAY_SCHEMA = Symbol('GATEWAY_SCHEMA');
