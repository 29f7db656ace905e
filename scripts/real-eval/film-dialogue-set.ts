import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RealEvalSet } from './real-eval-set';
import { werSet } from './speech-sets';

/**
 * Real film dialogue: six excerpts of Night of the Living Dead (1968, public domain), several
 * speakers, a 1960s optical soundtrack with music and noise under the voices. The references
 * came with the clips (test/fixtures/realmedia/dialogue/transcripts.csv) and look machine-made
 * (one proper name is misspelt), so the WER is reported without a target.
 */
export const filmDialogueSet: RealEvalSet = {
  name: 'movie-dialogue (Night of the Living Dead 1968)',
  description: 'word error rate on real film dialogue (references shipped with the clips, not checked by ear)',
  run: (context) => {
    const dir = join(context.fixturesDir, 'dialogue');
    const utterances = readFileSync(join(dir, 'transcripts.csv'), 'utf8')
      .trim()
      .split(/\r?\n/)
      .map((line) => {
        const [id, reference] = line.split('|');
        return { file: join(dir, `${id}.flac`), reference };
      })
      .filter((u) => existsSync(u.file))
      .slice(0, context.small ? 2 : undefined);
    return werSet(context, utterances, null);
  },
};
