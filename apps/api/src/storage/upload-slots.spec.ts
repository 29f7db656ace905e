import { UploadSlots } from './upload-slots';

describe('UploadSlots', () => {
  it('allows one upload per key and a few per owner, and frees them on release', () => {
    const slots = new UploadSlots(2);
    const a = slots.acquire('videos/u1/v1/source');
    expect('release' in a).toBe(true);
    expect(slots.acquire('videos/u1/v1/source')).toEqual({ refused: 'key-busy' });
    const b = slots.acquire('videos/u1/v2/source');
    expect(slots.acquire('videos/u1/v3/source')).toEqual({ refused: 'owner-busy' });
    expect('release' in slots.acquire('videos/u2/v9/source')).toBe(true);
    if ('release' in a) {
      a.release();
      a.release();
    }
    expect('release' in slots.acquire('videos/u1/v1/source')).toBe(true);
    expect('release' in b).toBe(true);
  });
});
