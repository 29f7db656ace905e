/** Unit tests sit next to their code (*.spec.ts); integration tests live in test/ (*.e2e-spec.ts). */
const libs = ['config', 'db', 'storage', 'queue', 'media', 'embedded', 'observability', 'ml', 'sidecar'];
module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test', '<rootDir>/migrations', '<rootDir>/scripts'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
  moduleNameMapper: Object.fromEntries(libs.map((l) => [`^@heimdex/${l}$`, `<rootDir>/libs/${l}/src`])),
  setupFiles: ['reflect-metadata'],
  testTimeout: 60000,
  maxWorkers: 2,
};
