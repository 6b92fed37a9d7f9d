// Lint: typescript-eslint's type-checked rules over the TypeScript of tsconfig.json (src, test, bench, scripts).
// Formatting is prettier's job (`npm run format`), so no stylistic rules here.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'build/',
      'provider/',
      'examples/',
      'docs/',
      '.terraform-mirror/',
      '.tools/',
      '.demo/',
      '.tmp/',
      'cdktf.out/',
      'src/tfplugin/generated/',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A caught value is unknown: read it with errorMessage (src/common/error-message.ts), never a cast.
      'no-restricted-syntax': [
        'error',
        {
          selector: "TSAsExpression > TSTypeReference.typeAnnotation > Identifier[name='Error']",
          message: 'Do not cast to Error; use errorMessage(unknown) from src/common or an instanceof check.',
        },
      ],
      // Contract methods (resources, data sources, transports) are async by signature; some finish without
      // awaiting, and an async function is the plain way to return the promise the contract asks for.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Tests read terraform's and the emulator's JSON output and assert on it with expect: typing every parsed
    // document would not make them check more.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
);
