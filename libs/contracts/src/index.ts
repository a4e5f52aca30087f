export * from './events/envelope';
export * from './events/catalog';
export * from './events/domain-event';
export * from './events/topology';
