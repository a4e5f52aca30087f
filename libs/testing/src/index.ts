export * from './database';
export * from './outbox';
export * from './rabbitmq';
export * from './tcp-proxy';
export * from './wait-for';
export * from './service-harness';
