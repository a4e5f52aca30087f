import Route from '@ember/routing/route';
import { service } from '@ember/service';
import type ApiService from 'booking-web/services/api';
import { ApiProblem } from 'booking-web/services/api';
import type { BookingView } from 'booking-web/lib/types';

export interface ManageModel {
  token: string;
  /** The salon's page address when the link carried it (`?salon=`). */
  salon: string | null;
  booking: BookingView | null;
  problem: ApiProblem | null;
}

export default class ManageRoute extends Route<ManageModel> {
  @service declare api: ApiService;

  async model(params: { token: string }): Promise<ManageModel> {
    const salon = typeof window !== 'undefined' ? new URLSearchParams(window.location.search).get('salon') : null;
    try {
      return { token: params.token, salon, booking: await this.api.booking(params.token, salon), problem: null };
    } catch (err) {
      if (err instanceof ApiProblem) return { token: params.token, salon, booking: null, problem: err };
      throw err;
    }
  }
}
