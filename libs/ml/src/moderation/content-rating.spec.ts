import { contentRating, maxScores, worstRating } from './content-rating';

const t = { explicit: 0.7, questionable: 0.5 };
const scores = (porn: number, hentai: number, sexy: number) => ({ drawing: 0, hentai, neutral: 1 - porn - hentai - sexy, porn, sexy });

describe('content rating', () => {
  it('rates a picture by the thresholds', () => {
    expect(contentRating(scores(0.01, 0.01, 0.05), t)).toBe('safe');
    expect(contentRating(scores(0.2, 0.0, 0.35), t)).toBe('questionable');
    expect(contentRating(scores(0.5, 0.25, 0.1), t)).toBe('explicit');
    expect(contentRating(scores(0.5, 0.25, 0.1), { explicit: 0.8, questionable: 0.5 })).toBe('questionable');
  });

  it('a scene or video takes its strictest rating, and the highest score per class', () => {
    expect(worstRating(['safe', 'explicit', 'questionable'])).toBe('explicit');
    expect(worstRating(['safe', 'safe'])).toBe('safe');
    expect(worstRating([])).toBeNull();
    expect(maxScores([scores(0.1, 0, 0.3), scores(0.2, 0.1, 0)])).toEqual({ drawing: 0, hentai: 0.1, neutral: expect.any(Number), porn: 0.2, sexy: 0.3 });
  });
});
