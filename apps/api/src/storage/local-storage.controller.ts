import {
  BadRequestException,
  ConflictException,
  Controller,
  ForbiddenException,
  Get,
  Head,
  HttpException,
  Inject,
  NotFoundException,
  Param,
  PayloadTooLargeException,
  Put,
  Req,
  Res,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { InvalidObjectKeyError, LocalDiskStorage, OBJECT_STORAGE, ObjectStorage, ObjectTooLargeError, UploadClosedError } from '@heimdex/storage';
import type { Request, Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { UploadGate } from './upload-gate';
import { UploadSlots } from './upload-slots';

/** The signed parameters are read from the raw query string: the global validation pipe must not see them. */
type Query = Record<string, string | string[] | undefined>;

/**
 * The embedded storage's presigned endpoint: PUT and GET of objects by HMAC-signed, expiring
 * URLs that LocalDiskStorage issued. The signature is the only credential, as with S3.
 */
@ApiExcludeController()
@Public()
@Controller('storage')
export class LocalStorageController {
  private readonly storage: LocalDiskStorage;

  constructor(
    @Inject(OBJECT_STORAGE) storage: ObjectStorage,
    private readonly gate: UploadGate,
    private readonly slots: UploadSlots,
  ) {
    if (!(storage instanceof LocalDiskStorage)) throw new Error('LocalStorageController needs the local storage driver');
    this.storage = storage;
  }

  @Put(':bucket/*key')
  async put(@Param('bucket') bucket: string, @Param('key') key: string[], @Req() req: Request, @Res() res: Response): Promise<void> {
    // A rejected upload leaves its body unread; closing the connection after the response keeps a
    // client that is still sending from pinning the socket (and shutdown) open.
    res.setHeader('Connection', 'close');
    const objectKey = key.join('/');
    const grant = this.verify('PUT', bucket, objectKey, req.query as Query);
    const contentType = req.headers['content-type'] ?? '';
    if (grant.contentType && contentType !== grant.contentType) {
      throw new BadRequestException(`Content-Type must be ${grant.contentType} as signed`);
    }
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (grant.maxBytes !== undefined && Number.isFinite(declared) && declared > grant.maxBytes) {
      throw new PayloadTooLargeException(`this upload URL accepts at most ${grant.maxBytes} bytes`);
    }
    const mayCommit = () => this.gate.isOpen(objectKey);
    if (!(await mayCommit())) throw new ConflictException(UPLOAD_CLOSED);
    const slot = this.slots.acquire(objectKey);
    if ('refused' in slot) {
      if (slot.refused === 'key-busy') throw new ConflictException('an upload to this URL is already in progress');
      throw new HttpException('too many uploads in progress for this user; retry when one has finished', 429);
    }
    try {
      const { size } = await this.storage.writeFromStream(objectKey, req, { maxBytes: grant.maxBytes ?? Number.MAX_SAFE_INTEGER, contentType, mayCommit });
      res.status(200).setHeader('ETag', `"${size}"`).end();
    } catch (err: unknown) {
      if (err instanceof ObjectTooLargeError) throw new PayloadTooLargeException(`this upload URL accepts at most ${grant.maxBytes} bytes`);
      if (err instanceof InvalidObjectKeyError) throw new BadRequestException(err.message);
      if (err instanceof UploadClosedError) throw new ConflictException(UPLOAD_CLOSED);
      throw err;
    } finally {
      slot.release();
    }
  }

  @Get(':bucket/*key')
  get(@Param('bucket') bucket: string, @Param('key') key: string[], @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.serve('GET', bucket, key.join('/'), req, res);
  }

  @Head(':bucket/*key')
  head(@Param('bucket') bucket: string, @Param('key') key: string[], @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.serve('HEAD', bucket, key.join('/'), req, res);
  }

  private async serve(method: 'GET' | 'HEAD', bucket: string, key: string, req: Request, res: Response): Promise<void> {
    const grant = this.verify('GET', bucket, key, req.query as Query);
    const range = parseRange(req.headers.range);
    const opened = await this.storage.openReadStream(key, range ?? undefined);
    if (!opened) throw new NotFoundException('no such object');
    const { stream, size, contentType } = opened;
    res.setHeader('Accept-Ranges', 'bytes');
    res.setHeader('Content-Type', contentType ?? 'application/octet-stream');
    if (grant.downloadName) res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(grant.downloadName)}`);
    if (range) {
      const end = Math.min(range.end ?? size - 1, size - 1);
      if (range.start >= size || end < range.start) {
        stream.destroy();
        res.status(416).setHeader('Content-Range', `bytes */${size}`).end();
        return;
      }
      res
        .status(206)
        .setHeader('Content-Range', `bytes ${range.start}-${end}/${size}`)
        .setHeader('Content-Length', String(end - range.start + 1));
    } else {
      res.status(200).setHeader('Content-Length', String(size));
    }
    if (method === 'HEAD') {
      stream.destroy();
      res.end();
      return;
    }
    stream.pipe(res);
  }

  private verify(method: 'PUT' | 'GET', bucket: string, key: string, query: Query) {
    const result = this.storage.verifySignedRequest({ method, bucket, key, query });
    if (!result.ok) {
      if (result.status === 400) throw new BadRequestException(result.reason);
      throw new ForbiddenException(result.reason);
    }
    return result;
  }
}

const UPLOAD_CLOSED = 'this upload is closed: the video was completed or deleted, so its source can no longer be replaced';

function parseRange(header: string | undefined): { start: number; end?: number } | null {
  if (!header) return null;
  // At most 15 digits: every such number is a safe integer, and no object is larger.
  const m = /^bytes=(\d{1,15})-(\d{0,15})$/.exec(header.trim());
  if (!m) throw new HttpException('only single byte ranges (bytes=start-end, at most 15 digits each) are supported', 416);
  return { start: Number(m[1]), end: m[2] ? Number(m[2]) : undefined };
}
