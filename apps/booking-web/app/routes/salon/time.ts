import StepRoute from 'booking-web/lib/step-route';

export default class TimeRoute extends StepRoute {
  beforeModel() {
    this.needsBasket();
  }
}
