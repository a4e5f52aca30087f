import { Transform } from 'class-transformer';

/** Query-string booleans: `true`/`false` (and 1/0), as integrations send them. */
export const BooleanQuery = () =>
  Transform(({ value }) => {
    if (value === 'true' || value === '1' || value === true) return true;
    if (value === 'false' || value === '0' || value === false) return false;
    return value;
  });
