// One Jest run for unit (*.spec.ts), integration (*.int-spec.ts) and end-to-end (*.e2e-spec.ts) tests.
// The global setup resolves real PostgreSQL and Kafka (env, Testcontainers, or the local launchers).
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target}`]),
);

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  // jose, openid-client, oauth4webapi and content-disposition (of @fastify/static) ship only ES modules;
  // swc turns them into CommonJS for Jest (Node itself loads them natively).
  transform: { '^.+\\.ts$': swc, '^.+/node_modules/(jose|openid-client|oauth4webapi|content-disposition|@fastify/cookie|cookie)/.+\\.js$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(jose|openid-client|oauth4webapi|content-disposition|@fastify/cookie|cookie)/)(?!.*/node_modules/(content-disposition|cookie)/)'],
  moduleNameMapper,
  testMatch: ['<rootDir>/{apps,libs,e2e,tools}/**/*.{spec,int-spec,e2e-spec}.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  globalSetup: '<rootDir>/libs/testing/src/jest-global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/jest-global-teardown.ts',
  testTimeout: 60_000,
  maxWorkers: 2,
};
