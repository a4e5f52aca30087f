import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PageQuery } from '../api/paging';
import { CoreApiAuthGuard, CurrentPrincipal, MinRole } from '../auth/core-api-auth.guard';
import type { Principal } from '../auth/principal';
import { CampaignPreviewDto, CreateCampaignDto, SendCampaignDto } from './campaign.dto';
import { CampaignsService } from './campaigns.service';

@ApiTags('campaigns')
@ApiBasicAuth()
@UseGuards(CoreApiAuthGuard)
@Controller('messaging/business/:businessId/campaigns')
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Post('preview')
  @HttpCode(200)
  @MinRole('MANAGER')
  @ApiOperation({ summary: 'Audience size of a segment (with consent for the channel) and the rendered message' })
  preview(@Param('businessId') businessId: string, @Body() dto: CampaignPreviewDto) {
    return this.campaigns.preview(businessId, dto);
  }

  @Post()
  @MinRole('MANAGER')
  @ApiOperation({ summary: 'Create a campaign (draft)' })
  create(@Param('businessId') businessId: string, @CurrentPrincipal() principal: Principal, @Body() dto: CreateCampaignDto) {
    return this.campaigns.create(businessId, principal.userId, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Campaigns, newest first, with progress counts' })
  list(@Param('businessId') businessId: string, @Query() query: PageQuery) {
    return this.campaigns.list(businessId, query);
  }

  @Get(':campaignId')
  @ApiOperation({ summary: 'A campaign with its progress (queued, sent, delivered, failed, blocked, cancelled)' })
  get(@Param('businessId') businessId: string, @Param('campaignId') campaignId: string) {
    return this.campaigns.get(businessId, campaignId);
  }

  @Post(':campaignId/send')
  @HttpCode(200)
  @MinRole('MANAGER')
  @ApiOperation({ summary: 'Send now, or schedule with scheduledAt' })
  send(@Param('businessId') businessId: string, @Param('campaignId') campaignId: string, @Body() dto: SendCampaignDto) {
    return this.campaigns.send(businessId, campaignId, dto.scheduledAt);
  }

  @Post(':campaignId/cancel')
  @HttpCode(200)
  @MinRole('MANAGER')
  @ApiOperation({ summary: 'Cancel: nothing more is queued and queued messages are not sent' })
  cancel(@Param('businessId') businessId: string, @Param('campaignId') campaignId: string) {
    return this.campaigns.cancel(businessId, campaignId);
  }
}
