//! Normalizing publication dates to ISO 8601.
//!
//! Inputs state publication dates in whatever their producer used:
//! RFC 3339 from JSON feeds and `article:published_time`
//! (`2018-02-18T21:35:43+04:00`), RFC 2822 from RSS-fed HTML meta tags
//! (`Sun, 18 Feb 2018 21:35:43 +0400`), bare days (`2023-12-31`), the
//! day-first numeric dates of the Arab world (`31/12/2023`, `31-12-2023`,
//! `31.12.2023`), and the slash-ISO form (`2023/12/31`). We write them as
//! `YYYY-MM-DD` when only a day is known, else as RFC 3339 with the
//! original offset (a time without an offset is kept without one:
//! `YYYY-MM-DDTHH:MM:SS`). Numeric dates are read day-first, as Arabic
//! outlets write them; an impossible day-first reading (month > 12) is not
//! swapped, it is refused, because guessing would silently move events.
//! What cannot be parsed is returned as `None` and the caller keeps the raw
//! value in metadata (`published_raw`).

use chrono::{DateTime, NaiveDate, NaiveDateTime};

/// Normalize a publication date; `None` when it cannot be parsed.
pub fn normalize_date(raw: &str) -> Option<String> {
    let s = raw.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.to_rfc3339());
    }
    // `2018-02-18 21:35:43+04:00`, `2018-02-18T21:35:43+0400`.
    for f in [
        "%Y-%m-%d %H:%M:%S%:z",
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%dT%H:%M%:z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(s, f) {
            return Some(d.to_rfc3339());
        }
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d.to_rfc3339());
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return Some(d.format("%Y-%m-%dT%H:%M:%S").to_string());
        }
    }
    for f in [
        "%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y%m%d",
    ] {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return Some(d.format("%Y-%m-%d").to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::normalize_date as n;

    #[test]
    fn formats() {
        assert_eq!(n("2023-12-31").as_deref(), Some("2023-12-31"));
        assert_eq!(
            n("2018-02-18T21:35:43+04:00").as_deref(),
            Some("2018-02-18T21:35:43+04:00")
        );
        assert_eq!(n("31/12/2023").as_deref(), Some("2023-12-31"));
        assert_eq!(n("2023/12/31").as_deref(), Some("2023-12-31"));
        assert_eq!(
            n("Sun, 18 Feb 2018 21:35:43 +0400").as_deref(),
            Some("2018-02-18T21:35:43+04:00")
        );
        assert_eq!(
            n("2018-02-18T21:35:43Z").as_deref(),
            Some("2018-02-18T21:35:43+00:00")
        );
        assert_eq!(
            n("2018-02-18 21:35:43").as_deref(),
            Some("2018-02-18T21:35:43")
        );
        assert_eq!(n("12/31/2023"), None);
        assert_eq!(n("الأحد الماضي"), None);
        assert_eq!(n(""), None);
    }
}
