import { createManageToken, InvalidManageLinkError, manageLinkUrl, verifyManageToken } from './manage-link';

const claims = { bookingId: 'bk', businessId: 'biz', branchId: 'br', exp: 2_000_000_000 };

describe('manage links', () => {
  it('verifies a genuine token and returns its claims', () => {
    const token = createManageToken('s3cret', claims);
    expect(verifyManageToken('s3cret', token, 1_000)).toEqual(claims);
    expect(manageLinkUrl('http://localhost:3001/', token)).toBe(`http://localhost:3001/book/manage/${token}`);
  });

  it.each([
    ['a tampered payload', (t: string) => `${Buffer.from(JSON.stringify({ ...claims, bookingId: 'other' })).toString('base64url')}.${t.split('.')[1]}`, 'bad-signature'],
    ['a tampered signature', (t: string) => `${t.split('.')[0]}.${'A'.repeat(43)}`, 'bad-signature'],
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

  it('refuses another secret and expired tokens', () => {
    const token = createManageToken('s3cret', claims);
    expect(() => verifyManageToken('other', token)).toThrow('not genuine');
    expect(() => verifyManageToken('s3cret', token, (claims.exp + 1) * 1000)).toThrow('expired');
  });
});
