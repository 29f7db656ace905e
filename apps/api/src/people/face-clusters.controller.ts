import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/auth.decorators';
import { ErrorDto } from '../common/error.dto';
import { AssignClusterDto } from './dto/assign-cluster.dto';
import { ClusterAssignedDto, FaceClusterDetailDto, FaceClusterListDto } from './dto/face-cluster.dto';
import { PageQuery } from './dto/page.query';
import { FaceClustersService } from './face-clusters.service';

const Id = () => Param('id', new ParseUUIDPipe());

@ApiTags('people')
@ApiBearerAuth()
@ApiNotFoundResponse({ type: ErrorDto, description: "no such cluster or person, or another user's" })
@Controller('v1/faces/clusters')
export class FaceClustersController {
  constructor(private readonly clusters: FaceClustersService) {}

  @Get()
  @ApiOperation({ summary: 'Unnamed faces grouped by likeness, largest group first' })
  @ApiOkResponse({ type: FaceClusterListDto })
  list(@CurrentUser() user: AuthUser, @Query() q: PageQuery): Promise<FaceClusterListDto> {
    return this.clusters.list(user, q);
  }

  @Get(':id')
  @ApiOkResponse({ type: FaceClusterDetailDto })
  get(@CurrentUser() user: AuthUser, @Id() id: string): Promise<FaceClusterDetailDto> {
    return this.clusters.get(user, id);
  }

  @Post(':id/assign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Name the cluster: its faces become the person’s, the most typical are enrolled, the library is re-matched' })
  @ApiOkResponse({ type: ClusterAssignedDto })
  assign(@CurrentUser() user: AuthUser, @Id() id: string, @Body() dto: AssignClusterDto): Promise<ClusterAssignedDto> {
    return this.clusters.assign(user, id, dto.personId);
  }
}
