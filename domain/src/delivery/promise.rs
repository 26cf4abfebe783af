//! The delivery promise: "Order within 3 h 12 min for delivery by Tue 8 Dec".
//!
//! The shop sends parcels on its dispatch days; an order placed before the day's
//! cut-off (in the shop's time zone) leaves after the shop's handling days; carriers
//! then take the method's transit days, counted in delivery days (no Sundays by
//! default, no holidays).
//!
//! Time zones and their daylight-saving changes need a zone database, which the web
//! app does not carry. So the server turns the shop's dispatch rules into a
//! [`Schedule`]: the next cut-offs as instants (seconds since 1970, UTC), each with the
//! day its orders leave. From a schedule, the moment and a method, [`promise`] is pure
//! arithmetic on days that the web app (offline too) and the server do alike; the order
//! keeps the day it promised.

use serde::{Deserialize, Serialize};

/// How the shop sends: set in the rules file under `dispatch`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dispatch {
    /// Orders placed before this time (`HH:MM`, the shop's time zone) on a dispatch day
    /// are handled from that day.
    pub cutoff: String,
    /// Dispatch days after the order's before it leaves (0: the same day).
    #[serde(default)]
    pub handling_days: u8,
    /// Days the shop sends parcels, 1 (Monday) to 7 (Sunday).
    #[serde(default = "weekdays")]
    pub dispatch_days: Vec<u8>,
    /// Days carriers deliver, 1 (Monday) to 7 (Sunday).
    #[serde(default = "monday_to_saturday")]
    pub delivery_days: Vec<u8>,
    /// Days nothing is sent or delivered, `YYYY-MM-DD`.
    #[serde(default)]
    pub holidays: Vec<String>,
}

fn weekdays() -> Vec<u8> {
    vec![1, 2, 3, 4, 5]
}

fn monday_to_saturday() -> Vec<u8> {
    vec![1, 2, 3, 4, 5, 6]
}

impl Default for Dispatch {
    /// Sent Monday to Friday, ordered by 14:00; delivered Monday to Saturday; German
    /// public holidays of 2026 and 2027 (national ones).
    fn default() -> Dispatch {
        Dispatch {
            cutoff: "14:00".into(),
            handling_days: 0,
            dispatch_days: weekdays(),
            delivery_days: monday_to_saturday(),
            holidays: [
                "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-01", "2026-05-14", "2026-05-25", "2026-10-03", "2026-12-25", "2026-12-26",
                "2027-01-01", "2027-03-26", "2027-03-29", "2027-05-01", "2027-05-06", "2027-05-17", "2027-10-03", "2027-12-25", "2027-12-26",
            ]
            .into_iter()
            .map(String::from)
            .collect(),
        }
    }
}

impl Dispatch {
    /// The cut-off as minutes after midnight, if it reads as `HH:MM`.
    pub fn cutoff_minutes(&self) -> Option<u32> {
        let (h, m) = self.cutoff.split_once(':')?;
        let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
        (h < 24 && m < 60 && self.cutoff.len() == 5).then_some(h * 60 + m)
    }

    pub fn check(&self) -> Result<(), String> {
        if self.cutoff_minutes().is_none() {
            return Err(format!("dispatch cutoff {:?} is not a time like \"14:00\"", self.cutoff));
        }
        for (what, days) in [("dispatch_days", &self.dispatch_days), ("delivery_days", &self.delivery_days)] {
            if days.is_empty() || days.iter().any(|d| !(1..=7).contains(d)) {
                return Err(format!("dispatch {what} must list days from 1 (Monday) to 7 (Sunday)"));
            }
        }
        if let Some(h) = self.holidays.iter().find(|h| Day::parse(h).is_none()) {
            return Err(format!("dispatch holiday {h:?} is not a day like \"2026-12-25\""));
        }
        Ok(())
    }

    pub fn is_holiday(&self, day: Day) -> bool {
        self.holidays.iter().any(|h| Day::parse(h) == Some(day))
    }

    /// Whether parcels leave on `day`.
    pub fn dispatches(&self, day: Day) -> bool {
        self.dispatch_days.contains(&day.weekday()) && !self.is_holiday(day)
    }

    /// Whether carriers deliver on `day`.
    pub fn delivers(&self, day: Day) -> bool {
        self.delivery_days.contains(&day.weekday()) && !self.is_holiday(day)
    }

    /// The day orders handled from `day` (a dispatch day) leave.
    pub fn leaves(&self, day: Day) -> Day {
        let mut d = day;
        for _ in 0..self.handling_days {
            d = d.next();
            while !self.dispatches(d) {
                d = d.next();
            }
        }
        d
    }

    /// The day a parcel that left on `shipped` arrives, `transit_days` delivery days
    /// later (0: the same day, as when collected in store).
    pub fn arrives(&self, shipped: Day, transit_days: u8) -> Day {
        let mut d = shipped;
        for _ in 0..transit_days {
            d = d.next();
            while !self.delivers(d) {
                d = d.next();
            }
        }
        d
    }
}

/// A calendar day, as days since 1970-01-01. Only the arithmetic the promise needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub i64);

impl Day {
    /// `YYYY-MM-DD`.
    pub fn parse(raw: &str) -> Option<Day> {
        let mut parts = raw.split('-');
        let (y, m, d): (i64, i64, i64) = (parts.next()?.parse().ok()?, parts.next()?.parse().ok()?, parts.next()?.parse().ok()?);
        if parts.next().is_some() || raw.len() != 10 || !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
            return None;
        }
        Some(Day(days_from_civil(y, m, d)))
    }

    pub fn next(self) -> Day {
        Day(self.0 + 1)
    }

    /// 1 (Monday) to 7 (Sunday).
    pub fn weekday(self) -> u8 {
        // 1970-01-01 was a Thursday (4).
        ((self.0 + 3).rem_euclid(7) + 1) as u8
    }

    /// `YYYY-MM-DD`.
    pub fn iso(self) -> String {
        let (y, m, d) = civil_from_days(self.0);
        format!("{y:04}-{m:02}-{d:02}")
    }
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// One cut-off: orders placed before `order_by` (seconds since 1970, UTC) leave on
/// `leaves_on`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Slot {
    pub order_by: i64,
    pub leaves_on: String,
}

/// The next cut-offs, soonest first, as the server worked them out in the shop's time
/// zone; with the rules for counting delivery days on from there.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Schedule {
    pub slots: Vec<Slot>,
    pub delivery_days: Vec<u8>,
    pub holidays: Vec<String>,
}

/// What a shopper is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Promise {
    /// Seconds left to order for this day.
    pub order_within: i64,
    /// `YYYY-MM-DD`: when it arrives (or is ready to collect).
    pub arrives_on: String,
}

/// The promise for an order placed at `now` (seconds since 1970, UTC) and sent by a
/// method taking `transit_days`: the first cut-off still ahead, and the delivery day
/// that many delivery days after it leaves. `None` once the schedule has run out (a
/// copy kept offline too long): better no promise than a wrong one.
pub fn promise(schedule: &Schedule, now: i64, transit_days: u8) -> Option<Promise> {
    let slot = schedule.slots.iter().find(|s| s.order_by > now)?;
    let leaves = Day::parse(&slot.leaves_on)?;
    let calendar = Dispatch { cutoff: String::new(), handling_days: 0, dispatch_days: weekdays(), delivery_days: schedule.delivery_days.clone(), holidays: schedule.holidays.clone() };
    if calendar.delivery_days.is_empty() {
        return None;
    }
    Some(Promise { order_within: slot.order_by - now, arrives_on: calendar.arrives(leaves, transit_days).iso() })
}

/// "3 h 12 min", "45 min", or `None` when it is more than a day: then only the date
/// is worth saying.
pub fn countdown(seconds: i64) -> Option<(i64, i64)> {
    if seconds <= 0 || seconds > 24 * 3600 {
        return None;
    }
    let minutes = (seconds + 59) / 60;
    Some((minutes / 60, minutes % 60))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(s: &str) -> Day {
        Day::parse(s).expect("a day")
    }

    #[test]
    fn days_read_write_and_know_their_weekday() {
        assert_eq!(day("1970-01-01").0, 0);
        assert_eq!(day("2026-12-08").weekday(), 2, "a Tuesday");
        assert_eq!(day("2026-12-13").weekday(), 7, "a Sunday");
        assert_eq!(day("2028-02-29").iso(), "2028-02-29");
        assert_eq!(Day::parse("2026-02-29"), None);
        assert_eq!(Day::parse("2026-13-01"), None);
        assert_eq!(Day::parse("26-1-1"), None);
    }

    proptest! {
        #[test]
        fn a_day_survives_the_round_trip(n in -100_000i64..200_000) {
            let d = Day(n);
            prop_assert_eq!(Day::parse(&d.iso()), Some(d));
            prop_assert_eq!(d.next().weekday(), d.weekday() % 7 + 1);
        }
    }

    #[test]
    fn transit_skips_sundays_and_holidays() {
        let d = Dispatch::default();
        // Friday 11 Dec 2026, two days: Sat 12, (Sun skipped) Mon 14.
        assert_eq!(d.arrives(day("2026-12-11"), 2).iso(), "2026-12-14");
        // Thursday 24 Dec, one day: 25 and 26 are holidays, 27 a Sunday.
        assert_eq!(d.arrives(day("2026-12-24"), 1).iso(), "2026-12-28");
        assert_eq!(d.arrives(day("2026-12-24"), 0).iso(), "2026-12-24", "collected the day it is ready");
    }

    #[test]
    fn handling_days_count_dispatch_days() {
        let d = Dispatch { handling_days: 1, ..Dispatch::default() };
        assert_eq!(d.leaves(day("2026-12-11")).iso(), "2026-12-14", "Friday's orders leave on Monday");
    }

    #[test]
    fn the_first_cutoff_ahead_makes_the_promise() {
        let schedule = Schedule {
            slots: vec![
                Slot { order_by: 1_000, leaves_on: "2026-12-07".into() },
                Slot { order_by: 90_000, leaves_on: "2026-12-08".into() },
            ],
            delivery_days: monday_to_saturday(),
            holidays: vec![],
        };
        let p = promise(&schedule, 500, 1).expect("a promise");
        assert_eq!((p.order_within, p.arrives_on.as_str()), (500, "2026-12-08"));
        let p = promise(&schedule, 1_000, 1).expect("a promise");
        assert_eq!(p.arrives_on, "2026-12-09", "at the cut-off it is the next day's");
        assert_eq!(promise(&schedule, 90_000, 1), None, "run out: no promise");
    }

    #[test]
    fn countdowns_round_up_to_the_minute() {
        assert_eq!(countdown(3 * 3600 + 11 * 60 + 1), Some((3, 12)));
        assert_eq!(countdown(59), Some((0, 1)));
        assert_eq!(countdown(25 * 3600), None);
        assert_eq!(countdown(0), None);
    }

    #[test]
    fn bad_dispatch_rules_are_named() {
        assert!(Dispatch::default().check().is_ok());
        assert!(Dispatch { cutoff: "2pm".into(), ..Dispatch::default() }.check().unwrap_err().contains("cutoff"));
        assert!(Dispatch { dispatch_days: vec![0], ..Dispatch::default() }.check().unwrap_err().contains("dispatch_days"));
        assert!(Dispatch { holidays: vec!["25.12.".into()], ..Dispatch::default() }.check().unwrap_err().contains("holiday"));
    }
}
