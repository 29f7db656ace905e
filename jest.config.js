/** Unit tests sit next to their code (*.spec.ts); integration tests live in test/ (*.e2e-spec.ts). */
const libs = ['config', 'db', 'storage', 'queue', 'media', 'embedded', 'observability', 'ml', 'sidecar', 'faces', 'audit'];
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
