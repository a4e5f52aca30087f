import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { Scheduling1764000300000 } from './1764000300000-scheduling';

/** Every migration, in order. Listed as classes (not globs) so the bundled app finds them. */
export const coreMigrations = [InitialSchema1764000000000, Scheduling1764000300000];
