export * from './bootstrap';
export * from './gateway.module';
export * from './read-models/gateway-projections';
export * from './oauth/signing-keys';
export * from './oauth/key-encryption';
export { buildOpenApiDocument } from './openapi';
