import { module, test } from 'qunit';
import { addDays, countdown, dayLabel, durationLabel, priceLabel, todayIn, zoneNote } from 'booking-web/lib/format';
import { validateDetails } from 'booking-web/components/details-page';

module('Unit | format', function () {
  test('prices in the salon currency, "from" when stylists charge differently', function (assert) {
    assert.strictEqual(priceLabel(55, 55, 'EUR'), '€55');
    assert.strictEqual(priceLabel(22, 28, 'EUR'), 'from €22');
    assert.strictEqual(priceLabel(12.5, 12.5, 'GBP'), '£12.50');
    assert.strictEqual(priceLabel(0, 0, 'EUR'), 'Free');
  });

  test('durations read naturally', function (assert) {
    assert.strictEqual(durationLabel(45, 45), '45 min');
    assert.strictEqual(durationLabel(90, 90), '1 h 30 min');
    assert.strictEqual(durationLabel(150, 165), '2 h 30 min – 2 h 45 min');
  });

  test('calendar dates are dates, not instants (no zone drift)', function (assert) {
    assert.strictEqual(addDays('2026-10-24', 1), '2026-10-25');
    assert.strictEqual(addDays('2026-12-31', 1), '2027-01-01');
    assert.strictEqual(dayLabel('2026-12-01').weekday, 'Tue');
    assert.strictEqual(todayIn('Pacific/Kiritimati', new Date('2026-06-01T12:00:00Z')), '2026-06-02');
  });

  test('the salon zone is labelled only when the device is elsewhere', function (assert) {
    assert.strictEqual(zoneNote('Europe/Dublin', 'Europe/Dublin'), null);
    assert.ok(zoneNote('Europe/Dublin', 'America/New_York')?.includes('Dublin (Europe/Dublin)'));
  });

  test('the hold countdown', function (assert) {
    assert.strictEqual(countdown(600_000), '10:00');
    assert.strictEqual(countdown(61_500), '1:02');
    assert.strictEqual(countdown(-5), '0:00');
  });

  test('details are checked before anything is sent', function (assert) {
    const ok = { firstName: 'Aoife', lastName: 'Byrne', mobile: '087 123 4567', email: 'aoife@example.com', reminderConsent: false, marketingConsent: false, note: '' };
    assert.deepEqual(validateDetails(ok), {});
    assert.deepEqual(validateDetails({ ...ok, mobile: '+353 87 123 4567' }), {});
    const bad = validateDetails({ ...ok, firstName: ' ', mobile: '12', email: 'nope' });
    assert.deepEqual(Object.keys(bad).sort(), ['email', 'firstName', 'mobile']);
  });
});
