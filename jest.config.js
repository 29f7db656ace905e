/** Unit tests sit next to their code (*.spec.ts); integration tests live in test/ (*.e2e-spec.ts). */
// nest-cli.json describes every app and lib (scripts/monorepo-layout.spec.ts keeps it true).
const projects = require('./nest-cli.json').projects;
const libs = Object.keys(projects).filter((name) => projects[name].type === 'library');
module.exports = {
  // Node's own typed arrays inside the test VM: onnxruntime-node's native outputs fail instanceof checks otherwise.
  testEnvironment: '<rootDir>/test/helpers/onnx-test-environment.ts',
  rootDir: '.',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test', '<rootDir>/migrations', '<rootDir>/scripts'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
  moduleNameMapper: Object.fromEntries(libs.map((l) => [`^@heimdex/${l}$`, `<rootDir>/libs/${l}/src`])),
  setupFiles: ['reflect-metadata'],
  // Also the limit of hooks: starting a stack with the worker's models takes over a minute on a loaded 2-core machine,
  // and a start that times out fails its whole file (test-resources.ts closes what it made).
  testTimeout: 180000,
  maxWorkers: 2,
};
