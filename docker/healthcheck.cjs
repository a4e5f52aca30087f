// The image's HEALTHCHECK: GET /health on the port this service listens on, read from the same
// variable the service reads (CORE_API_PORT, BOOKING_PORT, MESSAGING_PORT), so a container
// started on another port (e.g. `--network host` next to other copies) still checks itself.
const portVariable = { 'core-api': 'CORE_API_PORT', booking: 'BOOKING_PORT', messaging: 'MESSAGING_PORT' }[process.env.CHAIRBOOK_APP];
const port = (portVariable && process.env[portVariable]) || process.env.HEALTH_PORT;
fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2500) }).then(
  (response) => process.exit(response.status === 200 ? 0 : 1),
  () => process.exit(1),
);
