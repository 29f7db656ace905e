import {
  BadRequestException,
  CallHandler,
  ExecutionContext,
  HttpException,
  Inject,
  Injectable,
  NestInterceptor,
  PayloadTooLargeException,
} from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { catchError, Observable, throwError } from 'rxjs';

/**
 * Sits outside FileInterceptor('image') and words multer's limit errors for people: which
 * limit, and what to send instead.
 */
@Injectable()
export class PhotoUploadErrors implements NestInterceptor {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  intercept(_ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(catchError((err: unknown) => throwError(() => this.reword(err))));
  }

  private reword(err: unknown): unknown {
    if (!(err instanceof HttpException)) return err;
    const message = err.message;
    if (err instanceof PayloadTooLargeException && message === 'File too large') {
      return new PayloadTooLargeException(`the photo is larger than ${this.config.ml.facePhotoMaxBytes} bytes (FACE_PHOTO_MAX_BYTES)`);
    }
    if (message === 'Unexpected file field' || message === 'Too many files') {
      return new BadRequestException('send exactly one file, in the multipart field "image"');
    }
    return err;
  }
}
