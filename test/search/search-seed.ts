import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { toSql } from 'pgvector';

/**
 * Rows for search tests, written straight into the database (test setup only): videos in any
 * state, scenes with the text, words, tags and vectors a case needs, people and faces. The search
 * triggers run as they do for the pipeline's writes.
 */
export class SearchSeed {
  private constructor(private readonly client: Client) {}

  static async connect(url: string): Promise<SearchSeed> {
    const client = new Client({ connectionString: url });
    await client.connect();
    return new SearchSeed(client);
  }

  close(): Promise<void> {
    return this.client.end();
  }

  async video(v: { userId: string; title?: string; description?: string; state?: string; createdAt?: Date; language?: string }): Promise<string> {
    const id = randomUUID();
    const createdAt = v.createdAt ?? new Date();
    const state = v.state ?? 'indexed';
    await this.client.query(
      `insert into videos (id, user_id, state, title, description, filename, content_type, size_bytes, storage_key, language, created_at, indexed_at)
       values ($1, $2, $3, $4, $5, 'seed.mp4', 'video/mp4', 1, $6, $7, $8, $9)`,
      [id, v.userId, state, v.title ?? null, v.description ?? null, `seed/${id}`, v.language ?? null, createdAt, state === 'indexed' ? new Date() : null],
    );
    return id;
  }

  async scene(s: {
    videoId: string;
    userId: string;
    index: number;
    startS?: number;
    endS?: number;
    transcript?: string;
    /** Word start times default to one word a second from startS. */
    words?: { word: string; startS: number }[];
    /** Where the transcript came from; null (the default) for neither. */
    transcriptSource?: 'captions' | 'asr';
    ocrText?: string;
    /** The scene's language (language_detect); null (the default): unknown. */
    language?: string;
    tags?: { tag: string; score: number }[];
    text?: { vector: number[]; model: string };
    visual?: { vector: number[]; model: string };
    thumbnailKey?: string;
  }): Promise<string> {
    const id = randomUUID();
    const startS = s.startS ?? s.index * 10;
    const transcript = s.transcript ?? '';
    const words = s.words ?? (transcript ? transcript.split(/\s+/).map((word, i) => ({ word, startS: startS + i })) : []);
    await this.client.query(
      `insert into scenes (id, video_id, user_id, index, start_s, end_s, transcript, words, ocr_text, tags, tag_scores,
                           text_embedding, text_embedding_model, visual_embedding, visual_embedding_model, thumbnail_key, transcript_source, language)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
      [
        id,
        s.videoId,
        s.userId,
        s.index,
        startS,
        s.endS ?? startS + 10,
        transcript,
        JSON.stringify(words.map((w) => ({ ...w, endS: w.startS + 0.5, confidence: null }))),
        s.ocrText ?? '',
        (s.tags ?? []).map((t) => t.tag),
        JSON.stringify((s.tags ?? []).map((t) => ({ ...t, source: 'clip', model: { name: 'seed', version: '1' } }))),
        s.text ? toSql(s.text.vector) : null,
        s.text?.model ?? null,
        s.visual ? toSql(s.visual.vector) : null,
        s.visual?.model ?? null,
        s.thumbnailKey ?? null,
        s.transcriptSource ?? null,
        s.language ?? null,
      ],
    );
    return id;
  }

  async person(userId: string, name: string): Promise<string> {
    const id = randomUUID();
    await this.client.query('insert into people (id, user_id, name) values ($1, $2, $3)', [id, userId, name]);
    return id;
  }

  async face(f: { userId: string; personId: string | null; videoId: string; sceneId: string; confidence: number }): Promise<void> {
    await this.client.query(
      `insert into faces (id, user_id, source, person_id, video_id, scene_id, embedding, embedding_model, confidence)
       values ($1, $2, 'detection', $3, $4, $5, $6, 'seed', $7)`,
      [randomUUID(), f.userId, f.personId, f.videoId, f.sceneId, toSql(Array.from({ length: 128 }, (_, i) => (i === 0 ? 1 : 0))), f.confidence],
    );
  }

  async query<T>(text: string, params: unknown[] = []): Promise<T[]> {
    return (await this.client.query(text, params)).rows as T[];
  }
}

/** A unit vector whose cosine similarity to the unit vector `to` is exactly `cos` (in the plane of `to` and axis `axis`). */
export function vectorAt(to: number[], cos: number, axis = 0): number[] {
  const e = to.map((_, i) => (i === axis ? 1 : 0));
  const dot = to[axis];
  const orth = e.map((x, i) => x - dot * to[i]);
  const norm = Math.hypot(...orth);
  const sin = Math.sqrt(Math.max(0, 1 - cos * cos));
  return to.map((x, i) => cos * x + (sin * orth[i]) / norm);
}
