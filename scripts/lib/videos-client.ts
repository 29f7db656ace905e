import { readFileSync, statSync } from 'node:fs';
import request from 'supertest';
import { eventually, FatalCheckError } from './eventually';
import { bearer } from './tokens';

export interface CreatedVideo {
  video: { id: string; state: string };
  upload: { url: string; method: 'PUT'; headers: Record<string, string>; expiresAt: string };
}

/** The client side of the upload flow, as a real client does it: create, PUT the bytes, complete. */
export class VideosClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async create(file: string, extra: Record<string, unknown> = {}): Promise<CreatedVideo> {
    const res = await request(this.baseUrl)
      .post('/v1/videos')
      .set(bearer(this.token))
      .send({ filename: file.split('/').pop(), contentType: 'video/mp4', sizeBytes: statSync(file).size, ...extra })
      .expect(201);
    return res.body as CreatedVideo;
  }

  async put(created: CreatedVideo, file: string): Promise<Response> {
    return fetch(created.upload.url, { method: 'PUT', headers: created.upload.headers, body: readFileSync(file) });
  }

  complete(id: string) {
    return request(this.baseUrl).post(`/v1/videos/${id}/complete`).set(bearer(this.token));
  }

  get(id: string) {
    return request(this.baseUrl).get(`/v1/videos/${id}`).set(bearer(this.token));
  }

  /** create + PUT + complete; returns the video id. */
  async upload(file: string, extra: Record<string, unknown> = {}): Promise<string> {
    const created = await this.create(file, extra);
    const put = await this.put(created, file);
    if (!put.ok) throw new Error(`PUT failed: ${put.status} ${await put.text()}`);
    await this.complete(created.video.id).expect(202);
    return created.video.id;
  }

  /** Polls the video until it is indexed; a failed video stops the wait at once with its error. */
  async indexed(id: string, timeoutMs = 150_000) {
    return eventually(
      async () => {
        const v = (await this.get(id)).body;
        if (v.state === 'failed') throw new FatalCheckError(`video failed: ${v.error}`);
        return v.state === 'indexed' ? v : undefined;
      },
      timeoutMs,
      1000,
    );
  }
}
