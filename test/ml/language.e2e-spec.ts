import { FastTextLanguageIdentifier } from '@heimdex/ml';
import { readFileSync } from 'node:fs';

/** fastText lid.176 from the npm package, on real text: LJ Speech transcripts (realmedia/speech) and short made-up lines. */
describe('language identification (fastText lid.176)', () => {
  let lid: FastTextLanguageIdentifier;
  beforeAll(async () => {
    lid = await FastTextLanguageIdentifier.create();
  });

  it('names the language of real English transcripts and of other languages', () => {
    const metadata = `${process.env.HEIMDEX_REALMEDIA ?? '/work/shared/realmedia'}/speech/metadata.csv`;
    const lines = readFileSync(metadata, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split('|')[2] ?? '');
    for (const line of lines) expect({ line, language: lid.identify(line).language }).toEqual({ line, language: 'en' });
    expect(lid.identify('Bonjour à tous, bienvenue dans cette présentation').language).toBe('fr');
    expect(lid.identify('Der schnelle braune Fuchs springt über den faulen Hund').language).toBe('de');
    expect(lid.identify('Buenos días, hoy hablamos de las ventas del trimestre').language).toBe('es');
    // On-screen titles are often in capitals.
    expect(lid.identify('BIENVENUE AU PORT DE LA VILLE').language).toBe('fr');
  });

  it('gives no answer for too little text', () => {
    expect(lid.identify('OK')).toEqual({ language: null, confidence: 0 });
    expect(lid.identify('   ')).toEqual({ language: null, confidence: 0 });
    expect(lid.model).toEqual({ name: 'fasttext-lid.176', version: expect.stringMatching(/^\d+\.\d+/) });
  });
});
