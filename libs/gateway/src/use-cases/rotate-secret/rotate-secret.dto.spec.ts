import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { GraceSecondsDto, RotateSecretDto } from './rotate-secret.dto';

const valid = (graceSeconds: unknown) => validateSync(plainToInstance(RotateSecretDto, { applicationId: 'a', graceSeconds })).length === 0;

describe('rotate-secret input', () => {
  it('takes a grace period of 0–604,800 whole seconds, or none', () => {
    expect([undefined, 0, '0', 86_400, '604800'].map(valid)).toEqual([true, true, true, true, true]);
    expect([-1, 604_801, '1.5', 'soon'].map(valid)).toEqual([false, false, false, false]);
  });

  it('reads only decimal digits as a number: an empty or odd value is refused, not taken as 0, 1, 16 or 100,000', () => {
    expect(['', true, '0x10', ' 100 ', '1e5', '+5'].map(valid)).toEqual([false, false, false, false, false, false]);
    expect(validateSync(plainToInstance(GraceSecondsDto, { grace_seconds: '' })).map((error) => error.property)).toEqual(['grace_seconds']);
  });

  it('the seed API names it grace_seconds', () => {
    expect(validateSync(plainToInstance(GraceSecondsDto, { grace_seconds: '3600' }))).toEqual([]);
    expect(validateSync(plainToInstance(GraceSecondsDto, { grace_seconds: 604_801 })).map((error) => error.property)).toEqual(['grace_seconds']);
  });
});
