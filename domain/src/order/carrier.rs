//! The carriers a shop ships with, and where each shows a parcel's journey. Staff pick
//! the carrier from this list when shipping, so the shopper's e-mail and order page can
//! link to the carrier's own tracking page instead of showing a bare number.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Carrier {
    Dhl,
    Dpd,
    Ups,
    Gls,
    Hermes,
    Fedex,
    RoyalMail,
    Usps,
    AustrianPost,
    SwissPost,
    PostNl,
    Colissimo,
    /// A courier or local service with no tracking page we know: the number is shown,
    /// without a link.
    Other,
}

impl Carrier {
    pub const ALL: [Carrier; 13] = [
        Carrier::Dhl,
        Carrier::Dpd,
        Carrier::Ups,
        Carrier::Gls,
        Carrier::Hermes,
        Carrier::Fedex,
        Carrier::RoyalMail,
        Carrier::Usps,
        Carrier::AustrianPost,
        Carrier::SwissPost,
        Carrier::PostNl,
        Carrier::Colissimo,
        Carrier::Other,
    ];

    /// The code stored in the database and sent over the wire.
    pub fn code(self) -> &'static str {
        match self {
            Carrier::Dhl => "dhl",
            Carrier::Dpd => "dpd",
            Carrier::Ups => "ups",
            Carrier::Gls => "gls",
            Carrier::Hermes => "hermes",
            Carrier::Fedex => "fedex",
            Carrier::RoyalMail => "royal_mail",
            Carrier::Usps => "usps",
            Carrier::AustrianPost => "austrian_post",
            Carrier::SwissPost => "swiss_post",
            Carrier::PostNl => "post_nl",
            Carrier::Colissimo => "colissimo",
            Carrier::Other => "other",
        }
    }

    /// The carrier's own name, the same in every language.
    pub fn name(self) -> &'static str {
        match self {
            Carrier::Dhl => "DHL",
            Carrier::Dpd => "DPD",
            Carrier::Ups => "UPS",
            Carrier::Gls => "GLS",
            Carrier::Hermes => "Hermes",
            Carrier::Fedex => "FedEx",
            Carrier::RoyalMail => "Royal Mail",
            Carrier::Usps => "USPS",
            Carrier::AustrianPost => "Österreichische Post",
            Carrier::SwissPost => "Swiss Post",
            Carrier::PostNl => "PostNL",
            Carrier::Colissimo => "Colissimo",
            Carrier::Other => "Other carrier",
        }
    }

    /// Reads a stored carrier: its code, or, for orders shipped before carriers were
    /// a list, the name staff typed ("DHL", "royal mail"). Anything else is `Other`.
    pub fn parse(raw: &str) -> Carrier {
        let wanted: String = raw.trim().to_ascii_lowercase().chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        Carrier::ALL
            .into_iter()
            .find(|c| {
                let code: String = c.code().chars().filter(|ch| *ch != '_').collect();
                let name: String = c.name().to_ascii_lowercase().chars().filter(|ch| ch.is_ascii_alphanumeric()).collect();
                wanted == code || wanted == name
            })
            .unwrap_or(Carrier::Other)
    }

    /// The carrier's public page for one parcel, or `None` when we know no such page.
    pub fn tracking_url(self, tracking_number: &str) -> Option<String> {
        let n = crate::url::percent_encode(tracking_number.trim());
        if n.is_empty() {
            return None;
        }
        Some(match self {
            Carrier::Dhl => format!("https://www.dhl.com/global-en/home/tracking/tracking-parcel.html?submit=1&tracking-id={n}"),
            Carrier::Dpd => format!("https://tracking.dpd.de/status/en_US/parcel/{n}"),
            Carrier::Ups => format!("https://www.ups.com/track?tracknum={n}"),
            Carrier::Gls => format!("https://gls-group.com/track/{n}"),
            Carrier::Hermes => format!("https://www.myhermes.de/empfangen/sendungsverfolgung/sendungsinformation/#{n}"),
            Carrier::Fedex => format!("https://www.fedex.com/fedextrack/?trknbr={n}"),
            Carrier::RoyalMail => format!("https://www.royalmail.com/track-your-item#/tracking-results/{n}"),
            Carrier::Usps => format!("https://tools.usps.com/go/TrackConfirmAction?tLabels={n}"),
            Carrier::AustrianPost => format!("https://www.post.at/s/sendungsdetails?snr={n}"),
            Carrier::SwissPost => format!("https://service.post.ch/ekp-web/ui/entry/search/{n}"),
            Carrier::PostNl => format!("https://jouw.postnl.nl/track-and-trace/{n}"),
            Carrier::Colissimo => format!("https://www.laposte.fr/outils/suivre-vos-envois?code={n}"),
            Carrier::Other => return None,
        })
    }
}

/// Checks a tracking number as staff typed it: letters, digits, spaces and dashes,
/// 4 to 40 of them (carriers' numbers run from about 8 to 35 characters).
pub fn parse_tracking_number(raw: &str) -> Result<String, &'static str> {
    let n = raw.trim();
    if n.is_empty() {
        return Err("Please enter the tracking number.");
    }
    if n.chars().count() < 4 || n.chars().count() > 40 {
        return Err("A tracking number has between 4 and 40 characters.");
    }
    if !n.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-') {
        return Err("A tracking number has only letters, digits, spaces and dashes.");
    }
    Ok(n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_carrier_reads_back_from_its_code_and_its_name() {
        for c in Carrier::ALL {
            assert_eq!(Carrier::parse(c.code()), c);
            assert_eq!(Carrier::parse(c.name()), c, "{}", c.name());
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.code()));
        }
        assert_eq!(Carrier::parse("  royal mail "), Carrier::RoyalMail);
        assert_eq!(Carrier::parse("Bob's Bikes"), Carrier::Other);
    }

    #[test]
    fn known_carriers_link_to_their_page_and_the_number_cannot_escape_it() {
        assert_eq!(Carrier::Dhl.tracking_url("JD0123456789").as_deref(), Some("https://www.dhl.com/global-en/home/tracking/tracking-parcel.html?submit=1&tracking-id=JD0123456789"));
        assert_eq!(Carrier::Ups.tracking_url("1Z 999").as_deref(), Some("https://www.ups.com/track?tracknum=1Z%20999"));
        assert_eq!(Carrier::Usps.tracking_url("x&y=<z>").as_deref(), Some("https://tools.usps.com/go/TrackConfirmAction?tLabels=x%26y%3D%3Cz%3E"));
        assert_eq!(Carrier::Other.tracking_url("123"), None);
        assert_eq!(Carrier::Dhl.tracking_url("  "), None);
        for c in Carrier::ALL {
            if let Some(url) = c.tracking_url("AB12") {
                assert!(url.starts_with("https://") && url.contains("AB12"), "{url}");
            }
        }
    }

    #[test]
    fn tracking_numbers_are_checked() {
        assert_eq!(parse_tracking_number(" JD0123456789 "), Ok("JD0123456789".to_string()));
        assert!(parse_tracking_number("").is_err());
        assert!(parse_tracking_number("X").is_err());
        assert!(parse_tracking_number("<script>").is_err());
        assert!(parse_tracking_number(&"9".repeat(41)).is_err());
    }
}
