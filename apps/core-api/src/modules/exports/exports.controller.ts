import { Body, Controller, Get, Param, Post, Query, Req, Res, StreamableFile, UseInterceptors } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { BRANCH_PATH } from '../../shared/http/api-paths';
import { EtagInterceptor } from '../../shared/http/etag.interceptor';
import { IdPipe } from '../../shared/http/id.pipe';
import { PageQuery } from '../../shared/http/paging';
import { CurrentPrincipal, Public, RequireRole } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { CreateExportJobDto, DownloadQuery } from './dto/export.dto';
import { ExportsService } from './exports.service';

const JOBS = `${BRANCH_PATH}/csvexportjob`;
const JOB = `${JOBS}/:jobId`;

type Request = { protocol: string; headers: Record<string, string | string[] | undefined> };
type Reply = { header(name: string, value: string): Reply };

/** Where this request reached us (behind a load balancer: its forwarded scheme and host). */
function baseUrlOf(req: Request): string {
  const host = [req.headers['x-forwarded-host'] ?? req.headers['host']].flat()[0] ?? 'localhost';
  return `${req.protocol}://${host.split(',')[0].trim()}`;
}

@ApiTags('csv exports')
@ApiBasicAuth()
@Controller()
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Post(JOBS)
  @RequireRole('MANAGER')
  @ApiOperation({
    summary:
      'Start a CSV export (TRANSACTIONS_CSV between startFilter and finishFilter, or CLIENT_CSV); poll it for tempCsvExternalUrl (also as downloadUrl)',
  })
  create(
    @CurrentPrincipal() principal: Principal,
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Body() dto: CreateExportJobDto,
    @Req() req: Request,
  ) {
    return this.exports.create(principal, businessId, branchId, dto, baseUrlOf(req));
  }

  @Get(JOBS)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'The branch’s exports, newest first (_embedded.csvExportJobs)' })
  list(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Query() query: PageQuery,
    @Req() req: Request,
  ) {
    return this.exports.list(businessId, branchId, query, baseUrlOf(req));
  }

  @Get(JOB)
  @RequireRole('MANAGER')
  @UseInterceptors(EtagInterceptor)
  @ApiOperation({
    summary:
      'An export’s state, as jobStatus (PENDING|IN_PROGRESS|DONE|FAILED) and as status (PENDING|IN_PROGRESS|COMPLETE|FAILED), progress (totalRows, succeededRows) and download link (tempCsvExternalUrl, also as downloadUrl). ETag; 304 to a matching If-None-Match',
  })
  get(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('jobId', new IdPipe('jobId')) jobId: string,
    @Req() req: Request,
  ) {
    return this.exports.get(businessId, branchId, jobId, baseUrlOf(req));
  }

  @Get(`${JOB}/download`)
  @Public()
  @ApiProduces('text/csv')
  @ApiOperation({
    summary: 'The CSV file: the link in tempCsvExternalUrl, which carries its own token (no credentials needed; valid 24 hours)',
  })
  async download(
    @Param('businessId', new IdPipe('businessId')) businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('jobId', new IdPipe('jobId')) jobId: string,
    @Query() query: DownloadQuery,
    @Res({ passthrough: true }) reply: Reply,
  ) {
    const file = await this.exports.download(businessId, branchId, jobId, query.token);
    reply.header('Cache-Control', 'private, no-store');
    return new StreamableFile(file.stream, {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="${file.filename}"`,
      length: file.size || undefined,
    });
  }
}
