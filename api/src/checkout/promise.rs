//! The shop's next cut-offs as instants (see `aisle_domain::delivery::promise`): the
//! one part of the delivery promise that needs the time-zone database, worked out here
//! and sent with the rules.

use aisle_domain::delivery::promise::{Day, Dispatch, Schedule, Slot};
use jiff::{tz::TimeZone, Timestamp};

/// Cut-offs sent with the rules: two weeks of dispatch days, enough for a device that
/// keeps its copy offline for a while.
pub const SLOTS: usize = 10;

/// The next [`SLOTS`] cut-offs after `now` (seconds since 1970), each at the shop's
/// cut-off time on a dispatch day in `zone`. Daylight saving is the zone database's: a
/// cut-off in a skipped hour falls after the gap, one in a repeated hour on its first.
pub fn schedule(dispatch: &Dispatch, zone: &TimeZone, now: i64) -> Schedule {
    let minutes = dispatch.cutoff_minutes().unwrap_or(14 * 60);
    let (hour, minute) = ((minutes / 60) as i8, (minutes % 60) as i8);
    let mut slots = Vec::with_capacity(SLOTS);
    let Ok(start) = Timestamp::from_second(now) else { return Schedule::default() };
    let mut date = start.to_zoned_datetime(zone.clone()).date();
    // Two months of days at most: more than any run of holidays.
    for _ in 0..62 {
        if slots.len() == SLOTS {
            break;
        }
        if let Some(day) = Day::parse(&date.to_string()).filter(|d| dispatch.dispatches(*d)) {
            if let Ok(at) = date.at(hour, minute, 0, 0).to_zoned_datetime(zone.clone()) {
                let order_by = at.timestamp().as_second();
                if order_by > now {
                    slots.push(Slot { order_by, leaves_on: dispatch.leaves(day).iso() });
                }
            }
        }
        match date.tomorrow() {
            Ok(next) => date = next,
            Err(_) => break,
        }
    }
    Schedule { slots, delivery_days: dispatch.delivery_days.clone(), holidays: dispatch.holidays.clone() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aisle_domain::delivery::promise::promise;

    fn at(s: &str) -> i64 {
        s.parse::<Timestamp>().expect("an instant").as_second()
    }

    fn zone(name: &str) -> TimeZone {
        TimeZone::get(name).expect("a zone")
    }

    #[test]
    fn berlin_cutoffs_follow_the_clocks_across_summer_time() {
        // Thursday 26 March 2026, 15:00 in Berlin (CET): today's cut-off has passed.
        let s = schedule(&Dispatch::default(), &zone("Europe/Berlin"), at("2026-03-26T14:00:00Z"));
        // Friday 14:00 CET is 13:00 UTC; after the change on Sunday 29th, Monday 14:00
        // CEST is 12:00 UTC.
        assert_eq!(s.slots[0], Slot { order_by: at("2026-03-27T13:00:00Z"), leaves_on: "2026-03-27".into() });
        assert_eq!(s.slots[1], Slot { order_by: at("2026-03-30T12:00:00Z"), leaves_on: "2026-03-30".into() });
        assert_eq!(s.slots.len(), SLOTS);
        // Ordered then with two days on the way: leaves Friday, Saturday, (Sunday
        // skipped) Monday.
        let p = promise(&s, at("2026-03-26T14:00:00Z"), 2).expect("a promise");
        assert_eq!(p.arrives_on, "2026-03-30");
        assert_eq!(p.order_within, 23 * 3600);
    }

    #[test]
    fn new_york_and_autumn_change_too() {
        let ny = zone("America/New_York");
        // Friday 6 March 2026 (EST, UTC−5), then Monday 9 March (EDT, UTC−4).
        let s = schedule(&Dispatch::default(), &ny, at("2026-03-06T12:00:00Z"));
        assert_eq!(s.slots[0].order_by, at("2026-03-06T19:00:00Z"));
        assert_eq!(s.slots[1].order_by, at("2026-03-09T18:00:00Z"));
        // Berlin's autumn change on Sunday 25 October: Friday 12:00 UTC, Monday 13:00 UTC.
        let s = schedule(&Dispatch::default(), &zone("Europe/Berlin"), at("2026-10-23T06:00:00Z"));
        assert_eq!(s.slots[0].order_by, at("2026-10-23T12:00:00Z"));
        assert_eq!(s.slots[1].order_by, at("2026-10-26T13:00:00Z"));
    }

    #[test]
    fn a_cutoff_in_the_skipped_hour_falls_after_it_and_holidays_are_skipped() {
        let every_day = Dispatch { cutoff: "02:30".into(), dispatch_days: vec![1, 2, 3, 4, 5, 6, 7], ..Dispatch::default() };
        let s = schedule(&every_day, &zone("Europe/Berlin"), at("2026-03-28T12:00:00Z"));
        // 02:30 does not exist on 29 March in Berlin: 03:30 CEST, 01:30 UTC.
        assert_eq!(s.slots[0], Slot { order_by: at("2026-03-29T01:30:00Z"), leaves_on: "2026-03-29".into() });
        // Christmas: Thursday 24th, then Monday 28th (25th, 26th holidays, a weekend).
        let s = schedule(&Dispatch::default(), &zone("Europe/Berlin"), at("2026-12-24T14:00:00Z"));
        assert_eq!(s.slots[0].leaves_on, "2026-12-28");
    }

    #[test]
    fn the_shop_day_is_the_zone_s_not_utc_s() {
        // 23:30 UTC on Monday 7 December is already Tuesday in Tokyo.
        let s = schedule(&Dispatch::default(), &zone("Asia/Tokyo"), at("2026-12-07T23:30:00Z"));
        assert_eq!(s.slots[0].leaves_on, "2026-12-08");
        assert_eq!(s.slots[0].order_by, at("2026-12-08T05:00:00Z"));
    }
}
