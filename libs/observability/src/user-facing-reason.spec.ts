import { userFacingReason } from './user-facing-reason';

describe('userFacingReason', () => {
  it('removes temp paths and ffmpeg memory addresses, keeps what went wrong', () => {
    const raw =
      'ffprobe failed on /tmp/heimdex-upload_validate-6jBGGB/source: [mov,mp4,m4a,3gp,3g2,mj2 @ 0x2fbb9240] moov atom not found\n/tmp/heimdex-upload_validate-6jBGGB/source: Invalid data found when processing input';
    const out = userFacingReason(raw);
    expect(out).not.toMatch(/heimdex-upload_validate|0x2fbb9240|\/tmp/);
    expect(out).toContain('moov atom not found');
    expect(out).toContain('Invalid data found when processing input');
  });

  it('removes the model folder from model reasons', () => {
    const out = userFacingReason('no clip model in /srv/heimdex/.data/models (npm run models -- pull, or put one there)');
    expect(out).toBe('no clip model in <server path> (npm run models -- pull, or put one there)');
  });

  it('leaves URLs, ratios and ordinary text alone, and caps the length', () => {
    expect(userFacingReason('see http://localhost:3000/docs, 24/7 and w/o')).toBe('see http://localhost:3000/docs, 24/7 and w/o');
    expect(userFacingReason('x'.repeat(2000)).length).toBe(500);
  });
});
