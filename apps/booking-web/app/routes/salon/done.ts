import { service } from '@ember/service';
import StepRoute from 'booking-web/lib/step-route';
import type ApiService from 'booking-web/services/api';

export default class DoneRoute extends StepRoute {
  @service declare api: ApiService;

  async beforeModel() {
    if (this.flow.done) return;
    const token = this.flow.savedDoneToken;
    if (token) {
      try {
        this.flow.done = await this.api.booking(token, this.flow.salon?.slug);
        return;
      } catch {
        /* start again */
      }
    }
    this.router.replaceWith('salon.index');
  }
}
