import Route from '@ember/routing/route';
import { service } from '@ember/service';
import type RouterService from '@ember/routing/router-service';

/**
 * After every step change, focus moves to the new page's heading (so screen readers announce
 * it and keyboard users start at the top of the step), except on the first page load.
 */
export default class ApplicationRoute extends Route {
  @service declare router: RouterService;
  private first = true;

  constructor(...args: ConstructorParameters<typeof Route>) {
    super(...args);
    this.router.on('routeDidChange', () => {
      if (this.first) {
        this.first = false;
        return;
      }
      // Once the new step has rendered.
      requestAnimationFrame(() => {
        const heading = document.querySelector<HTMLElement>('main h1');
        if (heading) {
          heading.setAttribute('tabindex', '-1');
          heading.focus();
        }
        window.scrollTo?.(0, 0);
      });
    });
  }
}
