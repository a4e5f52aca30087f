import EmberRouter from '@embroider/router';
import config from 'booking-web/config/environment';

export default class Router extends EmberRouter {
  location = config.locationType;
  rootURL = config.rootURL;
}

Router.map(function () {
  this.route('manage', { path: '/manage/:token' });
  this.route('salon', { path: '/:slug' }, function () {
    this.route('stylist');
    this.route('time');
    this.route('details');
    this.route('confirm');
    this.route('done');
  });
  this.route('not-found', { path: '/*path' });
});
