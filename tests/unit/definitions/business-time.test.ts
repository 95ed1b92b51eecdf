import {
  addBusinessTime,
  dueAt,
  fixedUtcOffsetMinutes,
  utcOffsetMinutes,
  type CompiledWorkingHours,
  type WorkingInterval,
} from '../../../definitions/rules/business-time';

const H = 3_600_000;
const VN_OFFSET_MINUTES = 420;

/** Epoch ms of a Vietnam local time (UTC+7). */
const vn = (date: string, time: string): number => Date.parse(`${date}T${time}:00+07:00`);

const range = (from: string, to: string): WorkingInterval => {
  const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
  return { fromMinute: minutes(from), toMinute: minutes(to) };
};

function hours(days: Partial<CompiledWorkingHours['weekly']>, daysOff: string[] = []): CompiledWorkingHours {
  return {
    timezone: 'Asia/Ho_Chi_Minh',
    utcOffsetMinutes: VN_OFFSET_MINUTES,
    weekly: { sun: [], mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], ...days },
    daysOff,
  };
}

const officeDay = [range('08:00', '17:30')];
const monToFri = hours({ mon: officeDay, tue: officeDay, wed: officeDay, thu: officeDay, fri: officeDay });
const monToSat = hours({ mon: officeDay, tue: officeDay, wed: officeDay, thu: officeDay, fri: officeDay, sat: officeDay });

// 2026-03-06 is a Friday, 2026-03-07 a Saturday, 2026-03-09 a Monday.
describe('addBusinessTime', () => {
  it('When a 2h SLA starts at 16:30 on a Saturday and the shop works mon–fri 08:00–17:30, then it is due Monday 10:00', () => {
    expect(addBusinessTime(vn('2026-03-07', '16:30'), 2 * H, monToFri)).toBe(vn('2026-03-09', '10:00'));
  });

  it('When a 2h SLA starts at 16:30 on a Saturday and the shop works mon–sat, then 1h counts on Saturday and it is due Monday 09:00', () => {
    expect(addBusinessTime(vn('2026-03-07', '16:30'), 2 * H, monToSat)).toBe(vn('2026-03-09', '09:00'));
  });

  it('When a 2h SLA starts at 17:00 on a Friday (mon–fri), then 30m counts on Friday and it is due Monday 09:30', () => {
    expect(addBusinessTime(vn('2026-03-06', '17:00'), 2 * H, monToFri)).toBe(vn('2026-03-09', '09:30'));
  });

  it('When the Monday is a day off, then it is skipped and the SLA is due Tuesday', () => {
    const withHoliday = { ...monToFri, daysOff: ['2026-03-09'] };
    expect(addBusinessTime(vn('2026-03-06', '17:00'), 2 * H, withHoliday)).toBe(vn('2026-03-10', '09:30'));
  });

  it('When the SLA fits in the working day, then it is simply added', () => {
    expect(addBusinessTime(vn('2026-03-09', '09:00'), 2 * H, monToFri)).toBe(vn('2026-03-09', '11:00'));
  });

  it('When the SLA ends exactly at closing time, then it is due at closing time, not the next morning', () => {
    expect(addBusinessTime(vn('2026-03-09', '15:30'), 2 * H, monToFri)).toBe(vn('2026-03-09', '17:30'));
  });

  it('When the SLA starts before opening, then it counts from opening', () => {
    expect(addBusinessTime(vn('2026-03-09', '06:00'), 1 * H, monToFri)).toBe(vn('2026-03-09', '09:00'));
  });

  it('When the day has a lunch break, then the break does not count', () => {
    const split = hours({ mon: [range('08:00', '12:00'), range('13:30', '17:30')] });
    expect(addBusinessTime(vn('2026-03-09', '11:00'), 2 * H, split)).toBe(vn('2026-03-09', '14:30'));
  });

  it('When a 2s SLA starts one second before closing, then it is due one second after the next opening', () => {
    const start = vn('2026-03-09', '17:29') + 59_000;
    expect(addBusinessTime(start, 2000, monToFri)).toBe(vn('2026-03-10', '08:00') + 1000);
  });

  it('When the timezone is not UTC+7, then local hours follow its offset (India, UTC+5:30)', () => {
    const india = { ...monToFri, timezone: 'Asia/Kolkata', utcOffsetMinutes: 330 };
    const mondayNineIst = Date.parse('2026-03-09T09:00:00+05:30');
    expect(addBusinessTime(mondayNineIst, 2 * H, india)).toBe(Date.parse('2026-03-09T11:00:00+05:30'));
  });

  it('When the shop has no working time at all, then it throws instead of looping forever', () => {
    expect(() => addBusinessTime(vn('2026-03-09', '09:00'), H, hours({}))).toThrow(/no working time/);
  });

  it('When the duration is zero, then the start is returned', () => {
    expect(addBusinessTime(vn('2026-03-07', '16:30'), 0, monToFri)).toBe(vn('2026-03-07', '16:30'));
  });
});

describe('dueAt', () => {
  it('When the clock is calendar, then nights and weekends count', () => {
    expect(dueAt(vn('2026-03-07', '16:30'), 2 * H, 'calendar', monToFri)).toBe(vn('2026-03-07', '18:30'));
  });

  it('When the clock is business, then only working hours count', () => {
    expect(dueAt(vn('2026-03-07', '16:30'), 2 * H, 'business', monToFri)).toBe(vn('2026-03-09', '10:00'));
  });
});

describe('timezone offsets', () => {
  it('When asked for Asia/Ho_Chi_Minh, then the offset is +7h all year', () => {
    expect(utcOffsetMinutes('Asia/Ho_Chi_Minh', vn('2026-03-07', '16:30'))).toBe(420);
    expect(fixedUtcOffsetMinutes('Asia/Ho_Chi_Minh')).toBe(420);
  });

  it('When a zone keeps one offset, then it is returned (UTC, India)', () => {
    expect(fixedUtcOffsetMinutes('UTC')).toBe(0);
    expect(fixedUtcOffsetMinutes('Asia/Kolkata')).toBe(330);
  });

  it('When a zone has daylight saving time, then there is no fixed offset', () => {
    expect(fixedUtcOffsetMinutes('Europe/Berlin')).toBeNull();
  });

  it('When the zone does not exist, then it throws a RangeError', () => {
    expect(() => fixedUtcOffsetMinutes('Asia/Nowhere')).toThrow(RangeError);
  });
});
