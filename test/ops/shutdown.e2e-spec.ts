import { media } from '../helpers/media';
import { startTestStack } from '../helpers/test-stack';
import { bearer, hsToken } from '../helpers/tokens';
import { VideosClient } from '../helpers/videos-client';

describe('graceful shutdown', () => {
  it('closes the api with an event stream still open, ending the stream', async () => {
    const stack = await startTestStack();
    const token = await hsToken();
    const created = await new VideosClient(stack.baseUrl, token).create(media.video(1));
    const res = await fetch(`${stack.baseUrl}/v1/videos/${created.video.id}/events`, { headers: bearer(token) });
    const reader = res.body!.getReader();
    let first = '';
    while (!first.includes('\n\n', first.indexOf('data:'))) first += new TextDecoder().decode((await reader.read()).value);
    expect(first).toMatch(/event: progress/);
    expect(first).toMatch(/"state":"uploading"/);

    const t0 = Date.now();
    await stack.close();
    expect(Date.now() - t0).toBeLessThan(3_000); // it did not wait for the 3 s drain deadline
    // the server ended the stream rather than leaving the client hanging
    let done = false;
    while (!done) done = (await reader.read()).done;
    expect(done).toBe(true);
  });
});
