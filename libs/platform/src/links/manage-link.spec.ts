import { createManageToken, InvalidManageLinkError, manageLinkUrl, verifyManageToken } from './manage-link';

const claims = { bookingId: 'Jb0kASZbifcFhRwBvUlvjw', businessId: 'C5zixuG4f2MFf9f5m7cluw', branchId: 'KgD7B1PY7pgRAbUfAxsstQ', exp: 2_000_000_000 };

describe('manage links', () => {
  it('verifies a genuine token and returns its claims, in 93 characters for SMS', () => {
    const token = createManageToken('s3cret', claims);
    expect(token).toHaveLength(93);
    expect(verifyManageToken('s3cret', token, 1_000)).toEqual(claims);
    expect(manageLinkUrl('http://localhost:3001/', token)).toBe(`http://localhost:3001/book/manage/${token}`);
  });

  it.each([
    ['a tampered payload', (t: string) => `${t.split('.')[0].replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}.${t.split('.')[1]}`, 'bad-signature'],
    ['a tampered signature', (t: string) => `${t.split('.')[0]}.${'A'.repeat(22)}`, 'bad-signature'],
    ['garbage', () => 'not-a-token', 'malformed'],
  ])('refuses %s', (_label, mutate, reason) => {
    const token = mutate(createManageToken('s3cret', claims));
    expect(() => verifyManageToken('s3cret', token)).toThrow(InvalidManageLinkError);
    try {
      verifyManageToken('s3cret', token);
    } catch (e) {
      expect((e as InvalidManageLinkError).reason).toBe(reason);
    }
  });

  it('still signs claims with other ids (JSON form)', () => {
    const other = { ...claims, bookingId: 'bk-1' };
    expect(verifyManageToken('s3cret', createManageToken('s3cret', other), 1_000)).toEqual(other);
  });

  it('refuses another secret and expired tokens', () => {
    const token = createManageToken('s3cret', claims);
    expect(() => verifyManageToken('other', token)).toThrow('not genuine');
    expect(() => verifyManageToken('s3cret', token, (claims.exp + 1) * 1000)).toThrow('expired');
  });
});
