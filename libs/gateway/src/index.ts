export * from './bootstrap';
export * from './gateway.module';
export * from './read-models/gateway-projections';
export * from './oauth/signing-keys';
export * from './oauth/key-encryption';
export * from './migrations';
export { GATEWAY_DATA_SOURCE, gatewayDataSource } from './database/gateway-data-source';
export { buildOpenApiDocument } from './openapi';
