import { Controller, Param, Post } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BRANCH_PATH } from '../../shared/http/api-paths';
import { IdPipe } from '../../shared/http/id.pipe';
import { CurrentPrincipal } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { AppointmentScreenGateway } from './appointment-screen.gateway';

@ApiTags('appointments and bookings')
@ApiBasicAuth()
@Controller()
export class AppointmentScreenController {
  constructor(private readonly gateway: AppointmentScreenGateway) {}

  @Post(`${BRANCH_PATH}/appointment-screen/ticket`)
  @ApiOperation({ summary: 'A one-use ticket (60 s) to open the live appointment screen WebSocket from a browser' })
  ticket(@CurrentPrincipal() principal: Principal, @Param('businessId') businessId: string, @Param('branchId', new IdPipe('branchId')) branchId: string) {
    return this.gateway.issueTicket(principal.userId, businessId, branchId);
  }
}
