import { UserTier } from '@heimdex/db';
import { testConfig } from '../../../../test/helpers/test-config';
import type { AuthUser } from '../auth/auth-user';
import type { ThumbnailUrls } from '../common/thumbnail-urls';
import type { Embedded, QueryEmbeddings } from './query-embeddings';
import type { LexicalRow, PageRow, ScoredRow, SearchRepository, VectorRow } from './search.repository';
import { SearchService } from './search.service';

const USER: AuthUser = {
  id: '00000000-0000-4000-8000-000000000001',
  email: null,
  emailVerified: false,
  role: 'user',
  tier: UserTier.Free,
  displayName: null,
  onboardingCompleted: true,
  isAnonymous: false,
};
const SCENE = { lexical: 'scene-lexical', text: 'scene-text', visual: 'scene-visual', person: 'scene-person' };

function ref(sceneId: string) {
  return { sceneId, videoId: `video-of-${sceneId}`, startS: 0, videoCreatedAt: new Date('2026-01-01') };
}

/**
 * A repository recording which list statements run at the same time. Full text lasts until the
 * people statement has finished (or the test releases it); the others take one event-loop turn.
 */
class TimedRepository {
  inFlight = new Set<string>();
  overlaps: string[][] = [];
  started: string[] = [];
  release!: () => void;
  private readonly released = new Promise<void>((resolve) => (this.release = resolve));

  private async statement<T>(name: string, result: T): Promise<T> {
    this.started.push(name);
    this.inFlight.add(name);
    this.overlaps.push([...this.inFlight].sort());
    await (name === 'lexical' ? this.released : new Promise((resolve) => setImmediate(resolve)));
    this.inFlight.delete(name);
    if (name === 'person') this.release();
    return result;
  }

  lexical(): Promise<LexicalRow[]> {
    return this.statement('lexical', [
      { ...ref(SCENE.lexical), rank: 0.5, fields: { transcript: 0.5, ocr: 0, tag: 0, title: 0 }, fuzzy: false, phonetic: false },
    ]);
  }

  nearest(_scope: unknown, column: 'text' | 'visual'): Promise<VectorRow[]> {
    return this.statement(column, [{ ...ref(SCENE[column]), similarity: 0.9, hasTranscript: true, hasOcr: false }]);
  }

  peopleNamedIn(): Promise<ScoredRow[]> {
    return this.statement('person', [{ ...ref(SCENE.person), score: 0.8 }]);
  }

  async textSearchConfigs(): Promise<string[]> {
    return [];
  }

  async page(_userId: string, sceneIds: string[]): Promise<PageRow[]> {
    return sceneIds.map((sceneId) => ({
      ...ref(sceneId),
      endS: 5,
      thumbnailKey: null,
      transcript: 'a harbour tour',
      ocrText: '',
      transcriptHighlight: null,
      ocrHighlight: null,
      tagHighlight: null,
      titleHighlight: null,
      matchStartS: null,
    }));
  }
}

function service(repo: TimedRepository, embeddings: { text(q: string): Promise<Embedded>; clipText(q: string): Promise<Embedded> }): SearchService {
  const thumbnails = { forKey: async () => null } as unknown as ThumbnailUrls;
  return new SearchService(repo as unknown as SearchRepository, embeddings as unknown as QueryEmbeddings, thumbnails, testConfig());
}

const models = {
  text: async (): Promise<Embedded> => ({ vector: [1, 0], model: 'text@1' }),
  clipText: async (): Promise<Embedded> => ({ vector: [0, 1], model: 'clip@1' }),
};

describe('SearchService', () => {
  it('runs full text beside one other statement at a time, and fuses all four lists', async () => {
    const repo = new TimedRepository();
    const result = await service(repo, models).search(USER, { q: 'harbour tour' });

    expect(repo.started).toEqual(['lexical', 'text', 'visual', 'person']);
    expect(Math.max(...repo.overlaps.map((o) => o.length))).toBe(2);
    // The other three took turns while full text ran.
    expect(repo.overlaps.slice(1)).toEqual([
      ['lexical', 'text'],
      ['lexical', 'visual'],
      ['lexical', 'person'],
    ]);
    expect(result.items.map((i) => i.sceneId).sort()).toEqual(Object.values(SCENE).sort());
  });

  it('fails the search with the error of an embedding that failed while another statement ran', async () => {
    const repo = new TimedRepository();
    const broken = { ...models, clipText: () => Promise.reject(new Error('clip model crashed')) };
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await expect(service(repo, broken).search(USER, { q: 'harbour tour' })).rejects.toThrow('clip model crashed');
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      repo.release();
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
    expect(repo.started).toEqual(['lexical', 'text']);
  });
});
