import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { BRANCH_PATH } from '../../shared/http/api-paths';
import { IdPipe } from '../../shared/http/id.pipe';
import { RequireRole } from '../auth/auth.decorators';
import { ReportQuery, RetentionQuery } from './dto/report.dto';
import { ReportsService } from './reports.service';
import { barChart, columnChart } from './svg';

const REPORT = `${BRANCH_PATH}/report`;

type Reply = { header(name: string, value: string): Reply };

function svg(reply: Reply, body: string): string {
  reply.header('Content-Type', 'image/svg+xml; charset=utf-8').header('Cache-Control', 'private, max-age=60');
  return body;
}

@ApiTags('reports')
@ApiBasicAuth()
@Controller()
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get(`${REPORT}/revenue`)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Revenue by day, staff, service and product with the tax split (local dates, ≤366 days; staff_id to narrow)' })
  revenue(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Query() query: ReportQuery,
  ) {
    return this.reports.revenue(businessId, branchId, query);
  }

  @Get(`${REPORT}/revenue.svg`)
  @RequireRole('MANAGER')
  @ApiProduces('image/svg+xml')
  @ApiOperation({ summary: 'Revenue by day as an SVG column chart' })
  async revenueChart(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Query() query: ReportQuery,
    @Res({ passthrough: true }) reply: Reply,
  ) {
    const r = await this.reports.revenue(businessId, branchId, query);
    return svg(
      reply,
      columnChart(
        `Revenue by day, ${r.fromDate} to ${r.toDate} (${r.currencyCode})`,
        r.byDay.map((d) => ({ label: d.date.slice(5), value: d.total, display: d.total.toFixed(2) })),
        { unit: r.currencyCode },
      ),
    );
  }

  @Get(`${REPORT}/appointments`)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Appointments booked, completed, cancelled, no-shows and no-show rate, online against front desk' })
  appointments(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Query() query: ReportQuery,
  ) {
    return this.reports.appointments(businessId, branchId, query);
  }

  @Get(`${REPORT}/utilisation`)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Staff utilisation: booked hours over rostered hours (breaks and time off excluded)' })
  utilisation(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Query() query: ReportQuery,
  ) {
    return this.reports.utilisation(businessId, branchId, query);
  }

  @Get(`${REPORT}/utilisation.svg`)
  @RequireRole('MANAGER')
  @ApiProduces('image/svg+xml')
  @ApiOperation({ summary: 'Utilisation by staff as an SVG bar chart' })
  async utilisationChart(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Query() query: ReportQuery,
    @Res({ passthrough: true }) reply: Reply,
  ) {
    const r = await this.reports.utilisation(businessId, branchId, query);
    return svg(
      reply,
      barChart(
        `Utilisation by staff, ${r.fromDate} to ${r.toDate}`,
        r.byStaff.map((s) => ({
          label: s.name,
          value: s.utilisation ?? 0,
          display: s.utilisation === null ? 'not rostered' : `${Math.round(s.utilisation * 100)}%`,
        })),
        { max: 1 },
      ),
    );
  }

  @Get(`${REPORT}/retention`)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Client retention: the share of clients who visited in the range and came back within `weeks`' })
  retention(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Query() query: RetentionQuery,
  ) {
    return this.reports.retention(businessId, branchId, query);
  }

  @Get(`${REPORT}/stock`)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Stock valuation (at cost and retail) and the low-stock list' })
  stock(@Param('businessId') businessId: string, @Param('branchId', new IdPipe('branchId')) branchId: string) {
    return this.reports.stock(businessId, branchId);
  }
}
