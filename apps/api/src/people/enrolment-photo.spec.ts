import { PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import sharp from 'sharp';
import { prepareEnrolmentPhoto } from './enrolment-photo';

const photo = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#336699' } })
    .jpeg()
    .toBuffer();

describe('prepareEnrolmentPhoto', () => {
  it('turns an EXIF-rotated photo upright and drops its metadata', async () => {
    const sideways = await sharp(await photo(300, 200))
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    const out = await prepareEnrolmentPhoto(sideways, 1_000_000);
    expect([out.width, out.height]).toEqual([200, 300]);
    const meta = await sharp(out.jpeg).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 200, height: 300 });
    expect(meta.orientation).toBeUndefined();
  });

  it('refuses a truncated photo with 415, and one over the pixel limit with 413 before decoding it', async () => {
    const whole = await photo(400, 400);
    await expect(prepareEnrolmentPhoto(whole.subarray(0, Math.floor(whole.length / 2)), 1_000_000)).rejects.toThrow(
      new UnsupportedMediaTypeException('the jpeg image could not be decoded; it may be truncated or corrupt'),
    );
    await expect(prepareEnrolmentPhoto(whole, 400 * 400 - 1)).rejects.toBeInstanceOf(PayloadTooLargeException);
    await expect(prepareEnrolmentPhoto(Buffer.alloc(0), 1_000_000)).rejects.toBeInstanceOf(UnsupportedMediaTypeException);
  });
});
