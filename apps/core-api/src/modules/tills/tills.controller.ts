import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, UseInterceptors } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BRANCH_PATH } from '../../shared/http/api-paths';
import { EtagInterceptor } from '../../shared/http/etag.interceptor';
import { IdPipe } from '../../shared/http/id.pipe';
import { PageQuery } from '../../shared/http/paging';
import { CurrentPrincipal, RequireRole } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { ArchivableListQuery } from '../catalogue/shared/catalogue.dto';
import { CloseTillDto, CreateTillDto, OpenTillDto, TillBalanceQuery, UpdateTillDto } from './dto/till.dto';
import { TillsService } from './tills.service';

const TILLS = `${BRANCH_PATH}/till`;
const TILL = `${TILLS}/:tillId`;

@ApiTags('till')
@ApiBasicAuth()
@Controller()
export class TillsController {
  constructor(private readonly tills: TillsService) {}

  @Get(TILLS)
  @RequireRole('RECEPTION')
  @ApiOperation({ summary: 'The branch’s tills (_embedded.tills), each with its open session' })
  list(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Query() query: ArchivableListQuery,
  ) {
    return this.tills.list(businessId, branchId, query);
  }

  @Post(TILLS)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Add a till' })
  create(@Param('businessId') businessId: string, @Param('branchId', new IdPipe('branchId')) branchId: string, @Body() dto: CreateTillDto) {
    return this.tills.create(businessId, branchId, dto);
  }

  @Get(TILL)
  @RequireRole('RECEPTION')
  @UseInterceptors(EtagInterceptor)
  @ApiOperation({ summary: 'A till (ETag)' })
  get(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('tillId', new IdPipe('tillId')) tillId: string,
  ) {
    return this.tills.get(businessId, branchId, tillId);
  }

  @Put(TILL)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Rename or archive a till; send the version you read' })
  update(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('tillId', new IdPipe('tillId')) tillId: string,
    @Body() dto: UpdateTillDto,
  ) {
    return this.tills.update(businessId, branchId, tillId, dto);
  }

  @Post(`${TILL}/open`)
  @RequireRole('RECEPTION')
  @ApiOperation({ summary: 'Open a till session with its float (409 TILL_ALREADY_OPEN)' })
  open(
    @CurrentPrincipal() principal: Principal,
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('tillId', new IdPipe('tillId')) tillId: string,
    @Body() dto: OpenTillDto,
  ) {
    return this.tills.open(principal, businessId, branchId, tillId, dto);
  }

  @Post(`${TILL}/close`)
  @HttpCode(200)
  @RequireRole('RECEPTION')
  @ApiOperation({ summary: 'Close the open session with the cash counted (and other tenders’ totals); answers the balance' })
  close(
    @CurrentPrincipal() principal: Principal,
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('tillId', new IdPipe('tillId')) tillId: string,
    @Body() dto: CloseTillDto,
  ) {
    return this.tills.close(principal, businessId, branchId, tillId, dto);
  }

  @Get(`${TILL}/balance`)
  @RequireRole('RECEPTION')
  @ApiOperation({
    summary:
      'Expected against counted, by tender (Phorest: expectedCash, countedCash), for the open or last session; sessionOpen says whether a session is open. A till never opened answers zeros (tillSessionId null, status CLOSED, sessionOpen false)',
  })
  balance(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('tillId', new IdPipe('tillId')) tillId: string,
    @Query() query: TillBalanceQuery,
  ) {
    return this.tills.balance(businessId, branchId, tillId, query);
  }

  @Get(`${TILL}/session`)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'The till’s sessions, newest first (_embedded.tillSessions), each with its balance' })
  sessions(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('tillId', new IdPipe('tillId')) tillId: string,
    @Query() query: PageQuery,
  ) {
    return this.tills.sessions(businessId, branchId, tillId, query);
  }
}
