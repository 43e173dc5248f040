import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const depConstraints = [
  // A bounded context never reaches into another's internals; contracts and shared infra are open to all.
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:profile', onlyDependOnLibsWithTags: ['scope:profile', 'scope:shared'] },
  { sourceTag: 'scope:token', onlyDependOnLibsWithTags: ['scope:token', 'scope:shared'] },
  { sourceTag: 'scope:oauth-app', onlyDependOnLibsWithTags: ['scope:oauth-app', 'scope:shared'] },
  // The gateway hosts the token context's synchronous grant decisions in-process (its pure decider only).
  { sourceTag: 'scope:gateway', onlyDependOnLibsWithTags: ['scope:gateway', 'scope:shared', 'hosted:gateway'] },
  { sourceTag: 'scope:platform', onlyDependOnLibsWithTags: ['*'] },
  // Layers: domain logic is pure; infrastructure never imports a feature; utilities import only utilities.
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:domain', 'type:infra', 'type:util'] },
  { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:domain', 'type:infra', 'type:util'] },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:infra', 'type:util'] },
  { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:infra', 'type:util'] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
];

export default [
  { ignores: ['**/node_modules/**', 'dist/**', '.nx/**', '.data/**', '.kafka/**', 'tools/**/*.mjs', '**/*.js', '**/*.cjs'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: [], depConstraints, banTransitiveDependencies: false },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
];
