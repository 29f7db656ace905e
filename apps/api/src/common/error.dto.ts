import { ApiProperty } from '@nestjs/swagger';

/** Every error response has this shape (API.md). */
export class ErrorDto {
  @ApiProperty({ example: 404 }) statusCode!: number;
  @ApiProperty({ example: 'Not Found' }) error!: string;
  @ApiProperty({ example: 'video not found' }) message!: string;
  @ApiProperty({ example: '9b1c7a1e-2f7e-4d8e-9d4c-2b0c3e6b1a7f' }) requestId!: string;
}
