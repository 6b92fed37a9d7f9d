/** Jest: TypeScript through swc (type checking is `npm run typecheck`, run by `npm run build`). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' }, sourceMaps: 'inline' }] },
  testTimeout: 30000,
  // Both cores: jest's default (cores - 1) leaves one of a 2-core machine idle while e2e suites wait on terraform and pwsh.
  maxWorkers: 2,
};
