import { getMetadataStorage } from 'class-validator';

type Storage = ReturnType<typeof getMetadataStorage>;
type Lookup = Storage['getTargetValidationMetadatas'];

const MEMOIZED = Symbol.for('chairbook.validationMetadataMemoized');

/**
 * class-validator works out a class's rules afresh on every validation, and for every nested
 * object in it: `getTargetValidationMetadatas` walks the rules of *every* decorated class in the
 * process (an `instanceof` test each, for inheritance), and Nest's ValidationPipe asks again
 * for each nested class when it looks for binary values. A booking body (booking, client
 * schedules, service schedules) paid for that walk about ten times per request. The rules only
 * change when a decorator registers a new one (at import time), so the answers are kept per
 * (class, schema, options) and forgotten whenever a rule is added.
 *
 * Installed once per storage (class-validator keeps one storage per process, on `global`).
 */
export function memoizeValidationMetadata(storage: Storage = getMetadataStorage()): void {
  const marked = storage as Storage & { [MEMOIZED]?: true };
  if (marked[MEMOIZED]) return;
  marked[MEMOIZED] = true;

  const lookup: Lookup = storage.getTargetValidationMetadatas.bind(storage);
  const addMetadata = storage.addValidationMetadata.bind(storage);
  // class -> (schema, always, strictGroups, groups) -> rules
  let cache = new WeakMap<object, Map<string, ReturnType<Lookup>>>();

  storage.addValidationMetadata = (metadata) => {
    cache = new WeakMap();
    addMetadata(metadata);
  };
  storage.getTargetValidationMetadatas = (targetConstructor, targetSchema, always, strictGroups, groups) => {
    if (typeof targetConstructor !== 'function') return lookup(targetConstructor, targetSchema, always, strictGroups, groups);
    const key = `${targetSchema}\u0000${always}\u0000${strictGroups}\u0000${groups ? groups.join('\u0001') : '-'}`;
    let byOptions = cache.get(targetConstructor);
    if (!byOptions) cache.set(targetConstructor, (byOptions = new Map()));
    let found = byOptions.get(key);
    if (!found) byOptions.set(key, (found = lookup(targetConstructor, targetSchema, always, strictGroups, groups)));
    return found;
  };
}
