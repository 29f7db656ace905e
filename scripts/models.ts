/**
 * `npm run models -- list | verify [name] | pull [name...]`: the models in MODEL_DIR
 * (see libs/ml/README.md).
 */
import { loadConfig } from '@heimdex/config';
import { runModelsCli } from '@heimdex/ml';

runModelsCli(process.argv.slice(2), loadConfig())
  .then((code) => process.exit(code))
  .catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
