import { Controller, Get, HttpCode, Post, Query, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/auth.decorators';
import { ErrorDto } from '../common/error.dto';
import { SearchFiltersQuery, SearchQuery } from './dto/search.query';
import { SearchResultDto } from './dto/search-result.dto';
import { SearchService } from './search.service';

@ApiTags('search')
@ApiBearerAuth()
@ApiBadRequestResponse({ type: ErrorDto, description: 'a bad parameter or cursor' })
@ApiNotFoundResponse({ type: ErrorDto, description: "videoId or personId is not the caller's" })
@Controller('v1/search')
export class SearchController {
  constructor(private readonly search: SearchService) {}

  @Get()
  @ApiOperation({ summary: "Scenes of the caller's indexed videos, one ranked list fused from full text, text and picture embeddings and people" })
  @ApiOkResponse({ type: SearchResultDto })
  find(@CurrentUser() user: AuthUser, @Query() query: SearchQuery): Promise<SearchResultDto> {
    return this.search.search(user, query);
  }

  @Post('image')
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('image'))
  @ApiOperation({ summary: 'Scenes that look like the uploaded picture (CLIP)' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['image'], properties: { image: { type: 'string', format: 'binary' } } } })
  @ApiOkResponse({ type: SearchResultDto })
  @ApiPayloadTooLargeResponse({ type: ErrorDto, description: 'the picture is larger than SEARCH_IMAGE_MAX_BYTES' })
  @ApiUnsupportedMediaTypeResponse({ type: ErrorDto, description: 'the upload is not a picture' })
  @ApiServiceUnavailableResponse({ type: ErrorDto, description: 'no CLIP model is installed' })
  findByImage(
    @CurrentUser() user: AuthUser,
    @UploadedFile() image: Express.Multer.File | undefined,
    @Query() query: SearchFiltersQuery,
  ): Promise<SearchResultDto> {
    return this.search.searchImage(user, image?.buffer, query);
  }
}
