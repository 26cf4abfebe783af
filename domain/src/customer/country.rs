//! Countries and their postcodes. An address stores the ISO 3166-1 alpha-2 code rather
//! than the name a shopper typed, so one country has one spelling in the database, a
//! label can name it in the reader's language, and the postcode can be checked against
//! that country's format. Hand-written checks rather than the regex crate: a handful of
//! formats do not justify its size in the web app's wasm.

use super::FieldError;
use crate::Lang;

/// One ISO 3166-1 country with the short names people use, not the formal ones
/// ("United Kingdom", not "United Kingdom of Great Britain and Northern Ireland").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Country {
    pub code: &'static str,
    pub en: &'static str,
    pub de: &'static str,
}

impl Country {
    pub fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::De => self.de,
        }
    }
}

/// The shop's delivery countries, offered first so most shoppers need not scroll.
/// Fixed here for now; a later issue makes them a shop setting.
pub const DELIVERY_FIRST: [&str; 7] = ["DE", "AT", "CH", "GB", "US", "FR", "NL"];

/// Every officially assigned ISO 3166-1 alpha-2 code, sorted by code so `country` can
/// binary-search it.
pub const COUNTRIES: &[Country] = &[
    c("AD", "Andorra", "Andorra"),
    c("AE", "United Arab Emirates", "Vereinigte Arabische Emirate"),
    c("AF", "Afghanistan", "Afghanistan"),
    c("AG", "Antigua and Barbuda", "Antigua und Barbuda"),
    c("AI", "Anguilla", "Anguilla"),
    c("AL", "Albania", "Albanien"),
    c("AM", "Armenia", "Armenien"),
    c("AO", "Angola", "Angola"),
    c("AQ", "Antarctica", "Antarktis"),
    c("AR", "Argentina", "Argentinien"),
    c("AS", "American Samoa", "Amerikanisch-Samoa"),
    c("AT", "Austria", "Österreich"),
    c("AU", "Australia", "Australien"),
    c("AW", "Aruba", "Aruba"),
    c("AX", "Åland Islands", "Ålandinseln"),
    c("AZ", "Azerbaijan", "Aserbaidschan"),
    c("BA", "Bosnia and Herzegovina", "Bosnien und Herzegowina"),
    c("BB", "Barbados", "Barbados"),
    c("BD", "Bangladesh", "Bangladesch"),
    c("BE", "Belgium", "Belgien"),
    c("BF", "Burkina Faso", "Burkina Faso"),
    c("BG", "Bulgaria", "Bulgarien"),
    c("BH", "Bahrain", "Bahrain"),
    c("BI", "Burundi", "Burundi"),
    c("BJ", "Benin", "Benin"),
    c("BL", "Saint Barthélemy", "Saint-Barthélemy"),
    c("BM", "Bermuda", "Bermuda"),
    c("BN", "Brunei", "Brunei"),
    c("BO", "Bolivia", "Bolivien"),
    c("BQ", "Caribbean Netherlands", "Karibische Niederlande"),
    c("BR", "Brazil", "Brasilien"),
    c("BS", "Bahamas", "Bahamas"),
    c("BT", "Bhutan", "Bhutan"),
    c("BV", "Bouvet Island", "Bouvetinsel"),
    c("BW", "Botswana", "Botsuana"),
    c("BY", "Belarus", "Belarus"),
    c("BZ", "Belize", "Belize"),
    c("CA", "Canada", "Kanada"),
    c("CC", "Cocos (Keeling) Islands", "Kokosinseln"),
    c("CD", "Democratic Republic of the Congo", "Demokratische Republik Kongo"),
    c("CF", "Central African Republic", "Zentralafrikanische Republik"),
    c("CG", "Republic of the Congo", "Republik Kongo"),
    c("CH", "Switzerland", "Schweiz"),
    c("CI", "Côte d'Ivoire", "Côte d'Ivoire"),
    c("CK", "Cook Islands", "Cookinseln"),
    c("CL", "Chile", "Chile"),
    c("CM", "Cameroon", "Kamerun"),
    c("CN", "China", "China"),
    c("CO", "Colombia", "Kolumbien"),
    c("CR", "Costa Rica", "Costa Rica"),
    c("CU", "Cuba", "Kuba"),
    c("CV", "Cape Verde", "Kap Verde"),
    c("CW", "Curaçao", "Curaçao"),
    c("CX", "Christmas Island", "Weihnachtsinsel"),
    c("CY", "Cyprus", "Zypern"),
    c("CZ", "Czechia", "Tschechien"),
    c("DE", "Germany", "Deutschland"),
    c("DJ", "Djibouti", "Dschibuti"),
    c("DK", "Denmark", "Dänemark"),
    c("DM", "Dominica", "Dominica"),
    c("DO", "Dominican Republic", "Dominikanische Republik"),
    c("DZ", "Algeria", "Algerien"),
    c("EC", "Ecuador", "Ecuador"),
    c("EE", "Estonia", "Estland"),
    c("EG", "Egypt", "Ägypten"),
    c("EH", "Western Sahara", "Westsahara"),
    c("ER", "Eritrea", "Eritrea"),
    c("ES", "Spain", "Spanien"),
    c("ET", "Ethiopia", "Äthiopien"),
    c("FI", "Finland", "Finnland"),
    c("FJ", "Fiji", "Fidschi"),
    c("FK", "Falkland Islands", "Falklandinseln"),
    c("FM", "Micronesia", "Mikronesien"),
    c("FO", "Faroe Islands", "Färöer"),
    c("FR", "France", "Frankreich"),
    c("GA", "Gabon", "Gabun"),
    c("GB", "United Kingdom", "Vereinigtes Königreich"),
    c("GD", "Grenada", "Grenada"),
    c("GE", "Georgia", "Georgien"),
    c("GF", "French Guiana", "Französisch-Guayana"),
    c("GG", "Guernsey", "Guernsey"),
    c("GH", "Ghana", "Ghana"),
    c("GI", "Gibraltar", "Gibraltar"),
    c("GL", "Greenland", "Grönland"),
    c("GM", "Gambia", "Gambia"),
    c("GN", "Guinea", "Guinea"),
    c("GP", "Guadeloupe", "Guadeloupe"),
    c("GQ", "Equatorial Guinea", "Äquatorialguinea"),
    c("GR", "Greece", "Griechenland"),
    c("GS", "South Georgia and the South Sandwich Islands", "Südgeorgien und die Südlichen Sandwichinseln"),
    c("GT", "Guatemala", "Guatemala"),
    c("GU", "Guam", "Guam"),
    c("GW", "Guinea-Bissau", "Guinea-Bissau"),
    c("GY", "Guyana", "Guyana"),
    c("HK", "Hong Kong", "Hongkong"),
    c("HM", "Heard Island and McDonald Islands", "Heard und McDonaldinseln"),
    c("HN", "Honduras", "Honduras"),
    c("HR", "Croatia", "Kroatien"),
    c("HT", "Haiti", "Haiti"),
    c("HU", "Hungary", "Ungarn"),
    c("ID", "Indonesia", "Indonesien"),
    c("IE", "Ireland", "Irland"),
    c("IL", "Israel", "Israel"),
    c("IM", "Isle of Man", "Isle of Man"),
    c("IN", "India", "Indien"),
    c("IO", "British Indian Ocean Territory", "Britisches Territorium im Indischen Ozean"),
    c("IQ", "Iraq", "Irak"),
    c("IR", "Iran", "Iran"),
    c("IS", "Iceland", "Island"),
    c("IT", "Italy", "Italien"),
    c("JE", "Jersey", "Jersey"),
    c("JM", "Jamaica", "Jamaika"),
    c("JO", "Jordan", "Jordanien"),
    c("JP", "Japan", "Japan"),
    c("KE", "Kenya", "Kenia"),
    c("KG", "Kyrgyzstan", "Kirgisistan"),
    c("KH", "Cambodia", "Kambodscha"),
    c("KI", "Kiribati", "Kiribati"),
    c("KM", "Comoros", "Komoren"),
    c("KN", "Saint Kitts and Nevis", "St. Kitts und Nevis"),
    c("KP", "North Korea", "Nordkorea"),
    c("KR", "South Korea", "Südkorea"),
    c("KW", "Kuwait", "Kuwait"),
    c("KY", "Cayman Islands", "Kaimaninseln"),
    c("KZ", "Kazakhstan", "Kasachstan"),
    c("LA", "Laos", "Laos"),
    c("LB", "Lebanon", "Libanon"),
    c("LC", "Saint Lucia", "St. Lucia"),
    c("LI", "Liechtenstein", "Liechtenstein"),
    c("LK", "Sri Lanka", "Sri Lanka"),
    c("LR", "Liberia", "Liberia"),
    c("LS", "Lesotho", "Lesotho"),
    c("LT", "Lithuania", "Litauen"),
    c("LU", "Luxembourg", "Luxemburg"),
    c("LV", "Latvia", "Lettland"),
    c("LY", "Libya", "Libyen"),
    c("MA", "Morocco", "Marokko"),
    c("MC", "Monaco", "Monaco"),
    c("MD", "Moldova", "Moldau"),
    c("ME", "Montenegro", "Montenegro"),
    c("MF", "Saint Martin", "St. Martin"),
    c("MG", "Madagascar", "Madagaskar"),
    c("MH", "Marshall Islands", "Marshallinseln"),
    c("MK", "North Macedonia", "Nordmazedonien"),
    c("ML", "Mali", "Mali"),
    c("MM", "Myanmar", "Myanmar"),
    c("MN", "Mongolia", "Mongolei"),
    c("MO", "Macao", "Macau"),
    c("MP", "Northern Mariana Islands", "Nördliche Marianen"),
    c("MQ", "Martinique", "Martinique"),
    c("MR", "Mauritania", "Mauretanien"),
    c("MS", "Montserrat", "Montserrat"),
    c("MT", "Malta", "Malta"),
    c("MU", "Mauritius", "Mauritius"),
    c("MV", "Maldives", "Malediven"),
    c("MW", "Malawi", "Malawi"),
    c("MX", "Mexico", "Mexiko"),
    c("MY", "Malaysia", "Malaysia"),
    c("MZ", "Mozambique", "Mosambik"),
    c("NA", "Namibia", "Namibia"),
    c("NC", "New Caledonia", "Neukaledonien"),
    c("NE", "Niger", "Niger"),
    c("NF", "Norfolk Island", "Norfolkinsel"),
    c("NG", "Nigeria", "Nigeria"),
    c("NI", "Nicaragua", "Nicaragua"),
    c("NL", "Netherlands", "Niederlande"),
    c("NO", "Norway", "Norwegen"),
    c("NP", "Nepal", "Nepal"),
    c("NR", "Nauru", "Nauru"),
    c("NU", "Niue", "Niue"),
    c("NZ", "New Zealand", "Neuseeland"),
    c("OM", "Oman", "Oman"),
    c("PA", "Panama", "Panama"),
    c("PE", "Peru", "Peru"),
    c("PF", "French Polynesia", "Französisch-Polynesien"),
    c("PG", "Papua New Guinea", "Papua-Neuguinea"),
    c("PH", "Philippines", "Philippinen"),
    c("PK", "Pakistan", "Pakistan"),
    c("PL", "Poland", "Polen"),
    c("PM", "Saint Pierre and Miquelon", "St. Pierre und Miquelon"),
    c("PN", "Pitcairn Islands", "Pitcairninseln"),
    c("PR", "Puerto Rico", "Puerto Rico"),
    c("PS", "Palestine", "Palästina"),
    c("PT", "Portugal", "Portugal"),
    c("PW", "Palau", "Palau"),
    c("PY", "Paraguay", "Paraguay"),
    c("QA", "Qatar", "Katar"),
    c("RE", "Réunion", "Réunion"),
    c("RO", "Romania", "Rumänien"),
    c("RS", "Serbia", "Serbien"),
    c("RU", "Russia", "Russland"),
    c("RW", "Rwanda", "Ruanda"),
    c("SA", "Saudi Arabia", "Saudi-Arabien"),
    c("SB", "Solomon Islands", "Salomonen"),
    c("SC", "Seychelles", "Seychellen"),
    c("SD", "Sudan", "Sudan"),
    c("SE", "Sweden", "Schweden"),
    c("SG", "Singapore", "Singapur"),
    c("SH", "Saint Helena", "St. Helena"),
    c("SI", "Slovenia", "Slowenien"),
    c("SJ", "Svalbard and Jan Mayen", "Spitzbergen und Jan Mayen"),
    c("SK", "Slovakia", "Slowakei"),
    c("SL", "Sierra Leone", "Sierra Leone"),
    c("SM", "San Marino", "San Marino"),
    c("SN", "Senegal", "Senegal"),
    c("SO", "Somalia", "Somalia"),
    c("SR", "Suriname", "Suriname"),
    c("SS", "South Sudan", "Südsudan"),
    c("ST", "São Tomé and Príncipe", "São Tomé und Príncipe"),
    c("SV", "El Salvador", "El Salvador"),
    c("SX", "Sint Maarten", "Sint Maarten"),
    c("SY", "Syria", "Syrien"),
    c("SZ", "Eswatini", "Eswatini"),
    c("TC", "Turks and Caicos Islands", "Turks- und Caicosinseln"),
    c("TD", "Chad", "Tschad"),
    c("TF", "French Southern Territories", "Französische Süd- und Antarktisgebiete"),
    c("TG", "Togo", "Togo"),
    c("TH", "Thailand", "Thailand"),
    c("TJ", "Tajikistan", "Tadschikistan"),
    c("TK", "Tokelau", "Tokelau"),
    c("TL", "Timor-Leste", "Osttimor"),
    c("TM", "Turkmenistan", "Turkmenistan"),
    c("TN", "Tunisia", "Tunesien"),
    c("TO", "Tonga", "Tonga"),
    c("TR", "Türkiye", "Türkei"),
    c("TT", "Trinidad and Tobago", "Trinidad und Tobago"),
    c("TV", "Tuvalu", "Tuvalu"),
    c("TW", "Taiwan", "Taiwan"),
    c("TZ", "Tanzania", "Tansania"),
    c("UA", "Ukraine", "Ukraine"),
    c("UG", "Uganda", "Uganda"),
    c("UM", "United States Minor Outlying Islands", "Amerikanische Überseeinseln"),
    c("US", "United States", "Vereinigte Staaten"),
    c("UY", "Uruguay", "Uruguay"),
    c("UZ", "Uzbekistan", "Usbekistan"),
    c("VA", "Vatican City", "Vatikanstadt"),
    c("VC", "Saint Vincent and the Grenadines", "St. Vincent und die Grenadinen"),
    c("VE", "Venezuela", "Venezuela"),
    c("VG", "British Virgin Islands", "Britische Jungferninseln"),
    c("VI", "U.S. Virgin Islands", "Amerikanische Jungferninseln"),
    c("VN", "Vietnam", "Vietnam"),
    c("VU", "Vanuatu", "Vanuatu"),
    c("WF", "Wallis and Futuna", "Wallis und Futuna"),
    c("WS", "Samoa", "Samoa"),
    c("YE", "Yemen", "Jemen"),
    c("YT", "Mayotte", "Mayotte"),
    c("ZA", "South Africa", "Südafrika"),
    c("ZM", "Zambia", "Sambia"),
    c("ZW", "Zimbabwe", "Simbabwe"),
];

const fn c(code: &'static str, en: &'static str, de: &'static str) -> Country {
    Country { code, en, de }
}

/// Names people type that are not any country's short name, so addresses written
/// before countries were chosen from a list still read. Keys are already `fold`ed.
const ALIASES: &[(&str, &str)] = &[
    ("uk", "GB"),
    ("great britain", "GB"),
    ("britain", "GB"),
    ("england", "GB"),
    ("scotland", "GB"),
    ("wales", "GB"),
    ("northern ireland", "GB"),
    ("grossbritannien", "GB"),
    ("usa", "US"),
    ("united states of america", "US"),
    ("vereinigte staaten von amerika", "US"),
    ("holland", "NL"),
    ("turkey", "TR"),
    ("czech republic", "CZ"),
    ("tschechische republik", "CZ"),
    ("ivory coast", "CI"),
];

/// The country with this code, whatever its case, so a code typed or stored in lower
/// case still finds its names.
pub fn country(code: &str) -> Option<&'static Country> {
    let code = code.trim();
    if code.len() != 2 || !code.is_ascii() {
        return None;
    }
    let upper = code.to_ascii_uppercase();
    COUNTRIES.binary_search_by(|c| c.code.cmp(upper.as_str())).ok().map(|i| &COUNTRIES[i])
}

/// Reads a country from a form or from an address stored while the country was still
/// free text, so old addresses keep validating after the switch to codes.
pub fn parse_country(raw: &str) -> Result<&'static str, FieldError> {
    let trimmed = raw.trim();
    if let Some(c) = country(trimmed) {
        return Ok(c.code);
    }
    let key = fold(&collapse_spaces(trimmed));
    if !key.is_empty() {
        if let Some(c) = COUNTRIES.iter().find(|c| fold(c.en) == key || fold(c.de) == key) {
            return Ok(c.code);
        }
        if let Some((_, code)) = ALIASES.iter().find(|(alias, _)| *alias == key) {
            return Ok(*code);
        }
    }
    Err(FieldError::new("country", "Please choose the country from the list."))
}

/// The countries in the order a country list shows them: the shop's delivery countries
/// first, where most shoppers find theirs, then the rest alphabetically in the reader's
/// language. Letters with umlauts and accents sort with their base letter, as German
/// dictionaries do, so "Österreich" is found under O rather than after Z.
pub fn for_select(lang: Lang) -> Vec<&'static Country> {
    let mut rest: Vec<&'static Country> = COUNTRIES.iter().filter(|c| !DELIVERY_FIRST.contains(&c.code)).collect();
    rest.sort_by_cached_key(|c| (fold(c.name(lang)), c.code));
    DELIVERY_FIRST.iter().filter_map(|code| country(code)).chain(rest).collect()
}

/// Lower case with accents and umlauts dropped (ß becomes ss), so names compare the way
/// people read them and a shopper who types "Osterreich" still finds Austria.
fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars().flat_map(char::to_lowercase) {
        match ch {
            'à'..='å' | 'ā' | 'ă' | 'ą' => out.push('a'),
            'æ' => out.push_str("ae"),
            'ç' | 'ć' | 'č' => out.push('c'),
            'è'..='ë' | 'ē' | 'ę' | 'ě' => out.push('e'),
            'ì'..='ï' | 'ī' => out.push('i'),
            'ñ' | 'ń' | 'ň' => out.push('n'),
            'ò'..='ö' | 'ø' | 'ō' | 'ő' => out.push('o'),
            'œ' => out.push_str("oe"),
            'ù'..='ü' | 'ū' | 'ů' | 'ű' => out.push('u'),
            'ý' | 'ÿ' => out.push('y'),
            'ß' => out.push_str("ss"),
            'š' | 'ś' => out.push('s'),
            'ž' | 'ź' | 'ż' => out.push('z'),
            'ł' => out.push('l'),
            '\u{2019}' | '\u{2018}' => out.push('\''),
            c => out.push(c),
        }
    }
    out
}

/// Trimmed, with every run of whitespace made one space, so stray double spaces and
/// non-breaking spaces pasted from elsewhere do not make two spellings of one value.
fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Postcodes are short everywhere; the bound keeps a pasted paragraph out of a label.
pub const MAX_POSTCODE_CHARS: usize = 16;

/// The postcode formats the shop knows, for the countries it delivers to.
#[derive(Clone, Copy)]
enum Format {
    /// Germany, France.
    Digits5,
    /// Austria, Switzerland.
    Digits4,
    Netherlands,
    UnitedKingdom,
    UnitedStates,
}

impl Format {
    fn of(code: &str) -> Option<Format> {
        let code = code.trim().to_ascii_uppercase();
        Some(match code.as_str() {
            "DE" | "FR" => Format::Digits5,
            "AT" | "CH" => Format::Digits4,
            "NL" => Format::Netherlands,
            "GB" => Format::UnitedKingdom,
            "US" => Format::UnitedStates,
            _ => return None,
        })
    }

    /// Turns a postcode with its spaces removed and letters uppercased into the form the
    /// country's post prints, or `None` if it does not have the country's shape.
    fn normalise(self, compact: &[char]) -> Option<String> {
        let digits = |cs: &[char]| cs.iter().all(char::is_ascii_digit);
        let letters = |cs: &[char]| cs.iter().all(char::is_ascii_uppercase);
        let text = |cs: &[char]| cs.iter().collect::<String>();
        match self {
            Format::Digits5 => (compact.len() == 5 && digits(compact)).then(|| text(compact)),
            Format::Digits4 => (compact.len() == 4 && digits(compact)).then(|| text(compact)),
            Format::Netherlands => {
                let [first, _, _, _, l1, l2] = compact else { return None };
                // PostNL leaves out SA, SD and SS: in the 1940s they read as Nazi abbreviations.
                let refused = matches!((l1, l2), ('S', 'A' | 'D' | 'S'));
                let ok = *first != '0' && digits(&compact[..4]) && letters(&compact[4..]) && !refused;
                ok.then(|| format!("{} {}", text(&compact[..4]), text(&compact[4..])))
            }
            Format::UnitedKingdom => {
                if text(compact) == "GIR0AA" {
                    return Some("GIR 0AA".to_string());
                }
                if !(5..=7).contains(&compact.len()) {
                    return None;
                }
                let (outward, inward) = compact.split_at(compact.len() - 3);
                let shape: String = outward
                    .iter()
                    .map(|c| match c {
                        'A'..='Z' => 'A',
                        '0'..='9' => '9',
                        _ => '?',
                    })
                    .collect();
                let outward_ok = matches!(shape.as_str(), "A9" | "A99" | "AA9" | "AA99" | "A9A" | "AA9A");
                let inward_ok = inward[0].is_ascii_digit() && letters(&inward[1..]);
                (outward_ok && inward_ok).then(|| format!("{} {}", text(outward), text(inward)))
            }
            Format::UnitedStates => match compact {
                [zip @ .., '-', a, b, c, d] if zip.len() == 5 && digits(zip) && digits(&[*a, *b, *c, *d]) => Some(text(compact)),
                _ if compact.len() == 9 && digits(compact) => Some(format!("{}-{}", text(&compact[..5]), text(&compact[5..]))),
                _ if compact.len() == 5 && digits(compact) => Some(text(compact)),
                _ => None,
            },
        }
    }

    fn example(self, code: &str) -> &'static str {
        match self {
            Format::Digits5 if code == "FR" => "75001",
            Format::Digits5 => "10115",
            Format::Digits4 if code == "CH" => "8001",
            Format::Digits4 => "1010",
            Format::Netherlands => "1012 AB",
            Format::UnitedKingdom => "SW1A 1AA",
            Format::UnitedStates => "10001",
        }
    }

    fn missing(self, code: &str) -> FieldError {
        let what = if matches!(self, Format::UnitedStates) { "ZIP code" } else { "postcode" };
        FieldError::new("postcode", format!("Please enter the {what}, like {}.", self.example(code)))
    }

    fn invalid(self, code: &str) -> FieldError {
        let in_country = country(code).map_or("", |c| c.en);
        let message = match self {
            Format::Digits5 => format!("Postcodes in {in_country} have 5 digits, like {}.", self.example(code)),
            Format::Digits4 => format!("Postcodes in {in_country} have 4 digits, like {}.", self.example(code)),
            Format::Netherlands => "Postcodes in the Netherlands have 4 digits and 2 letters, like 1012 AB.".to_string(),
            Format::UnitedKingdom => "Please enter a UK postcode, like SW1A 1AA.".to_string(),
            Format::UnitedStates => "Please enter a ZIP code of 5 or 9 digits, like 10001 or 10001-1234.".to_string(),
        };
        FieldError::new("postcode", message)
    }
}

/// An example postcode for the country, for forms that word their own message (the
/// web app's German catalogue) and for placeholders. `None` where the shop does not
/// know the format.
pub fn postcode_example(country_code: &str) -> Option<&'static str> {
    let code = country_code.trim().to_ascii_uppercase();
    Format::of(&code).map(|f| f.example(&code))
}

/// Checks a postcode against the country's format and returns it as that country's post
/// prints it, so labels are uniform and a typo is caught before a parcel goes astray.
/// Countries whose format the shop does not know get a loose check only, and may leave
/// it empty: many (Ireland outside Dublin until recently, Hong Kong, much of Africa)
/// have no postcodes at all.
pub fn check_postcode(country_code: &str, raw: &str) -> Result<String, FieldError> {
    let spaced = collapse_spaces(raw).to_ascii_uppercase();
    let code = country_code.trim().to_ascii_uppercase();
    let Some(format) = Format::of(&code) else {
        return check_other_postcode(spaced);
    };
    if spaced.is_empty() {
        return Err(format.missing(&code));
    }
    let compact: Vec<char> = spaced.chars().filter(|c| *c != ' ').collect();
    format.normalise(&compact).ok_or_else(|| format.invalid(&code))
}

fn check_other_postcode(spaced: String) -> Result<String, FieldError> {
    if spaced.chars().count() > MAX_POSTCODE_CHARS {
        return Err(FieldError::new("postcode", format!("Postcode can be at most {MAX_POSTCODE_CHARS} characters.")));
    }
    if !spaced.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-') {
        return Err(FieldError::new("postcode", "A postcode can only have letters, digits, spaces and dashes."));
    }
    Ok(spaced)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    #[test]
    fn the_list_is_every_assigned_code_once_in_order() {
        assert_eq!(COUNTRIES.len(), 249);
        for pair in COUNTRIES.windows(2) {
            assert!(pair[0].code < pair[1].code, "{} before {}", pair[0].code, pair[1].code);
        }
        for c in COUNTRIES {
            assert!(c.code.len() == 2 && c.code.chars().all(|ch| ch.is_ascii_uppercase()), "{c:?}");
            assert!(!c.en.trim().is_empty() && !c.de.trim().is_empty(), "{c:?}");
            assert_eq!(country(c.code), Some(c));
        }
    }

    #[test]
    fn names_and_aliases_point_to_one_country_each() {
        let mut seen: HashMap<String, &str> = HashMap::new();
        for c in COUNTRIES {
            for name in [c.en, c.de] {
                let before = seen.insert(fold(name), c.code);
                assert!(before.is_none() || before == Some(c.code), "{name} is also {before:?}");
            }
        }
        for (alias, code) in ALIASES {
            assert_eq!(*alias, fold(alias), "alias keys are folded");
            assert!(country(code).is_some(), "{alias} -> {code}");
            assert!(!seen.contains_key(*alias), "{alias} is already a country's name");
        }
    }

    #[test]
    fn lookups_ignore_case_and_names_follow_the_language() {
        let de = country("de").unwrap();
        assert_eq!((de.name(Lang::En), de.name(Lang::De)), ("Germany", "Deutschland"));
        let gb = country(" Gb ").unwrap();
        assert_eq!((gb.en, gb.de), ("United Kingdom", "Vereinigtes Königreich"));
        for (code, en, de) in [
            ("US", "United States", "Vereinigte Staaten"),
            ("CH", "Switzerland", "Schweiz"),
            ("AT", "Austria", "Österreich"),
            ("NL", "Netherlands", "Niederlande"),
            ("FR", "France", "Frankreich"),
        ] {
            let c = country(code).unwrap();
            assert_eq!((c.en, c.de), (en, de));
        }
        for unknown in ["", "X", "XX", "UK", "DEU", "ÄT", "d e"] {
            assert_eq!(country(unknown), None, "{unknown:?}");
        }
    }

    #[test]
    fn countries_parse_from_codes_names_and_aliases() {
        let cases = [
            ("DE", "DE"),
            ("de", "DE"),
            (" gB ", "GB"),
            ("United Kingdom", "GB"),
            ("  united   kingdom ", "GB"),
            ("Deutschland", "DE"),
            ("DEUTSCHLAND", "DE"),
            ("Germany", "DE"),
            ("Österreich", "AT"),
            ("österreich", "AT"),
            ("Osterreich", "AT"),
            ("Vereinigtes Königreich", "GB"),
            ("Schweiz", "CH"),
            ("Switzerland", "CH"),
            ("Vereinigte Staaten", "US"),
            ("Frankreich", "FR"),
            ("Niederlande", "NL"),
            ("Côte d’Ivoire", "CI"),
            ("UK", "GB"),
            ("uk", "GB"),
            ("Great Britain", "GB"),
            ("England", "GB"),
            ("Großbritannien", "GB"),
            ("USA", "US"),
            ("United States of America", "US"),
            ("Holland", "NL"),
        ];
        for (raw, code) in cases {
            assert_eq!(parse_country(raw), Ok(code), "{raw:?}");
        }
    }

    #[test]
    fn unknown_countries_are_refused_with_the_field_named() {
        for junk in ["", "   ", "XX", "Narnia", "Germany!", "U K", "Deutsch land", "1", "\u{0}", "DE\u{202E}"] {
            let err = parse_country(junk).unwrap_err();
            assert_eq!(err.field, "country", "{junk:?}");
            assert_eq!(err.message, "Please choose the country from the list.");
        }
    }

    #[test]
    fn the_select_lists_delivery_countries_first_then_the_rest_alphabetically() {
        for lang in Lang::ALL {
            let list = for_select(lang);
            assert_eq!(list.len(), COUNTRIES.len());
            let first: Vec<&str> = list[..7].iter().map(|c| c.code).collect();
            assert_eq!(first, DELIVERY_FIRST);
            let rest: Vec<String> = list[7..].iter().map(|c| fold(c.name(lang))).collect();
            assert!(rest.windows(2).all(|w| w[0] <= w[1]), "{lang:?} sorted");
            assert!(list[7..].iter().all(|c| !DELIVERY_FIRST.contains(&c.code)));
        }
        let de = for_select(Lang::De);
        let names: Vec<&str> = de.iter().map(|c| c.de).collect();
        let at = |name: &str| names.iter().position(|n| *n == name).unwrap();
        // Ägypten sorts with A, not after Z; Oman and Osttimor stay in the Os.
        assert!(at("Ägypten") < at("Albanien"));
        assert!(at("Äthiopien") < at("Australien") && at("Australien") < at("Bahamas"));
        assert!(at("Oman") < at("Osttimor") && at("Osttimor") < at("Pakistan"));
        assert_eq!(names.last(), Some(&"Zypern"));
        let en = for_select(Lang::En);
        assert_eq!(en[7].en, "Afghanistan");
        assert!(en.iter().position(|c| c.code == "AX").unwrap() < en.iter().position(|c| c.code == "AL").unwrap());
        assert_eq!(en.last().map(|c| c.en), Some("Zimbabwe"));
    }

    #[test]
    fn austria_sorts_under_o_in_german_when_it_is_not_listed_first() {
        // Austria is a delivery country, so check the fold itself with its German name.
        let mut names = vec![fold("Österreich"), fold("Oman"), fold("Zypern"), fold("Pakistan")];
        names.sort();
        assert_eq!(names, ["oman", "osterreich", "pakistan", "zypern"]);
    }

    fn accepts(code: &str, cases: &[(&str, &str)]) {
        for (raw, want) in cases {
            assert_eq!(check_postcode(code, raw).as_deref(), Ok(*want), "{code} {raw:?}");
        }
    }

    fn refuses(code: &str, cases: &[&str], message: &str) {
        for raw in cases {
            let err = check_postcode(code, raw).unwrap_err();
            assert_eq!((err.field, err.message.as_str()), ("postcode", message), "{code} {raw:?}");
        }
    }

    #[test]
    fn german_and_french_postcodes_have_five_digits() {
        accepts("DE", &[("10115", "10115"), (" 01067 ", "01067"), ("10 115", "10115")]);
        refuses("DE", &["1011", "101155", "1O115", "D-10115", "10115a", "１０１１５", "10\u{0}115"], "Postcodes in Germany have 5 digits, like 10115.");
        refuses("DE", &["", "  "], "Please enter the postcode, like 10115.");
        accepts("fr", &[("75001", "75001"), ("20000", "20000")]);
        refuses("FR", &["7500", "750011"], "Postcodes in France have 5 digits, like 75001.");
        refuses("FR", &[""], "Please enter the postcode, like 75001.");
    }

    #[test]
    fn austrian_and_swiss_postcodes_have_four_digits() {
        accepts("AT", &[("1010", "1010"), (" 6020", "6020")]);
        refuses("AT", &["101", "10101", "A-1010", "abcd"], "Postcodes in Austria have 4 digits, like 1010.");
        refuses("AT", &[""], "Please enter the postcode, like 1010.");
        accepts("CH", &[("8001", "8001"), ("3000", "3000")]);
        refuses("CH", &["800", "80011", "CH-8001"], "Postcodes in Switzerland have 4 digits, like 8001.");
        refuses("CH", &[""], "Please enter the postcode, like 8001.");
    }

    #[test]
    fn dutch_postcodes_get_one_space_and_capitals() {
        accepts("NL", &[("1012 AB", "1012 AB"), ("1012ab", "1012 AB"), ("  1012   aB ", "1012 AB"), ("9999 ZZ", "9999 ZZ"), ("1234 SB", "1234 SB")]);
        refuses(
            "NL",
            &["0123 AB", "1012 A", "1012 ABC", "101 AB", "1012 A1", "AB 1012", "1012-AB", "1234 SA", "1234 sd", "1234SS", "1012 ÄB"],
            "Postcodes in the Netherlands have 4 digits and 2 letters, like 1012 AB.",
        );
        refuses("NL", &[""], "Please enter the postcode, like 1012 AB.");
    }

    #[test]
    fn uk_postcodes_take_every_outward_shape_and_one_space() {
        accepts(
            "GB",
            &[
                ("M1 1AE", "M1 1AE"),
                ("B33 8TH", "B33 8TH"),
                ("CR2 6XH", "CR2 6XH"),
                ("DN55 1PT", "DN55 1PT"),
                ("W1A 0AX", "W1A 0AX"),
                ("EC1A 1BB", "EC1A 1BB"),
                ("sw1a1aa", "SW1A 1AA"),
                ("  SW1Y   4JH ", "SW1Y 4JH"),
                ("s w 1 a 1 a a", "SW1A 1AA"),
                ("GIR 0AA", "GIR 0AA"),
                ("gir0aa", "GIR 0AA"),
            ],
        );
        refuses(
            "GB",
            &["SW1A", "1AA", "SW1A 1A", "SW1A 11A", "SWAA 1AA", "1W1A 1AA", "SW1AB 1AA", "SW1A1AAA", "A1 AAA", "ABC 1AA", "SW1A-1AA", "SW1Ä 1AA", "GIR 0AB"],
            "Please enter a UK postcode, like SW1A 1AA.",
        );
        refuses("GB", &[""], "Please enter the postcode, like SW1A 1AA.");
    }

    #[test]
    fn us_zip_codes_take_five_digits_or_zip_plus_four() {
        accepts("US", &[("10001", "10001"), ("12345-6789", "12345-6789"), ("123456789", "12345-6789"), (" 12345 - 6789 ", "12345-6789")]);
        refuses(
            "US",
            &["1234", "123456", "12345-678", "1234-56789", "12345--6789", "ABCDE", "12345-", "-12345", "12345 6789a"],
            "Please enter a ZIP code of 5 or 9 digits, like 10001 or 10001-1234.",
        );
        refuses("US", &[""], "Please enter the ZIP code, like 10001.");
    }

    #[test]
    fn other_countries_get_a_loose_check_and_may_leave_it_empty() {
        accepts("IE", &[("", ""), ("  ", ""), ("D02 X285", "D02 X285"), ("d02  x285", "D02 X285")]);
        accepts("CA", &[("K1A 0B1", "K1A 0B1")]);
        accepts("PL", &[("00-950", "00-950")]);
        accepts("JE", &[("JE2 3AB", "JE2 3AB")]);
        accepts("XX", &[("anything 1", "ANYTHING 1")]);
        accepts("", &[("", "")]);
        refuses("IE", &["D02/X285", "Ç1", "a\u{0}b", "#1"], "A postcode can only have letters, digits, spaces and dashes.");
        refuses("CA", &[&"1".repeat(17)], "Postcode can be at most 16 characters.");
        assert!(check_postcode("CA", &"1".repeat(16)).is_ok());
    }

    #[test]
    fn examples_are_given_for_known_formats_only() {
        assert_eq!(postcode_example("de"), Some("10115"));
        assert_eq!(postcode_example("GB"), Some("SW1A 1AA"));
        assert_eq!(postcode_example("IE"), None);
        for code in DELIVERY_FIRST {
            let example = postcode_example(code).unwrap();
            assert_eq!(check_postcode(code, example).as_deref(), Ok(example), "{code}");
        }
    }

    fn any_code() -> impl Strategy<Value = String> {
        prop_oneof![(0..COUNTRIES.len()).prop_map(|i| COUNTRIES[i].code.to_string()), Just("gb".to_string()), ".{0,3}",]
    }

    fn postcode_like() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "[ 0-9A-Za-z\\-]{0,20}",
            "[0-9]{4,6}",
            "[1-9][0-9]{3} ?[A-Za-z]{2}",
            "[A-Za-z]{1,2}[0-9][0-9A-Za-z]? ?[0-9][A-Za-z]{2}",
            "[0-9]{5}( ?-? ?[0-9]{4})?",
            "\\s*[ -~\\u{a0}\\u{3000}ÄäßÖ]{0,20}\\s*",
        ]
    }

    proptest! {
        #[test]
        fn check_postcode_never_panics_and_its_output_is_a_fixed_point(code in any_code(), raw in postcode_like()) {
            if let Ok(normalised) = check_postcode(&code, &raw) {
                prop_assert_eq!(check_postcode(&code, &normalised), Ok(normalised.clone()));
                prop_assert!(normalised.chars().count() <= MAX_POSTCODE_CHARS);
            }
        }

        #[test]
        fn delivery_countries_never_return_an_empty_or_padded_postcode(code in prop::sample::select(DELIVERY_FIRST.to_vec()), raw in postcode_like()) {
            if let Ok(normalised) = check_postcode(code, &raw) {
                prop_assert!(!normalised.is_empty());
                prop_assert_eq!(normalised.trim(), normalised.as_str());
            }
        }

        #[test]
        fn parse_country_never_panics_and_returns_a_listed_code(raw in prop_oneof![
            any::<String>(),
            (0..COUNTRIES.len(), any::<bool>()).prop_map(|(i, de)| format!("  {}  ", if de { COUNTRIES[i].de.to_uppercase() } else { COUNTRIES[i].en.to_lowercase() })),
        ]) {
            if let Ok(code) = parse_country(&raw) {
                prop_assert_eq!(country(code).map(|c| c.code), Some(code));
                prop_assert_eq!(parse_country(code), Ok(code));
            }
        }
    }
}
