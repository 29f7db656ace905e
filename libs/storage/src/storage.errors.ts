/** Base class of every error this library throws on purpose, so callers can tell them from I/O failures. */
export abstract class StorageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A key or prefix that is empty, absolute, has `.`/`..`/empty segments, control characters or backslashes, or is too long. */
export class InvalidObjectKeyError extends StorageError {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`invalid object key ${JSON.stringify(key)}: ${reason}`);
  }
}

/** More bytes arrived than the upload allows; nothing was stored. */
export class ObjectTooLargeError extends StorageError {
  constructor(readonly maxBytes: number) {
    super(`the object is larger than the ${maxBytes} bytes allowed`);
  }
}

/** The upload this URL was signed for is closed (completed or deleted): nothing was stored. */
export class UploadClosedError extends StorageError {
  constructor(readonly key: string) {
    super(`uploads to ${JSON.stringify(key)} are closed`);
  }
}

export class ObjectNotFoundError extends StorageError {
  constructor(
    readonly bucket: string,
    readonly key: string,
  ) {
    super(`no object ${JSON.stringify(key)} in bucket ${JSON.stringify(bucket)}`);
  }
}

export class BucketNotFoundError extends StorageError {
  constructor(readonly bucket: string) {
    super(`bucket ${JSON.stringify(bucket)} does not exist: call ensureBucket() first`);
  }
}

/** The driver's settings cannot work (bad endpoint URL, bucket name, region...). Thrown by constructors. */
export class StorageConfigError extends StorageError {}
