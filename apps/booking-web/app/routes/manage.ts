import Route from '@ember/routing/route';
import { service } from '@ember/service';
import type ApiService from 'booking-web/services/api';
import { ApiProblem } from 'booking-web/services/api';
import type { BookingView } from 'booking-web/lib/types';

export interface ManageModel {
  token: string;
  booking: BookingView | null;
  problem: ApiProblem | null;
}

export default class ManageRoute extends Route<ManageModel> {
  @service declare api: ApiService;

  async model(params: { token: string }): Promise<ManageModel> {
    try {
      return { token: params.token, booking: await this.api.booking(params.token), problem: null };
    } catch (err) {
      if (err instanceof ApiProblem) return { token: params.token, booking: null, problem: err };
      throw err;
    }
  }
}
