import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/auth.decorators';
import { ErrorDto } from '../common/error.dto';
import { EnrolQuery } from './dto/enrol.query';
import { MergePeopleDto } from './dto/merge-people.dto';
import { PageQuery } from './dto/page.query';
import { PersonNameDto } from './dto/person-name.dto';
import { AppearanceDto, EnrolledFaceDto, PersonDto, PersonListDto } from './dto/person.dto';
import { EnrolmentService } from './enrolment.service';
import { PeopleService } from './people.service';
import { PhotoUploadErrors } from './photo-upload-errors.interceptor';

const Id = () => Param('id', new ParseUUIDPipe());

@ApiTags('people')
@ApiBearerAuth()
@ApiNotFoundResponse({ type: ErrorDto, description: "no such person, or another user's" })
@Controller('v1/people')
export class PeopleController {
  constructor(
    private readonly people: PeopleService,
    private readonly enrolment: EnrolmentService,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: PersonDto })
  create(@CurrentUser() user: AuthUser, @Body() dto: PersonNameDto): Promise<PersonDto> {
    return this.people.create(user, dto.name);
  }

  @Get()
  @ApiOperation({ summary: 'Your people, by name' })
  @ApiOkResponse({ type: PersonListDto })
  list(@CurrentUser() user: AuthUser, @Query() q: PageQuery): Promise<PersonListDto> {
    return this.people.list(user, q);
  }

  @Get(':id')
  @ApiOkResponse({ type: PersonDto })
  get(@CurrentUser() user: AuthUser, @Id() id: string): Promise<PersonDto> {
    return this.people.get(user, id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: PersonDto })
  rename(@CurrentUser() user: AuthUser, @Id() id: string, @Body() dto: PersonNameDto): Promise<PersonDto> {
    return this.people.rename(user, id, dto.name);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a person: their enrolled faces and kept photos are deleted, their scene faces become unnamed' })
  @ApiNoContentResponse({ description: 'deleted; the re-match runs in the background' })
  remove(@CurrentUser() user: AuthUser, @Id() id: string): Promise<void> {
    return this.people.remove(user, id);
  }

  @Post(':id/faces')
  @UseInterceptors(PhotoUploadErrors, FileInterceptor('image'))
  @ApiOperation({ summary: 'Enrol a face from a photo with exactly one face; the library is re-matched in the background' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['image'], properties: { image: { type: 'string', format: 'binary' } } } })
  @ApiCreatedResponse({ type: EnrolledFaceDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'no file in the field "image"' })
  @ApiUnprocessableEntityResponse({ type: ErrorDto, description: 'no face, or more than one, in the photo (the message says how many)' })
  @ApiUnsupportedMediaTypeResponse({ type: ErrorDto, description: 'not an image, not a still photo format, or animated' })
  @ApiPayloadTooLargeResponse({ type: ErrorDto, description: 'too many bytes (FACE_PHOTO_MAX_BYTES) or pixels (FACE_PHOTO_MAX_PIXELS)' })
  @ApiServiceUnavailableResponse({ type: ErrorDto, description: 'face detection is switched off or its model failed to load' })
  enrol(
    @CurrentUser() user: AuthUser,
    @Id() id: string,
    @Query() q: EnrolQuery,
    @UploadedFile() image: Express.Multer.File | undefined,
  ): Promise<EnrolledFaceDto> {
    return this.enrolment.enrol(user, id, image?.buffer, q.keepPhoto === 'true');
  }

  @Get(':id/faces')
  @ApiOperation({ summary: "The person's enrolled faces, per face model" })
  @ApiOkResponse({ type: [EnrolledFaceDto] })
  faces(@CurrentUser() user: AuthUser, @Id() id: string): Promise<EnrolledFaceDto[]> {
    return this.people.enrolments(user, id);
  }

  @Delete(':id/faces/:faceId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove one enrolled face (and its kept photo)' })
  @ApiNoContentResponse({ description: 'removed; the re-match runs in the background' })
  removeFace(@CurrentUser() user: AuthUser, @Id() id: string, @Param('faceId', new ParseUUIDPipe()) faceId: string): Promise<void> {
    return this.people.removeEnrolment(user, id, faceId);
  }

  @Get(':id/appearances')
  @ApiOperation({ summary: 'Scenes the person was found in: newest video first, then by time' })
  @ApiOkResponse({ type: [AppearanceDto] })
  appearances(@CurrentUser() user: AuthUser, @Id() id: string): Promise<AppearanceDto[]> {
    return this.people.appearances(user, id);
  }

  @Post(':id/merge')
  @HttpCode(200)
  @ApiOperation({ summary: 'Merge fromPersonId into this person: every face moves here, fromPersonId is deleted' })
  @ApiOkResponse({ type: PersonDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'fromPersonId is this person' })
  merge(@CurrentUser() user: AuthUser, @Id() id: string, @Body() dto: MergePeopleDto): Promise<PersonDto> {
    return this.people.merge(user, id, dto.fromPersonId);
  }
}
