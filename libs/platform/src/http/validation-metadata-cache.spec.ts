import 'reflect-metadata';
import { getMetadataStorage, IsInt, IsString, Min, ValidateNested, validate } from 'class-validator';
import { Type, plainToInstance } from 'class-transformer';
import { memoizeValidationMetadata } from './validation-metadata-cache';

class Line {
  @IsString()
  serviceId!: string;

  @IsInt()
  @Min(1)
  quantity!: number;
}

class Order {
  @IsString()
  clientId!: string;

  @ValidateNested({ each: true })
  @Type(() => Line)
  lines!: Line[];
}

class PriorityOrder extends Order {
  @IsInt()
  priority!: number;
}

type Ctor = new () => object;
const storage = getMetadataStorage();
const rulesOf = (target: Ctor, groups?: string[]) => storage.getTargetValidationMetadatas(target, '', false, false, groups);
const properties = (target: Ctor, groups?: string[]) => [...new Set(rulesOf(target, groups).map((m) => m.propertyName))].sort();

describe('memoizeValidationMetadata', () => {
  beforeAll(() => memoizeValidationMetadata(storage));

  it('answers a repeated lookup from memory, with the same rules', () => {
    const first = rulesOf(Order);
    expect(rulesOf(Order)).toBe(first);
    expect(properties(Order)).toEqual(['clientId', 'lines']);
  });

  it('keeps inherited rules and tells classes and options apart', () => {
    expect(properties(PriorityOrder)).toEqual(['clientId', 'lines', 'priority']);
    expect(properties(Order)).toEqual(['clientId', 'lines']);
    expect(rulesOf(Order, ['admin'])).not.toBe(rulesOf(Order));
  });

  it('forgets what it knew when a rule is added later', () => {
    const before = rulesOf(Line);
    IsString()(Line.prototype, 'note');
    const after = rulesOf(Line);
    expect(after).not.toBe(before);
    expect(properties(Line)).toEqual(['note', 'quantity', 'serviceId']);
  });

  it('is installed once, however often it is called', () => {
    const lookup = storage.getTargetValidationMetadatas;
    memoizeValidationMetadata(storage);
    expect(storage.getTargetValidationMetadatas).toBe(lookup);
  });

  it('validates as before: nested errors are still found', async () => {
    const order = plainToInstance(Order, { clientId: 'c1', lines: [{ serviceId: 's1', quantity: 0, note: 'x' }, { serviceId: 7, quantity: 2, note: 'y' }] });
    const errors = await validate(order);
    expect(errors.map((e) => e.property)).toEqual(['lines']);
    const nested = errors[0].children!.map((c) => [c.property, c.children!.map((g) => Object.keys(g.constraints ?? {}))]);
    expect(nested).toEqual([
      ['0', [['min']]],
      ['1', [['isString']]],
    ]);
  });
});
