import StepRoute from 'booking-web/lib/step-route';

export default class DetailsRoute extends StepRoute {
  beforeModel() {
    this.needsSlot();
  }
}
