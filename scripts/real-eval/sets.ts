import { filmDialogueSet } from './film-dialogue-set';
import { filmSet } from './film-set';
import type { RealEvalSet } from './real-eval-set';
import { speechSets } from './speech-sets';
import { spokenSearchSet } from './spoken-search-set';
import { visionSet } from './vision-set';

/** Every set `npm run eval:real` runs, in order. A new kind of real input is one more entry here. */
export const REAL_EVAL_SETS: RealEvalSet[] = [...speechSets, filmDialogueSet, spokenSearchSet, visionSet, filmSet];
