import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBasicAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags, IntersectionType } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { BRANCH_PATH } from '../../shared/http/api-paths';
import { IdPipe } from '../../shared/http/id.pipe';
import { PageQuery } from '../../shared/http/paging';
import { RequireRole } from '../auth/auth.decorators';
import { BreakDto, BreakResponse, DateRangeQuery, RosterOverrideDto, TimeOffDto, UpdateBreakDto, UpdateTimeOffDto, WeeklyRosterDto } from './dto/roster.dto';
import { RostersService } from './rosters.service';

class BreakListQuery extends PageQuery {
  @ApiPropertyOptional({ name: 'from_date', example: '2026-12-01' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be YYYY-MM-DD' })
  from_date?: string;

  @ApiPropertyOptional({ name: 'to_date', example: '2026-12-07' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be YYYY-MM-DD' })
  to_date?: string;

  @ApiPropertyOptional({ name: 'staff_id' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{22}$/, { message: 'must be a staff id' })
  staff_id?: string;
}

class WorkTimeTablePageQuery extends IntersectionType(DateRangeQuery, PageQuery) {}

const STAFF = `${BRANCH_PATH}/staff/:staffId`;

@ApiTags('rosters')
@ApiBasicAuth()
@Controller()
export class RostersController {
  constructor(private readonly rosters: RostersService) {}

  @Get(`${BRANCH_PATH}/staff-work-time-table`)
  @ApiOperation({ summary: 'The rota: working intervals of every staff member between two local dates (≤31 days, not paged)' })
  workTimeTable(@Param('businessId') businessId: string, @Param('branchId', new IdPipe('branchId')) branchId: string, @Query() query: DateRangeQuery) {
    return this.rosters.workTimeTable(businessId, branchId, query.from_date, query.to_date, query.staff_id);
  }

  @Get(`${BRANCH_PATH}/staff/worktimetable`)
  @ApiOperation({ summary: 'The rota grouped per staff member (_embedded.workTimeTables), as Phorest’s live API pages it' })
  async workTimeTablePaged(@Param('businessId') businessId: string, @Param('branchId', new IdPipe('branchId')) branchId: string, @Query() query: WorkTimeTablePageQuery) {
    const entries = await this.rosters.workTimeTable(businessId, branchId, query.from_date, query.to_date, query.staff_id);
    const staffIds = [...new Set(entries.map((e) => e.staffId))];
    const page = staffIds.slice(query.page * query.size, query.page * query.size + query.size);
    return {
      _embedded: {
        workTimeTables: page.map((staffId) => ({
          staffId,
          branchId,
          timeSlots: entries
            .filter((e) => e.staffId === staffId)
            .map((e) => ({ date: e.date, startTime: e.startTime, endTime: e.endTime, startDateTime: e.startDateTime, endDateTime: e.endDateTime, type: e.type, branchId })),
        })),
      },
      page: { size: query.size, totalElements: staffIds.length, totalPages: Math.ceil(staffIds.length / query.size), number: query.page },
    };
  }

  @Get(`${STAFF}/roster`)
  @ApiOperation({ summary: 'A staff member’s weekly pattern and upcoming overrides' })
  getRoster(@Param('businessId') businessId: string, @Param('branchId', new IdPipe('branchId')) branchId: string, @Param('staffId', new IdPipe('staffId')) staffId: string) {
    return this.rosters.getRoster(businessId, branchId, staffId);
  }

  @Put(`${STAFF}/roster`)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Set the weekly working pattern (local times; replaces the previous pattern)' })
  setWeekly(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('staffId', new IdPipe('staffId')) staffId: string,
    @Body() dto: WeeklyRosterDto,
  ) {
    return this.rosters.setWeekly(businessId, branchId, staffId, dto);
  }

  @Put(`${STAFF}/roster/override/:date`)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Change one day: a day off, or different hours' })
  setOverride(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('staffId', new IdPipe('staffId')) staffId: string,
    @Param('date') date: string,
    @Body() dto: RosterOverrideDto,
  ) {
    return this.rosters.setOverride(businessId, branchId, staffId, date, dto);
  }

  @Delete(`${STAFF}/roster/override/:date`)
  @HttpCode(204)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Back to the weekly pattern for that day' })
  deleteOverride(@Param('businessId') businessId: string, @Param('staffId', new IdPipe('staffId')) staffId: string, @Param('date') date: string) {
    return this.rosters.deleteOverride(businessId, staffId, date);
  }

  @Get(`${BRANCH_PATH}/break`)
  @ApiOperation({ summary: 'Breaks of the branch’s staff (_embedded.breaks), filterable by dates and staff' })
  listBranchBreaks(@Param('businessId') businessId: string, @Param('branchId', new IdPipe('branchId')) branchId: string, @Query() query: BreakListQuery) {
    return this.rosters.listBreaks(businessId, branchId, query);
  }

  @Get(`${STAFF}/break`)
  @ApiOperation({ summary: 'A staff member’s breaks' })
  listBreaks(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('staffId', new IdPipe('staffId')) staffId: string,
    @Query() query: BreakListQuery,
  ) {
    return this.rosters.listBreaks(businessId, branchId, { ...query, staff_id: staffId });
  }

  @Post(`${STAFF}/break`)
  @RequireRole('RECEPTION')
  @ApiOperation({ summary: 'Add a break (ISO instants, or breakDate with local HH:mm times; label or the reference’s description)' })
  @ApiCreatedResponse({ type: BreakResponse })
  createBreak(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('staffId', new IdPipe('staffId')) staffId: string,
    @Body() dto: BreakDto,
  ) {
    return this.rosters.createBreak(businessId, branchId, staffId, dto);
  }

  @Get(`${STAFF}/break/:breakId`)
  @ApiOkResponse({ type: BreakResponse })
  getBreak(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('staffId', new IdPipe('staffId')) staffId: string,
    @Param('breakId', new IdPipe('breakId')) breakId: string,
  ) {
    return this.rosters.getBreak(businessId, branchId, staffId, breakId);
  }

  @Put(`${STAFF}/break/:breakId`)
  @RequireRole('RECEPTION')
  @ApiOkResponse({ type: BreakResponse })
  updateBreak(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('staffId', new IdPipe('staffId')) staffId: string,
    @Param('breakId', new IdPipe('breakId')) breakId: string,
    @Body() dto: UpdateBreakDto,
  ) {
    return this.rosters.updateBreak(businessId, branchId, staffId, breakId, dto);
  }

  @Delete(`${STAFF}/break/:breakId`)
  @HttpCode(204)
  @RequireRole('RECEPTION')
  deleteBreak(@Param('businessId') businessId: string, @Param('staffId', new IdPipe('staffId')) staffId: string, @Param('breakId', new IdPipe('breakId')) breakId: string) {
    return this.rosters.deleteBreak(businessId, staffId, breakId);
  }

  @Get(`${STAFF}/time-off`)
  @ApiOperation({ summary: 'A staff member’s time off (recent and upcoming)' })
  listTimeOff(@Param('businessId') businessId: string, @Param('branchId', new IdPipe('branchId')) branchId: string, @Param('staffId', new IdPipe('staffId')) staffId: string) {
    return this.rosters.listTimeOff(businessId, branchId, staffId);
  }

  @Post(`${STAFF}/time-off`)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Add time off (holidays, sick days): ISO instants' })
  createTimeOff(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('staffId', new IdPipe('staffId')) staffId: string,
    @Body() dto: TimeOffDto,
  ) {
    return this.rosters.createTimeOff(businessId, branchId, staffId, dto);
  }

  @Put(`${STAFF}/time-off/:timeOffId`)
  @RequireRole('MANAGER')
  updateTimeOff(
    @Param('businessId') businessId: string,
    @Param('staffId', new IdPipe('staffId')) staffId: string,
    @Param('timeOffId', new IdPipe('timeOffId')) timeOffId: string,
    @Body() dto: UpdateTimeOffDto,
  ) {
    return this.rosters.updateTimeOff(businessId, staffId, timeOffId, dto);
  }

  @Delete(`${STAFF}/time-off/:timeOffId`)
  @HttpCode(204)
  @RequireRole('MANAGER')
  deleteTimeOff(@Param('businessId') businessId: string, @Param('staffId', new IdPipe('staffId')) staffId: string, @Param('timeOffId', new IdPipe('timeOffId')) timeOffId: string) {
    return this.rosters.deleteTimeOff(businessId, staffId, timeOffId);
  }
}
