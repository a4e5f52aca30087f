import StepRoute from 'booking-web/lib/step-route';

export default class StylistRoute extends StepRoute {
  beforeModel() {
    this.needsBasket();
  }
}
