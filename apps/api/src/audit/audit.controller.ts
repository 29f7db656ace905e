import { Controller, Get, HttpException, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { Roles } from '../auth/auth.decorators';
import { ErrorDto } from '../common/error.dto';
import { Audit } from './audit.decorators';
import { AuditService } from './audit.service';
import { AuditExportQuery, AuditListQuery } from './dto/audit-query';
import { AuditPageDto, AuditVerifyDto } from './dto/audit-event.dto';

@ApiTags('admin')
@ApiBearerAuth()
@ApiForbiddenResponse({ type: ErrorDto, description: 'not an admin (the attempt is audited)' })
@Roles('admin')
@Audit({ resourceType: 'audit' })
@Controller('v1/admin/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Audit({ action: 'audit.list' })
  @ApiOperation({ summary: 'Audit events, newest first, filtered; keyset-paginated' })
  @ApiOkResponse({ type: AuditPageDto })
  list(@Query() q: AuditListQuery): Promise<AuditPageDto> {
    return this.audit.list(q);
  }

  @Get('export')
  @Audit({ action: 'audit.export' })
  @ApiOperation({ summary: 'Every matching event, oldest first, streamed as CSV or NDJSON' })
  @ApiProduces('application/x-ndjson', 'text/csv')
  @ApiOkResponse({ description: 'a CSV (with a header row) or NDJSON stream' })
  async export(@Query() q: AuditExportQuery, @Res() res: Response): Promise<void> {
    const format = q.format ?? 'ndjson';
    res.setHeader('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="heimdex-audit.${format}"`);
    try {
      await pipeline(this.audit.export(q, format), res);
    } catch (err) {
      // The reader left: recorded as such (nginx's 499), not as a server fault.
      if ((err as { code?: unknown }).code === 'ERR_STREAM_PREMATURE_CLOSE')
        throw new HttpException('the client closed the connection before the export finished', 499);
      throw err;
    }
  }

  @Get('verify')
  @Audit({ action: 'audit.verify' })
  @ApiOperation({ summary: "Recomputes the audit log's hash chain; reports the first event that does not fit" })
  @ApiOkResponse({ type: AuditVerifyDto })
  verify(): Promise<AuditVerifyDto> {
    return this.audit.verify();
  }
}
