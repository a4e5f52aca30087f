import Route from '@ember/routing/route';
import { service } from '@ember/service';
import type BookingFlowService from 'booking-web/services/booking-flow';
import type { Salon } from 'booking-web/lib/types';

export default class SalonRoute extends Route<Salon> {
  @service('booking-flow') declare flow: BookingFlowService;

  model(params: { slug: string }): Promise<Salon> {
    return this.flow.load(params.slug);
  }
}
