/**
 * `npm run test:interop`: fidelity tests that need Debian's python3-winrm and ../shared/fixtures, named
 * *.interop.ts so the default `npm test` (which matches *.test.ts) does not pick them up.
 */
const base = require('../../jest.config.js');
module.exports = {
  ...base,
  rootDir: '../..',
  roots: ['<rootDir>/test/interop', '<rootDir>/test/replay'],
  testMatch: ['**/*.interop.ts'],
  testTimeout: 180000,
};
