import { InitialSchema1764000000000 } from './1764000000000-initial-schema';

/** Every migration, in order. Listed as classes (not globs) so the bundled app finds them. */
export const coreMigrations = [InitialSchema1764000000000];
