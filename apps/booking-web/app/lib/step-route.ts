import Route from '@ember/routing/route';
import { service } from '@ember/service';
import type RouterService from '@ember/routing/router-service';
import type BookingFlowService from 'booking-web/services/booking-flow';

/** Steps that need the ones before them: a deep link or reload without them starts earlier. */
export default class StepRoute extends Route {
  @service('booking-flow') declare flow: BookingFlowService;
  @service declare router: RouterService;

  needsBasket(): boolean {
    if (this.flow.basket.length) return true;
    this.router.replaceWith('salon.index');
    return false;
  }

  needsSlot(): boolean {
    if (!this.needsBasket()) return false;
    if (this.flow.slot) return true;
    this.router.replaceWith('salon.time');
    return false;
  }
}
