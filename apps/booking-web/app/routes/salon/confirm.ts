import { service } from '@ember/service';
import StepRoute from 'booking-web/lib/step-route';
import type ApiService from 'booking-web/services/api';

export default class ConfirmRoute extends StepRoute {
  @service declare api: ApiService;

  async beforeModel() {
    if (this.flow.hold) return;
    // After a reload: the hold saved in this tab, if it is still a hold.
    const token = this.flow.savedHoldToken;
    if (token) {
      try {
        const view = await this.api.booking(token, this.flow.salon?.slug);
        if (view.status === 'HELD' && view.holdExpiresAt && Date.parse(view.holdExpiresAt) > Date.now()) {
          this.flow.setHold(view);
          return;
        }
      } catch {
        /* fall through to picking a time */
      }
    }
    if (this.needsBasket()) this.router.replaceWith('salon.time');
  }
}
