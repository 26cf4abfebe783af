//! Numbers, money and dates as each language the shop speaks writes them. Hand-written
//! rather than ICU: two languages need a few dozen lines, ICU's data would add hundreds of
//! kilobytes to the web app. Words live in the web app's catalogues (`locales/*.json`);
//! only the shapes of numbers and dates are here, so the server and tests can share them.

use crate::pricing::money::Money;

/// A language the shop speaks. Adding one means a variant here and a catalogue in the
/// web app's `locales/` (see README, "Languages").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    De,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::De];

    /// The BCP 47 tag, as `<html lang>` and the catalogues name it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
        }
    }

    /// Reads a browser language tag such as `de-AT` or `en_GB`; `None` for languages the
    /// shop does not speak, so the caller can try the browser's next choice.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "de" => Some(Lang::De),
            _ => None,
        }
    }

    /// The first of the browser's preferred languages the shop speaks, else English.
    pub fn negotiate<'a>(preferred: impl IntoIterator<Item = &'a str>) -> Lang {
        preferred.into_iter().find_map(Lang::from_tag).unwrap_or_default()
    }

    fn separators(self) -> (char, char) {
        match self {
            Lang::En => (',', '.'),
            Lang::De => ('.', ','),
        }
    }

    /// A whole number with the language's thousands separator: 12,345 / 12.345.
    pub fn integer(self, n: i64) -> String {
        let sign = if n < 0 { "-" } else { "" };
        format!("{sign}{}", group(n.unsigned_abs(), self.separators().0))
    }

    /// A number with `places` decimals and the language's decimal mark: 4.5 / 4,5.
    pub fn decimal(self, x: f64, places: usize) -> String {
        format!("{x:.places$}").replace('.', &self.separators().1.to_string())
    }

    /// A rate in basis points as this language writes a percentage: 1900 → "19 %",
    /// 550 → "5.5 %" / "5,5 %" (a no-break space before the sign).
    pub fn percent(self, basis_points: u32) -> String {
        let (whole, part) = (basis_points / 100, basis_points % 100);
        let sep = if self == Lang::De { ',' } else { '.' };
        match part {
            0 => format!("{whole}\u{a0}%"),
            p if p % 10 == 0 => format!("{whole}{sep}{}\u{a0}%", p / 10),
            p => format!("{whole}{sep}{p:02}\u{a0}%"),
        }
    }

    /// A price as shoppers of this language read it, in the money's own currency and with
    /// that currency's minor units (none for yen): `€1,234.50` / `1.234,50 €`.
    pub fn money(self, money: Money) -> String {
        let (thousands, decimal) = self.separators();
        let sign = if money.minor < 0 { "-" } else { "" };
        let abs = money.minor.unsigned_abs();
        let exp = money.currency.exponent();
        let scale = 10u64.pow(exp);
        let mut number = group(abs / scale, thousands);
        if exp > 0 {
            number.push(decimal);
            number.push_str(&format!("{:0width$}", abs % scale, width = exp as usize));
        }
        let symbol = money.currency.symbol();
        match self {
            Lang::En if money.currency.spaced() => format!("{sign}{symbol}\u{a0}{number}"),
            Lang::En => format!("{sign}{symbol}{number}"),
            // A no-break space keeps the symbol on the amount's line.
            Lang::De => format!("{sign}{number}\u{a0}{symbol}"),
        }
    }

    /// "2026-11-12T09:30:00Z" → "12 Nov 2026" / "12.11.2026"; anything unparsable is
    /// returned unchanged.
    /// A delivery day with its weekday, without the year: "Tue 8 Dec", "Di., 8. Dez.".
    pub fn delivery_day(self, iso: &str) -> String {
        const EN_DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        const DE_DAYS: [&str; 7] = ["Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."];
        const EN_MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        const DE_MONTHS: [&str; 12] = ["Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."];
        let Some(day) = crate::delivery::promise::Day::parse(iso) else { return iso.to_string() };
        let (m, d) = (iso[5..7].parse::<usize>().unwrap_or(1).clamp(1, 12) - 1, iso[8..10].trim_start_matches('0'));
        let w = usize::from(day.weekday()) - 1;
        match self {
            Lang::En => format!("{} {d} {}", EN_DAYS[w], EN_MONTHS[m]),
            Lang::De => format!("{}, {d}. {}", DE_DAYS[w], DE_MONTHS[m]),
        }
    }

    pub fn day(self, timestamp: &str) -> String {
        const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        let date = timestamp.get(..10).unwrap_or(timestamp);
        let mut parts = date.split('-');
        match (parts.next(), parts.next().and_then(|m| m.parse::<usize>().ok()), parts.next().and_then(|d| d.parse::<u32>().ok())) {
            (Some(y), Some(m @ 1..=12), Some(d @ 1..=31)) if y.len() == 4 => match self {
                Lang::En => format!("{d} {} {y}", MONTHS[m - 1]),
                Lang::De => format!("{d:02}.{m:02}.{y}"),
            },
            _ => timestamp.to_string(),
        }
    }

    /// "2026-11-12T09:30:00Z" → "12 Nov 2026, 09:30 UTC" / "12.11.2026, 09:30 UTC". The
    /// server keeps times in UTC and says so rather than guessing the shopper's zone.
    pub fn time(self, timestamp: &str) -> String {
        match timestamp.get(11..16) {
            Some(hm) if timestamp.len() >= 16 => format!("{}, {hm} UTC", self.day(timestamp)),
            _ => self.day(timestamp),
        }
    }
}

fn group(n: u64, separator: char) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {

    #[test]
    fn percentages_are_written_the_languages_way() {
        assert_eq!(Lang::En.percent(1900), "19\u{a0}%");
        assert_eq!(Lang::De.percent(550), "5,5\u{a0}%");
        assert_eq!(Lang::En.percent(2550), "25.5\u{a0}%");
        assert_eq!(Lang::En.percent(1925), "19.25\u{a0}%");
    }

    use super::*;
    use crate::pricing::money::Currency;

    #[test]
    fn decimals_take_the_languages_mark() {
        assert_eq!(Lang::En.decimal(4.0, 1), "4.0");
        assert_eq!(Lang::De.decimal(4.25, 1), "4,2");
        assert_eq!(Lang::De.decimal(3.0, 0), "3");
    }

    #[test]
    fn delivery_days_name_the_weekday() {
        assert_eq!(Lang::En.delivery_day("2026-12-08"), "Tue 8 Dec");
        assert_eq!(Lang::De.delivery_day("2026-12-08"), "Di., 8. Dez.");
        assert_eq!(Lang::En.delivery_day("soon"), "soon");
    }

    #[test]
    fn money_follows_the_language_and_the_currency_minor_units() {
        let m = |minor, c| Money::new(minor, c);
        assert_eq!(Lang::En.money(m(123_450, Currency::EUR)), "€1,234.50");
        assert_eq!(Lang::En.money(m(1_200, Currency::GBP)), "£12.00");
        assert_eq!(Lang::En.money(m(5, Currency::USD)), "$0.05");
        assert_eq!(Lang::En.money(m(-99, Currency::GBP)), "-£0.99");
        assert_eq!(Lang::En.money(m(1_234_567, Currency::JPY)), "¥1,234,567");
        assert_eq!(Lang::De.money(m(123_450, Currency::EUR)), "1.234,50\u{a0}€");
        assert_eq!(Lang::De.money(m(1_200, Currency::GBP)), "12,00\u{a0}£");
        assert_eq!(Lang::De.money(m(0, Currency::EUR)), "0,00\u{a0}€");
        assert_eq!(Lang::De.money(m(-99, Currency::EUR)), "-0,99\u{a0}€");
        assert_eq!(Lang::De.money(m(1_200, Currency::JPY)), "1.200\u{a0}¥");
        assert_eq!(Lang::En.money(m(1_295, Currency::CHF)), "CHF\u{a0}12.95");
        assert_eq!(Lang::De.money(m(1_295, Currency::CHF)), "12,95\u{a0}CHF");
        assert_eq!(Lang::De.money(m(100_000_000, Currency::EUR)), "1.000.000,00\u{a0}€");
        assert!(Lang::De.money(m(i64::MIN, Currency::EUR)).starts_with('-'));
    }

    #[test]
    fn whole_numbers_are_grouped_by_thousands() {
        assert_eq!(Lang::En.integer(0), "0");
        assert_eq!(Lang::En.integer(999), "999");
        assert_eq!(Lang::En.integer(1000), "1,000");
        assert_eq!(Lang::De.integer(1_234_567), "1.234.567");
        assert_eq!(Lang::De.integer(-4_312), "-4.312");
    }

    #[test]
    fn dates_follow_the_language() {
        assert_eq!(Lang::En.day("2026-11-24T14:05:00Z"), "24 Nov 2026");
        assert_eq!(Lang::De.day("2026-11-24T14:05:00Z"), "24.11.2026");
        assert_eq!(Lang::De.day("2026-01-05"), "05.01.2026");
        assert_eq!(Lang::De.time("2026-11-24T14:05:00Z"), "24.11.2026, 14:05 UTC");
        assert_eq!(Lang::En.time("2026-01-05T17:04:59Z"), "5 Jan 2026, 17:04 UTC");
        assert_eq!(Lang::De.day("soon"), "soon");
        assert_eq!(Lang::De.day("2026-13-01"), "2026-13-01");
    }

    #[test]
    fn the_browser_language_picks_the_first_the_shop_speaks() {
        assert_eq!(Lang::negotiate(["fr-FR", "de-AT", "en"]), Lang::De);
        assert_eq!(Lang::negotiate(["en-GB", "de"]), Lang::En);
        assert_eq!(Lang::negotiate(["fr", "it"]), Lang::En);
        assert_eq!(Lang::negotiate([]), Lang::En);
        assert_eq!(Lang::from_tag("DE_ch"), Some(Lang::De));
        assert_eq!(Lang::from_tag(""), None);
    }
}
